/**
 * Simple `@pattern`s compiled to loops (generator/emit/validators-pattern.ts) must answer exactly as
 * `new RegExp(pattern, 'u').test(s)`, which ajv uses; other patterns must stay RegExps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ts from 'typescript';
import { simplePattern, simplePatternCode } from '../../generator/emit/validators-pattern.js';

const compiled: [string, boolean][] = [
  ['^[A-Z0-9-]{3,32}$', true],
  ['^[0-9]{5}$', true],
  ['^\\d+$', true],
  ['^[a-z_]*$', true],
  ['^[-a]{2,}$', true],
  ['^[--/]{1,3}$', true],
  ['^[a-b--]{0}$', true],
  ['^[ !~]+$', true],
  ['^[A-Z]+$', true],
  ['^[^`]*$', false], // negated class
  ['^[\\w]+$', false], // escape
  ['^[a-z]+', false], // not anchored at the end
  ['[a-z]+$', false],
  ['^[a-z]{3,32}?$', false],
  ['^[é]+$', false], // not ASCII
  ['^[a-z]+$|^x$', false],
  ['\\p{Lu}', false],
];

const strings = [
  '', 'A', 'AB', 'ABC', 'SKU-1001', 'sku 1', '12345', '1234', '123456', '0', '-', '--', '-a', 'a-', '/', '.', ',',
  'a_b', 'A'.repeat(32), 'A'.repeat(33), 'ABC\n', '\nABC', 'AB\u0000C', 'ABC\ud800', '\udc00AB', '😀AB', 'ＡＢＣ', 'ABCé',
  ' !~', '`', 'K', '\u212a', 'abc', 'Zz', '١٢٣٤٥',
];
// And 3,000 short strings over the characters the patterns care about, from a fixed seed.
const POOL = ['A', 'Z', 'a', 'z', '0', '9', '-', '/', '_', ' ', '~', '!', '`', '.', 'é', '\n', '\ud800', '😀'];
let seed = 20260601;
for (let k = 0; k < 3000; k++) {
  let s = '';
  seed = (seed * 1103515245 + 12345) % 2147483648;
  for (let n = seed % 9; n > 0; n--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    s += POOL[seed % POOL.length];
  }
  strings.push(s);
}

function load(code: string): (s: string) => boolean {
  const js = ts.transpileModule(`export default ${code};`, { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
  const mod: { exports: { default?: (s: string) => boolean } } = { exports: {} };
  new Function('module', 'exports', js)(mod, mod.exports);
  return mod.exports.default!;
}

for (const [pattern, simple] of compiled) {
  test(`${pattern}: ${simple ? 'a loop that agrees with the RegExp' : 'left to the RegExp'}`, () => {
    const p = simplePattern(pattern);
    assert.equal(p !== null, simple);
    if (p === null) return;
    const fn = load(simplePatternCode(pattern, p));
    const re = new RegExp(pattern, 'u');
    for (const s of strings) assert.equal(fn(s), re.test(s), JSON.stringify(s));
  });
}
