/**
 * The email format check of the generated validators is a rewrite of ajv-formats' regex (EMAIL_ONE_WAY, emitted by
 * the `email` helper of generator/emit/validators-helpers.ts) that cannot backtrack into earlier characters: it must answer exactly as
 * FORMAT_REGEXES.email.test(s) (which validators.test.ts proves to be ajv-formats' own) on every string, and stay
 * linear on long strings that almost match.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ts from 'typescript';
import { FORMAT_REGEXES, emitHelpers } from '../../generator/emit/validators-helpers.js';

function loadEmail(): (s: string) => boolean {
  const code = `${emitHelpers(new Set(['email'])).join('\n\n')}\nexport default (s: string): boolean => $email.test(s);`;
  const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
  const mod: { exports: { default?: (s: string) => boolean } } = { exports: {} };
  new Function('module', 'exports', js)(mod, mod.exports);
  return mod.exports.default!;
}

const email = loadEmail();
const RE = FORMAT_REGEXES.email;

function agree(s: string): boolean {
  const want = RE.test(s);
  assert.equal(email(s), want, JSON.stringify(s));
  return want;
}

test('hand-picked addresses', () => {
  const cases: [string, boolean][] = [
    ['ada@example.com', true], ['grace.hopper@navy.example.org', true], ['x@y.io', true], ['A.B+c@x-y.org', true],
    ["!#$%&'*+/=?^_`{|}~-@a.b", true], ['a@b-c.d-e', true], ['a@1.2', true], ['ADA@EXAMPLE.COM', true],
    ['', false], ['a', false], ['@', false], ['a@', false], ['@b.c', false], ['a@b', false], ['a@b.', false],
    ['a@.b', false], ['a@b..c', false], ['.a@b.c', false], ['a.@b.c', false], ['a..b@c.d', false], ['a@b@c.d', false],
    ['a@-b.c', false], ['a@b-.c', false], ['a@b.-c', false], ['a@b.c-', false], ['a b@c.d', false], ['a@b.c\n', false],
    ['\na@b.c', false], ['é@b.c', false], ['a@é.c', false], ['\u212a@b.c', false], ['\u017f@b.c', false], ['a@b.c\u212a', false],
    ['a@b_c.d', false], ['a"b@c.d', false], ['a@b.c.', false], ['😀@b.c', false], ['a@b.c\ud800', false],
  ];
  for (const [s, want] of cases) assert.equal(agree(s), want, JSON.stringify(s));
});

test('every UTF-16 code unit in every position of an address', () => {
  const templates = ['X', 'X@b.c', 'aX@b.c', 'Xa@b.c', 'a.X@b.c', 'a@X.c', 'a@Xb.c', 'a@bX.c', 'a@bXb.c', 'a@b.X', 'a@b.Xc', 'a@b.cX', 'a@b.c.X'];
  for (let k = 0; k < 0x10000; k++) {
    const ch = String.fromCharCode(k);
    for (const t of templates) agree(t.replace('X', ch));
  }
});

test('200,000 generated strings over the characters the format cares about', () => {
  const POOL = ['a', 'Z', 'k', '0', '9', '-', '-', '.', '.', '.', '@', '@', '!', '~', '`', '_', '+', '/', '{', '|', ' ', '"',
    '(', ',', ':', '[', '\\', 'é', '\u017f', '\u212a', '\n', '\u0000', '\ud800', '\udc00', '😀'];
  const ATOM = ['a', 'Z', '0', 'x!', '~', 'b-c', '-', 'ab', 'q_', '', '.'];
  const LABEL = ['a', 'Z0', 'b-c', '9', 'k', 'xn--p1', 'ex', 'io', 'ORG', '-', 'a-', '-b', '', 'x_y'];
  let seed = 20261128;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return (seed >>> 16) % n; // the high bits: the low bits of this generator repeat quickly
  };
  const pick = (xs: readonly string[]): string => xs[next(xs.length)]!;
  let matches = 0;
  for (let k = 0; k < 200_000; k++) {
    let s = '';
    if (k % 2 === 0) {
      for (let n = next(13); n > 0; n--) s += pick(POOL);
    } else {
      // Address-shaped: atoms, '@', labels, and now and then a character from the pool put anywhere.
      const local: string[] = [];
      for (let n = 1 + next(3); n > 0; n--) local.push(pick(ATOM));
      const domain: string[] = [];
      for (let n = 1 + next(4); n > 0 || domain.length < 2 && next(8) !== 0; n--) domain.push(pick(LABEL));
      s = `${local.join('.')}@${domain.join('.')}`;
      if (next(4) === 0) {
        const at = next(s.length + 1);
        s = s.slice(0, at) + pick(POOL) + s.slice(at + next(2));
      }
    }
    if (agree(s)) matches++;
  }
  assert.ok(matches > 15_000, `only ${matches} generated strings are addresses`);
});

test('long strings that almost match are answered in one pass (a backtracking regex would not finish)', () => {
  const n = 100_000;
  const nearMisses = [
    'a'.repeat(n) + '!', 'a.'.repeat(n) + '@b.c!', `a@${'a-'.repeat(n)}!`, `a@${'a.'.repeat(n)}-`, `a@${'a.a-'.repeat(n)}.`,
    `a@a${'-a'.repeat(n)}-`, `a@${'aa-a.'.repeat(n)}!`, `${'a!'.repeat(n)}@${'b-'.repeat(n)}`, `a@${'b'.repeat(n)}.`,
  ];
  for (const s of nearMisses) assert.equal(email(s), false, `${s.slice(0, 12)}… (${s.length})`);
  assert.equal(email(`${'a.'.repeat(n)}a@${'b-c.'.repeat(n)}d`), true);
});
