/**
 * A benchmark server in its own process, pinned to core 0: either a bench/servers/*.ts script, which reports its
 * port over IPC once it listens (see bench/servers/common.ts) and answers RSS and CPU queries, or `gen serve` itself,
 * watched from outside through /proc.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { pinned } from './machine.js';
import { REPO, SERVER_CORE } from './load.js';
import { freePort, waitForPing } from './ping.js';
import { GEN } from './projects.js';

export interface ServerProcess {
  readonly name: string;
  readonly port: number;
  readonly pid: number;
  /** The server's resident set size in bytes, as the process itself reports it. */
  rss(): Promise<number>;
  /** CPU time (user + system) the server process has used so far, in microseconds. */
  cpu(): Promise<number>;
  /** Asks the server to close and exit; kills it after 5 s. Idempotent. */
  stop(): Promise<void>;
}

type Message = { type: 'ready'; port: number } | { type: 'rss'; rss: number } | { type: 'cpu'; cpu: number };

const live = new Set<ChildProcess>();
// A crash or Ctrl+C of the bench must not leave servers behind: kill what is still running.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

let compiledDir: string | null = null;

/**
 * bench/servers/*.ts as plain JavaScript, compiled once per run: the servers run without a TypeScript loader, as
 * the runtime's own dist/ does. Under tsx every closure a handler makes per request also goes through esbuild's
 * keepNames helper (Object.defineProperty of its name), ~1 µs a request that the hand-written baselines paid and
 * servicegate's compiled runtime did not. servicegate.ts registers tsx itself for the project it loads, as
 * `gen serve` does. The files go to bench/.servers/ (git-ignored): inside the repository's package scope, whose
 * package.json makes them ESM and resolves `servicegate` to this package, as node_modules resolves the rest (not
 * under node_modules/, where Node looks for no package scope).
 */
function compiledServers(): string {
  if (compiledDir !== null) return compiledDir;
  const src = fileURLToPath(new URL('../servers/', import.meta.url));
  const out = join(REPO, 'bench', '.servers');
  mkdirSync(out, { recursive: true });
  for (const file of readdirSync(src).filter((f) => f.endsWith('.ts'))) {
    const js = ts.transpileModule(readFileSync(join(src, file), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
      fileName: file,
    }).outputText;
    writeFileSync(join(out, file.replace(/\.ts$/, '.js')), js);
  }
  return (compiledDir = out);
}

/** Starts `bench/servers/<script>.ts` (compiled: see compiledServers) with `args` and `env`; resolves once it listens on 127.0.0.1. */
export function startServer(name: string, script: string, args: readonly string[] = [], env: Record<string, string> = {}): Promise<ServerProcess> {
  const path = join(compiledServers(), `${script}.js`);
  // e.g. BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the servers under load.
  const nodeArgs = (env.BENCH_SERVER_NODE_ARGS ?? process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const [cmd, ...rest] = pinned(SERVER_CORE, [process.execPath, ...nodeArgs, path, ...args]);
  const child = spawn(cmd!, rest, { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, ...env } });
  live.add(child);
  let exited: Promise<void> | null = new Promise((resolve) => child.once('exit', () => {
    live.delete(child);
    resolve();
  }));

  const stop = async (): Promise<void> => {
    if (exited === null) return;
    const done = exited;
    exited = null;
    if (child.connected) child.send({ type: 'stop' });
    else child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await done;
    clearTimeout(timer);
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${name}: did not start within 60 s`));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name}: exited with ${code} before listening`));
    });
    const ask = <T extends 'rss' | 'cpu'>(type: T): Promise<Extract<Message, { type: T }>> =>
      new Promise((done, fail) => {
        const onMessage = (m: Message): void => {
          if (m.type !== type) return;
          child.off('message', onMessage);
          done(m as Extract<Message, { type: T }>);
        };
        child.on('message', onMessage);
        if (!child.send({ type })) fail(new Error(`${name}: cannot reach the server`));
      });
    child.on('message', (msg: Message) => {
      if (msg.type !== 'ready') return;
      clearTimeout(timer);
      resolve({
        name,
        port: msg.port,
        pid: child.pid!,
        stop,
        rss: async () => (await ask('rss')).rss,
        cpu: async () => (await ask('cpu')).cpu,
      });
    });
  });
}

let ticksPerSecond: number | undefined;

/** From /proc/<pid>/stat: user + system CPU time in µs (NaN where /proc is missing). */
function procCpu(pid: number): number {
  try {
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces: utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / ticksPerSecond;
  } catch {
    return NaN;
  }
}

/** From /proc/<pid>/status: the resident set size in bytes (NaN where /proc is missing). */
function procRss(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? NaN : Number(m[1]) * 1024;
  } catch {
    return NaN;
  }
}

/**
 * `gen serve <dir>` exactly as a user runs it (its JSON log lines go to /dev/null), pinned to core 0; resolves once
 * /zato/ping answers 200.
 */
export async function startGenServe(name: string, dir: string, env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const [cmd, ...args] = pinned(SERVER_CORE, [process.execPath, GEN, 'serve', dir, '--port', String(port), '--quiet']);
  const child = spawn(cmd!, args, { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env } });
  live.add(child);
  let dead = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => {
    dead = true;
    live.delete(child);
    resolve();
  }));
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      if (!dead) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    })());
  try {
    await waitForPing(port, () => dead, name, 60_000);
  } catch (err) {
    await stop();
    throw err;
  }
  const pid = child.pid!;
  return { name, port, pid, stop, rss: async () => procRss(pid), cpu: async () => procCpu(pid) };
}
