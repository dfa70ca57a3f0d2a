/**
 * generated/openapi.yaml is written by emit/yaml-text.ts, not by the yaml package: whatever the data, a YAML 1.2
 * parser and a YAML 1.1 parser (where yes/no/on/off are booleans) must read back exactly the JSON data.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from 'yaml';
import { emitYamlText } from '../../generator/emit/yaml-text.js';
import { jsonText, TextCache } from '../../generator/emit/text-cache.js';
import { generate } from '../../generator/build.js';
import { REPO } from '../helpers/project.js';
import { join } from 'node:path';

function roundTrips(value: object): void {
  const text = emitYamlText(value);
  const want = JSON.parse(JSON.stringify(value));
  assert.deepEqual(parse(text), want, text);
  assert.deepEqual(parse(text, { version: '1.1' }), want, text);
}

test('tricky scalars and keys read back as the same strings, numbers and nesting', () => {
  const tricky = ['', ' ', 'yes', 'No', 'on', 'OFF', 'y', 'null', '~', 'true', '1.0.0', '0x1F', '1e3', '.5', '-', '- a', '? x', 'a: b', 'a #b',
    'a:', '#x', '&a', '*a', '!t', '|', '>', "'q'", '"q"', '%x', '@x', '`x`', '<<', '=', 'tab\there', 'line\nbreak', 'cr\r',
    '\u2028', '\u0085', '\x7f', '\ufeff', 'ü', '😀', '\ud800', 'a ', ' a', '[a]', '{a}', 'a,b', '$ref', '/api/{service}', '2001-12-14'];
  const obj: Record<string, unknown> = { list: tricky, nested: [[1, [2]], [], {}, [{ a: 1, b: [] }], { c: { d: null } }], n: [0, -1.5, 1e21, true, false, null] };
  for (const s of tricky) obj[s] = s;
  roundTrips(obj);
  roundTrips([{ a: [{ b: 1 }] }, [['x']], 'y', { gone: undefined }, [{ gone: undefined }]]);
});

test('random JSON values read back unchanged', () => {
  fc.assert(fc.property(fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue()), (value) => roundTrips(value)), { seed: 20260107, numRuns: 300 });
});

test("the customers sample's OpenAPI document reads back unchanged", () => {
  const result = generate({ dir: join(REPO, 'samples', 'customers') });
  assert.ok(result.openapi);
  roundTrips(result.openapi);
});

test('objects marked shared are written once per place shape and reused: same text as without', () => {
  const o = { a: 1, b: { c: 'yes', d: [1, { e: null }] } };
  const arr = ['x', { y: 2 }];
  const doc = { x: o, y: [o, { z: o }, [o, arr]], w: { v: { u: o, t: arr } }, arr, top: [arr, arr] };
  const shared = new WeakSet<object>([o, arr]);
  assert.equal(emitYamlText(doc, undefined, '# h\n', shared), emitYamlText(doc, undefined, '# h\n'));
  roundTrips(doc);
});

test('with a TextCache, large objects written in runs of kept text give the text without it', () => {
  const cache = new TextCache();
  const check = (value: object, step: string): void => {
    cache.begin();
    assert.equal(jsonText(value, cache), JSON.stringify(value, null, 2), `JSON, ${step}`);
    assert.equal(emitYamlText(value, cache), emitYamlText(value), `YAML, ${step}`);
  };
  // 300 entries whose values are parts, kept as the same objects from step to step (as emitters keep them).
  const items = Array.from({ length: 300 }, (_, i) => [`/p${String(i).padStart(3, '0')}`, { post: { summary: `s${i}`, n: i } }] as const);
  const paths = (entries: readonly (readonly [string, unknown])[]) => Object.fromEntries(entries);
  const doc = (entries: readonly (readonly [string, unknown])[]) => ({ openapi: '3.1.0', paths: paths(entries), list: [paths(entries)] });
  check(doc(items), 'first');
  check(doc(items), 'same objects');
  const changed = items.map(([k, v], i) => (i === 150 ? ([k, { post: { summary: 'changed', n: i } }] as const) : ([k, v] as const)));
  check(doc(changed), 'one value a new object');
  check(doc(items.map(([k, v], i) => [i === 70 ? '/renamed' : k, v] as const)), 'one key renamed');
  check(doc(items.filter((_, i) => i !== 3)), 'one entry gone: every later run shifts');
  check(doc(items.map(([k, v], i) => [k, i === 200 ? 'a leaf' : i === 201 ? {} : v] as const)), 'a leaf and an empty object in a run');
  check(doc([...items].reverse()), 'reversed');
  const leaves = Array.from({ length: 64 }, (_, i) => [`/a${i}`, i] as const);
  check(doc([...leaves, ...items]), 'a run of leaves first: the first run of parts is no longer the first entry');
  check(doc(items), 'and back');
  check(doc([...leaves, ...items]), 'again');
  check(doc(items), 'back');
});

test('with a TextCache kept across documents (the watch mode), JSON and YAML text are as without it', () => {
  const cache = new TextCache();
  const check = (value: object): void => {
    cache.begin();
    assert.equal(jsonText(value, cache), JSON.stringify(value, null, 2));
    assert.equal(emitYamlText(value, cache), emitYamlText(value));
    assert.equal(jsonText(value, cache, '\n'), `${JSON.stringify(value, null, 2)}\n`);
    assert.equal(jsonText(value, undefined, '\n'), `${JSON.stringify(value, null, 2)}\n`);
    assert.equal(emitYamlText(value, cache, '# head\n'), `# head\n${emitYamlText(value)}`);
  };
  // Deep values, so that parts (depth 2 and below) exist and recur from one document to the next.
  const deep = fc.dictionary(fc.string(), fc.dictionary(fc.string(), fc.oneof(fc.jsonValue(), fc.array(fc.jsonValue()))));
  fc.assert(fc.property(deep, deep, (a, b) => {
    check(a);
    check({ ...a, ...b });
    check(a);
    return true;
  }), { seed: 20261128, numRuns: 200 });
  const doc = generate({ dir: join(REPO, 'samples', 'customers') }).openapi!;
  check(doc);
  check({ ...doc, paths: { ...doc.paths, '/extra': { get: { summary: 'x', responses: { '200': { description: 'OK' } } } } } });
  check({ ...doc, components: {} });
  check(doc);
});
