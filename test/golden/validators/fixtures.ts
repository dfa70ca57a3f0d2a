// Hand-built IR models for the validator tests: the customers sample, one model per construct, and hostile names.
import type { Constraints, Field, JsonValue, Loc, ModelDecl, ObjectModel, TypeRef, UnionModel } from '../../../generator/ir.js';

let line = 0;
/** Fake but distinct locations, so the source comments in golden files are readable. */
export function at(file = 'services/x.ts'): Loc {
  line += 1;
  return { file, line, column: 14 };
}

export const t = {
  string: { kind: 'string' } as TypeRef,
  number: { kind: 'number' } as TypeRef,
  integer: { kind: 'integer' } as TypeRef,
  boolean: { kind: 'boolean' } as TypeRef,
  date: { kind: 'date' } as TypeRef,
  unknown: { kind: 'unknown' } as TypeRef,
  literal: (...values: (string | number | boolean)[]): TypeRef => ({ kind: 'literal', values }),
  ref: (name: string): TypeRef => ({ kind: 'ref', name }),
  array: (items: TypeRef): TypeRef => ({ kind: 'array', items }),
  record: (values: TypeRef): TypeRef => ({ kind: 'record', values }),
  nullable: (inner: TypeRef): TypeRef => ({ kind: 'nullable', inner }),
};

interface FieldOptions {
  optional?: boolean;
  default?: JsonValue;
  c?: Constraints;
}

export function field(name: string, type: TypeRef, o: FieldOptions = {}): Field {
  const f: Field = { name, type, optional: o.optional === true || o.default !== undefined, constraints: o.c ?? {}, loc: at() };
  return o.default === undefined ? f : { ...f, default: o.default };
}

export function object(name: string, fields: Field[], file?: string): ObjectModel {
  return { kind: 'object', name, fields, loc: at(file) };
}

export function union(name: string, discriminator: string, members: [string | number, string][]): UnionModel {
  const list = members.map(([value, model]) => ({ value, model })).sort((a, b) => (a.model < b.model ? -1 : 1));
  return { kind: 'union', name, discriminator, members: list, loc: at() };
}

/** The models of samples/customers. */
export function customers(): ModelDecl[] {
  line = 0;
  const tier = t.literal('basic', 'gold', 'platinum');
  const c = 'services/customer.ts';
  const o = 'services/orders.ts';
  return [
    object('GetCustomerRequest', [field('customer_id', t.integer, { c: { minimum: 1 } })], c),
    object('GetCustomerResponse', [field('name', t.string), field('email', t.string, { c: { format: 'email' } }), field('tier', tier)], c),
    object('GetDetailsRequest', [field('customer_id', t.integer, { c: { minimum: 1 } }), field('tenant', t.string, { default: '' })], c),
    object('UpdateCustomerRequest', [
      field('customer_id', t.integer, { c: { minimum: 1 } }),
      field('name', t.string, { optional: true, c: { minLength: 1, maxLength: 200 } }),
      field('email', t.string, { optional: true, c: { format: 'email' } }),
      field('tier', tier, { optional: true }),
    ], c),
    object('OrderItem', [
      field('sku', t.string, { c: { pattern: '^[A-Z0-9-]{3,32}$' } }),
      field('quantity', t.integer, { c: { minimum: 1, maximum: 1000 } }),
    ], o),
    object('CreateOrderRequest', [
      field('customer_id', t.integer, { c: { minimum: 1 } }),
      field('items', t.array(t.ref('OrderItem')), { c: { minItems: 1, maxItems: 100 } }),
      field('note', t.nullable(t.string), { optional: true, c: { maxLength: 500 } }),
      field('created', t.date, { optional: true }),
    ], o),
  ];
}

/** One field per construct and constraint; `Tree` is recursive and `Shape` a discriminated union. */
export function kitchen(): ModelDecl[] {
  line = 0;
  return [
    { kind: 'enum', name: 'Color', values: ['red', 'green', 'blue'], loc: at() },
    { kind: 'enum', name: 'Level', values: [1, 2, 3], loc: at() },
    object('Strings', [
      field('plain', t.string, { optional: true }),
      field('short', t.string, { optional: true, c: { minLength: 2, maxLength: 4 } }),
      field('upper', t.string, { optional: true, c: { pattern: '^[A-Z]+$' } }),
      field('emoji', t.string, { optional: true, c: { pattern: '\\p{Emoji_Presentation}' } }),
      field('email', t.string, { optional: true, c: { format: 'email' } }),
      field('uuid', t.string, { optional: true, c: { format: 'uuid' } }),
      field('uri', t.string, { optional: true, c: { format: 'uri' } }),
      field('day', t.string, { optional: true, c: { format: 'date' } }),
      field('stamp', t.string, { optional: true, c: { format: 'date-time' } }),
      field('ip4', t.string, { optional: true, c: { format: 'ipv4' } }),
      field('ip6', t.string, { optional: true, c: { format: 'ipv6' } }),
    ]),
    object('Numbers', [
      field('n', t.number, { optional: true, c: { minimum: -10, maximum: 10 } }),
      field('ex', t.number, { optional: true, c: { exclusiveMinimum: 0, exclusiveMaximum: 1 } }),
      field('step', t.number, { optional: true, c: { multipleOf: 0.5 } }),
      field('int', t.integer, { optional: true, c: { multipleOf: 3, minimum: 0 } }),
      field('flag', t.boolean, { optional: true }),
    ]),
    object('Choices', [
      field('color', t.ref('Color'), { optional: true }),
      field('level', t.ref('Level'), { optional: true }),
      field('one', t.literal('only'), { optional: true }),
      field('mixed', t.literal('a', 1, true), { optional: true }),
      field('maybe', t.nullable(t.literal('x', 'y')), { optional: true }),
    ]),
    object('Collections', [
      field('tags', t.array(t.string), { optional: true, c: { minItems: 1, maxItems: 3, uniqueItems: true } }),
      field('points', t.array(t.unknown), { optional: true, c: { uniqueItems: true } }),
      field('grid', t.array(t.array(t.integer)), { optional: true }),
      field('counts', t.record(t.integer), { optional: true }),
      field('children', t.record(t.ref('Tree')), { optional: true }),
      field('any', t.unknown, { optional: true }),
      field('nums', t.nullable(t.array(t.number)), { optional: true }),
    ]),
    object('Defaults', [
      field('tier', t.literal('basic', 'gold'), { default: 'basic' }),
      field('tags', t.array(t.string), { default: ['a'] }),
      field('meta', t.record(t.string), { default: { k: 'v' } }),
      field('when', t.date, { default: '2020-02-29T12:00:00Z' }),
      field('maybe', t.nullable(t.string), { default: null }),
    ]),
    object('Tree', [
      field('name', t.string),
      field('born', t.date, { optional: true }),
      field('kids', t.array(t.ref('Tree')), { optional: true }),
      field('parent', t.nullable(t.ref('Tree')), { optional: true }),
    ]),
    object('Circle', [field('kind', t.literal('circle')), field('r', t.number, { c: { minimum: 0 } })]),
    object('Square', [field('kind', t.literal('square')), field('side', t.number)]),
    union('Shape', 'kind', [['circle', 'Circle'], ['square', 'Square']]),
    object('Drawing', [field('shapes', t.array(t.ref('Shape'))), field('main', t.nullable(t.ref('Shape')), { optional: true })]),
  ];
}

/** Names that must not break out of strings or comments, nor touch prototypes. */
export const HOSTILE = 'it\'s "q" `b` ${x} */ \n \u2028 ü~/';

export function hostile(): ModelDecl[] {
  line = 0;
  return [
    object(`Odd ${HOSTILE}`, [
      field(HOSTILE, t.string, { c: { pattern: '^[^`]*$' } }),
      field('__proto__', t.record(t.integer), { optional: true }),
      field('constructor', t.string, { optional: true }),
      field('a/b~c', t.literal(HOSTILE, '*/'), { optional: true }),
      field('ref', t.nullable(t.ref('__proto__')), { optional: true }),
    ], `services/${HOSTILE}.ts`),
    object('__proto__', [field('toString', t.integer, { default: 7 }), field('x', t.array(t.string), { default: [HOSTILE] })]),
    object('Odd_it_s__q___b____x_______ü__', [field('y', t.boolean)]),
    object('Empty', []),
  ];
}
