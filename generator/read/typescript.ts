/**
 * The TypeScript compiler API that ts-morph bundles (its `ts`), loaded with require(): importing the CommonJS
 * ts-morph from an ES module makes Node scan its source (and what it re-exports) for export names first, which
 * cost about 0.1 s of every cold build. Types come from `import type { ts } from 'ts-morph'`.
 */
import { createRequire } from 'node:module';
import type { ts } from 'ts-morph';

export const tsc: typeof ts = (createRequire(import.meta.url)('ts-morph') as { ts: typeof ts }).ts;
