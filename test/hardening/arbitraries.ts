// A generic IR → fast-check mapper: for any ModelDecl it derives valid values (built to satisfy the schema),
// near-valid values (a valid value with exactly one mutation somewhere inside: wrong type, bound ±1, missing
// required field, extra field, wrong enum or discriminant, bad format, duplicate item), wild values (any JSON,
// also shaped like the model) and deep values (recursive models nested hundreds of levels).
import fc from 'fast-check';
import type { Constraints, ModelDecl, ObjectModel, StringFormat, TypeRef, UnionModel } from '../../generator/ir.js';
import {
  NAN_LIKE, NUMBER_EDGES, formatCandidates, mutateString, numberOk, numbersNear, stringOk, unicodeString, unit,
} from './arbitraries-edge.js';
import { OTHER_TYPES, anyJson, jsonEqual, jsonKey, put, reordered } from './arbitraries-json.js';

export { anyJson, jsonEqual };

export type CaseKind = 'valid' | 'near' | 'wild' | 'deep';
export interface Case {
  readonly kind: CaseKind;
  readonly value: unknown;
}

const NONE: Constraints = {};

export class IrArbitraries {
  private readonly models: Map<string, ModelDecl>;
  private readonly memo = new Map<string, fc.Arbitrary<unknown>>();

  constructor(models: readonly ModelDecl[], private readonly maxDepth = 3) {
    this.models = new Map(models.map((m) => [m.name, m]));
  }

  /** Valid, near-valid, wild and deep cases for model `name`, in the given proportions. */
  cases(name: string, weights: Readonly<Record<CaseKind, number>>): fc.Arbitrary<Case> {
    const kinds: { weight: number; arbitrary: fc.Arbitrary<Case> }[] = [];
    const add = (kind: CaseKind, arb: fc.Arbitrary<unknown> | null) => {
      if (arb !== null && weights[kind] > 0) kinds.push({ weight: weights[kind], arbitrary: arb.map((value) => ({ kind, value })) });
    };
    add('valid', this.valid(name));
    add('near', this.near(name));
    add('wild', this.wild(name));
    add('deep', this.deep(name));
    return fc.oneof(...kinds);
  }

  valid(name: string): fc.Arbitrary<unknown> {
    return this.validType({ kind: 'ref', name }, NONE, 0);
  }

  near(name: string): fc.Arbitrary<unknown> {
    return this.nearType({ kind: 'ref', name }, NONE, 0);
  }

  /** Any JSON, and objects with the model's own keys holding any JSON. */
  wild(name: string): fc.Arbitrary<unknown> {
    const m = this.models.get(name)!;
    const keys = m.kind === 'object' ? m.fields.map((f) => f.name) : m.kind === 'union' ? [m.discriminator] : [];
    const shaped = keys.length === 0 ? anyJson() : fc.array(fc.tuple(fc.constantFrom(...keys), anyJson(2)), { maxLength: keys.length + 1 }).map((pairs) => {
      const o: Record<string, unknown> = {};
      for (const [k, v] of pairs) put(o, k, v);
      return o;
    });
    return fc.oneof(anyJson(), shaped);
  }

  /**
   * For a model with a field that holds the model itself (through nullable, arrays or records): a chain of
   * 50–400 levels, valid or with one mutation at the bottom. Null for other models.
   */
  deep(name: string): fc.Arbitrary<unknown> | null {
    const m = this.models.get(name);
    if (m?.kind !== 'object') return null;
    const f = m.fields.find((x) => refersTo(x.type, name));
    if (f === undefined) return null;
    const wrap = (t: TypeRef, child: unknown): unknown =>
      t.kind === 'nullable' ? wrap(t.inner, child) : t.kind === 'array' ? [child] : t.kind === 'record' ? { k: child } : child;
    const bottom = fc.oneof(this.validType({ kind: 'ref', name }, NONE, this.maxDepth), this.nearType({ kind: 'ref', name }, NONE, this.maxDepth));
    const shell = this.validObject(m, this.maxDepth + 1);
    return fc.tuple(fc.integer({ min: 50, max: 400 }), bottom, shell).map(([depth, leaf, base]) => {
      let v = leaf;
      for (let i = 0; i < depth; i++) {
        const o = { ...(base as Record<string, unknown>) };
        put(o, f.name, wrap(f.type, v));
        v = o;
      }
      return v;
    });
  }

  private cached(key: string, make: () => fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
    let arb = this.memo.get(key);
    if (arb === undefined) {
      arb = make();
      this.memo.set(key, arb);
    }
    return arb;
  }

  private validType(t: TypeRef, c: Constraints, depth: number): fc.Arbitrary<unknown> {
    return this.cached(`v${depth}:${JSON.stringify(t)}:${JSON.stringify(c)}`, () => this.makeValid(t, c, depth));
  }

  private nearType(t: TypeRef, c: Constraints, depth: number): fc.Arbitrary<unknown> {
    return this.cached(`n${depth}:${JSON.stringify(t)}:${JSON.stringify(c)}`, () => this.makeNear(t, c, depth));
  }

  private makeValid(t: TypeRef, c: Constraints, depth: number): fc.Arbitrary<unknown> {
    switch (t.kind) {
      case 'string':
        return validString(c, c.format);
      case 'date':
        return validString(c, c.format ?? 'date-time');
      case 'number':
      case 'integer': {
        const integer = t.kind === 'integer';
        const pool = [...NUMBER_EDGES, ...numbersNear(c)].filter((n) => numberOk(n, c, integer));
        const any = integer ? fc.integer({ min: -1000, max: 100_000 }) : fc.double({ min: -1e6, max: 1e6, noNaN: true });
        const built = c.multipleOf === undefined ? any : fc.integer({ min: -1000, max: 1000 }).map((k) => k * c.multipleOf!);
        const arb = fc.oneof(built, fc.constantFrom(...(pool.length > 0 ? pool : [0])));
        return arb.filter((n) => numberOk(n as number, c, integer));
      }
      case 'boolean':
        return fc.boolean();
      case 'unknown':
        return anyJson(2);
      case 'literal':
        return fc.constantFrom(...t.values);
      case 'nullable':
        return fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 3, arbitrary: this.validType(t.inner, c, depth) });
      case 'array': {
        const items = this.validType(t.items, NONE, depth + 1);
        const minLength = c.minItems ?? 0;
        const maxLength = depth >= this.maxDepth ? minLength : Math.min(c.maxItems ?? minLength + 4, minLength + 4);
        return c.uniqueItems ? fc.uniqueArray(items, { comparator: jsonEqual, minLength, maxLength }) : fc.array(items, { minLength, maxLength });
      }
      case 'record': {
        const size = depth >= this.maxDepth ? 0 : 3;
        return fc.array(fc.tuple(jsonKey, this.validType(t.values, NONE, depth + 1)), { maxLength: size }).map((pairs) => {
          const o: Record<string, unknown> = {};
          for (const [k, v] of pairs) put(o, k, v);
          return o;
        });
      }
      case 'ref': {
        const m = this.models.get(t.name)!;
        if (m.kind === 'enum') return fc.constantFrom(...m.values);
        if (m.kind === 'object') return this.validObject(m, depth + 1);
        return this.validUnion(m, depth + 1);
      }
    }
  }

  private validObject(m: ObjectModel, depth: number): fc.Arbitrary<unknown> {
    const absent = Symbol('absent');
    const deep = depth > this.maxDepth;
    const fields = m.fields.map((f) => {
      const required = !f.optional && f.default === undefined;
      if (required) return this.validType(f.type, f.constraints, depth);
      if (deep) return fc.constant(absent);
      return fc.oneof({ weight: 1, arbitrary: fc.constant(absent) }, { weight: 3, arbitrary: this.validType(f.type, f.constraints, depth) });
    });
    // Unknown fields are allowed (and dropped by parse): a valid value may carry some.
    const extra = fc.option(fc.tuple(fc.constantFrom('extra', 'Extra', 'x y', '😀', '~1'), anyJson(1)), { freq: 4 });
    return fc.tuple(fc.tuple(...fields), extra).map(([values, more]) => {
      const o: Record<string, unknown> = {};
      values.forEach((v, i) => v !== absent && put(o, m.fields[i]!.name, v));
      if (more !== null && !m.fields.some((f) => f.name === more[0])) put(o, more[0], more[1]);
      return o;
    });
  }

  private validUnion(m: UnionModel, depth: number): fc.Arbitrary<unknown> {
    return fc.oneof(
      ...m.members.map((member) =>
        this.validObject(this.models.get(member.model) as ObjectModel, depth).map((o) => {
          const copy = { ...(o as Record<string, unknown>) };
          put(copy, m.discriminator, member.value);
          return copy;
        }),
      ),
    );
  }

  private makeNear(t: TypeRef, c: Constraints, depth: number): fc.Arbitrary<unknown> {
    const wrongType = fc.constantFrom(...OTHER_TYPES);
    switch (t.kind) {
      case 'string':
      case 'date': {
        const format = t.kind === 'date' ? c.format ?? 'date-time' : c.format;
        const valid = this.validType(t, c, depth) as fc.Arbitrary<string>;
        const lengths = [c.minLength, c.maxLength].filter((n): n is number => n !== undefined).flatMap((n) => [n - 1, n, n + 1]).filter((n) => n >= 0);
        return fc.oneof(
          wrongType,
          fc.constantFrom(...NAN_LIKE),
          mutateString(valid),
          ...(lengths.length > 0 ? [fc.constantFrom(...lengths).chain((n) => fc.string({ unit, minLength: n, maxLength: n }))] : []),
          ...(format ? [formatCandidates(format), mutateString(formatCandidates(format))] : []),
        );
      }
      case 'number':
      case 'integer':
        return fc.oneof(
          wrongType,
          fc.constantFrom(...NAN_LIKE),
          fc.constantFrom(...NUMBER_EDGES, ...numbersNear(c)),
          (this.validType(t, c, depth) as fc.Arbitrary<number>).map((n) => n + 0.5),
        );
      case 'boolean':
      case 'unknown':
        return fc.oneof(wrongType, anyJson(2));
      case 'literal': {
        const vs = t.values;
        return fc.oneof(wrongType, fc.constantFrom(...vs.flatMap((v) => [String(v), typeof v === 'string' ? v.toUpperCase() : -v, `${v} `, Number(v)])));
      }
      case 'nullable':
        return this.nearType(t.inner, c, depth);
      case 'array': {
        const items = this.validType(t.items, NONE, depth + 1);
        const sizes = [c.minItems, c.maxItems].filter((n): n is number => n !== undefined).flatMap((n) => [n - 1, n + 1]).filter((n) => n >= 0);
        const valid = this.validType(t, c, depth) as fc.Arbitrary<unknown[]>;
        return fc.oneof(
          wrongType,
          // A filter here could starve (maxItems 0): an empty array simply stays as it is.
          valid.map((a) => (a.length === 0 ? a : [...a, reordered(a[a.length - 1])])),
          fc.tuple(valid, this.nearType(t.items, NONE, depth + 1), fc.nat()).map(([a, bad, i]) => {
            const copy = [...a];
            copy[a.length === 0 ? 0 : i % (a.length + 1)] = bad;
            return copy;
          }),
          ...(sizes.length > 0 ? [fc.constantFrom(...sizes).chain((n) => fc.array(items, { minLength: n, maxLength: n }))] : []),
        );
      }
      case 'record': {
        const valid = this.validType(t, c, depth) as fc.Arbitrary<Record<string, unknown>>;
        return fc.oneof(
          wrongType,
          fc.tuple(valid, jsonKey, this.nearType(t.values, NONE, depth + 1)).map(([o, k, bad]) => {
            const copy = { ...o };
            put(copy, k, bad);
            return copy;
          }),
        );
      }
      case 'ref': {
        const m = this.models.get(t.name)!;
        if (m.kind === 'enum') {
          return fc.oneof(wrongType, fc.constantFrom(...m.values.flatMap((v) => [typeof v === 'string' ? v.toUpperCase() : String(v), typeof v === 'number' ? v + 1 : `${v}x`])));
        }
        if (depth > this.maxDepth + 2) return wrongType;
        return m.kind === 'object' ? this.nearObject(m, depth + 1) : this.nearUnion(m, depth + 1);
      }
    }
  }

  private nearObject(m: ObjectModel, depth: number): fc.Arbitrary<unknown> {
    const valid = this.validObject(m, depth) as fc.Arbitrary<Record<string, unknown>>;
    const options: fc.Arbitrary<unknown>[] = [fc.constantFrom(null, [], 'x', 1, true, [{}])];
    const required = m.fields.filter((f) => !f.optional && f.default === undefined);
    if (required.length > 0) {
      options.push(fc.tuple(valid, fc.constantFrom(...required)).map(([o, f]) => {
        const copy = { ...o };
        delete copy[f.name];
        return copy;
      }));
    }
    for (const f of m.fields) {
      options.push(fc.tuple(valid, this.nearType(f.type, f.constraints, depth)).map(([o, bad]) => {
        const copy = { ...o };
        put(copy, f.name, bad);
        return copy;
      }));
    }
    options.push(fc.tuple(valid, jsonKey, anyJson(1)).map(([o, k, v]) => (m.fields.some((f) => f.name === k) ? o : { ...o, [k]: v })));
    return fc.oneof(...options);
  }

  private nearUnion(m: UnionModel, depth: number): fc.Arbitrary<unknown> {
    const valid = this.validUnion(m, depth) as fc.Arbitrary<Record<string, unknown>>;
    const values = m.members.map((x) => x.value);
    const wrongKind = fc.constantFrom<unknown>(undefined, null, 'other', 0, ...values.map((v) => (typeof v === 'string' ? v.toUpperCase() : String(v))), ...values);
    return fc.oneof(
      fc.tuple(valid, wrongKind).map(([o, k]) => {
        const copy = { ...o };
        if (k === undefined) delete copy[m.discriminator];
        else put(copy, m.discriminator, k);
        return copy;
      }),
      ...m.members.map((member) => this.nearObject(this.models.get(member.model) as ObjectModel, depth).map((o) => {
        if (typeof o !== 'object' || o === null || Array.isArray(o)) return o;
        const copy = { ...(o as Record<string, unknown>) };
        put(copy, m.discriminator, member.value);
        return copy;
      })),
    );
  }
}

function validString(c: Constraints, format: StringFormat | undefined): fc.Arbitrary<unknown> {
  const sources: fc.Arbitrary<string>[] = [unicodeString(c.minLength ?? 0, Math.min(c.maxLength ?? 8, (c.minLength ?? 0) + 8))];
  if (c.pattern !== undefined) sources.push(fc.stringMatching(new RegExp(c.pattern, 'u')));
  if (format !== undefined) sources.push(formatCandidates(format), formatCandidates(format), formatCandidates(format));
  return fc.oneof(...sources).filter((s) => stringOk(s, c, format));
}

function refersTo(t: TypeRef, name: string): boolean {
  switch (t.kind) {
    case 'ref':
      return t.name === name;
    case 'nullable':
      return refersTo(t.inner, name);
    case 'array':
      return refersTo(t.items, name);
    case 'record':
      return refersTo(t.values, name);
    default:
      return false;
  }
}
