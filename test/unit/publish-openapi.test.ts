import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { OpenAPIObject } from 'openapi3-ts/oas31';
import { emitOpenApi } from '../../generator/emit/openapi.js';
import { downconvert } from '../../generator/publish/downconvert.js';
import { publish } from '../../generator/publish/index.js';
import { project, readSample, redoclyLint, tempDir, writeFiles } from './publish-fixture.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** A 3.1 document with one component `S` = `schema` (and `T`, an object, for refs), down-converted. */
function convert(schema: Record<string, unknown>): unknown {
  const doc = {
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    components: { schemas: { S: schema, T: { type: 'object', properties: {} }, E: { type: 'string', enum: ['a'] } } },
  } as unknown as OpenAPIObject;
  return (downconvert(doc).components!.schemas as Record<string, unknown>).S;
}

const CASES: [string, { given: Record<string, unknown>; want: unknown }][] = [
  ['nullable primitive', { given: { type: ['string', 'null'], maxLength: 3 }, want: { type: 'string', maxLength: 3, nullable: true } }],
  ['nullable enum keeps null in the enum', { given: { type: ['string', 'null'], enum: ['a', null] }, want: { type: 'string', enum: ['a', null], nullable: true } }],
  ['const', { given: { type: 'string', const: 'Error' }, want: { type: 'string', enum: ['Error'] } }],
  ['exclusiveMinimum', { given: { type: 'integer', exclusiveMinimum: 0 }, want: { type: 'integer', exclusiveMinimum: true, minimum: 0 } }],
  ['exclusiveMaximum with a looser maximum', { given: { type: 'number', maximum: 10, exclusiveMaximum: 5 }, want: { type: 'number', maximum: 5, exclusiveMaximum: true } }],
  ['exclusiveMinimum with a stricter minimum', { given: { type: 'number', minimum: 10, exclusiveMinimum: 5 }, want: { type: 'number', minimum: 10 } }],
  ['examples', { given: { type: 'string', examples: ['SKU-1'] }, want: { type: 'string', example: 'SKU-1' } }],
  ['nullable ref to an object', { given: { anyOf: [{ $ref: '#/components/schemas/T' }, { type: 'null' }] }, want: { allOf: [{ $ref: '#/components/schemas/T' }], nullable: true, type: 'object' } }],
  ['nullable ref to an enum', { given: { anyOf: [{ $ref: '#/components/schemas/E' }, { type: 'null' }] }, want: { allOf: [{ $ref: '#/components/schemas/E' }], nullable: true, type: 'string' } }],
  ['$ref with a description', { given: { $ref: '#/components/schemas/T', description: 'd' }, want: { allOf: [{ $ref: '#/components/schemas/T' }], description: 'd' } }],
  ['nested: array items and record values', {
    given: { type: 'object', properties: { a: { type: 'array', items: { type: ['integer', 'null'] } }, r: { type: 'object', additionalProperties: { const: 1 } } } },
    want: { type: 'object', properties: { a: { type: 'array', items: { type: 'integer', nullable: true } }, r: { type: 'object', additionalProperties: { enum: [1] } } } },
  }],
  ['2020-12-only keywords are dropped', { given: { type: 'array', prefixItems: [{}], $comment: 'x', items: {} }, want: { type: 'array', items: {} } }],
  ['a field called __proto__ survives', { given: JSON.parse('{"type":"object","properties":{"__proto__":{"const":1}}}'), want: JSON.parse('{"type":"object","properties":{"__proto__":{"enum":[1]}}}') }],
];

for (const [name, { given, want }] of CASES) {
  test(`downconvert: ${name}`, () => {
    assert.deepEqual(convert(given), want);
  });
}

test('downconvert leaves its input alone and sets openapi 3.0.3', () => {
  const doc = emitOpenApi(project(), { title: 't', version: '1' });
  const before = JSON.stringify(doc);
  const converted = downconvert(doc);
  assert.equal(JSON.stringify(doc), before);
  assert.equal(converted.openapi, '3.0.3');
  // The document shares its error responses between operations; the conversion is that of an unshared copy.
  assert.deepEqual(converted, downconvert(JSON.parse(before) as OpenAPIObject));
});

/** Every place in `value` that is still OpenAPI 3.1 / JSON Schema 2020-12 only. */
function leftovers(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leftovers(v, `${path}/${i}`));
  if (value === null || typeof value !== 'object') return [];
  const out: string[] = [];
  const o = value as Record<string, unknown>;
  if (Array.isArray(o.type)) out.push(`${path}/type`);
  if ('const' in o) out.push(`${path}/const`);
  if (typeof o.exclusiveMinimum === 'number' || typeof o.exclusiveMaximum === 'number') out.push(`${path}/exclusive*`);
  if (o.type === 'null') out.push(`${path}/type null`);
  if (Array.isArray(o.examples) && path.includes('/schemas/')) out.push(`${path}/examples`);
  for (const [k, v] of Object.entries(o)) out.push(...leftovers(v, `${path}/${k}`));
  return out;
}

for (const [label, load] of [
  ['the customers sample', readSample],
  ['a richer fixture (union, record, nullable ref, date, 204)', async () => ({ project: project(), doc: emitOpenApi(project(), { title: 'Fixture', version: '2.0.0' }) })],
] as const) {
  test(`target openapi on ${label}: openapi.json (3.1) and openapi-3.0.json both pass redocly lint`, async () => {
    const { project: p, doc } = await load();
    const result = publish(p, doc, 'openapi', { title: 'x', version: '1' });
    assert.deepEqual(result.files.map((f) => f.path), ['openapi-3.0.json', 'openapi.json']);
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(JSON.parse(result.files[1]!.content), doc);
    const v30 = JSON.parse(result.files[0]!.content);
    assert.equal(v30.openapi, '3.0.3');
    assert.deepEqual(leftovers(v30), []);

    const dir = await tempDir('sg-publish-openapi-');
    dirs.push(dir);
    await writeFiles(dir, result.files);
    for (const f of result.files) {
      const errors = (await redoclyLint(join(dir, f.path))).filter((p) => p.severity === 'error');
      assert.deepEqual(errors, [], `${f.path}: ${JSON.stringify(errors, null, 2)}`);
    }
  });
}
