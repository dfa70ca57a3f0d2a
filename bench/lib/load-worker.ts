/**
 * The load generator, run in its own process (pinned to the core the server does not use) for a whole benchmark
 * group: each IPC message `{ id, options }` runs autocannon (programmatic API) once and answers `{ id, result }`
 * or `{ id, error }`.
 */
import { createRequire } from 'node:module';
import type { LoadOptions, LoadResult } from './load.js';

interface AutocannonResult {
  duration: number; // seconds
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  statusCodeStats: Record<string, { count: number }>;
  latency: { average: number; p50: number; p99: number; max: number };
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

async function run(o: LoadOptions): Promise<LoadResult> {
  const r = await autocannon({
    url: o.url,
    method: o.method,
    headers: o.headers,
    body: o.body,
    connections: o.connections,
    duration: o.seconds,
    timeout: 10,
  });
  const statuses: Record<string, number> = {};
  for (const [code, stat] of Object.entries(r.statusCodeStats)) statuses[code] = stat.count;
  return {
    rps: r['2xx'] / r.duration,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    meanMs: r.latency.average,
    ok: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    statuses,
    seconds: r.duration,
  };
}

process.on('message', (msg: { id: number; options: LoadOptions }) => {
  run(msg.options).then(
    (result) => process.send?.({ id: msg.id, result }),
    (err: unknown) => process.send?.({ id: msg.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: true });
