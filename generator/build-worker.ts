/**
 * The worker of build-helper.ts: reads the config, answers, then emits validators.ts from the models it is sent
 * (and writes it to the staging file it was given, if any).
 * Every answer is followed by a bump of the shared counter the main thread waits on. Started through the BOOT
 * code of build-helper.ts, which wakes the main thread if this module fails or the thread exits early.
 */
import { workerData } from 'node:worker_threads';
import type { ModelDecl } from './ir.js';
import type { HelperAnswer, HelperData, HelperInputs, HelperSources, HelperValidators } from './build-helper.js';
import type { ConfigReadResult } from './read/config.js';

const { port, signal, dir, services, config, stage } = workerData as HelperData;

/** Posts an answer, handing `transfer` over (moved, not copied), and wakes the main thread. */
function send(message: HelperAnswer<unknown>, transfer: readonly ArrayBuffer[]): void {
  port.postMessage(message, [...transfer]);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

/**
 * Bytes are handed over (transferred), not copied; only a buffer that is theirs alone (never a pool that other
 * Buffers share: transferring detaches it).
 */
function ownBuffer(v: Uint8Array): ArrayBuffer[] {
  return v.buffer instanceof ArrayBuffer && v.byteOffset === 0 && v.buffer.byteLength === v.byteLength ? [v.buffer] : [];
}

async function answer<T>(work: () => Promise<T>, transfer: (value: T) => ArrayBuffer[] = () => []): Promise<void> {
  let result: HelperAnswer<T>;
  try {
    result = { ok: true, value: await work() };
  } catch (e) {
    result = { ok: false, error: String(e) };
  }
  send(result, result.ok ? transfer(result.value) : []);
}

let emitter: Promise<typeof import('./emit/validators.js')> | undefined;
port.once('message', (message: { models: ModelDecl[] }) => {
  emitter ??= import('./emit/validators.js');
  void answer(async (): Promise<HelperValidators> => {
    const bytes = (await emitter!).emitValidatorsBytes(message.models);
    return stage !== undefined && (await writeAhead(stage.file, stage.current, bytes)) ? { bytes, file: stage.file } : { bytes };
  }, (v) => ownBuffer(v.bytes)).then(() => port.close());
});

/**
 * Writes `bytes` to the new file `file`, unless `current` holds them already (a build that changes nothing writes
 * nothing); false (and no file of ours left) when it did not write: the main thread compares and writes as usual.
 */
async function writeAhead(file: string, current: string, bytes: Uint8Array): Promise<boolean> {
  const [{ closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync }, { dirname }] = await Promise.all([import('node:fs'), import('node:path')]);
  try {
    if (readFileSync(current).equals(bytes)) return false;
  } catch {
    // no current output (or unreadable): write
  }
  let fd: number;
  try {
    mkdirSync(dirname(file), { recursive: true });
    fd = openSync(file, 'wx'); // never someone else's file
  } catch {
    return false;
  }
  try {
    writeFileSync(fd, bytes);
    closeSync(fd);
    return true;
  } catch {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(file, { force: true });
    return false;
  }
}

// First the service files, which the main thread parses as soon as it has loaded TypeScript; then the config; then
// the fingerprint of the inputs (inputs.json), from the very bytes the main thread parses.
const read = new Map<string, Buffer>(); // absolute path → bytes of the service files read
await answer(async (): Promise<HelperSources> => {
  const [{ listFiles }, { readFileSync }, { resolve }] = await Promise.all([import('./read/files.js'), import('node:fs'), import('node:path')]);
  const root = resolve(dir);
  for (const abs of listFiles(root, services).map((rel) => resolve(root, rel))) {
    try {
      read.set(abs, readFileSync(abs));
    } catch {
      // left to the main thread, which reports it as it would have
    }
  }
  // One buffer for all of them, handed over whole: a structured clone of 5,000 strings cost the main thread ~40 ms.
  let size = 0;
  for (const bytes of read.values()) size += bytes.length;
  const all = new Uint8Array(new ArrayBuffer(size));
  const ends: number[] = [];
  let at = 0;
  for (const bytes of read.values()) {
    all.set(bytes, at);
    ends.push((at += bytes.length));
  }
  return { files: [...read.keys()], ends, bytes: all };
}, (v) => [v.bytes.buffer as ArrayBuffer]);
let configRead: ConfigReadResult | undefined;
await answer(async () => (configRead = (await import('./read/config.js')).readConfig(dir, config)));
await answer(async (): Promise<HelperInputs> => {
  const [{ fingerprint }, { compareCodePoints }, { readFileSync }, { relative, resolve, sep }] = await Promise.all([
    import('./inputs.js'),
    import('./ir.js'),
    import('node:fs'),
    import('node:path'),
  ]);
  // The files the main thread's build will name as inputs when its reader reads just the matched service files
  // (it compares; imports from elsewhere make it fingerprint itself): as generateFrom lists them.
  const root = resolve(dir);
  const rel = (abs: string) => relative(root, abs).split(sep).join('/');
  if (configRead === undefined) throw new Error('the config was not read here'); // the main thread reads and fingerprints
  const files = [...new Set([...[...read.keys()].map(rel), ...configRead.files])].sort(compareCodePoints);
  const bytes = new Map([...read].map(([abs, b]) => [rel(abs), b]));
  const record = fingerprint(dir, services, config, files, { read: (abs) => abs.map((f) => bytes.get(rel(f)) ?? readFileSync(f)) });
  return { files, record };
});
// Loaded while the main thread still reads the services, so the models find it ready.
emitter ??= import('./emit/validators.js');
