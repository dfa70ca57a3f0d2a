/**
 * The soak (issue 6, item 6): `gen serve` on the REAL customers sample in a child process, loaded by autocannon on
 * 127.0.0.1 with a seeded mix of valid, invalid, unauthorised, not-allowlisted and wrong-method requests. Every
 * request kind has one expected status; the server's RSS is sampled from /proc throughout the measured run.
 * Used by test/hardening/soak.test.ts (10 s) and soak/run.ts (`npm run soak`, 60 s).
 */
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { createRequire } from 'node:module';
import { GEN } from '../test/helpers/project.js';
import { SAMPLE_API_AUTH, SAMPLE_ENV, SAMPLE_GATEWAY_AUTH, buildSampleProject } from '../test/hardening/sample-project.js';

/** The part of autocannon's programmatic API used here (the package ships no types). */
interface LoadResult {
  errors: number;
  timeouts: number;
  requests: { average: number };
  latency: { p99: number };
}
const autocannon = createRequire(import.meta.url)('autocannon') as (options: Record<string, unknown>) => Promise<LoadResult>;

export interface SoakOptions {
  /** Measured seconds (RSS growth is computed over these). */
  readonly durationS: number;
  /** Seconds of load before the measured run, so that start-up growth (JIT, heap sizing) is not counted. */
  readonly warmupS: number;
  readonly connections: number;
  readonly seed: number;
  readonly log?: (line: string) => void;
}

interface Kind {
  readonly name: string;
  readonly expect: number;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

const JSON_GW = { authorization: SAMPLE_GATEWAY_AUTH, 'content-type': 'application/json' };
const BAD_GW = `Basic ${Buffer.from('gateway:not-the-password').toString('base64')}`;

/** The request kinds of the mix, each with the one status it must get. Only read-only services are called. */
export const KINDS: readonly Kind[] = [
  { name: 'valid: gateway by path', expect: 200, method: 'POST', path: '/zato/gateway/customer.get', headers: { ...JSON_GW, 'x-zato-username': 'soak' }, body: '{"customer_id":123}' },
  { name: 'valid: gateway ?service=', expect: 200, method: 'POST', path: '/zato/gateway/invoke?service=orders.list', headers: JSON_GW, body: '{"customer_id":456,"limit":5}' },
  { name: 'valid: direct channel', expect: 200, method: 'POST', path: '/api/customer/get', headers: { authorization: SAMPLE_API_AUTH, 'content-type': 'application/json' }, body: '{"customer_id":789}' },
  { name: 'valid: ping', expect: 200, method: 'GET', path: '/zato/ping', headers: {} },
  { name: 'invalid: failed constraint', expect: 400, method: 'POST', path: '/zato/gateway/customer.get', headers: JSON_GW, body: '{"customer_id":0}' },
  { name: 'invalid: malformed JSON', expect: 400, method: 'POST', path: '/zato/gateway/orders.list', headers: JSON_GW, body: '{"customer_id":' },
  { name: 'invalid: unknown customer', expect: 404, method: 'POST', path: '/zato/gateway/customer.get', headers: JSON_GW, body: '{"customer_id":999999}' },
  { name: 'invalid: wrong content type', expect: 415, method: 'POST', path: '/zato/gateway/customer.get', headers: { authorization: SAMPLE_GATEWAY_AUTH, 'content-type': 'text/plain' }, body: 'customer_id=123' },
  { name: 'unauthorised: wrong password', expect: 401, method: 'POST', path: '/zato/gateway/customer.get', headers: { ...JSON_GW, authorization: BAD_GW }, body: '{"customer_id":123}' },
  { name: 'unauthorised: no credentials', expect: 401, method: 'POST', path: '/api/customer/get', headers: { 'content-type': 'application/json' }, body: '{"customer_id":123}' },
  { name: 'not allowlisted: existing service', expect: 404, method: 'POST', path: '/zato/gateway/customer.get-details', headers: JSON_GW, body: '{"customer_id":123}' },
  { name: 'not allowlisted: disguised name', expect: 404, method: 'POST', path: '/zato/gateway/customer%2eget-details', headers: JSON_GW, body: '{"customer_id":123}' },
  { name: 'not allowlisted: repeated service=', expect: 404, method: 'POST', path: '/zato/gateway/invoke?service=customer.get&service=admin.purge', headers: JSON_GW, body: '{}' },
  { name: 'wrong method', expect: 405, method: 'GET', path: '/zato/gateway/customer.get', headers: { authorization: SAMPLE_GATEWAY_AUTH } },
];

/** mulberry32: a tiny seeded PRNG, so that a run can be repeated exactly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Each kind three times, shuffled by the seed: the sequence every connection cycles through. */
export function mixFor(seed: number): Kind[] {
  const out = KINDS.flatMap((k) => [k, k, k]);
  const random = prng(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export interface KindTally {
  sent: number;
  /** status → count, for statuses other than the expected one. */
  unexpected: Record<number, number>;
}

export interface SoakResult {
  readonly seed: number;
  readonly connections: number;
  readonly durationS: number;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly transportErrors: number;
  readonly timeouts: number;
  readonly unexpected: number;
  readonly byKind: Readonly<Record<string, KindTally>>;
  readonly rss: { readonly firstThirdMiB: number; readonly lastThirdMiB: number; readonly growth: number; readonly samples: number;
    /** One value per second of the measured run (MiB), to see a trend rather than two numbers. */
    readonly perSecondMiB: readonly number[] };
  readonly exitCode: number | null;
  readonly latencyP99Ms: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function rssKiB(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

async function waitForPing(port: number, stderr: () => string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/zato/ping`).then((r) => r.status === 200, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gen serve did not answer /zato/ping within 30 s:\n${stderr()}`);
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Builds the sample, serves it with `gen serve`, loads it, stops it with SIGTERM; resolves with the figures. */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const log = options.log ?? (() => {});
  const project = buildSampleProject();
  // The server logs one JSON line per request; /dev/null takes them without ever pushing back.
  const devNull = openSync('/dev/null', 'w');
  const port = await freePort();
  const child = spawn(process.execPath, [GEN, 'serve', project.dir, '--port', String(port), '--host', '127.0.0.1'], {
    cwd: project.dir, env: { ...process.env, ...SAMPLE_ENV }, stdio: ['ignore', devNull, 'pipe'],
  });
  closeSync(devNull);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  try {
    await waitForPing(port, () => stderr);
    const byKind: Record<string, KindTally> = Object.fromEntries(KINDS.map((k) => [k.name, { sent: 0, unexpected: {} }]));
    const requests = mixFor(options.seed).map((k) => ({
      method: k.method, path: k.path, headers: k.headers, ...(k.body === undefined ? {} : { body: k.body }),
      onResponse: (status: number) => {
        const tally = byKind[k.name]!;
        tally.sent++;
        if (status !== k.expect) tally.unexpected[status] = (tally.unexpected[status] ?? 0) + 1;
      },
    }));
    const load = (duration: number) =>
      autocannon({ url: `http://127.0.0.1:${port}`, connections: options.connections, duration, requests, timeout: 10 });

    log(`soak: warm-up ${options.warmupS} s, ${options.connections} connections, seed ${options.seed}`);
    const warm = await load(options.warmupS);
    log(`soak: measured run ${options.durationS} s`);
    const samples: number[] = [];
    const sampler = setInterval(() => {
      const kib = rssKiB(child.pid!);
      if (kib !== null) samples.push(kib);
    }, 200);
    let run: LoadResult;
    try {
      run = await load(options.durationS);
    } finally {
      clearInterval(sampler);
    }
    child.kill('SIGTERM');
    const exitCode = await exited;

    const third = Math.max(1, Math.floor(samples.length / 3));
    const first = mean(samples.slice(0, third));
    const last = mean(samples.slice(-third));
    const unexpected = Object.values(byKind).reduce((n, t) => n + Object.values(t.unexpected).reduce((a, b) => a + b, 0), 0);
    const total = Object.values(byKind).reduce((n, t) => n + t.sent, 0);
    return {
      seed: options.seed,
      connections: options.connections,
      durationS: options.durationS,
      requests: total,
      requestsPerSecond: Math.round(run.requests.average),
      transportErrors: warm.errors + run.errors,
      timeouts: warm.timeouts + run.timeouts,
      unexpected,
      byKind,
      rss: {
        firstThirdMiB: first / 1024, lastThirdMiB: last / 1024, growth: (last - first) / first, samples: samples.length,
        perSecondMiB: Array.from({ length: Math.floor(samples.length / 5) }, (_, i) => Math.round(mean(samples.slice(i * 5, i * 5 + 5)) / 102.4) / 10),
      },
      exitCode,
      latencyP99Ms: run.latency.p99,
    };
  } finally {
    child.kill('SIGKILL');
    project.remove();
  }
}

/** A few lines for humans. */
export function formatSoak(r: SoakResult): string {
  const rows = Object.entries(r.byKind).map(([name, t]) => {
    const bad = Object.entries(t.unexpected).map(([s, n]) => `${n}× ${s}`).join(', ');
    return `  ${name.padEnd(36)} ${String(t.sent).padStart(9)}  ${bad === '' ? 'all as expected' : `UNEXPECTED: ${bad}`}`;
  });
  return [
    `soak: ${r.requests} requests (${r.requestsPerSecond}/s measured), ${r.connections} connections, seed ${r.seed}, p99 ${r.latencyP99Ms} ms`,
    ...rows,
    `  transport errors ${r.transportErrors}, timeouts ${r.timeouts}, unexpected statuses ${r.unexpected}`,
    `  RSS first third ${r.rss.firstThirdMiB.toFixed(1)} MiB, last third ${r.rss.lastThirdMiB.toFixed(1)} MiB, ` +
      `growth ${(r.rss.growth * 100).toFixed(1)}% (${r.rss.samples} samples)`,
    `  RSS per second (MiB): ${r.rss.perSecondMiB.join(' ')}`,
    `  exit code after SIGTERM: ${r.exitCode}`,
  ].join('\n');
}

/** The pass/fail criteria of issue 6; empty when all hold. */
export function checkSoak(r: SoakResult): string[] {
  const out: string[] = [];
  if (r.transportErrors !== 0) out.push(`${r.transportErrors} transport errors`);
  if (r.timeouts !== 0) out.push(`${r.timeouts} timeouts`);
  if (r.unexpected !== 0) out.push(`${r.unexpected} unexpected statuses`);
  if (!(r.rss.growth <= 0.1)) out.push(`RSS grew ${(r.rss.growth * 100).toFixed(1)}% (limit 10%)`);
  if (r.rss.samples < 10) out.push(`only ${r.rss.samples} RSS samples`);
  if (r.exitCode !== 0) out.push(`exit code ${r.exitCode} after SIGTERM`);
  if (r.requests === 0) out.push('no requests');
  return out;
}
