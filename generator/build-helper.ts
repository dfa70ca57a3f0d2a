/**
 * A second thread for one cold build (`gen build`, `gen check`): while the main thread loads TypeScript, a worker
 * reads the service files' bytes (the main thread parses them), then the YAML config, then fingerprints the inputs
 * for inputs.json from those same bytes; after the checks it emits
 * validators.ts while the main thread emits the other files, and for a build that writes its output it writes that
 * file too, to a staging file (see start). Both threads run the very functions the main thread would run, on the
 * same inputs (structured clones of plain IR data), so the output is the same bytes.
 *
 * The build stays synchronous: the main thread blocks on a shared counter (Atomics.wait) until the worker has
 * posted its answer, then takes it with receiveMessageOnPort. When the worker cannot answer (it failed to start,
 * or what it ran threw), the caller does the work itself, so errors surface exactly as without the helper.
 *
 * Light: no TypeScript or YAML is loaded here (the CLI starts the helper before it loads the generator).
 */
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { ModelDecl } from './ir.js';
import type { ConfigReadResult } from './read/config.js';
import type { InputsRecord } from './inputs.js';
import type { ResolvedOptions } from './options.js';

/** What the worker is given. */
export interface HelperData {
  readonly port: MessagePort;
  readonly signal: Int32Array; // [0]: answers posted so far
  readonly dir: string;
  readonly services: readonly string[];
  readonly config: readonly string[];
  /**
   * Where to write validators.ts ahead of the main thread's write (see BuildHelper.start), unless `current` (the
   * output's validators.ts) already holds the same bytes; undefined: nowhere.
   */
  readonly stage?: { readonly file: string; readonly current: string };
}

/** validators.ts from the worker: its UTF-8 bytes, and the file that already holds them when it wrote one. */
export interface HelperValidators {
  readonly bytes: Uint8Array;
  readonly file?: string;
}

/** The service files' bytes as the worker sends them: one buffer, file i ending at ends[i]. */
export interface HelperSources {
  readonly files: readonly string[]; // absolute paths
  readonly ends: readonly number[];
  readonly bytes: Uint8Array;
}

/** The fingerprint of the inputs (inputs.json) the worker made, and the input files it assumed. */
export interface HelperInputs {
  readonly files: readonly string[];
  readonly record: InputsRecord;
}

/** One answer of the worker: the value, or a note that the caller must do the work itself. */
export type HelperAnswer<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export class BuildHelper {
  private received = 0;
  private closed = false;
  /** Answers the worker gave that the build used (the tests check that the work really was done there). */
  used = 0;

  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    private readonly signal: Int32Array,
  ) {}

  /**
   * Starts the worker reading `o`'s config, or returns undefined when a second thread would not help (one CPU).
   * `entry` is the worker module (tests run it from the TypeScript sources). With `writeAhead` (a build that will
   * write its output) the worker also writes validators.ts, the largest file, to a staging file next to the output
   * dir while this thread emits the others; writeOutput then moves it into place instead of writing it (75 MB at
   * 5,000 services: ~0.3 s of this thread's time). The file is named like writeOutput's staging dirs, so a build
   * killed before moving it leaves nothing the next one does not clean up (write.ts recoverOutput).
   */
  static start(o: ResolvedOptions, entry: URL = defaultEntry(), writeAhead = false): BuildHelper | undefined {
    if (availableParallelism() < 2) return undefined;
    const { port1, port2 } = new MessageChannel();
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const stage = writeAhead
      ? { file: join(dirname(o.outDir), `.${basename(o.outDir)}.tmp-${process.pid}-${Date.now().toString(36)}v`), current: join(o.outDir, 'validators.ts') }
      : undefined;
    const data: HelperData = { port: port2, signal, dir: o.dir, services: o.services, config: o.config, ...(stage ? { stage } : {}) };
    const boot = { ...data, entry: entry.href, preload: entry.href.endsWith('.ts') ? [import.meta.resolve('tsx/esm/api')] : [] };
    let worker: Worker;
    try {
      worker = new Worker(BOOT, {
        eval: true,
        workerData: boot,
        transferList: [port2],
        stdout: false,
        stderr: false,
        resourceLimits: { stackSizeMb: workerStackMb() },
      });
    } catch {
      port1.close();
      return undefined;
    }
    worker.unref(); // never keeps the process alive; close() ends it
    worker.on('error', () => {}); // a failed worker only means the caller does the work (its next answer is ok: false)
    return new BuildHelper(worker, port1, signal);
  }

  /**
   * The text of the service files (matched by the patterns), read by the worker: absolute path → text. Files that
   * are not in it (it could not read them, or they are imported from elsewhere) the reader reads itself.
   */
  sources(): Map<string, string> | undefined {
    const answer = this.next<HelperSources>();
    if (!answer?.ok) return undefined;
    const { files, ends, bytes } = answer.value;
    const all = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const texts = new Map<string, string>();
    // As readFileSync(file, 'utf8') decodes (a BOM kept, malformed sequences as U+FFFD).
    files.forEach((file, i) => texts.set(file, all.toString('utf8', i === 0 ? 0 : ends[i - 1], ends[i])));
    return texts;
  }

  /** The config read by the worker; undefined when the caller must read it itself. */
  config(): ConfigReadResult | undefined {
    const answer = this.next<ConfigReadResult>();
    return answer?.ok ? answer.value : undefined;
  }

  /**
   * The fingerprint of `files` (the build's input files, as generateFrom lists them), made by the worker from the
   * bytes it read; undefined when it made it for other files (the services import models from files the patterns do
   * not match, say) or could not: the caller fingerprints them itself. Asked for after config(), or never.
   */
  inputs(files: readonly string[]): InputsRecord | undefined {
    const answer = this.next<HelperInputs>();
    if (!answer?.ok) return undefined;
    const made = answer.value;
    if (made.files.length === files.length && made.files.every((f, i) => f === files[i])) return made.record;
    this.used--; // an answer, but not one this build can use
    return undefined;
  }

  /**
   * Hands the models to the worker, which emits validators.ts from them; the returned function waits for its UTF-8
   * bytes, and the file holding them when the worker wrote one (undefined: the caller must emit it itself).
   */
  validators(models: readonly ModelDecl[]): () => HelperValidators | undefined {
    if (this.closed) return () => undefined;
    this.port.postMessage({ models });
    return () => {
      const answer = this.next<HelperValidators>();
      return answer?.ok ? answer.value : undefined;
    };
  }

  /** Ends the worker (it may still be waiting for models that a failed build never sends). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.port.close();
    void this.worker.terminate();
  }

  /** Blocks until the worker's next answer; undefined when it stopped (exited, or did not answer within a minute of silence). */
  private next<T>(): HelperAnswer<T> | undefined {
    if (this.closed) return undefined;
    for (;;) {
      const posted = Atomics.load(this.signal, 0);
      const message = receiveMessageOnPort(this.port);
      if (message) {
        this.received++;
        const answer = message.message as HelperAnswer<T> | { readonly exit: true };
        if ('exit' in answer) break;
        if (answer.ok) this.used++;
        return answer;
      }
      if (posted > this.received) continue; // posted between the load and the receive: look again
      if (Atomics.wait(this.signal, 0, posted, 60_000) === 'timed-out') break;
    }
    this.close();
    return undefined;
  }
}

/**
 * The worker's first code: whatever becomes of the entry module (it fails to load, throws, or exits), the main
 * thread is woken with an `exit` message and does the rest itself. `preload` registers tsx when the entry is a
 * TypeScript source (the tests run the sources; a worker does not inherit the loader of its parent).
 */
const BOOT = `
const { workerData } = require('node:worker_threads');
const { port, signal } = workerData;
const wake = () => { port.postMessage({ exit: true }); Atomics.add(signal, 0, 1); Atomics.notify(signal, 0); };
process.on('exit', wake);
(async () => {
  for (const p of workerData.preload) (await import(p)).register();
  await import(workerData.entry);
})().catch(wake);
`;

/**
 * A stack as deep as this thread's: reading a deeply nested YAML file fails ("nested too deeply") at about the same
 * depth as without the helper. V8's limit on the main thread is --stack-size (984 KB unless given); a worker's
 * limit is its stack size less Node's 192 KB reserve. (A worker's default, 4 MB, read files 4x deeper.)
 */
function workerStackMb(): number {
  const flag = process.execArgv.find((a) => a.startsWith('--stack-size='));
  const kb = flag ? Number(flag.slice('--stack-size='.length)) : NaN;
  return ((Number.isFinite(kb) && kb > 0 ? kb : 984) + 192) / 1024;
}

function defaultEntry(): URL {
  // build-helper.js runs build-worker.js next to it; under tsx (the tests) the sources are .ts files.
  return new URL(import.meta.url.endsWith('.ts') ? './build-worker.ts' : './build-worker.js', import.meta.url);
}
