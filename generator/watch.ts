/**
 * `gen build --watch`: build once, then rebuild whenever a service or config file changes, re-reading only what
 * changed. The services reader keeps its parsed program between builds (only changed files are re-parsed), the
 * config is re-read only when a config file changed, and writeOutput writes only files whose content changed
 * (unchanged ones are hard-linked into the staging dir). Between builds, per-file readings (ModelCache,
 * ServiceCache) and emitted text (EmitCaches: ValidatorCache per model, OpenApiCache per operation, TextCache per
 * part and run of the OpenAPI text, BlockCache per file and service of index.ts, service-map.ts, routes.ts and
 * the client's tables) are reused when everything they were made from is the same, compared by identity: IR
 * objects are immutable and the reader reuses unchanged ones. Input bytes for inputs.json are kept until a file
 * event names the file. The big outputs stay in pieces (OutputFile.parts, mostly the previous build's strings):
 * compared with what OutputMemory remembers by identity and written without joining. test/e2e/watch-parity.test.ts
 * checks that the output stays byte-identical to a cold build. `gen build --watch` runs this loop in a child
 * process with a larger V8 young generation (cli-build.ts), since each rebuild makes many short-lived strings.
 *
 * With SERVICEGATE_TIMINGS=1 each build line is followed by the time of each phase (generator/timings.ts).
 *
 * Node 20's recursive fs.watch does not work on Linux, so every directory that can hold an input is watched on
 * its own (inotify underneath): the static base of each glob and its subdirectories, the folder of every file read
 * (models imported from elsewhere, config includes), and the project dir. Events are debounced into one rebuild.
 */
import { existsSync, readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { createEmitCaches, generateFrom, type BuildResult } from './build.js';
import { hasErrors, type Diagnostic } from './diagnostics.js';
import { resolveOptions, type BuildOptions, type ResolvedOptions } from './options.js';
import { readConfig, type ConfigReadResult } from './read/config.js';
import { createServicesReader } from './read/services.js';
import { tenths, timingsLine, timingsWanted } from './timings.js';
import { OutputMemory, writeOutput } from './write.js';

export interface WatchEvents {
  /** A line for the user: one per build (time, what was written) and when watching starts or fails. */
  log(line: string): void;
  /** The diagnostics of a build (warnings of a good build too); paths are relative to `dir`. */
  diagnostics(dir: string, diagnostics: readonly Diagnostic[]): void;
}

export interface BuildWatcher {
  /** Resolves once the first build has been written (or has failed and been reported). */
  readonly ready: Promise<void>;
  /** The result of the latest build. */
  readonly last: () => BuildResult | null;
  /** Stops watching; nothing is built after it returns. */
  close(): void;
}

export interface WatchSettings {
  /** Quiet period after the last file event before rebuilding (ms). */
  readonly debounceMs?: number;
}

const GLOB_CHARS = /[*?[\]{}()!]/;

/** The folder a glob can match files under: its segments before the first one with a glob character. */
function globBase(dir: string, pattern: string): string {
  const segments = pattern.split('/');
  const fixed: string[] = [];
  for (const s of segments.slice(0, -1)) {
    if (GLOB_CHARS.test(s)) break;
    fixed.push(s);
  }
  return resolve(dir, ...fixed);
}

/** `root` and every folder under it, except node_modules, dot folders and `skip` (the output dir). */
function folders(root: string, skip: string, out: Set<string>): void {
  if (!existsSync(root) || !statSync(root).isDirectory() || root === skip) return;
  out.add(root);
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.')) folders(join(root, entry.name), skip, out);
  }
}

function clock(): string {
  return new Date().toTimeString().slice(0, 8);
}

/**
 * Builds the project of `options` into its output dir, then keeps it up to date until `close()`. Never throws
 * for a broken edit: the diagnostics are reported and the previous output stays in place.
 */
export function watchBuild(options: BuildOptions, events: WatchEvents, settings: WatchSettings = {}): BuildWatcher {
  const o: ResolvedOptions = resolveOptions(options);
  const debounceMs = settings.debounceMs ?? 20;
  const showTimings = timingsWanted();
  const reader = createServicesReader(o.dir, o.services);
  const output = new OutputMemory();
  const caches = createEmitCaches();
  const watchers = new Map<string, FSWatcher>();
  const changed = new Set<string>();
  const stagingPrefix = `.${basename(o.outDir)}.`; // writeOutput's temp dirs next to the output dir
  let config: ConfigReadResult | null = null;
  let configDirty = true;
  let last: BuildResult | null = null;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const onEvent = (folder: string, name: string | null): void => {
    if (closed) return;
    if (name === null) {
      configDirty = true; // the OS could not say which file: assume anything changed
      caches.inputs.forgetAll();
    } else {
      if (folder === dirname(o.outDir) && (name === basename(o.outDir) || name.startsWith(stagingPrefix))) return;
      const abs = join(folder, name);
      if (abs === o.outDir || abs.startsWith(o.outDir + sep)) return;
      caches.inputs.forget(abs);
      if (/\.ya?ml$/i.test(name) || config?.files.some((f) => resolve(o.dir, f) === abs)) configDirty = true;
      else changed.add(abs);
    }
    clearTimeout(timer);
    timer = setTimeout(rebuild, debounceMs);
  };

  const syncWatches = (): void => {
    const wanted = new Set<string>([o.dir]);
    for (const pattern of [...o.services, ...o.config]) folders(globBase(o.dir, pattern), o.outDir, wanted);
    for (const file of [...(last?.project?.inputs ?? []), ...(config?.files ?? [])]) wanted.add(dirname(resolve(o.dir, file)));
    for (const [folder, w] of watchers) {
      if (!wanted.has(folder)) {
        w.close();
        watchers.delete(folder);
      }
    }
    for (const folder of wanted) {
      if (watchers.has(folder) || !existsSync(folder)) continue;
      try {
        const w = watch(folder, { persistent: true }, (_event, name) => onEvent(folder, name === null ? null : String(name)));
        w.on('error', () => {
          w.close();
          watchers.delete(folder);
        });
        watchers.set(folder, w);
      } catch {
        // vanished between listing and watching: the parent's event brings it back when it returns
      }
    }
  };

  function rebuild(): void {
    if (closed) return;
    const started = performance.now();
    const paths = [...changed];
    changed.clear();
    try {
      const services = last === null ? reader.read() : reader.update(paths);
      const readServicesMs = performance.now() - started;
      let readConfigMs = 0;
      if (configDirty || config === null) {
        const t = performance.now();
        config = readConfig(o.dir, o.config);
        readConfigMs = performance.now() - t;
        configDirty = false;
      }
      const result = generateFrom(o, services, config, { 'read services': tenths(readServicesMs), 'read config': tenths(readConfigMs) }, caches);
      events.diagnostics(o.dir, result.diagnostics);
      const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
      if (hasErrors(result.diagnostics) || result.files.length === 0) {
        events.log(`[${clock()}] build failed: ${errors} error${errors === 1 ? '' : 's'}; the previous output in ${o.outRel}/ is kept`);
      } else {
        const t = performance.now();
        const written = writeOutput(o.outDir, result.files, output, (task) => setImmediate(task));
        const ms = Math.round(performance.now() - started);
        const timings = { ...result.timings, write: tenths(performance.now() - t) };
        const names = [...written.written, ...written.removed];
        const what = names.length === 0 ? 'nothing changed' : `${names.length} file${names.length === 1 ? '' : 's'} written (${names.join(', ')})`;
        events.log(`[${clock()}] built in ${ms} ms: ${what}`);
        if (showTimings) events.log(`  ${timingsLine(timings)}`);
      }
      last = result;
    } catch (err) {
      events.log(`[${clock()}] build crashed: ${err instanceof Error ? err.message : String(err)}; watching on`);
    }
    syncWatches();
  }

  const ready = new Promise<void>((done) => {
    // After the caller has attached its handlers; the first build is as synchronous as `gen build`.
    setImmediate(() => {
      if (!closed) {
        syncWatches(); // before the build, so an edit made while it runs is not missed
        rebuild();
        const n = watchers.size;
        events.log(`watching ${n} folder${n === 1 ? '' : 's'} under ${relative(process.cwd(), o.dir) || '.'} for changes`);
      }
      done();
    });
  });

  return {
    ready,
    last: () => last,
    close() {
      closed = true;
      clearTimeout(timer);
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}
