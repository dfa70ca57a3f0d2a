/** `gen serve`: build when generated/ is stale, load the TypeScript services through tsx, serve, print curl lines. */
import { readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { buildCommand, type CommonFlags } from './cli-build.js';
import { count, say } from './cli-output.js';
import { staleness } from './inputs.js';
import { resolveOptions } from './options.js';
import { curlLines } from './serve-examples.js';

/** Example curl lines printed at most (one per channel and allowlisted service). */
const EXAMPLES = 20;

/** What to say before loading generated validators of `bytes` (from 10 MB, ~700 services, on); else nothing. */
export function loadingNote(bytes: number): string | undefined {
  if (bytes < 10_000_000) return undefined;
  return `gen serve: loading ${Math.round(bytes / 1e6)} MB of generated validators (the first start after a build compiles them, which takes a while; later starts reuse that)`;
}

export interface ServeFlags extends CommonFlags {
  port: string;
  host: string;
  workers: string;
  demo?: boolean;
}

function positiveInt(value: string, flag: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > 65535) throw new UsageError(`${flag} must be a whole number from ${min} to 65535, got '${value}'`);
  return n;
}

export class UsageError extends Error {}

export async function serveCommand(dir: string, flags: ServeFlags): Promise<number> {
  let port: number;
  let workers: number;
  try {
    port = positiveInt(flags.port, '--port', 0);
    workers = positiveInt(flags.workers, '--workers', 1);
  } catch (err) {
    process.stderr.write(`gen serve: ${(err as Error).message}\n`);
    return 2;
  }
  const o = resolveOptions({ dir, services: flags.services, config: flags.config, out: flags.out });
  const why = staleness(o.dir, o.outDir, o.services, o.config);
  if (why) {
    say(flags, `gen serve: building first (${why})`);
    const code = await buildCommand(dir, flags);
    if (code !== 0) return code;
  }
  const manifestModule = join(o.outDir, 'index.ts');
  const cluster = (await import('node:cluster')).default;
  // A big project's validators.ts takes a while to compile on the first start after a build (74 MB at 5,000
  // services: ~6 s of a 10 s start here; see runtime/generated-cache.ts); later starts use the compiled copy. Said,
  // so that it does not look hung.
  const note = loadingNote(statSync(join(o.outDir, 'validators.ts'), { throwIfNoEntry: false })?.size ?? 0);
  if (note !== undefined && cluster.isPrimary) say(flags, note);
  const { loadManifest, reportStartupFailure, serveProject, StartupError } = await import('../runtime/serve.js');
  let listening = { port, host: flags.host };
  try {
    await serveProject({ manifestModule, port, host: flags.host, workers, onListening: (addr) => (listening = addr) });
  } catch (err) {
    const listen = listenProblem(err, flags.host, port);
    // A worker (--workers N) leaves the telling to the primary: once, not once per worker.
    if (reportStartupFailure(listen ?? (err instanceof Error ? err.message : String(err)))) return 1;
    // What stops the server from starting (a port, a missing secret), said as the command's own message.
    const why = listen ?? (err instanceof StartupError ? err.message : undefined);
    if (why === undefined) throw err;
    process.stderr.write(`gen serve: ${why}\n`);
    return 1;
  }
  // Workers run this same command (node:cluster forks the CLI); only the primary talks to the user.
  if (cluster.isWorker || flags.quiet || flags.json) return 0;
  const manifest = await loadManifest(manifestModule); // loaded already, unless the workers alone did (--workers)
  const openapi = JSON.parse(readFileSync(join(o.outDir, 'openapi.json'), 'utf8'));
  const baseUrl = `http://${listening.host.includes(':') ? `[${listening.host}]` : listening.host}:${listening.port}`;
  say(flags, `gen serve: ${count(Object.keys(manifest.services).length, 'service')}, ${count(manifest.channels.length, 'channel')} on ${baseUrl}` +
    `${workers > 1 ? ` (${workers} workers)` : ''}; Ctrl+C to stop`);
  say(flags, `  ${baseUrl}/zato/ping`);
  // A project of thousands of services would scroll thousands of lines by (and take a while to make them).
  const document = relative(process.cwd(), join(o.outDir, 'openapi.yaml')).split(sep).join('/');
  for (const line of curlLines(manifest, openapi, { baseUrl, env: process.env, reveal: flags.demo === true, limit: EXAMPLES, document })) say(flags, line);
  return 0;
}

/** What to do about a port that cannot be opened; undefined for other errors. */
function listenProblem(err: unknown, host: string, port: number): string | undefined {
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  switch ((err as NodeJS.ErrnoException | null)?.code) {
    case 'EADDRINUSE':
      return `${where} is already in use (another gen serve?): stop what listens there, or pick another port with --port (--port 0 picks a free one).`;
    case 'EACCES':
      return `no permission to listen on ${where} (ports below 1024 need privileges): pick another port with --port.`;
    case 'EADDRNOTAVAIL':
      return `${host} is not an address of this machine: pass --host with one of its addresses (127.0.0.1, 0.0.0.0, ::).`;
    default:
      return undefined;
  }
}
