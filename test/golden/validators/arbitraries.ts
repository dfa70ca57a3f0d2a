// fast-check arbitraries that produce near-valid values for IR models: mostly the right shape, with boundary
// values, tricky format strings, duplicates, missing and extra fields, so both accept and reject paths are hit.
import fc from 'fast-check';
import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import type { Constraints, ModelDecl, ObjectModel, TypeRef } from '../../../generator/ir.js';

const { fullFormats } = createRequire(import.meta.url)('ajv-formats/dist/formats.js');

/** A reference check of string constraints (independent of the generated code), to pick valid samples. */
function stringOk(s: string, c: Constraints, format: string | undefined): boolean {
  const len = [...s].length;
  if (c.minLength !== undefined && len < c.minLength) return false;
  if (c.maxLength !== undefined && len > c.maxLength) return false;
  if (c.pattern !== undefined && !new RegExp(c.pattern, 'u').test(s)) return false;
  if (format === undefined) return true;
  const f = fullFormats[format];
  return f instanceof RegExp ? f.test(s) : typeof f === 'function' ? f(s) : f.validate(s);
}

function numberOk(n: number, c: Constraints, integer: boolean): boolean {
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) return false;
  if (c.minimum !== undefined && n < c.minimum) return false;
  if (c.maximum !== undefined && n > c.maximum) return false;
  if (c.exclusiveMinimum !== undefined && n <= c.exclusiveMinimum) return false;
  if (c.exclusiveMaximum !== undefined && n >= c.exclusiveMaximum) return false;
  return c.multipleOf === undefined || Number.isInteger(n / c.multipleOf);
}

const FORMAT_SAMPLES: Record<string, string[]> = {
  email: ['a@b.co', 'A.B+c@x-y.org', 'a@b', '@x.com', 'a@-x.com', 'ü@x.com', 'a..b@x.com', "o'k@x.io"],
  uuid: ['123e4567-e89b-12d3-a456-426614174000', 'urn:uuid:123E4567-E89B-12D3-A456-426614174000', '123e4567e89b12d3a456426614174000', 'g23e4567-e89b-12d3-a456-426614174000'],
  uri: ['http://x.org/a?b#c', 'x', 'urn:isbn:123', 'http://[::1]:80/', 'a:b c', '/relative', 'mailto:a@b.co', 'http://%zz', 'HTTP://X.ORG'],
  date: ['2020-02-29', '2021-02-29', '2020-13-01', '2020-1-01', '1900-02-29', '2000-02-29', '2020-04-31', '0000-01-01', '2020-01-01 '],
  'date-time': [
    '2020-02-29T12:00:00Z', '2020-02-29t12:00:00z', '2020-02-29 12:00:00+01:00', '2016-12-31T23:59:60Z', '2020-01-01T22:59:60-01:00',
    '2020-01-01T12:00:00', '2020-01-01T24:00:00Z', '2020-01-01T12:00:00+24:00', '2020-01-01T12:00:00.123456+0130', '2020-01-01T12:00:00+01',
    '2020-01-01T12:60:00Z', '2020-01-01T23:59:60+00:59', '2021-02-29T00:00:00Z', '2020-01-01\tT12:00:00Z', '2020-01-01T00:00:60.5+23:59',
    // around the allocation-free fast path of $dateTime
    '2020-02-29T12:00:00.Z', '2020-02-29T12:00:00.5z', '2020-02-29T12:00:00+23:59', '2020-02-29T12:00:00-24:00', '2020-02-29T23:59:59.999-00:00',
    '2020-02-29T12:00:00ZZ', '2020-02-29T12:00:00+01:000', '2020-02-29T12:00:00+0100', '2020-02-29\u00a012:00:00Z', '1999-12-31T23:59:59.123456789Z',
    '2020-02-29T12:00:00.1+01:00', '2020-00-10T12:00:00Z', '2020-02-29T12:00:00 Z', '2020-02-29T1a:00:00Z', '2020-02-29x12:00:00Z',
  ],
  ipv4: ['1.2.3.4', '255.255.255.255', '256.1.1.1', '01.2.3.4', '1.2.3', ' 1.2.3.4'],
  ipv6: ['::1', '::', '1:2:3:4:5:6:7:8', ':::1', '1::2::3', '::ffff:1.2.3.4', 'fe80::1%eth0', 'FFFF::'],
};

const STRINGS = ['', 'a', 'ab', 'abcd', 'abcde', 'ABC', 'A', 'A-1', 'SKU-1001', '😀', 'a😀', '😀😀😀😀😀', '\ud83d', '\ud83dx', '\ude00\ud83d', '1', 'true', 'x/y'];
const NUMBERS = [-11, -10.5, -10, -3, -1, -0, 0, 0.5, 0.75, 1, 1.5, 2, 3, 6, 9, 10, 11, 1000, 1001, 1e21, 3e21, 0.1 * 3, 2 ** 53, Infinity, NaN];

function stringArb(c: Constraints, format?: string): fc.Arbitrary<unknown> {
  const samples = [...STRINGS, ...(format ? FORMAT_SAMPLES[format] ?? [] : [])];
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...samples) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: (c.maxLength ?? 4) + 2 }) },
    { weight: 1, arbitrary: junk() },
  );
}

function numberArb(integer: boolean): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...NUMBERS) },
    { weight: 2, arbitrary: integer ? fc.integer({ min: -20, max: 2000 }) : fc.double({ noNaN: true, noDefaultInfinity: true }) },
    { weight: 1, arbitrary: junk() },
  );
}

function junk(): fc.Arbitrary<unknown> {
  return fc.oneof(fc.constant(null), fc.constantFrom('x', '', '1'), fc.integer({ min: -2, max: 2 }), fc.boolean(), fc.constant([]), fc.constant({}));
}

/** Values sometimes repeated, so uniqueItems sees duplicates (also deeply equal ones with other key orders). */
function withDuplicates(items: fc.Arbitrary<unknown>, c: Constraints): fc.Arbitrary<unknown[]> {
  return fc
    .tuple(fc.array(items, { maxLength: (c.maxItems ?? 3) + 1 }), fc.nat(4))
    .map(([a, n]) => (n === 0 && a.length > 0 ? [...a, structuredClone(a[0])] : a));
}

/**
 * Arbitraries per model. In 'valid' mode values satisfy the schema (with an occasional mixed-in field, which makes
 * near-valid values); in 'mixed' mode anything near the right shape.
 */
export class ValueArbitraries {
  private readonly models: Map<string, ModelDecl>;

  constructor(models: readonly ModelDecl[], private readonly maxDepth = 3) {
    this.models = new Map(models.map((m) => [m.name, m]));
  }

  /** Values for model `name`: half built to be valid, half mixed. */
  values(name: string): fc.Arbitrary<unknown> {
    return fc.oneof(this.model(name, 0, true), this.model(name, 0, false));
  }

  private model(name: string, depth: number, valid: boolean): fc.Arbitrary<unknown> {
    const m = this.models.get(name)!;
    if (depth > this.maxDepth && !valid) return junk();
    if (m.kind === 'enum') return valid ? fc.constantFrom(...m.values) : fc.oneof(fc.constantFrom(...m.values), junk());
    if (m.kind === 'object') return this.object(m, depth, valid);
    return fc.oneof(
      ...m.members.map((member) => {
        const target = this.models.get(member.model) as ObjectModel;
        const kind = valid
          ? fc.constant(member.value)
          : fc.oneof({ weight: 5, arbitrary: fc.constant(member.value) }, { weight: 1, arbitrary: fc.constantFrom('other', undefined, 1) });
        return fc.tuple(this.object(target, depth, valid), kind).map(([o, k]) => {
          if (typeof o !== 'object' || o === null || Array.isArray(o)) return o;
          const copy = { ...(o as Record<string, unknown>) };
          if (k === undefined) delete copy[m.discriminator];
          else copy[m.discriminator] = k;
          return copy;
        });
      }),
      ...(valid ? [] : [junk()]),
    );
  }

  private object(m: ObjectModel, depth: number, valid: boolean): fc.Arbitrary<unknown> {
    const absent = Symbol('absent');
    const deep = depth > this.maxDepth;
    const fields = m.fields.map((f) => {
      const required = !f.optional && f.default === undefined;
      if (valid && deep) return required ? this.type(f.type, f.constraints, depth, true) : fc.constant(absent);
      const value = valid
        ? fc.oneof({ weight: 12, arbitrary: this.type(f.type, f.constraints, depth, true) }, { weight: 1, arbitrary: this.type(f.type, f.constraints, depth, false) })
        : this.type(f.type, f.constraints, depth, false);
      if (valid && required) return value;
      return fc.oneof({ weight: 1, arbitrary: fc.constant(absent) }, { weight: 3, arbitrary: value });
    });
    const obj = fc.tuple(fc.tuple(...fields), fc.option(fc.jsonValue({ maxDepth: 1 }))).map(([values, extra]) => {
      const o: Record<string, unknown> = {};
      values.forEach((v, i) => {
        if (v !== absent) o[m.fields[i]!.name] = v;
      });
      if (extra !== null) o.extra_field = extra;
      return o;
    });
    return valid ? obj : fc.oneof({ weight: 12, arbitrary: obj }, { weight: 1, arbitrary: junk() });
  }

  private type(t: TypeRef, c: Constraints, depth: number, valid: boolean): fc.Arbitrary<unknown> {
    switch (t.kind) {
      case 'string':
      case 'date': {
        const format = t.kind === 'date' ? c.format ?? 'date-time' : c.format;
        if (!valid) return stringArb(c, format);
        const samples = [...STRINGS, ...(format ? FORMAT_SAMPLES[format] ?? [] : [])].filter((x) => stringOk(x, c, format));
        return fc.constantFrom(...samples);
      }
      case 'number':
      case 'integer': {
        const integer = t.kind === 'integer';
        if (!valid) return numberArb(integer);
        return fc.constantFrom(...NUMBERS.filter((n) => numberOk(n, c, integer)));
      }
      case 'boolean':
        return valid ? fc.boolean() : fc.oneof(fc.boolean(), junk());
      case 'unknown':
        return fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(1, '1', [1], { a: 1 }, { b: [1], a: 1 }, { a: 1, b: [1] }));
      case 'literal':
        return valid ? fc.constantFrom(...t.values) : fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...t.values) }, { weight: 1, arbitrary: junk() });
      case 'ref':
        return this.model(t.name, depth + 1, valid);
      case 'array': {
        const items = this.type(t.items, {}, depth + 1, valid);
        if (!valid) return fc.oneof({ weight: 6, arbitrary: withDuplicates(items, c) }, { weight: 1, arbitrary: junk() });
        const minLength = c.minItems ?? 0;
        const maxLength = depth > this.maxDepth ? minLength : Math.max(minLength, Math.min(c.maxItems ?? 3, 3));
        const arr = fc.array(items, { minLength, maxLength });
        return c.uniqueItems ? arr.filter((a) => a.every((x, i) => a.findIndex((y) => isDeepStrictEqual(x, y)) === i)) : arr;
      }
      case 'record': {
        const key = fc.oneof(fc.constantFrom('a', 'b', 'x/y', '~', ''), fc.string({ maxLength: 3 }));
        const dict = fc.array(fc.tuple(key, this.type(t.values, {}, depth + 1, valid)), { maxLength: depth > this.maxDepth ? 0 : 3 }).map((pairs) => {
          const o: Record<string, unknown> = {};
          for (const [k, v] of pairs) if (k !== '__proto__') o[k] = v;
          return o;
        });
        return valid ? dict : fc.oneof({ weight: 6, arbitrary: dict }, { weight: 1, arbitrary: junk() });
      }
      case 'nullable':
        return fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 4, arbitrary: this.type(t.inner, c, depth, valid) });
    }
  }
}
