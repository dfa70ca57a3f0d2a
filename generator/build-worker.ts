/**
 * The worker of build-helper.ts: reads the config, answers, then emits validators.ts from the models it is sent.
 * Every answer is followed by a bump of the shared counter the main thread waits on. Started through the BOOT
 * code of build-helper.ts, which wakes the main thread if this module fails or the thread exits early.
 */
import { workerData } from 'node:worker_threads';
import type { ModelDecl } from './ir.js';
import type { HelperAnswer, HelperData } from './build-helper.js';

const { port, signal, dir, config } = workerData as HelperData;

function send(message: HelperAnswer<unknown>): void {
  port.postMessage(message);
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
  void answer(async () => (await emitter!).emitValidators(message.models)).then(() => port.close());
});

await answer(async () => (await import('./read/config.js')).readConfig(dir, config));
// Loaded while the main thread still reads the services, so the models find it ready.
emitter ??= import('./emit/validators.js');
