// IR models for the differential suite: every TypeRef kind and every constraint the reader accepts, in the
// combinations that have edges (nullable refs and enums, unions with string and numeric discriminants, direct and
// mutual recursion, uniqueItems over primitives, -0 and objects, decimal multipleOf, unicode patterns, astral
// lengths) and field names that need escaping. Prototype-named fields are left to the unit tests: there ajv and
// the validators differ on purpose (see docs/validation.md).
import type { ModelDecl } from '../../generator/ir.js';
import { at, field, object, t, union } from '../golden/validators/fixtures.js';

const opt = { optional: true };

export function hardeningModels(): ModelDecl[] {
  return [
    { kind: 'enum', name: 'Hue', values: ['red', 'Red', 'green', ''], loc: at() },
    { kind: 'enum', name: 'Rank', values: [0, 1, 2.5, -3], loc: at() },
    object('Scalars', [
      field('s', t.string),
      field('n', t.number),
      field('i', t.integer),
      field('b', t.boolean),
      field('d', t.date),
      field('u', t.unknown, opt),
      field('maybe_s', t.nullable(t.string), opt),
      field('maybe_i', t.nullable(t.integer), opt),
      field('maybe_d', t.nullable(t.date), opt),
    ]),
    object('Bounds', [
      field('closed', t.number, { ...opt, c: { minimum: -1.5, maximum: 1e308 } }),
      field('open', t.number, { ...opt, c: { exclusiveMinimum: 0, exclusiveMaximum: 5e-324 * 4 } }),
      field('tenth', t.number, { ...opt, c: { multipleOf: 0.1 } }),
      field('cent', t.number, { ...opt, c: { multipleOf: 0.01, minimum: 0, maximum: 100 } }),
      field('half', t.nullable(t.number), { ...opt, c: { multipleOf: 0.5, exclusiveMaximum: 10 } }),
      field('third', t.integer, { ...opt, c: { multipleOf: 3, minimum: -9, exclusiveMaximum: 2 ** 53 } }),
      field('big', t.integer, { ...opt, c: { minimum: 2 ** 53 - 2 } }),
      field('neg', t.integer, { ...opt, c: { maximum: -1 } }),
      field('zero', t.number, { ...opt, c: { minimum: 0, maximum: 0 } }),
    ]),
    object('Texts', [
      field('len', t.string, { ...opt, c: { minLength: 2, maxLength: 3 } }),
      field('one', t.string, { ...opt, c: { minLength: 1 } }),
      field('none', t.string, { ...opt, c: { maxLength: 0 } }),
      field('name', t.string, { ...opt, c: { pattern: '^\\p{Lu}\\p{Ll}+$' } }),
      field('greek', t.string, { ...opt, c: { pattern: '\\p{Script=Greek}', maxLength: 4 } }),
      field('emoji', t.string, { ...opt, c: { pattern: '^[😀-🙏]{1,2}$' } }),
      field('dot', t.string, { ...opt, c: { pattern: '^.$' } }),
      field('code', t.nullable(t.string), { ...opt, c: { pattern: '^[A-Z]{2}-\\d+$', maxLength: 6 } }),
    ]),
    object('Formats', [
      field('email', t.string, { ...opt, c: { format: 'email' } }),
      field('uuid', t.string, { ...opt, c: { format: 'uuid' } }),
      field('uri', t.string, { ...opt, c: { format: 'uri' } }),
      field('day', t.string, { ...opt, c: { format: 'date' } }),
      field('stamp', t.string, { ...opt, c: { format: 'date-time' } }),
      field('when', t.date, opt),
      field('ip4', t.string, { ...opt, c: { format: 'ipv4' } }),
      field('ip6', t.nullable(t.string), { ...opt, c: { format: 'ipv6' } }),
      field('short_mail', t.string, { ...opt, c: { format: 'email', maxLength: 8 } }),
    ]),
    object('Choices', [
      field('hue', t.ref('Hue')),
      field('rank', t.nullable(t.ref('Rank')), opt),
      field('one', t.literal('only'), opt),
      field('mixed', t.literal('a', 1, true, 0), opt),
      field('bools', t.literal(false), opt),
      field('nums', t.nullable(t.literal(1, 2, 3)), opt),
      field('tier', t.literal('basic', 'gold'), { default: 'basic' }),
    ]),
    object('Lists', [
      field('tags', t.array(t.string), { ...opt, c: { minItems: 1, maxItems: 3, uniqueItems: true } }),
      field('nums', t.array(t.number), { ...opt, c: { uniqueItems: true } }),
      field('hues', t.array(t.ref('Hue')), { ...opt, c: { uniqueItems: true, maxItems: 4 } }),
      field('maybes', t.array(t.nullable(t.integer)), { ...opt, c: { uniqueItems: true } }),
      field('blobs', t.array(t.unknown), { ...opt, c: { uniqueItems: true } }),
      field('points', t.array(t.ref('Point')), { ...opt, c: { uniqueItems: true, minItems: 0, maxItems: 5 } }),
      field('grid', t.array(t.array(t.integer)), opt),
      field('stamps', t.array(t.date), { ...opt, c: { minItems: 2 } }),
      field('nullable_list', t.nullable(t.array(t.string)), { ...opt, c: { maxItems: 2 } }),
      field('empty', t.array(t.boolean), { ...opt, c: { maxItems: 0 } }),
    ]),
    object('Point', [field('x', t.number), field('y', t.number)]),
    object('Maps', [
      field('counts', t.record(t.integer)),
      field('points', t.record(t.nullable(t.ref('Point'))), opt),
      field('deep', t.record(t.record(t.array(t.string))), opt),
      field('any', t.record(t.unknown), opt),
      field('maybe', t.nullable(t.record(t.date)), opt),
    ]),
    object('Defaults', [
      field('tags', t.array(t.string), { default: ['a'] }),
      field('meta', t.record(t.string), { default: { k: 'v' } }),
      field('when', t.date, { default: '2020-02-29T12:00:00Z' }),
      field('maybe', t.nullable(t.string), { default: null }),
      field('count', t.integer, { default: 0, c: { minimum: 0 } }),
    ]),
    object('Tree', [
      field('name', t.string, { c: { minLength: 1 } }),
      field('kids', t.array(t.ref('Tree')), opt),
      field('parent', t.nullable(t.ref('Tree')), opt),
      field('index', t.record(t.ref('Tree')), opt),
    ]),
    object('Ping', [field('next', t.nullable(t.ref('Pong'))), field('n', t.integer, opt)]),
    object('Pong', [field('back', t.ref('Ping'), opt), field('s', t.string, opt)]),
    object('Circle', [field('kind', t.literal('circle')), field('r', t.number, { c: { exclusiveMinimum: 0 } })]),
    object('Square', [field('kind', t.literal('square')), field('side', t.number), field('label', t.string, opt)]),
    union('Shape', 'kind', [['circle', 'Circle'], ['square', 'Square']]),
    object('V1', [field('v', t.literal(1)), field('a', t.string)]),
    object('V2', [field('v', t.literal(2)), field('b', t.nullable(t.ref('Shape')))]),
    union('Versioned', 'v', [[1, 'V1'], [2, 'V2']]),
    object('Drawing', [
      field('shapes', t.array(t.ref('Shape')), { c: { minItems: 1 } }),
      field('main', t.nullable(t.ref('Shape')), opt),
      field('doc', t.ref('Versioned'), opt),
      field('by_name', t.record(t.ref('Shape')), opt),
    ]),
    object('Escapes', [
      field('it\'s "q" `b` ${x} */', t.string),
      field('a/b~c', t.integer, opt),
      field('', t.boolean, opt),
      field('ünï 😀', t.nullable(t.literal('*/', '${x}', '\u2028')), opt),
      field('line\nbreak', t.array(t.string), { ...opt, c: { maxItems: 1 } }),
    ]),
  ];
}
