/**
 * Process-level serving for `gen serve` (CONTRACT §5.8): load the generated manifest through tsx (so service files
 * run as TypeScript without a compile step), listen, shut down gracefully on SIGTERM/SIGINT, and with
 * `workers > 1` run a node:cluster primary that keeps N workers alive.
 *
 * Not exported from runtime/index.ts: it loads tsx and installs signal handlers, which a library import must not do.
 */
import cluster, { type Worker } from 'node:cluster';
import { existsSync, realpathSync } from 'node:fs';
import { register } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Manifest } from './manifest.js';
import { createServer, StartupError } from './server.js';
import { compileValidatorsOnRequire } from './generated-require.js';

export { StartupError };

export interface ServeOptions {
  /** Absolute path of generated/index.ts, which exports `manifest`. */
  manifestModule: string;
  port: number;
  host: string;
  workers: number;
  /** How long in-flight requests may take after SIGTERM; default 10 s. */
  graceMs?: number;
  /** Called once the port is open (in a cluster: by the primary, once every worker listens). */
  onListening?: (addr: { port: number; host: string }) => void;
}

let tsxRegistered = false;
const generatedDirs: string[] = []; // those generated-hooks.ts and generated-require.ts look after

/**
 * generated/index.ts's `manifest`, loaded through tsx: its ES module hooks, and its CommonJS ones too, as the tsx
 * command registers both. Node loads the .ts files of a package whose package.json says "type": "commonjs" (what
 * `npm init` writes) as CommonJS; without tsx's require hooks it met the `import` syntax there and failed with
 * "Cannot require() ES Module … in a cycle". Loaded as CommonJS, the module's exports arrive as its default export.
 */
export async function loadManifest(path: string): Promise<Manifest> {
  if (!tsxRegistered) {
    // The project's tsconfig.json (its `paths` aliases, say), wherever the command was started: tsx would look in
    // the working directory. One the user names in TSX_TSCONFIG_PATH is kept; workers inherit the variable.
    const tsconfig = process.env.TSX_TSCONFIG_PATH ?? nearestTsconfig(dirname(path));
    if (tsconfig !== undefined) process.env.TSX_TSCONFIG_PATH = tsconfig;
    const [esm, cjs] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
    esm.register(tsconfig !== undefined ? { tsconfig } : {});
    cjs.register();
    tsxRegistered = true;
  }
  // The hooks see modules by their real paths (Node resolves symlinks): a project served through a symlinked path
  // otherwise never met them, and loaded its generated code through tsx, source maps included.
  const dir = realpathSync(dirname(path));
  const generated = `${pathToFileURL(dir).href}/`;
  if (!generatedDirs.includes(generated)) {
    generatedDirs.push(generated);
    register(new URL('./generated-hooks.js', import.meta.url), { data: { prefixes: [generated] } });
    compileValidatorsOnRequire(dir);
  }
  const mod = (await import(pathToFileURL(path).href)) as { manifest?: Manifest; default?: { manifest?: Manifest } };
  const manifest = mod.manifest ?? mod.default?.manifest;
  if (manifest === undefined || manifest === null || typeof manifest !== 'object') {
    throw new StartupError(`${path} does not export a 'manifest'; run 'gen build' to regenerate it`);
  }
  return manifest;
}

/** tsconfig.json in `dir` or the closest folder above it, as TypeScript looks for one. */
function nearestTsconfig(dir: string): string | undefined {
  for (let at = resolve(dir); ; at = dirname(at)) {
    const file = join(at, 'tsconfig.json');
    if (existsSync(file)) return file;
    if (dirname(at) === at) return undefined;
  }
}

/** One process serving the manifest; SIGTERM/SIGINT close it gracefully and exit 0. */
async function serveHere(options: ServeOptions): Promise<void> {
  const manifest = await loadManifest(options.manifestModule);
  const sg = createServer(manifest);
  const addr = await sg.listen(options.port, options.host);
  let stopping = false;
  const stop = (): void => {
    if (stopping) {
      // A second Ctrl+C in a terminal means "now"; a worker also gets the group's SIGINT next to the primary's
      // SIGTERM, so only a lone process force-quits.
      if (!cluster.isWorker) process.exit(1);
      return;
    }
    stopping = true;
    void sg.close(options.graceMs ?? 10_000).then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (cluster.isWorker) {
    // The primary is gone (killed, crashed): nobody would replace or stop this worker, so it stops itself.
    process.once('disconnect', stop);
    cluster.worker?.on('error', () => {});
  } else options.onListening?.(addr);
}

/** The cluster primary: forks, replaces workers that die after they started serving, forwards shutdown. */
function servePrimary(options: ServeOptions): Promise<void> {
  const live = new Set<Worker>();
  const serving = new Set<number>();
  let stopping = false;
  let announced = false;
  let failed = false;

  const fork = (): void => {
    live.add(cluster.fork());
  };

  // Why a worker could not start, as it reported it (see reportStartupFailure): every worker fails alike, so the
  // primary says it once, instead of each worker printing it.
  const reasons = new Map<number, string>();
  return new Promise((resolve, reject) => {
    cluster.on('message', (worker, message: unknown) => {
      const m = message as { servicegate?: unknown; message?: unknown } | null;
      if (m?.servicegate === STARTUP_FAILED && typeof m.message === 'string') reasons.set(worker.id, m.message);
    });
    cluster.on('listening', (worker, address) => {
      serving.add(worker.id);
      if (!announced && serving.size >= options.workers) {
        announced = true;
        options.onListening?.({ port: address.port, host: address.address ?? options.host });
        resolve();
      }
    });
    cluster.on('exit', (worker, code, signal) => {
      live.delete(worker);
      // A clean exit was asked for (SIGTERM, or the terminal's Ctrl+C reaching the worker before the primary
      // saw its own SIGINT): not a crash, so not replaced.
      if (stopping || (code === 0 && signal === null)) {
        if (live.size === 0) process.exit(failed ? 1 : 0);
        return;
      }
      if (serving.has(worker.id)) {
        fork();
        return;
      }
      // A worker that never listened failed at startup (it printed why); forking again would only loop, and the
      // others run the same code, so stop them all.
      stopping = true;
      failed = true;
      for (const other of live) other.process.kill('SIGTERM');
      if (announced || live.size === 0) setImmediate(() => process.exit(1));
      reject(new StartupError(reasons.get(worker.id) ?? `worker ${worker.id} failed to start`));
    });
    const stop = (): void => {
      if (stopping) {
        for (const worker of live) worker.process.kill('SIGKILL');
        process.exit(1);
      }
      stopping = true;
      if (live.size === 0) process.exit(0);
      for (const worker of live) worker.process.kill('SIGTERM');
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    for (let i = 0; i < options.workers; i++) fork();
  });
}

const STARTUP_FAILED = 'startup-failed';

/**
 * In a worker of `serveProject`, hands why it cannot start to the primary, which reports it once for all workers,
 * and returns true (the caller then says nothing); false in any other process.
 */
export function reportStartupFailure(message: string): boolean {
  if (!cluster.isWorker || process.send === undefined) return false;
  process.send({ servicegate: STARTUP_FAILED, message });
  return true;
}

/**
 * Serves a project: resolves once it is listening (with workers: once every worker listens). The process
 * then runs until SIGTERM/SIGINT, which let in-flight requests finish (up to `graceMs`) and exit 0.
 * Rejects with StartupError when the manifest cannot be served (e.g. a `${VAR}` secret is not set).
 */
export async function serveProject(options: ServeOptions): Promise<void> {
  if (options.workers > 1 && cluster.isPrimary) return servePrimary(options);
  try {
    await serveHere(options);
  } catch (err) {
    // A worker's IPC channel would keep it alive after its caller printed the error; make sure it goes.
    if (cluster.isWorker) setTimeout(() => process.exit(1), 1000).unref();
    throw err;
  }
}
