// Edge values for the differential suite: unicode units (astral, lone surrogates, combining marks), numbers at
// and around bounds, NaN-like strings, and generators for each string format with a reference check (ajv-formats'
// own functions), so "valid" values really are valid and "near-valid" values differ by one small edit.
import fc from 'fast-check';
import { createRequire } from 'node:module';
import type { Constraints, StringFormat } from '../../generator/ir.js';

const { fullFormats } = createRequire(import.meta.url)('ajv-formats/dist/formats.js') as {
  fullFormats: Record<string, RegExp | ((s: string) => boolean) | { validate: RegExp | ((s: string) => boolean) }>;
};

/** ajv-formats full mode, independent of the generated code. */
export function formatOk(format: string, s: string): boolean {
  const f = fullFormats[format]!;
  const check = f instanceof RegExp || typeof f === 'function' ? f : f.validate;
  return check instanceof RegExp ? check.test(s) : check(s);
}

/** Code points counted the way JSON Schema (and ajv's ucs2length) counts them: a lone surrogate is one. */
export function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++, n++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
  }
  return n;
}

/** Whether `s` meets the string constraints of `c` (format `format`). */
export function stringOk(s: string, c: Constraints, format: StringFormat | undefined): boolean {
  const len = codePoints(s);
  if (c.minLength !== undefined && len < c.minLength) return false;
  if (c.maxLength !== undefined && len > c.maxLength) return false;
  if (c.pattern !== undefined && !new RegExp(c.pattern, 'u').test(s)) return false;
  return format === undefined || formatOk(format, s);
}

/** Whether `n` meets the number constraints of `c`, with ajv's multipleOf rule (x / m must print as an integer). */
export function numberOk(n: number, c: Constraints, integer: boolean): boolean {
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) return false;
  if (c.minimum !== undefined && n < c.minimum) return false;
  if (c.maximum !== undefined && n > c.maximum) return false;
  if (c.exclusiveMinimum !== undefined && n <= c.exclusiveMinimum) return false;
  if (c.exclusiveMaximum !== undefined && n >= c.exclusiveMaximum) return false;
  return c.multipleOf === undefined || n / c.multipleOf === parseInt(String(n / c.multipleOf), 10);
}

const UNITS = [
  'a', 'Z', '0', '-', ' ', '~', '/', '"', '\\', "'", '`', '$', '{', '\n', '\t', '\u0000', '\u007f', '\u00a0', '\u2028',
  'é', 'e\u0301', 'ß', 'İ', 'ﬁ', 'Å', '\u212b', 'Ｋ', '\u200d', '\u202e', '日', '😀', '👍🏽', '𝔸', '\u{10ffff}',
  '\ud800', '\udbff', '\udc00', '\udfff',
];

/** One UTF-16 unit sequence: a pool of tricky ones, or any code point (surrogates included, so lone halves too). */
export const unit: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...UNITS) },
  { weight: 2, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c)) },
);

/** Strings of `min`…`max` units from `unit` (a unit may be two code points: lengths are checked by the oracle). */
export function unicodeString(min = 0, max = 8): fc.Arbitrary<string> {
  return fc.string({ unit, minLength: min, maxLength: max });
}

export const NAN_LIKE = ['NaN', '-NaN', 'Infinity', '-Infinity', '1e308', '1e400', '-0', '0x10', '1_000', ' 1', '1 ', '1.', '.5', '+1', '', 'null', 'true', '[]', '{}', '0'];

/** Numbers any field may see: signed zero, extremes, subnormals, the 2^53 edge, 1e21 (where printing switches), and Infinity (JSON.parse('1e400')). */
export const NUMBER_EDGES = [
  0, -0, 1, -1, 0.1, 0.2, 0.1 + 0.2, 0.5, 1.5, 1e-7, 1e21, -1e21, 1e308, -1e308, 5e-324, -5e-324, Number.MAX_VALUE,
  Number.MAX_SAFE_INTEGER, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), Infinity, -Infinity,
];

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);
/** The next double above (`dir` 1) or below (`dir` -1) `x`. */
export function nextDouble(x: number, dir: 1 | -1): number {
  if (x === 0) return dir * 5e-324;
  f64[0] = x;
  i64[0] += (x > 0) === (dir > 0) ? 1n : -1n;
  return f64[0];
}

/** Values at, just inside and just outside every bound of `c`, and off-by-a-little multiples. */
export function numbersNear(c: Constraints): number[] {
  const out: number[] = [];
  for (const b of [c.minimum, c.maximum, c.exclusiveMinimum, c.exclusiveMaximum]) {
    if (b === undefined) continue;
    out.push(b, b - 1, b + 1, b - 0.5, b + 0.5, nextDouble(b, 1), nextDouble(b, -1));
  }
  const m = c.multipleOf;
  if (m !== undefined) {
    for (const k of [1, 2, 3, 7, 10, -3, 1e15, 1e22]) out.push(k * m, k * m + m / 2, nextDouble(k * m, 1));
    out.push(m * 0.5, 0.3, 0.7, 1.1, 2.675);
  }
  return out;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** RFC 3339 pieces around every edge ajv-formats checks (calendar, leap seconds, zones, separators). */
export function dateTimeArb(): fc.Arbitrary<string> {
  const year = fc.oneof(fc.constantFrom(0, 1, 1900, 1970, 2000, 2016, 2020, 2021, 2100, 9999), fc.integer({ min: 0, max: 9999 }));
  const month = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 12 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 13) });
  const day = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 28 }) }, { weight: 2, arbitrary: fc.constantFrom(0, 29, 30, 31, 32) });
  const sep = fc.oneof({ weight: 6, arbitrary: fc.constant('T') }, { weight: 1, arbitrary: fc.constantFrom('t', ' ', 'x', '\t', '\u00a0', 'TT') });
  const hour = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 23 }) }, { weight: 1, arbitrary: fc.constantFrom(23, 24, 0) });
  const min = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 59 }) }, { weight: 1, arbitrary: fc.constantFrom(59, 60, 0) });
  const sec = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 59 }) }, { weight: 1, arbitrary: fc.constantFrom(59, 60, 61) });
  const frac = fc.constantFrom('', '', '', '.5', '.123', '.123456789', '.', '.x');
  const zone = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('Z', 'z', '+00:00', '-00:00', '+01:00', '-01:00', '+23:59', '-23:59') },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 })).map(([s, h, m]) => `${s}${pad(h)}:${pad(m)}`) },
    { weight: 1, arbitrary: fc.constantFrom('', '+01', '+0100', '+01:000', 'ZZ', ' Z', 'UTC', '+1:00') },
  );
  return fc
    .tuple(year, month, day, sep, hour, min, sec, frac, zone)
    .map(([y, mo, d, s, h, mi, se, fr, z]) => `${pad(y, 4)}-${pad(mo)}-${pad(d)}${s}${pad(h)}:${pad(mi)}:${pad(se)}${fr}${z}`);
}

export function dateArb(): fc.Arbitrary<string> {
  return dateTimeArb().map((s) => s.slice(0, 10));
}

/** Candidates for a format: mostly well-formed, with the generators' own near misses mixed in. */
export function formatCandidates(format: StringFormat): fc.Arbitrary<string> {
  switch (format) {
    case 'date-time':
      return dateTimeArb();
    case 'date':
      return dateArb();
    case 'email':
      return fc.oneof(fc.emailAddress(), fc.constantFrom('a@b.co', 'A.B+c@x-y.org', 'a@b', '@x.com', 'a@-x.com', 'ü@x.com', 'a..b@x.com', "o'k@x.io"));
    case 'uuid':
      return fc.oneof(fc.uuid(), fc.uuid().map((u) => `urn:uuid:${u.toUpperCase()}`), fc.constantFrom('123e4567e89b12d3a456426614174000', 'g23e4567-e89b-12d3-a456-426614174000'));
    case 'uri':
      return fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.constantFrom('urn:isbn:123', 'mailto:a@b.co', 'x', '/relative', 'a:b c', 'http://%zz', 'http://[::1]:80/'));
    case 'ipv4':
      return fc.oneof(fc.ipV4(), fc.ipV4Extended(), fc.constantFrom('256.1.1.1', '01.2.3.4', '1.2.3', ' 1.2.3.4'));
    case 'ipv6':
      return fc.oneof(fc.ipV6(), fc.constantFrom('::1', '::', ':::1', '1::2::3', '::ffff:1.2.3.4', 'fe80::1%eth0', 'FFFF::'));
  }
}

/** One edit of `s`: insert, delete or replace a unit (what turns a valid format or pattern match into a near miss). */
export function mutateString(s: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(s, fc.nat(), unit, fc.constantFrom('insert', 'delete', 'replace', 'upper', 'pad')).map(([x, n, u, op]) => {
    const i = x.length === 0 ? 0 : n % x.length;
    switch (op) {
      case 'insert':
        return x.slice(0, i) + u + x.slice(i);
      case 'delete':
        return x.slice(0, i) + x.slice(i + 1);
      case 'replace':
        return x.slice(0, i) + u + x.slice(i + 1);
      case 'upper':
        return x.toUpperCase() === x ? x.toLowerCase() : x.toUpperCase();
      default:
        return ` ${x}\n`;
    }
  });
}
