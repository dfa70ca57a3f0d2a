/**
 * The TypeScript compiler API that ts-morph bundles (its `ts`), loaded with require(): importing the CommonJS
 * ts-morph from an ES module makes Node scan its source (and what it re-exports) for export names first, which
 * cost about 0.1 s of every cold build. Types come from `import type { ts } from 'ts-morph'`.
 *
 * The reader needs only the compiler, so it loads the file ts-morph takes it from (@ts-morph/common's
 * dist/typescript.js, resolved from ts-morph's own location) rather than ts-morph itself, whose wrappers and the
 * 3 MB of bundled lib files in @ts-morph/common took another ~60 ms to compile on every run. Should that file ever
 * move, this falls back to ts-morph's `ts`, the very same module.
 */
import { createRequire } from 'node:module';
import type { ts } from 'ts-morph';

function load(): typeof ts {
  const require = createRequire(import.meta.url);
  try {
    const compiler = createRequire(require.resolve('ts-morph'))('@ts-morph/common/dist/typescript.js') as typeof ts;
    if (typeof compiler.createSourceFile === 'function') return compiler;
  } catch {
    // not where it was: fall back below
  }
  return (require('ts-morph') as { ts: typeof ts }).ts;
}

export const tsc: typeof ts = load();
