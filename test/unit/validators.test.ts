/**
 * The compiled validators (generator/emit/validators.ts): emitted from hand-built IR, imported, and exercised as
 * the runtime uses them — validate (every issue, JSON Pointer paths), parse (fresh values, defaults, Dates,
 * prototype safety) and serialize (declared fields only, TypeErrors that name model and path).
 * The differential test against ajv is in validators-ajv.test.ts.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { emitValidators, emitValidatorsBytes, emitValidatorsParts } from '../../generator/emit/validators.js';
import { ValidatorCache } from '../../generator/emit/validators-cache.js';
import type { ModelDecl } from '../../generator/ir.js';
import { FORMAT_REGEXES } from '../../generator/emit/validators-helpers.js';
import { customers, field, hostile, kitchen, object, t, HOSTILE } from '../golden/validators/fixtures.js';
import { issuesOf, loadModels, type Models } from '../golden/validators/load.js';
import { REPO, TSC, tempProject } from '../helpers/project.js';

let m: Models;
let odd: Models;
before(async () => {
  m = await loadModels([...customers(), ...kitchen()]);
  odd = await loadModels(hostile());
});

const issue = (path: string, message: string) => ({ path, message });
const LONG = 'x'.repeat(501);

// [model, input, expected issues in order]
const validateCases: [string, unknown, { path: string; message: string }[]][] = [
  ['GetCustomerRequest', { customer_id: 1 }, []],
  ['GetCustomerRequest', { customer_id: 1, unknown: 'ignored' }, []],
  ['GetCustomerRequest', {}, [issue('/customer_id', 'is required')]],
  ['GetCustomerRequest', { customer_id: undefined }, [issue('/customer_id', 'is required')]],
  ['GetCustomerRequest', { customer_id: 0 }, [issue('/customer_id', 'must be >= 1')]],
  ['GetCustomerRequest', { customer_id: 1.5 }, [issue('/customer_id', 'must be an integer')]],
  ['GetCustomerRequest', { customer_id: 0.5 }, [issue('/customer_id', 'must be an integer'), issue('/customer_id', 'must be >= 1')]],
  ['GetCustomerRequest', { customer_id: '1' }, [issue('/customer_id', 'must be an integer')]],
  ['GetCustomerRequest', null, [issue('', 'must be an object')]],
  ['GetCustomerRequest', [], [issue('', 'must be an object')]],
  ['GetCustomerRequest', 'x', [issue('', 'must be an object')]],
  ['GetCustomerResponse', { name: 1, email: 'nope', tier: 'silver' }, [
    issue('/name', 'must be a string'), issue('/email', 'must be a valid email'),
    issue('/tier', 'must be one of: basic, gold, platinum')]],
  // a string enum rejects every value of another type before comparing (typeof test), and accepts its strings
  ['GetCustomerResponse', { name: 'n', email: 'a@b.co', tier: null }, [issue('/tier', 'must be one of: basic, gold, platinum')]],
  ['GetCustomerResponse', { name: 'n', email: 'a@b.co', tier: ['gold'] }, [issue('/tier', 'must be one of: basic, gold, platinum')]],
  ['GetCustomerResponse', { name: 'n', email: 'a@b.co', tier: { toString: () => 'gold' } }, [issue('/tier', 'must be one of: basic, gold, platinum')]],
  ['GetCustomerResponse', { name: 'n', email: 'a@b.co', tier: 'platinum' }, []],
  ['GetDetailsRequest', { customer_id: 2 }, []],
  ['UpdateCustomerRequest', { customer_id: 1, name: '' }, [issue('/name', 'must have at least 1 character')]],
  ['CreateOrderRequest', { customer_id: 1, items: [{ sku: 'ab', quantity: 0 }, { sku: 'SKU-1', quantity: 1 }, 5] }, [
    issue('/items/0/sku', 'must match pattern ^[A-Z0-9-]{3,32}$'), issue('/items/0/quantity', 'must be >= 1'),
    issue('/items/2', 'must be an object')]],
  ['CreateOrderRequest', { customer_id: 1, items: [], note: 5, created: 5 }, [
    issue('/items', 'must have at least 1 item'), issue('/note', 'must be a string or null'),
    issue('/created', 'must be a date-time string')]],
  ['CreateOrderRequest', { customer_id: 1, items: [{ sku: 'ABC', quantity: 1 }], note: null, created: '2020-02-29T00:00:00Z' }, []],
  ['CreateOrderRequest', { customer_id: 1, items: [{ sku: 'ABC', quantity: 1 }], note: LONG, created: '2020-02-30T00:00:00Z' }, [
    issue('/note', 'must have at most 500 characters'), issue('/created', 'must be a valid date-time')]],
  // strings: code points, the 'u' flag, every format
  ['Strings', { short: '😀😀', emoji: '😀', upper: 'ABC' }, []],
  ['Strings', { short: 'a' }, [issue('/short', 'must have at least 2 characters')]],
  ['Strings', { short: '😀😀😀😀😀' }, [issue('/short', 'must have at most 4 characters')]],
  ['Strings', { short: '\ud83d\ud83d\ud83d' }, []], // three lone high surrogates are three code points for ajv
  ['Strings', { upper: 'abc', emoji: 'a' }, [issue('/upper', 'must match pattern ^[A-Z]+$'), issue('/emoji', 'must match pattern \\p{Emoji_Presentation}')]],
  ['Strings', { email: 'A.B+c@x-y.org', uuid: 'urn:uuid:123e4567-e89b-12d3-a456-426614174000', uri: 'http://x.org/a?b#c',
    day: '2020-02-29', stamp: '2016-12-31t23:59:60z', ip4: '10.0.0.255', ip6: '::ffff:10.0.0.1' }, []],
  ['Strings', { email: 'a@b', uuid: '123', uri: 'x', day: '2021-02-29', stamp: '2020-01-01T12:00:00', ip4: '256.1.1.1', ip6: ':::1' }, [
    issue('/email', 'must be a valid email'), issue('/uuid', 'must be a valid uuid'), issue('/uri', 'must be a valid uri'),
    issue('/day', 'must be a valid date'), issue('/stamp', 'must be a valid date-time'), issue('/ip4', 'must be a valid ipv4'),
    issue('/ip6', 'must be a valid ipv6')]],
  // numbers
  ['Numbers', { n: -10, ex: 0.5, step: 1.5, int: 6, flag: false }, []],
  ['Numbers', { n: -11, ex: 0, step: 0.75, int: 4, flag: 'true' }, [
    issue('/n', 'must be >= -10'), issue('/ex', 'must be > 0'), issue('/step', 'must be a multiple of 0.5'),
    issue('/int', 'must be a multiple of 3'), issue('/flag', 'must be a boolean')]],
  ['Numbers', { n: 11, ex: 1, int: -3 }, [issue('/n', 'must be <= 10'), issue('/ex', 'must be < 1'), issue('/int', 'must be >= 0')]],
  ['Numbers', { n: Infinity, ex: NaN }, [issue('/n', 'must be a number'), issue('/ex', 'must be a number')]],
  // enums and literals
  ['Choices', { color: 'red', level: 2, one: 'only', mixed: true, maybe: null }, []],
  ['Choices', { color: 'pink', level: '1', one: 'other', mixed: 'true', maybe: 'z' }, [
    issue('/color', 'must be one of: red, green, blue'), issue('/level', 'must be one of: 1, 2, 3'), issue('/one', 'must be only'),
    issue('/mixed', 'must be one of: a, 1, true'), issue('/maybe', 'must be one of: x, y, null')]],
  // arrays, records, unknown
  ['Collections', { tags: ['a'], points: [1, '1', [1], { a: 1 }], grid: [[1], []], counts: { a: 1 }, any: { x: [null] }, nums: null }, []],
  ['Collections', { tags: [] }, [issue('/tags', 'must have at least 1 item')]],
  ['Collections', { tags: ['a', 'b', 'c', 'd'] }, [issue('/tags', 'must have at most 3 items')]],
  ['Collections', { tags: ['a', 'b', 'a'] }, [issue('/tags', 'must not have duplicate items (items 0 and 2 are equal)')]],
  ['Collections', { tags: ['a', 1] }, [issue('/tags/1', 'must be a string')]],
  ['Collections', { points: [{ a: 1, b: [1] }, { b: [1], a: 1 }] }, [issue('/points', 'must not have duplicate items (items 0 and 1 are equal)')]],
  ['Collections', { grid: [[1], [2, 'x']], counts: { 'a/b': 'x', '~': 1.5 } }, [
    issue('/grid/1/1', 'must be an integer'), issue('/counts/a~1b', 'must be an integer'), issue('/counts/~0', 'must be an integer')]],
  ['Collections', { children: { k: { name: 1 } }, nums: [1, '2'] }, [issue('/children/k/name', 'must be a string'), issue('/nums/1', 'must be a number')]],
  ['Collections', { counts: [], nums: 'x' }, [issue('/counts', 'must be an object'), issue('/nums', 'must be an array or null')]],
  // recursion and unions
  ['Tree', { name: 'a', kids: [{ name: 'b', kids: [{}] }], parent: { name: 'p', parent: null } }, [issue('/kids/0/kids/0/name', 'is required')]],
  ['Tree', { name: 'a', parent: 5 }, [issue('/parent', 'must be an object or null')]],
  ['Tree', { name: 'a', parent: { name: 2 } }, [issue('/parent/name', 'must be a string')]],
  ['Shape', { kind: 'circle', r: -1 }, [issue('/r', 'must be >= 0')]],
  ['Shape', { kind: 'square' }, [issue('/side', 'is required')]],
  ['Shape', { kind: 'triangle', r: 1 }, [issue('/kind', 'must be one of: circle, square')]],
  ['Shape', {}, [issue('/kind', 'is required')]],
  ['Shape', [], [issue('', 'must be an object')]],
  ['Drawing', { shapes: [{ kind: 'circle', r: 1 }, { kind: 'x' }], main: 'no' }, [
    issue('/shapes/1/kind', 'must be one of: circle, square'), issue('/main', 'must be an object or null')]],
];

describe('validate', () => {
  for (const [name, input, want] of validateCases) {
    test(`${name} ${JSON.stringify(input) ?? String(input)}`.slice(0, 140), () => {
      assert.deepEqual(issuesOf(m[name]!, input), want);
    });
  }

  test('a valid value gives null; several issues a fresh array each call, which the caller may keep or change', () => {
    assert.equal(m.OrderItem!.validate({ sku: 'ABC', quantity: 1 }), null);
    const first = m.OrderItem!.validate({ sku: 1 });
    const second = m.OrderItem!.validate({ sku: 1 });
    assert.deepEqual(first, [issue('/sku', 'must be a string'), issue('/quantity', 'is required')]);
    assert.notEqual(first, second);
    first!.push(issue('/later', 'added by the caller'));
    assert.deepEqual(second, [issue('/sku', 'must be a string'), issue('/quantity', 'is required')]);
  });

  test('one issue that nothing can follow (the last field, at the root) comes as a shared frozen list', () => {
    const frozen = (name: string, input: unknown, want: { path: string; message: string }[]) => {
      const first = m[name]!.validate(input);
      assert.deepEqual(first, want, `${name} ${JSON.stringify(input)}`);
      assert.ok(Object.isFrozen(first), `${name} ${JSON.stringify(input)}: frozen`);
      assert.equal(m[name]!.validate(input), first, 'the same list on the next call');
      assert.throws(() => (first as unknown as unknown[]).push(1), TypeError);
    };
    frozen('GetCustomerRequest', {}, [issue('/customer_id', 'is required')]);
    frozen('GetCustomerRequest', { customer_id: 0 }, [issue('/customer_id', 'must be >= 1')]);
    frozen('GetCustomerRequest', { customer_id: '1' }, [issue('/customer_id', 'must be an integer')]);
    frozen('Shape', { kind: 'circle', r: -1 }, [issue('/r', 'must be >= 0')]); // through the union's report
    const fresh = (name: string, input: unknown, want: { path: string; message: string }[]) => {
      const first = m[name]!.validate(input);
      assert.deepEqual(first, want, `${name} ${JSON.stringify(input)}`);
      assert.ok(!Object.isFrozen(first), `${name} ${JSON.stringify(input)}: a fresh array`);
      assert.notEqual(m[name]!.validate(input), first);
    };
    // a fractional number is still checked against the bounds after its first issue: one issue, or two
    fresh('GetCustomerRequest', { customer_id: 1.5 }, [issue('/customer_id', 'must be an integer')]);
    fresh('GetCustomerRequest', { customer_id: 0.5 }, [issue('/customer_id', 'must be an integer'), issue('/customer_id', 'must be >= 1')]);
    // the last field's issue after another field's
    fresh('UpdateCustomerRequest', { customer_id: 0, tier: 'x' }, [
      issue('/customer_id', 'must be >= 1'), issue('/tier', 'must be one of: basic, gold, platinum')]);
    // the last field of a nested model (below the root): its own pointer, then the root goes on
    fresh('CreateOrderRequest', { customer_id: 1, items: [{ sku: 'ABC' }, { sku: 'ABC', quantity: 'x' }] }, [
      issue('/items/0/quantity', 'is required'), issue('/items/1/quantity', 'must be an integer')]);
    fresh('Drawing', { shapes: [{ kind: 'circle', r: -1 }] }, [issue('/shapes/0/r', 'must be >= 0')]);
  });

  test('never mutates or throws on odd input', () => {
    const input = Object.freeze({ customer_id: 1, items: Object.freeze([Object.freeze({ sku: 'ABC', quantity: 2 })]) });
    assert.equal(m.CreateOrderRequest!.validate(input), null);
    for (const odd of [undefined, () => 1, Symbol('s'), 10n, new Date(), new Map(), Object.create(null)]) {
      assert.doesNotThrow(() => m.Tree!.validate(odd));
    }
  });

  test('a field named like an Object.prototype member is required as an own property', () => {
    assert.deepEqual(issuesOf(odd.__proto__!, JSON.parse('{"toString": "x"}')), [issue('/toString', 'must be an integer')]);
    assert.deepEqual(issuesOf(odd[`Odd ${HOSTILE}`]!, { [HOSTILE]: 'ok', constructor: 1 }), [issue('/constructor', 'must be a string')]);
  });

  test('item pointers at the root are kept per array (up to 256) and stay right past that, below the root and in any order', async () => {
    const grid = await loadModels([
      object('Cell', [field('v', t.integer)]),
      object('Grid', [
        field('a/b~c', t.array(t.string), { optional: true }),
        field('rows', t.array(t.array(t.integer)), { optional: true }),
        field('cells', t.array(t.ref('Cell')), { optional: true }),
        field('inner', t.ref('Grid'), { optional: true }),
      ]),
    ]);
    const model = grid.Grid!;
    // Items i with i % step === 0 are not strings.
    const bad = (n: number, step: number) => Array.from({ length: n }, (_, i) => (i % step === 0 ? i : 'ok'));
    const want = (prefix: string, n: number, step: number) =>
      Array.from({ length: n }, (_, i) => i).filter((i) => i % step === 0).map((i) => issue(`${prefix}/${i}`, 'must be a string'));
    // Sparse first (the kept pointers are filled up to the highest index reported), then every index, past the
    // limit, and lower again.
    for (const [n, step] of [[40, 7], [40, 1], [5, 2], [300, 1], [257, 3], [1, 1], [300, 299]] as const) {
      assert.deepEqual(issuesOf(model, { 'a/b~c': bad(n, step) }), want('/a~1b~0c', n, step));
      assert.deepEqual(issuesOf(model, { inner: { 'a/b~c': bad(n, step) } }), want('/inner/a~1b~0c', n, step));
    }
    assert.deepEqual(issuesOf(model, { rows: [[1], [2, 'x'], 'y'], cells: [{ v: 1 }, { v: 'z' }, 7] }), [
      issue('/rows/1/1', 'must be an integer'), issue('/rows/2', 'must be an array'),
      issue('/cells/1/v', 'must be an integer'), issue('/cells/2', 'must be an object'),
    ]);
    assert.deepEqual(issuesOf(model, { inner: { rows: [[], [0, 0.5]], cells: [{}] } }), [
      issue('/inner/rows/1/1', 'must be an integer'), issue('/inner/cells/0/v', 'is required'),
    ]);
  });

  test('issues inside a field or an item at the root are made once per pointer and model, and stay right elsewhere', async () => {
    const two = await loadModels([
      object('B', [field('x', t.string), field('n', t.integer, { optional: true })]),
      object('D', [field('y', t.integer), field('x', t.string, { optional: true })]),
      object('A', [field('items', t.array(t.ref('B'))), field('one', t.ref('B'), { optional: true })]),
      object('C', [field('items', t.array(t.ref('D'))), field('one', t.ref('D'), { optional: true }), field('deep', t.ref('A'), { optional: true })]),
    ]);
    const a = two.A!;
    const c = two.C!;
    const first = a.validate({ items: [{ x: 1 }, {}], one: {} })!;
    assert.deepEqual(first, [issue('/items/0/x', 'must be a string'), issue('/items/1/x', 'is required'), issue('/one/x', 'is required')]);
    const again = a.validate({ items: [{ x: 2 }, {}], one: {} })!;
    assert.notEqual(again, first);
    first.forEach((found, i) => {
      assert.equal(again[i], found, `issue ${i} made once`);
      assert.ok(Object.isFrozen(found));
    });
    // The same pointers and issue numbers in another model: its own issues, not A's.
    assert.deepEqual(c.validate({ items: [{ y: 'a' }, {}], one: {} }), [
      issue('/items/0/y', 'must be an integer'), issue('/items/1/y', 'is required'), issue('/one/y', 'is required')]);
    assert.deepEqual(c.validate({ items: [{ y: 1, x: 5 }] }), [issue('/items/0/x', 'must be a string')]);
    // Below the root item (A inside C) and past the 256 items kept: built per report, with the right pointers.
    assert.deepEqual(c.validate({ items: [], deep: { items: [{}], one: { x: 'ok', n: 0.5 } } }), [
      issue('/deep/items/0/x', 'is required'), issue('/deep/one/n', 'must be an integer')]);
    const many = Array.from({ length: 300 }, (_, i) => (i === 299 || i === 3 ? {} : { x: 'ok' }));
    for (let round = 0; round < 2; round++) {
      const found = a.validate({ items: many })!;
      assert.deepEqual(found, [issue('/items/3/x', 'is required'), issue('/items/299/x', 'is required')]);
      assert.ok(Object.isFrozen(found[0]) && !Object.isFrozen(found[1]), 'item 3 kept, item 299 past the 256 kept');
    }
  });

  test('the checks of a small model in an array or record are written out into the loop, and report what its report_ would', async () => {
    const decls = [
      object('Leaf', [field('n', t.integer, { c: { minimum: 1 } }), field('s', t.string, { optional: true })]),
      object('Mid', [field('leaves', t.array(t.ref('Leaf'))), field('up', t.array(t.ref('Top')), { optional: true })]),
      object('Deep', [field('d', t.array(t.ref('Mid')))]),
      object('Deeper', [field('e', t.array(t.ref('Deep')))]),
      object('Top', [
        field('mids', t.array(t.ref('Mid')), { optional: true }),
        field('byKey', t.record(t.ref('Leaf')), { optional: true }),
        field('maybe', t.array(t.nullable(t.ref('Leaf'))), { optional: true }),
        field('deeper', t.array(t.ref('Deeper')), { optional: true }),
      ]),
    ];
    const text = emitValidators(decls);
    const reportOf = (name: string) => text.slice(text.indexOf(`const report_${name} = `), text.indexOf('\n};\n', text.indexOf(`const report_${name} = `)));
    // Leaf and Mid are written out into Top's loops; Top inside Mid (recursion) and what lies past three levels
    // (Deeper → Deep → Mid) are called.
    assert.doesNotMatch(reportOf('Top'), /report_(Leaf|Deep|Deeper)\(/);
    assert.match(reportOf('Top'), /report_Top\(/);
    assert.match(reportOf('Top'), /report_Mid\(/);
    assert.doesNotMatch(reportOf('Mid'), /report_Leaf\(/);

    const models = await loadModels(decls);
    const top = models.Top!;
    const input = {
      mids: [{ leaves: [{ n: 0 }, 'x', { n: 1, s: 2 }] }, { leaves: [], up: [{ mids: [{ leaves: [{}] }], byKey: { 'a/b': { n: 1.5 } } }] }, 5],
      byKey: { k: { n: 1 }, 'x~y': { s: 's' }, z: null },
      maybe: [null, { n: 1 }, [], { n: -1 }],
      deeper: [{ e: [{ d: [{ leaves: [{ n: 0 }] }] }] }],
    };
    const want = [
      issue('/mids/0/leaves/0/n', 'must be >= 1'), issue('/mids/0/leaves/1', 'must be an object'), issue('/mids/0/leaves/2/s', 'must be a string'),
      issue('/mids/1/up/0/mids/0/leaves/0/n', 'is required'), issue('/mids/1/up/0/byKey/a~1b/n', 'must be an integer'),
      issue('/mids/2', 'must be an object'),
      issue('/byKey/x~0y/n', 'is required'), issue('/byKey/z', 'must be an object'),
      issue('/maybe/2', 'must be an object or null'), issue('/maybe/3/n', 'must be >= 1'),
      issue('/deeper/0/e/0/d/0/leaves/0/n', 'must be >= 1'),
    ];
    // Twice: the second time the item issues come from the kept tables.
    for (let round = 0; round < 2; round++) assert.deepEqual(issuesOf(top, input), want);
    // The same values checked below the root (Top inside Mid inside Top) and on their own.
    assert.deepEqual(issuesOf(top, { mids: [{ leaves: [], up: [input] }] }), want.map((i) => issue(`/mids/0/up/0${i.path}`, i.message)));
    assert.deepEqual(issuesOf(models.Mid!, input.mids[0]), want.slice(0, 3).map((i) => issue(i.path.slice('/mids/0'.length), i.message)));
  });

  test('a report writes out 64 fields of nested models at most, and calls the report_ of the rest', async () => {
    const names = Array.from({ length: 8 }, (_, i) => `a${i}`);
    const decls = [
      object('Ten', Array.from({ length: 10 }, (_, i) => field(`f${i}`, t.integer, { optional: i > 0 }))),
      object('Wide', names.map((n) => field(n, t.array(t.ref('Ten'))))),
    ];
    const text = emitValidators(decls);
    const start = text.indexOf('const report_Wide = ');
    const report = text.slice(start, text.indexOf('\n};\n', start));
    assert.equal(report.match(/report_Ten\(/g)?.length, 2, 'six arrays of ten fields written out, two called');
    const wide = (await loadModels(decls)).Wide!;
    const input = Object.fromEntries(names.map((n) => [n, [{ f0: 1 }, { f1: 1 }, { f0: 'x', f9: 0.5 }]]));
    const want = names.flatMap((n) => [issue(`/${n}/1/f0`, 'is required'), issue(`/${n}/2/f0`, 'must be an integer'), issue(`/${n}/2/f9`, 'must be an integer')]);
    for (let round = 0; round < 2; round++) assert.deepEqual(issuesOf(wide, input), want);
  });
});

describe('parse', () => {
  test('returns a fresh value: declared fields only, nested models parsed', () => {
    const input = { customer_id: 1, items: [{ sku: 'ABC', quantity: 2, extra: true }], spam: 1 };
    const out = m.CreateOrderRequest!.parse(input) as any;
    assert.deepEqual(out, { customer_id: 1, items: [{ sku: 'ABC', quantity: 2 }] });
    assert.notEqual(out.items, input.items);
    const tags = ['a'];
    assert.notEqual((m.Collections!.parse({ tags }) as any).tags, tags);
  });

  test('applies defaults, a fresh copy each time', () => {
    const first = m.Defaults!.parse({}) as any;
    assert.deepEqual(first, { tier: 'basic', tags: ['a'], meta: { k: 'v' }, when: new Date('2020-02-29T12:00:00Z'), maybe: null });
    first.tags.push('mutated');
    first.meta.k = 'mutated';
    assert.deepEqual((m.Defaults!.parse({}) as any).tags, ['a']);
    assert.deepEqual((m.Defaults!.parse({}) as any).meta, { k: 'v' });
    assert.deepEqual(m.Defaults!.parse({ tier: 'gold', maybe: 'x' }), { tier: 'gold', tags: ['a'], meta: { k: 'v' }, when: new Date('2020-02-29T12:00:00Z'), maybe: 'x' });
  });

  const dates: [string, string][] = [
    ['2020-01-01T10:00:00+02:00', '2020-01-01T08:00:00.000Z'],
    ['2020-01-01t10:00:00.1239z', '2020-01-01T10:00:00.123Z'],
    ['2020-01-01 10:00:00-0130', '2020-01-01T11:30:00.000Z'],
    ['0050-06-01T00:00:00Z', '0050-06-01T00:00:00.000Z'],
    ['2016-12-31T23:59:60Z', '2017-01-01T00:00:00.000Z'],
  ];
  for (const [wire, iso] of dates) {
    test(`Date field ${wire} → ${iso}`, () => {
      assert.equal(issuesOf(m.Tree!, { name: 'a', born: wire }).length, 0);
      const born = (m.Tree!.parse({ name: 'a', born: wire }) as any).born as Date;
      assert.ok(born instanceof Date);
      assert.equal(born.toISOString(), iso);
    });
  }

  test('recursion and unions', () => {
    const tree = { name: 'a', kids: [{ name: 'b', born: '2020-01-01T00:00:00Z', x: 1 }], parent: null };
    assert.deepEqual(m.Tree!.parse(tree), { name: 'a', kids: [{ name: 'b', born: new Date('2020-01-01T00:00:00Z') }], parent: null });
    const drawing = { shapes: [{ kind: 'circle', r: 1, side: 2 }, { kind: 'square', side: 3, r: 4 }] };
    assert.deepEqual(m.Drawing!.parse(drawing), { shapes: [{ kind: 'circle', r: 1 }, { kind: 'square', side: 3 }] });
  });

  test('never copies __proto__ onto an ordinary object, and keeps declared ones as plain data', () => {
    const input = JSON.parse('{"customer_id": 1, "__proto__": {"polluted": true}}');
    assert.equal(issuesOf(m.GetCustomerRequest!, input).length, 0);
    const out = m.GetCustomerRequest!.parse(input) as any;
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.equal(out.polluted, undefined);
    assert.deepEqual(Object.keys(out), ['customer_id']);

    const hostileInput = JSON.parse(`{${JSON.stringify(HOSTILE)}: "v", "__proto__": {"__proto__": 5, "a": 1}, "constructor": "c"}`);
    const model = odd[`Odd ${HOSTILE}`]!;
    assert.deepEqual(issuesOf(model, hostileInput), []);
    const parsed = model.parse(hostileInput) as any;
    assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
    const record = Object.getOwnPropertyDescriptor(parsed, '__proto__')!.value;
    assert.equal(Object.getPrototypeOf(record), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(record, '__proto__')!.value, 5);
    assert.equal(parsed.constructor, 'c');
    assert.equal(({} as any).polluted, undefined);
    assert.equal(({} as any).a, undefined);
    assert.equal(model.serialize(parsed), `{${JSON.stringify(HOSTILE)}:"v","__proto__":{"__proto__":5,"a":1},"constructor":"c"}`);
  });
});

describe('serialize', () => {
  const ok: [string, unknown, string][] = [
    ['GetCustomerResponse', { tier: 'gold', extra: 1, email: 'a@b.co', name: 'N"' }, '{"name":"N\\"","email":"a@b.co","tier":"gold"}'],
    ['CreateOrderRequest', { customer_id: 1, items: [{ sku: 'ABC', quantity: 1, junk: 1 }], note: null, created: new Date(0) },
      '{"customer_id":1,"items":[{"sku":"ABC","quantity":1}],"note":null,"created":"1970-01-01T00:00:00.000Z"}'],
    ['CreateOrderRequest', { customer_id: 1, items: [], note: undefined }, '{"customer_id":1,"items":[]}'],
    ['Strings', {}, '{}'],
    ['Strings', { short: 'ab' }, '{"short":"ab"}'],
    ['Strings', { plain: 'a', short: 'ab', ip4: '1.2.3.4' }, '{"plain":"a","short":"ab","ip4":"1.2.3.4"}'],
    ['Collections', { counts: { a: 1, b: undefined }, any: { deep: [1, null] }, children: { t: { name: 'x', y: 2 } }, nums: null },
      '{"counts":{"a":1},"children":{"t":{"name":"x"}},"any":{"deep":[1,null]},"nums":null}'],
    ['Shape', { kind: 'square', side: 2, r: 1 }, '{"kind":"square","side":2}'],
  ];
  for (const [name, value, want] of ok) {
    test(`${name} → ${want}`, () => assert.equal(m[name]!.serialize(value), want));
  }

  const bad: [string, unknown, string][] = [
    ['GetCustomerResponse', { name: 'n', tier: 'gold' }, 'Cannot serialize GetCustomerResponse at /email: is required'],
    ['GetCustomerResponse', { name: {}, email: 'e', tier: 'gold' }, 'Cannot serialize GetCustomerResponse at /name: must be a string (got object)'],
    ['GetCustomerResponse', { name: 'n', email: 'e', tier: 'silver' }, 'Cannot serialize GetCustomerResponse at /tier: must be one of: basic, gold, platinum (got string)'],
    ['CreateOrderRequest', { customer_id: 1, items: [{ sku: 'A', quantity: 1 }, { sku: 5, quantity: 1 }] },
      'Cannot serialize CreateOrderRequest at /items/1/sku: must be a string (got number)'],
    ['CreateOrderRequest', { customer_id: 1.5, items: [] }, 'Cannot serialize CreateOrderRequest at /customer_id: must be an integer (got number)'],
    ['CreateOrderRequest', { customer_id: 1, items: [], created: '2020-01-01' }, 'Cannot serialize CreateOrderRequest at /created: must be a valid Date (got string)'],
    ['CreateOrderRequest', { customer_id: 1, items: [], created: new Date(NaN) }, 'Cannot serialize CreateOrderRequest at /created: must be a valid Date (got Date)'],
    ['Numbers', { n: NaN }, 'Cannot serialize Numbers at /n: must be a finite number (got NaN)'],
    ['Numbers', { ex: -Infinity }, 'Cannot serialize Numbers at /ex: must be a finite number (got -Infinity)'],
    ['Collections', { counts: { 'a/~': 'x' } }, 'Cannot serialize Collections at /counts/a~1~0: must be an integer (got string)'],
    ['Collections', { children: { k: { kids: [{ name: null }] } } }, 'Cannot serialize Collections at /children/k/name: is required'],
    ['Tree', { name: 'a', kids: [{ name: 'b', kids: [{ name: 1 }] }] }, 'Cannot serialize Tree at /kids/0/kids/0/name: must be a string (got number)'],
    ['Drawing', { shapes: [{ kind: 'hexagon' }] }, 'Cannot serialize Drawing at /shapes/0/kind: must be one of: circle, square (got string)'],
    ['Tree', null, 'Cannot serialize Tree: must be an object (got null)'],
  ];
  for (const [name, value, message] of bad) {
    test(`${name} throws: ${message}`, () => {
      assert.throws(() => m[name]!.serialize(value), (err: Error) => err instanceof TypeError && err.message === message);
    });
  }

  test('serialize(parse(x)) round-trips a valid value', () => {
    const input = { customer_id: 7, items: [{ sku: 'SKU-1', quantity: 3 }], note: 'ü "q"\n', created: '2020-02-29T12:00:00.5+01:00' };
    const json = m.CreateOrderRequest!.serialize(m.CreateOrderRequest!.parse(input));
    assert.deepEqual(JSON.parse(json), { ...input, created: '2020-02-29T11:00:00.500Z' });
    assert.equal(issuesOf(m.CreateOrderRequest!, JSON.parse(json)).length, 0);
  });
});

describe('emitted file', () => {
  test('params give the runtime a coercion type per top-level field', () => {
    assert.deepEqual(m.CreateOrderRequest!.params, { customer_id: 'integer', items: 'other', note: 'string', created: 'date' });
    assert.deepEqual(m.Choices!.params, { color: 'string', level: 'integer', one: 'string', mixed: 'other', maybe: 'string' });
    assert.deepEqual(m.Numbers!.params, { n: 'number', ex: 'number', step: 'number', int: 'integer', flag: 'boolean' });
    assert.deepEqual(m.Collections!.params.counts, 'other');
    assert.deepEqual(m.Shape!.params, {});
  });

  test('has every object and union model by name, no enums, and is deterministic', () => {
    assert.deepEqual(Object.keys(m), [...customers(), ...kitchen()].filter((d) => d.kind !== 'enum').map((d) => d.name).sort());
    assert.equal(m.Tree!.name, 'Tree');
    const all = [...customers(), ...kitchen()];
    assert.equal(emitValidators([...all].reverse()), emitValidators(all));
  });

  test('with a cache kept across emits (the watch mode), the text is what an emit from scratch gives', () => {
    const all = [...customers(), ...kitchen(), ...hostile()];
    // Each step changes what some model's code depends on: its fields, a model it refers to, the numbering of
    // shared constants (a pattern added to or taken from the first model renumbers those of later ones), names.
    const withPattern = (models: ModelDecl[], pattern: string): ModelDecl[] => {
      const [first, ...rest] = [...models].sort((a, b) => (a.name < b.name ? -1 : 1));
      if (first?.kind !== 'object') return models;
      const extra = { name: 'added', type: { kind: 'string' }, optional: true, constraints: { pattern }, loc: first.loc };
      return [{ ...first, fields: [...first.fields, extra] } as ModelDecl, ...rest];
    };
    const steps: ModelDecl[][] = [
      all,
      all,
      withPattern(all, '^[a-z]+$'),
      withPattern(all, '^[A-Z]+$'),
      all,
      all.filter((d) => d.kind !== 'enum'),
      all.slice(1),
      all.map((d) => (d.kind === 'object' ? { ...d, fields: d.fields.slice(1) } : d)),
      all,
      // Only the model CreateOrderRequest's items are: its checks are written out into CreateOrderRequest's loop.
      all.map((d) => (d.name === 'OrderItem' && d.kind === 'object' ? { ...d, fields: d.fields.slice(1) } : d)),
      all.map((d) => ({ ...d, name: `${d.name}X` })),
      customers(),
      [],
      all,
    ];
    const cache = new ValidatorCache();
    steps.forEach((models, i) => assert.equal(emitValidators(models, cache), emitValidators(models), `step ${i}`));
    // In pieces (what the build writes), with runs of lines kept across emits.
    const parts = new ValidatorCache();
    steps.forEach((models, i) => assert.equal(emitValidatorsParts(models, parts).join(''), emitValidators(models), `parts, step ${i}`));
  });

  test('as bytes (what the build helper hands over): the UTF-8 of the text, non-ASCII and hostile names included', () => {
    const emoji = object('Emoji', [field('é € 😀', t.literal('😀', 'café', '\u2028'))]);
    for (const models of [[...customers(), ...kitchen()], hostile(), [emoji], []]) {
      const bytes = emitValidatorsBytes(models);
      assert.ok(Buffer.from(emitValidators(models), 'utf8').equals(bytes));
      assert.equal(bytes.byteOffset, 0);
      assert.equal(bytes.buffer.byteLength, bytes.byteLength, 'a buffer of its own, exactly this size (it is transferred)');
    }
  });

  test('with a cache, a reused model follows the renaming of a shared constant it uses, and becoming nested', () => {
    // B and C use the constant of pattern P, which A declares first; then A declares Q before it, so P is renamed
    // while B's and C's own IR stays the same objects. Then D refers to C, which makes C nested (an is_ function).
    const P = '^(a|b)+$';
    const a = object('A', [field('p', t.string, { c: { pattern: P } })]);
    const a2 = object('A', [field('q', t.string, { c: { pattern: '^(c|d)+$' } }), field('p', t.string, { c: { pattern: P } })]);
    const b = object('B', [field('p', t.string, { c: { pattern: P } })]);
    const c = object('C', [field('p', t.string, { c: { pattern: P } })]);
    const d = object('D', [field('c', t.ref('C'))]);
    const steps: ModelDecl[][] = [[a, b, c], [a2, b, c], [a, b, c], [a, b, c, d], [a, b, c]];
    const cache = new ValidatorCache();
    steps.forEach((models, i) => assert.equal(emitValidators(models, cache), emitValidators(models), `step ${i}`));
  });

  test('inlines only the helpers it uses and imports nothing at run time', () => {
    const code = emitValidators(customers());
    assert.match(code, /^\/\/ Generated by servicegate \(gen build\)\. Do not edit: run `gen build` instead\.\nimport type \{ CompiledModel, ValidationIssue \} from 'servicegate';\n/);
    assert.equal(code.match(/^import /gm)!.length, 1);
    assert.ok(code.includes('const $email = /') && !code.includes('$uuid') && !code.includes('$eq(') && !code.includes('new Function'));
    assert.match(code, /\/\/ OrderItem: services\/orders\.ts:\d+:14\n/);
    assert.ok(code.endsWith('};\n') && !code.includes('\r'));
  });

  test('format regexes are the ones ajv-formats uses in full mode', () => {
    const { fullFormats } = createRequire(import.meta.url)('ajv-formats/dist/formats.js');
    for (const [name, re] of Object.entries(FORMAT_REGEXES)) {
      assert.equal(re.source, fullFormats[name].source, name);
      assert.equal(re.flags, fullFormats[name].flags, name);
    }
  });

  test('hostile names: keyed exactly, escaped in pointers, no comment break-out', () => {
    assert.deepEqual(Object.keys(odd).sort(), ['Empty', 'Odd_it_s__q___b____x_______ü__', `Odd ${HOSTILE}`, '__proto__'].sort());
    assert.deepEqual([odd.Empty!.parse({ a: 1 }), odd.Empty!.serialize({ a: 1 }), issuesOf(odd.Empty!, [])], [{}, '{}', [issue('', 'must be an object')]]);
    assert.equal(Object.getPrototypeOf(odd), Object.prototype);
    assert.deepEqual(issuesOf(odd[`Odd ${HOSTILE}`]!, { 'a/b~c': 'no' }), [
      issue(`/${HOSTILE.replace(/~/g, '~0').replace(/\//g, '~1')}`, 'is required'),
      issue('/a~1b~0c', `must be one of: ${HOSTILE}, */`)]);
    assert.deepEqual(odd.__proto__!.parse({}), { toString: 7, x: [HOSTILE] });
    const code = emitValidators(hostile());
    for (const line of code.split(/\n|\u2028|\u2029/)) if (line.trimStart().startsWith('//')) assert.ok(!line.includes('*/') || line.includes('*\\/'), line);
  });

  test('type-checks with tsc --strict against the servicegate types', { timeout: 60_000 }, () => {
    if (!existsSync(join(REPO, 'dist', 'runtime', 'index.d.ts'))) {
      assert.equal(spawnSync('npm', ['run', 'build'], { cwd: REPO }).status, 0, 'npm run build');
    }
    const project = tempProject({
      'generated/customers.ts': emitValidators(customers()),
      'generated/kitchen.ts': emitValidators(kitchen()),
      'generated/hostile.ts': emitValidators(hostile()),
      'generated/small.ts': emitValidators(customers().slice(0, 2)), // no nested models: no $at
      'generated/empty.ts': emitValidators([]),
    });
    try {
      const r = spawnSync(process.execPath, [TSC, '-p', project.dir, '--noUncheckedIndexedAccess', '--exactOptionalPropertyTypes', '--noImplicitReturns',
        '--noUnusedLocals', '--noUnusedParameters'], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stdout + r.stderr);
    } finally {
      project.remove();
    }
  });
});
