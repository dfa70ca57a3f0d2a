/**
 * The load generator: autocannon in a child process pinned to core 1 (servers run on core 0), so that it does not
 * compete with the server for its core. One process serves a whole group of runs.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pinned } from './machine.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const SERVER_CORE = 0;
export const LOAD_CORE = 1;

export interface LoadOptions {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly connections: number;
  readonly seconds: number;
}

export interface LoadResult {
  /** 2xx answers per second (errors and other statuses do not count). */
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly statuses: Readonly<Record<string, number>>;
  readonly seconds: number;
}

export interface LoadGenerator {
  run(options: LoadOptions): Promise<LoadResult>;
  stop(): Promise<void>;
}

type Reply = { ready: true } | { id: number; result: LoadResult } | { id: number; error: string };

/** Starts the load generator process; resolves once it is ready to take runs. */
export function startLoadGenerator(): Promise<LoadGenerator> {
  const script = fileURLToPath(new URL('./load-worker.ts', import.meta.url));
  const [cmd, ...args] = pinned(LOAD_CORE, [process.execPath, '--import', 'tsx', script]);
  const child = spawn(cmd!, args, { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, { resolve: (r: LoadResult) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => {
    for (const p of pending.values()) p.reject(new Error('the load generator exited'));
    pending.clear();
  });
  const generator: LoadGenerator = {
    run(options) {
      return new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        if (!child.connected || !child.send({ id, options })) {
          pending.delete(id);
          reject(new Error('the load generator is not running'));
        }
      });
    },
    async stop() {
      if (child.connected) child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    void exited.then(() => reject(new Error('the load generator exited before it was ready')));
    child.on('message', (msg: Reply) => {
      if ('ready' in msg) return resolve(generator);
      const p = pending.get(msg.id);
      if (p === undefined) return;
      pending.delete(msg.id);
      if ('error' in msg) p.reject(new Error(msg.error));
      else p.resolve(msg.result);
    });
  });
}

/** Several runs of one server as one figure: rps over the total time, latencies weighted by answers. */
export function combineLoads(parts: readonly LoadResult[]): LoadResult {
  const sum = (f: (r: LoadResult) => number): number => parts.reduce((acc, r) => acc + f(r), 0);
  const ok = sum((r) => r.ok);
  const seconds = sum((r) => r.seconds);
  const weighted = (f: (r: LoadResult) => number): number => (ok === 0 ? NaN : sum((r) => f(r) * r.ok) / ok);
  const statuses: Record<string, number> = {};
  for (const r of parts) for (const [code, n] of Object.entries(r.statuses)) statuses[code] = (statuses[code] ?? 0) + n;
  return {
    rps: seconds === 0 ? 0 : ok / seconds,
    p50Ms: weighted((r) => r.p50Ms),
    p99Ms: weighted((r) => r.p99Ms),
    meanMs: weighted((r) => r.meanMs),
    ok,
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    statuses,
    seconds,
  };
}
