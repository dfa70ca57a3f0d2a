/**
 * Start-up (issue 5, target 4): `gen serve` on a built copy of the customers sample (generated/ current, so no build
 * happens), from spawn to the first 200 on /zato/ping, against a fastify 5 server with the same route, run as plain
 * JavaScript (no TypeScript loader), from spawn to its first 200. Runs alternate; the medians are compared.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchModule } from './lib/result.js';
import { BENCH_ENV, GEN, prepareSample } from './lib/projects.js';
import { REPO } from './lib/load.js';
import { freePort, waitForPing } from './lib/ping.js';

/** Spawns `argv`, polls /zato/ping every 2 ms until a 200, and returns the elapsed milliseconds; stops the process. */
async function timeToFirst200(label: string, argv: readonly string[], port: number, env: Record<string, string>): Promise<number> {
  const start = performance.now();
  const child = spawn(argv[0]!, argv.slice(1), { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env } });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let dead = false;
  void exited.then(() => (dead = true));
  try {
    await waitForPing(port, () => dead, label);
    return performance.now() - start;
  } finally {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

function fastifySource(port: number): string {
  const fastify = pathToFileURL(createRequire(join(REPO, 'package.json')).resolve('fastify')).href;
  return [
    `import { randomBytes } from 'node:crypto';`,
    `import Fastify from ${JSON.stringify(fastify)};`,
    `const app = Fastify({ logger: false });`,
    `app.get('/zato/ping', async (req, reply) => { const cid = randomBytes(12).toString('hex'); reply.header('x-zato-cid', cid); return { result: 'Ok', cid }; });`,
    `await app.listen({ port: ${port}, host: '127.0.0.1' });`,
    `process.on('SIGTERM', () => app.close().then(() => process.exit(0)));`,
  ].join('\n');
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const bench: BenchModule = {
  async run({ quick }) {
    const runs = quick ? 3 : 5;
    const sample = await prepareSample();
    try {
      const gen: number[] = [];
      const fastify: number[] = [];
      // One untimed run each first, so that both start from a warm file-system cache.
      for (let i = -1; i < runs; i++) {
        process.stderr.write(`  startup: run ${i + 2} of ${runs + 1}…\n`);
        const p1 = await freePort();
        const g = await timeToFirst200('gen serve', [process.execPath, GEN, 'serve', sample.dir, '--port', String(p1), '--quiet'], p1, BENCH_ENV);
        const p2 = await freePort();
        const f = await timeToFirst200('fastify', [process.execPath, '--input-type=module', '-e', fastifySource(p2)], p2, {});
        if (i >= 0) {
          gen.push(g);
          fastify.push(f);
        }
      }
      const round = (n: number): number => Math.round(n);
      return [
        {
          group: 'startup',
          name: 'gen serve, spawn to first 200 (customers sample, built)',
          unit: 'ms',
          value: round(median(gen)),
          baseline: { name: 'fastify 5', value: round(median(fastify)) },
          target: { ratio: 2, higherIsBetter: false },
          note: `median of ${runs}; gen serve ${gen.map(round).join('/')} ms, fastify ${fastify.map(round).join('/')} ms`,
        },
      ];
    } finally {
      sample.remove();
    }
  },
};
