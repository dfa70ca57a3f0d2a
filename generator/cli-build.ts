/** `gen build` and `gen check`. */
import type { BuildResult } from './build.js';
import { count, countLine, printDiagnostics, printJson, say, type OutputFlags } from './cli-output.js';
import { tenths, timingsLine, timingsWanted } from './timings.js';

export interface CommonFlags extends OutputFlags {
  services?: string[];
  config?: string[];
  out?: string;
}

/** A cold build; `writeAhead` when its output will be written (the helper thread then writes validators.ts itself). */
export async function runBuild(dir: string, flags: CommonFlags, writeAhead = false): Promise<BuildResult> {
  const options = { dir, services: flags.services, config: flags.config, out: flags.out };
  // The helper thread starts first: it reads the config while this one loads TypeScript and reads the services.
  const [{ BuildHelper }, { resolveOptions }] = await Promise.all([import('./build-helper.js'), import('./options.js')]);
  const helper = BuildHelper.start(resolveOptions(options), undefined, writeAhead);
  const { generate } = await import('./build.js');
  return generate(options, helper);
}

function diagnosticsJson(result: BuildResult) {
  return result.diagnostics.map((d) => ({ ...d, text: `${d.loc.file}:${d.loc.line}:${d.loc.column}: ${d.severity} ${d.code}: ${d.message}` }));
}

export async function buildCommand(dir: string, flags: CommonFlags & { watch?: boolean }): Promise<number> {
  if (flags.watch) return watchCommand(dir, flags);
  const started = performance.now();
  const result = await runBuild(dir, flags, true);
  printDiagnostics(result.options.dir, result.diagnostics, flags);
  if (result.files.length === 0) {
    if (flags.json) printJson({ ok: false, diagnostics: diagnosticsJson(result) });
    else process.stderr.write(`gen build: ${countLine(result.diagnostics)}; nothing written\n`);
    return 1;
  }
  const { writeOutput } = await import('./write.js');
  const writeStarted = performance.now();
  const written = writeOutput(result.options.outDir, result.files);
  const ms = Math.round(performance.now() - started);
  const timings = { ...result.timings, write: tenths(performance.now() - writeStarted) };
  const p = result.project!;
  const gateways = p.channels.filter((c) => c.kind === 'gateway').length;
  if (flags.json) {
    printJson({ ok: true, diagnostics: diagnosticsJson(result), written: written.written, unchanged: written.unchanged, ms, timings });
  } else {
    say(flags, `gen build: ${count(p.services.length, 'service')}, ${count(p.models.length, 'model')}, ` +
      `${count(p.channels.length, 'channel')} (${gateways} gateway), ${count(p.security.length, 'security definition')}`);
    say(flags, `  ${count(result.files.length, 'file')} in ${result.options.outRel}/: ${written.written.length} written, ` +
      `${written.unchanged.length} unchanged${written.removed.length ? `, ${written.removed.length} removed` : ''}; ` +
      `${countLine(result.diagnostics)}; ${ms} ms`);
    if (timingsWanted()) say(flags, `  ${timingsLine(timings)}`);
  }
  return 0;
}

export async function checkCommand(dir: string, flags: CommonFlags): Promise<number> {
  const result = await runBuild(dir, flags);
  printDiagnostics(result.options.dir, result.diagnostics, flags);
  if (result.files.length === 0) {
    if (flags.json) printJson({ ok: false, diagnostics: diagnosticsJson(result) });
    else process.stderr.write(`gen check: ${countLine(result.diagnostics)}\n`);
    return 1;
  }
  const { compareOutput } = await import('./write.js');
  const { missing, differ, extra } = compareOutput(result.options.outDir, result.files);
  const out = result.options.outRel;
  const problems = [
    ...missing.map((f) => `${out}/${f}: missing`),
    ...differ.map((f) => `${out}/${f}: differs from what gen build would write`),
    ...extra.map((f) => `${out}/${f}: not written by gen build`),
  ];
  if (flags.json) printJson({ ok: problems.length === 0, diagnostics: diagnosticsJson(result), missing, differ, extra });
  else if (problems.length > 0) {
    for (const p of problems) process.stderr.write(`${p}\n`);
    process.stderr.write(`gen check: ${problems.length} file(s) out of date; run gen build\n`);
  } else say(flags, `gen check: ${count(result.files.length, 'file')} up to date`);
  return problems.length === 0 ? 0 : 1;
}


/**
 * `gen build --watch` runs its loop in a child process with a larger young generation: a rebuild at 1,000
 * services makes a few hundred MB of short-lived strings, and with V8's default semi-space (16 MB) they are
 * promoted into a heap that already holds every parsed file, where collecting them cost about a third of the
 * rebuild (measured: ~390 ms -> ~300 ms). The child shares this process's stdio (a terminal stays a terminal);
 * SIGINT and SIGTERM are passed on, and its exit code is ours.
 */
async function watchCommand(dir: string, flags: CommonFlags): Promise<number> {
  if (process.env[WATCH_CHILD] !== undefined) return watchInProcess(dir, flags);
  const { spawn } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const entry = fileURLToPath(new URL('./watch-main.js', import.meta.url));
  const child = spawn(process.execPath, [`--max-semi-space-size=${SEMI_SPACE_MB}`, ...process.execArgv, entry], {
    stdio: 'inherit',
    env: { ...process.env, [WATCH_CHILD]: JSON.stringify({ dir, flags }) },
  });
  return new Promise<number>((done) => {
    let stopping = false;
    const pass = (signal: NodeJS.Signals) => {
      stopping = true;
      child.kill(signal);
    };
    process.on('SIGINT', pass);
    process.on('SIGTERM', pass);
    const finish = (code: number) => {
      process.off('SIGINT', pass);
      process.off('SIGTERM', pass);
      done(code);
    };
    child.on('error', (err) => {
      process.stderr.write(`gen build --watch: ${err.message}\n`);
      finish(1);
    });
    // Ctrl-C reaches the child from the terminal and from us: a second signal may end it before its handler runs.
    child.on('exit', (code) => finish(code ?? (stopping ? 0 : 1)));
  });
}

/** The environment variable that carries the watch child's arguments (and marks the child). */
export const WATCH_CHILD = 'SERVICEGATE_WATCH_CHILD';
const SEMI_SPACE_MB = 64;

/** The watch loop itself: builds, then rebuilds on every change until SIGINT or SIGTERM (exit 0). */
export async function watchInProcess(dir: string, flags: CommonFlags): Promise<number> {
  const { watchBuild } = await import('./watch.js');
  const watcher = watchBuild(
    { dir, services: flags.services, config: flags.config, out: flags.out },
    {
      log: (line) => (flags.json ? printJson({ event: line }) : process.stdout.write(`${line}\n`)),
      diagnostics: (root, diagnostics) => (flags.json ? printJson({ diagnostics }) : printDiagnostics(root, diagnostics, flags)),
    },
  );
  await watcher.ready;
  return new Promise<number>((done) => {
    const stop = () => {
      watcher.close();
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
