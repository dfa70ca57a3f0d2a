/**
 * Small helpers every TypeScript emitter uses to put user strings into generated code safely.
 * Rule: a user string reaches generated code only through `lit()` (a JSON string literal, which is also a valid
 * TS string literal once U+2028/U+2029 are escaped) or `commentText()` (for `//` comments).
 */
import { posix } from 'node:path';
import type { Loc } from '../generator/ir.js';

const LINE_SEPARATORS = /[\u2028\u2029]/;

/** A TypeScript string literal for any string: quotes, backticks, `${`, `*\/`, newlines and unicode are all safe. */
export function lit(value: string): string {
  const json = JSON.stringify(value);
  // One scan for the rare case instead of two replacing ones: emitters call this hundreds of thousands of times.
  return LINE_SEPARATORS.test(json) ? json.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029') : json;
}

/** Text that is safe inside a `//` or `/** *\/` comment: no line terminators, no control characters, no `*\/`. */
export function commentText(value: string): string {
  return JSON.stringify(value)
    .slice(1, -1)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
    .replace(/\*\//g, '*\\/');
}

/** `services/customer.ts:12:3` — a source pointer for comments and `source` fields. */
export function where(loc: Loc): string {
  return `${loc.file}:${loc.line}:${loc.column}`;
}

/** A valid, readable identifier derived from `name` (not guaranteed unique: callers add an index where needed). */
export function identifier(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_$]/g, '_');
  return /^[A-Za-z_$]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

/**
 * The relative import specifier from the output dir to a project file, both relative to the project dir:
 * (`services/customer.ts`, `generated`) → `'../services/customer.js'` (TypeScript maps `.js` back to `.ts`).
 */
export function importFrom(file: string, outDir: string): string {
  let rel = posix.relative(outDir, file).replace(/\.(c|m)?tsx?$/, (ext) => ext.replace('ts', 'js'));
  if (!rel.startsWith('.')) rel = `./${rel}`;
  return lit(rel);
}
