/**
 * generator/ir.ts helpers every emitter relies on for deterministic output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compareCodePoints } from '../../generator/ir.js';

/** The reference: compare the code points one by one. */
function byCodePoints(a: string, b: string): number {
  const x = [...a].map((c) => c.codePointAt(0)!);
  const y = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
}

test('compareCodePoints sorts by code point, characters above U+FFFF after U+E000–U+FFFF', () => {
  const names = ['\u{1F600}', '\uFF01', 'b', '\uE000', 'a', '\uD7FF', 'ab', '\u{10000}', ''];
  assert.deepEqual([...names].sort(compareCodePoints), ['', 'a', 'ab', 'b', '\uD7FF', '\uE000', '\uFF01', '\u{10000}', '\u{1F600}']);
  // Plain `<` (UTF-16 code units) puts the emoji first: the test above is not vacuous.
  assert.ok('\u{1F600}' < '\uFF01');
});

test('compareCodePoints agrees with a code-point reference on random strings (lone surrogates too)', () => {
  const str = fc.string({ unit: fc.oneof(fc.constantFrom('a', 'b', '\uD83D', '\uDE00', '\uE000', '\uFFFF', '\uD7FF'), fc.string({ unit: 'binary', maxLength: 1 })), maxLength: 6 });
  fc.assert(
    fc.property(str, str, (a, b) => {
      const want = byCodePoints(a, b);
      assert.equal(Math.sign(compareCodePoints(a, b)), want);
      assert.ok(Math.sign(compareCodePoints(a, b)) === -Math.sign(compareCodePoints(b, a)));
    }),
    { seed: 20261128, numRuns: 5000 },
  );
});
