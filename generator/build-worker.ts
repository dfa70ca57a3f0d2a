/**
 * The worker of build-helper.ts: reads the config, answers, then emits validators.ts from the models it is sent.
 * Every answer is followed by a bump of the shared counter the main thread waits on. Started through the BOOT
 * code of build-helper.ts, which wakes the main thread if this module fails or the thread exits early.
 */
import { workerData } from 'node:worker_threads';
import type { ModelDecl } from './ir.js';
import type { HelperAnswer, HelperData } from './build-helper.js';

const { port, signal, dir, services, config } = workerData as HelperData;

function send(message: HelperAnswer<unknown>): void {
  // Bytes are handed over (transferred), not copied; only a buffer that is theirs alone (never a pool that other
  // Buffers share: transferring detaches it).
  const v = message.ok ? message.value : undefined;
  const own = v instanceof Uint8Array && v.buffer instanceof ArrayBuffer && v.byteOffset === 0 && v.buffer.byteLength === v.byteLength;
  port.postMessage(message, own ? [v.buffer as ArrayBuffer] : []);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

async function answer<T>(work: () => Promise<T>): Promise<void> {
  let result: HelperAnswer<T>;
  try {
    result = { ok: true, value: await work() };
  } catch (e) {
    result = { ok: false, error: String(e) };
  }
  send(result);
}

let emitter: Promise<typeof import('./emit/validators.js')> | undefined;
port.once('message', (message: { models: ModelDecl[] }) => {
  emitter ??= import('./emit/validators.js');
  void answer(async () => (await emitter!).emitValidatorsBytes(message.models)).then(() => port.close());
});

// First the service files, which the main thread parses as soon as it has loaded TypeScript; then the config.
await answer(async () => {
  const [{ listFiles }, { readFileSync }, { resolve }] = await Promise.all([import('./read/files.js'), import('node:fs'), import('node:path')]);
  const root = resolve(dir);
  const texts = new Map<string, string>();
  for (const abs of listFiles(root, services).map((rel) => resolve(root, rel))) {
    try {
      texts.set(abs, readFileSync(abs, 'utf8'));
    } catch {
      // left to the main thread, which reports it as it would have
    }
  }
  return texts;
});
await answer(async () => (await import('./read/config.js')).readConfig(dir, config));
// Loaded while the main thread still reads the services, so the models find it ready.
emitter ??= import('./emit/validators.js');
