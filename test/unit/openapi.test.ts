import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { OperationObject, ParameterObject, SchemaObject } from 'openapi3-ts/oas31';
import { componentName, componentSchemas, modelSchema, standaloneSchema } from '../../generator/emit/json-schema.js';
import { emitOpenApi, errorSchemaName } from '../../generator/emit/openapi.js';
import { OpenApiCache } from '../../generator/emit/openapi-cache.js';
import { SHARED } from '../../generator/emit/openapi-operation.js';
import type { Field, ModelDecl, TypeRef } from '../../generator/ir.js';
import {
  apikey,
  customersProject,
  field,
  gateway,
  loc,
  object,
  project,
  rest,
  service,
  t,
} from '../golden/openapi/fixtures.js';

// ajv-formats is CommonJS with a default export; under NodeNext its namespace object is what `import` yields.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const options = { title: 'Test', version: '1.0.0' };
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** The schema of a single field named `f`, as it appears in its model's properties. */
function fieldOf(type: TypeRef, extra: Partial<Field> = {}): SchemaObject {
  return modelSchema(object('M', [field('f', type, extra)])).properties!.f as SchemaObject;
}

test('field types map to the agreed JSON Schema', () => {
  const cases: [string, TypeRef, Partial<Field>, SchemaObject][] = [
    ['string', t.string, {}, { type: 'string' }],
    ['number', t.number, {}, { type: 'number' }],
    ['Int', t.integer, {}, { type: 'integer' }],
    ['boolean', t.boolean, {}, { type: 'boolean' }],
    ['Date', t.date, {}, { type: 'string', format: 'date-time' }],
    ['unknown', t.unknown, {}, {}],
    ['one literal', t.literal('a'), {}, { type: 'string', const: 'a' }],
    ['string literals', t.literal('a', 'b'), {}, { type: 'string', enum: ['a', 'b'] }],
    ['number literals', t.literal(1, 2.5), {}, { type: 'number', enum: [1, 2.5] }],
    ['mixed literals', t.literal('a', 1, true), {}, { enum: ['a', 1, true] }],
    ['model ref', t.ref('Other'), {}, ref('Other')],
    ['ref with description keeps siblings', t.ref('Other'), { description: 'd' }, { ...ref('Other'), description: 'd' }],
    ['array', t.array(t.string), {}, { type: 'array', items: { type: 'string' } }],
    ['record', t.record(t.integer), {}, { type: 'object', additionalProperties: { type: 'integer' } }],
    ['nullable string', t.nullable(t.string), {}, { type: ['string', 'null'] }],
    ['nullable one literal', t.nullable(t.literal('a')), {}, { type: ['string', 'null'], enum: ['a', null] }],
    ['nullable literals', t.nullable(t.literal('a', 'b')), {}, { type: ['string', 'null'], enum: ['a', 'b', null] }],
    ['nullable mixed literals', t.nullable(t.literal('a', 1)), {}, { enum: ['a', 1, null] }],
    ['nullable ref', t.nullable(t.ref('Other')), {}, { anyOf: [ref('Other'), { type: 'null' }] }],
    ['nullable array', t.nullable(t.array(t.ref('O'))), {}, { type: ['array', 'null'], items: ref('O') }],
    ['nullable unknown', t.nullable(t.unknown), {}, {}],
    ['array of nullable', t.array(t.nullable(t.integer)), {}, { type: 'array', items: { type: ['integer', 'null'] } }],
    [
      'constraints, in keyword order, on the non-null part',
      t.nullable(t.string),
      { constraints: { pattern: '^a', maxLength: 5, minLength: 1, format: 'email' } },
      { type: ['string', 'null'], minLength: 1, maxLength: 5, pattern: '^a', format: 'email' },
    ],
    [
      'numeric constraints, 3.1-style exclusive bounds',
      t.number,
      { constraints: { exclusiveMinimum: 0, exclusiveMaximum: 10, multipleOf: 0.5, minimum: 1, maximum: 9 } },
      { type: 'number', minimum: 1, maximum: 9, exclusiveMinimum: 0, exclusiveMaximum: 10, multipleOf: 0.5 },
    ],
    [
      'array constraints',
      t.array(t.string),
      { constraints: { minItems: 1, maxItems: 3, uniqueItems: true } },
      { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 3, uniqueItems: true },
    ],
    ['@format on a Date', t.date, { constraints: { format: 'date' } }, { type: 'string', format: 'date' }],
    [
      'annotations',
      t.string,
      { description: 'x', default: 'basic', optional: true, example: 'gold', deprecated: true },
      { type: 'string', description: 'x', default: 'basic', examples: ['gold'], deprecated: true },
    ],
  ];
  for (const [name, type, extra, want] of cases) assert.deepEqual(fieldOf(type, extra), want, name);
});

test('object models: properties in declaration order, required without optionals or defaults, no additionalProperties', () => {
  const model = object(
    'Order',
    [
      field('zeta', t.string),
      field('alpha', t.string, { optional: true }),
      field('tier', t.string, { optional: true, default: 'basic' }),
      field('count', t.integer),
    ],
    { description: 'An order.', deprecated: true },
  );
  const s = modelSchema(model);
  assert.deepEqual(Object.keys(s.properties!), ['zeta', 'alpha', 'tier', 'count']);
  assert.deepEqual(s.required, ['zeta', 'count']);
  assert.equal(s.description, 'An order.');
  assert.equal(s.deprecated, true);
  assert.equal('additionalProperties' in s, false);
  assert.equal('required' in modelSchema(object('Empty', [field('a', t.string, { optional: true })])), false);
});

test('enum and union models', () => {
  const cases: [ModelDecl, SchemaObject][] = [
    [{ kind: 'enum', name: 'Color', values: ['red', 'green'], loc }, { type: 'string', enum: ['red', 'green'] }],
    [
      { kind: 'enum', name: 'Level', values: [1, 2], description: 'L', loc },
      { type: 'number', description: 'L', enum: [1, 2] },
    ],
    [
      {
        kind: 'union',
        name: 'Shape',
        discriminator: 'kind',
        members: [
          { value: 'circle', model: 'Circle' },
          { value: 2, model: 'Square' },
        ],
        loc,
      },
      {
        oneOf: [ref('Circle'), ref('Square')],
        discriminator: {
          propertyName: 'kind',
          mapping: { circle: '#/components/schemas/Circle', '2': '#/components/schemas/Square' },
        },
      },
    ],
  ];
  for (const [model, want] of cases) assert.deepEqual(modelSchema(model), want, model.name);
});

test('component names are valid OpenAPI keys, unchanged for plain identifiers, and never collide', () => {
  const names = ['GetCustomer', 'Order_2', 'A$b', 'A-24-b', 'Kunde_Ä', 'Kunde_Å', '𝒳', 'a/b~c', ''];
  const keys = names.map(componentName);
  assert.deepEqual(keys.slice(0, 2), ['GetCustomer', 'Order_2']);
  for (const k of keys) assert.match(k, /^[a-zA-Z0-9._-]+$/);
  assert.equal(new Set(keys).size, names.length);
  const schemas = componentSchemas([object('b', []), object('B', []), object('a$', [field('x', t.ref('b'))])]);
  assert.deepEqual(Object.keys(schemas), ['B', 'a-24-', 'b']);
});

test('the error schema name avoids user models', () => {
  assert.equal(errorSchemaName([object('Customer', [])]), 'ZatoError');
  assert.equal(errorSchemaName([object('ZatoError', [])]), 'ZatoError_');
  assert.equal(errorSchemaName([object('ZatoError', []), object('ZatoError_', [])]), 'ZatoError__');
});

test('standaloneSchema compiles in Ajv2020 and accepts and rejects like the model says', () => {
  const models: ModelDecl[] = [
    object('Item', [
      field('sku', t.string, { constraints: { pattern: '^[A-Z]+$' } }),
      field('qty', t.integer, { constraints: { minimum: 1 } }),
    ]),
    object('Order', [
      field('id', t.string, { constraints: { format: 'uuid' } }),
      field('items', t.array(t.ref('Item')), { constraints: { minItems: 1 } }),
      field('note', t.nullable(t.string), { optional: true, constraints: { maxLength: 3 } }),
      field('shape', t.nullable(t.ref('Shape')), { optional: true }),
      field('tags', t.record(t.literal('a', 'b')), { optional: true }),
      field('at', t.date, { optional: true }),
    ]),
    object('Circle', [field('kind', t.literal('circle')), field('r', t.number, { constraints: { exclusiveMinimum: 0 } })]),
    object('Square', [field('kind', t.literal('square')), field('side', t.number)]),
    {
      kind: 'union',
      name: 'Shape',
      discriminator: 'kind',
      members: [
        { value: 'circle', model: 'Circle' },
        { value: 'square', model: 'Square' },
      ],
      loc,
    },
  ];
  const ajv = addFormats(new Ajv2020({ allErrors: true }));
  const validate = ajv.compile(standaloneSchema(models, 'Order'));
  const ok = { id: '123e4567-e89b-12d3-a456-426614174000', items: [{ sku: 'AB', qty: 1 }] };
  const cases: [string, unknown, boolean][] = [
    ['minimal', ok, true],
    ['unknown fields are accepted', { ...ok, extra: 1 }, true],
    ['nulls where nullable', { ...ok, note: null, shape: null }, true],
    ['union member', { ...ok, shape: { kind: 'circle', r: 1 } }, true],
    ['record of literals', { ...ok, tags: { x: 'a' } }, true],
    ['date-time', { ...ok, at: '2024-01-02T03:04:05Z' }, true],
    ['missing required', { items: ok.items }, false],
    ['bad uuid', { ...ok, id: 'nope' }, false],
    ['empty items', { ...ok, items: [] }, false],
    ['item pattern', { ...ok, items: [{ sku: 'ab', qty: 1 }] }, false],
    ['non-integer qty', { ...ok, items: [{ sku: 'AB', qty: 1.5 }] }, false],
    ['note too long', { ...ok, note: 'abcd' }, false],
    ['union: wrong discriminant', { ...ok, shape: { kind: 'triangle', r: 1 } }, false],
    ['union: member constraint', { ...ok, shape: { kind: 'circle', r: 0 } }, false],
    ['record value', { ...ok, tags: { x: 'c' } }, false],
    ['bad date-time', { ...ok, at: 'yesterday' }, false],
    ['not an object', [ok], false],
  ];
  for (const [name, value, want] of cases) assert.equal(validate(value), want, name);
  assert.throws(() => standaloneSchema(models, 'Missing'), /Missing/);
});

test('customers: gateway operations per allowlisted service, direct channel, operationIds, security', () => {
  const doc = emitOpenApi(customersProject(), options);
  assert.equal(doc.openapi, '3.1.0');
  assert.deepEqual(Object.keys(doc.paths!), ['/api/customer/get', '/zato/gateway/customer.get', '/zato/gateway/orders.create']);
  const gw = doc.paths!['/zato/gateway/customer.get']!.post!;
  assert.equal(gw.operationId, 'customer_get');
  assert.equal(doc.paths!['/api/customer/get']!.post!.operationId, 'customer_get_Get_customer');
  assert.equal(doc.paths!['/zato/gateway/orders.create']!.post!.operationId, 'orders_create');
  assert.deepEqual(gw.tags, ['Gateway']);
  assert.equal(gw.summary, 'customer.get');
  assert.equal(gw.description, "Returns a customer's public profile.");
  assert.deepEqual(gw.security, [{ 'gateway.credentials': [] }]);
  assert.deepEqual(Object.keys(gw.responses!), ['200', '400', '401', '404', '413', '415', '500', '504']);
  assert.deepEqual(gw.requestBody, { content: { 'application/json': { schema: ref('GetCustomerRequest') } }, required: true });
  assert.deepEqual(doc.components!.securitySchemes, {
    'api.credentials': { type: 'http', scheme: 'basic', description: 'HTTP Basic authentication, realm "API".' },
    'gateway.credentials': { type: 'http', scheme: 'basic', description: 'HTTP Basic authentication, realm "Gateway".' },
  });
  // The internal service's models are not published; the error schema is.
  assert.deepEqual(Object.keys(doc.components!.schemas!), [
    'CreateOrderRequest',
    'CreateOrderResponse',
    'GetCustomerRequest',
    'GetCustomerResponse',
    'OrderItem',
    'ZatoError',
  ]);
  const err = doc.components!.schemas!.ZatoError as SchemaObject;
  assert.deepEqual(err.required, ['result', 'cid', 'details']);
  assert.deepEqual(err.properties!.result, { type: 'string', const: 'Error' });
  const gatewayTag = doc.tags!.find((tag) => tag.name === 'Gateway')!;
  assert.match(gatewayTag.description!, /x-zato-username/);
  assert.ok(!JSON.stringify(doc).includes('"name":"x-zato-username"'));
});

test('operations share one error response object per description; the cached (watch) emit gives equal JSON', () => {
  const doc = emitOpenApi(customersProject(), options);
  const ops = Object.values(doc.paths!).map((item) => item.post!);
  const first = ops[0]!.responses!['400'];
  assert.ok(ops.length > 1 && ops.every((op) => op.responses!['400'] === first));
  assert.ok(SHARED.has(first));
  assert.notEqual(ops[0]!.responses!['500'], first);
  const cached = emitOpenApi(customersProject(), options, new OpenApiCache());
  assert.equal(JSON.stringify(cached), JSON.stringify(doc));
});

test('operationIds stay unique when sanitised names and several channels collide', () => {
  const p = project({
    models: [],
    services: [service('a.b'), service('a_b'), service('a-b-2'), service('x')],
    channels: [
      gateway('Gateway', ['a.b', 'a_b', 'a-b-2', 'x'], null),
      gateway('Other', ['x'], null, { urlPath: '/other/{service}' }),
      rest('direct', '/x', 'x', 'PUT', null),
      rest('Direct', '/x2', 'x', 'PUT', null),
    ],
  });
  const ids = new Map<string, string>();
  for (const [path, item] of Object.entries(emitOpenApi(p, options).paths!)) ids.set(path, (item.post ?? item.put)!.operationId!);
  assert.deepEqual(Object.fromEntries(ids), {
    '/other/x': 'x_Other',
    '/x': 'x_direct',
    '/x2': 'x_Direct',
    '/zato/gateway/a-b-2': 'a_b_2',
    '/zato/gateway/a.b': 'a_b',
    '/zato/gateway/a_b': 'a_b_3', // 'a_b_2' went to service a-b-2, a primary
    '/zato/gateway/x': 'x',
  });
  // Without a channel called 'Gateway', the first gateway channel by name keeps the plain id.
  const q = project({ models: [], services: [service('x')], channels: [gateway('Zeta', ['x'], null), rest('A', '/a', 'x', 'POST', null)] });
  const paths = emitOpenApi(q, options).paths!;
  assert.equal(paths['/zato/gateway/x']!.post!.operationId, 'x');
  assert.equal(paths['/a']!.post!.operationId, 'x_A');
});

test('GET channels: path and query parameters, no request body', () => {
  const p = project({
    security: [apikey('partners', 'X-Partner-Key')],
    models: [
      { kind: 'enum', name: 'Status', values: ['open', 'closed'], loc },
      object('ListRequest', [
        field('customer_id', t.integer, { description: 'Whose orders.', constraints: { minimum: 1 } }),
        field('status', t.ref('Status'), { optional: true }),
        field('limit', t.integer, { default: 10 }),
        field('since', t.date),
        field('filter', t.array(t.string), { optional: true }),
        field('old', t.boolean, { optional: true, deprecated: true }),
      ]),
    ],
    services: [service('orders.list', 'ListRequest')],
    channels: [rest('List', '/api/customers/{customer_id}/orders', 'orders.list', 'GET', 'partners')],
  });
  const doc = emitOpenApi(p, options);
  const op = doc.paths!['/api/customers/{customer_id}/orders']!.get! as OperationObject;
  assert.equal(op.requestBody, undefined);
  const params = op.parameters as ParameterObject[];
  assert.deepEqual(params[0], {
    name: 'customer_id',
    in: 'path',
    description: 'Whose orders.',
    required: true,
    schema: { type: 'integer', minimum: 1 },
  });
  assert.deepEqual(
    params.slice(1).map((x) => [x.name, x.in, x.required]),
    [
      ['status', 'query', false],
      ['limit', 'query', false],
      ['since', 'query', true],
      ['old', 'query', false],
    ],
  );
  assert.equal(params.find((x) => x.name === 'old')!.deprecated, true);
  assert.deepEqual(params.find((x) => x.name === 'status')!.schema, ref('Status'));
  assert.deepEqual(Object.keys(op.responses!), ['204', '400', '401', '404', '500', '504']);
  assert.deepEqual(op.security, [{ partners: [] }]);
  assert.deepEqual(doc.components!.securitySchemes!.partners, {
    type: 'apiKey',
    in: 'header',
    name: 'X-Partner-Key',
    description: 'An API key in the X-Partner-Key header.',
  });
  assert.deepEqual(Object.keys(doc.components!.schemas!), ['Status', 'ZatoError']);
});

test('methods, bodies, security and channel flags', () => {
  const p = project({
    models: [
      object('In', [field('id', t.string), field('name', t.string)]),
      object('Opt', [field('q', t.string, { optional: true })]),
    ],
    services: [service('put', 'In'), service('any', 'Opt'), service('noinput'), service('off', 'In'), service('hidden', 'In')],
    channels: [
      rest('put', '/items/{id}', 'put', 'PUT', null),
      rest('any', '/any', 'any', null, null),
      rest('noinput', '/noinput', 'noinput', 'POST', null),
      rest('off', '/off', 'off', 'POST', null, { isActive: false }),
      rest('hidden', '/hidden', 'hidden', 'POST', null, { includeInOpenapi: false }),
      rest('weird', '/weird', 'put', 'PROPFIND', null),
    ],
  });
  const doc = emitOpenApi(p, options);
  assert.deepEqual(Object.keys(doc.paths!), ['/any', '/items/{id}', '/noinput']);
  // Path parameters win over the body, so the body does not demand them.
  const put = doc.paths!['/items/{id}']!.put!;
  assert.deepEqual(put.requestBody, {
    content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } } },
    required: true,
  });
  assert.deepEqual(put.security, []);
  assert.equal('401' in put.responses!, false);
  const any = doc.paths!['/any']!.post!;
  assert.deepEqual(any.requestBody, { content: { 'application/json': { schema: ref('Opt') } } });
  assert.equal(doc.paths!['/noinput']!.post!.requestBody, undefined);
  assert.equal(doc.components!.securitySchemes, undefined);
});

test('deprecated channels: flag, description and Deprecation/Sunset/Link headers', () => {
  const p = project({
    models: [object('Out', [field('ok', t.boolean)])],
    services: [service('old', undefined, 'Out', 'Old thing.'), service('older')],
    channels: [
      rest('old', '/old', 'old', 'POST', null, { deprecated: true, deprecation: { sunset: '2030-01-01', successor: '/new' } }),
      rest('older', '/older', 'older', 'POST', null, { deprecated: true }),
    ],
  });
  const doc = emitOpenApi(p, options);
  const old = doc.paths!['/old']!.post!;
  assert.equal(old.deprecated, true);
  assert.match(old.description!, /^Old thing\.\n\nDeprecated: .*2030-01-01.*\/new/s);
  assert.deepEqual(Object.keys(old.responses!['200'].headers), ['Deprecation', 'Sunset', 'Link']);
  assert.deepEqual(Object.keys(doc.paths!['/older']!.post!.responses!['204'].headers), ['Deprecation']);
});

test('output is deterministic whatever the input order', () => {
  const a = customersProject();
  const shuffled = {
    ...a,
    models: [...a.models].reverse(),
    services: [...a.services].reverse(),
    channels: [...a.channels].reverse(),
    security: [...a.security].reverse(),
  };
  assert.equal(JSON.stringify(emitOpenApi(shuffled, options)), JSON.stringify(emitOpenApi(a, options)));
  assert.deepEqual(emitOpenApi(project({ models: [], services: [], channels: [] }), options).components, { schemas: {} });
});

test('with a cache kept across builds (the watch mode), the document is what a build from scratch gives', () => {
  const cache = new OpenApiCache();
  const status = { kind: 'enum', name: 'Status', values: ['open', 'closed'], loc } as const;
  const list = object('ListRequest', [field('customer_id', t.integer), field('status', t.ref('Status'), { optional: true })]);
  const base = {
    security: [apikey('partners', 'X-Partner-Key')],
    services: [service('orders.list', 'ListRequest')],
    channels: [rest('List', '/api/customers/{customer_id}/orders', 'orders.list', 'GET', 'partners')],
  };
  // The same model objects while what they refer to changes: Status an enum (a query parameter), then an object.
  const steps = [
    project({ ...base, models: [status, list] }),
    project({ ...base, models: [object('Status', [field('x', t.string)]), list] }),
    project({ ...base, models: [list] }),
    project({ ...base, models: [status, list], security: [] }),
    project({ ...base, models: [status, list] }),
    customersProject(),
    customersProject(),
  ];
  for (const [i, p] of steps.entries()) assert.equal(JSON.stringify(emitOpenApi(p, options, cache)), JSON.stringify(emitOpenApi(p, options)), `step ${i}`);
});

test('with a cache, services, input models and channels that change one at a time give the document of a build from scratch', () => {
  const cache = new OpenApiCache();
  const a = object('A', [field('x', t.string)]);
  const a2 = object('A', [field('y', t.integer)]); // a new input model object (as many fields), same service objects
  const list = service('a.list', 'A', undefined);
  const get = service('a.get', 'A', 'A');
  const gate = gateway('Gateway', ['a.get', 'a.list', 'a.new'], null);
  const direct = rest('List', '/api/a', 'a.list', 'GET', null);
  const base = { models: [a], services: [get, list], channels: [gate, direct] };
  const steps = [
    project(base),
    project({ ...base, models: [a2] }), // the GET's query parameters and the POSTs' body schema change
    project({ ...base, services: [get, service('a.list', 'A', undefined, 'Now described.')] }), // same name, new object
    project({ ...base, services: [get, list, service('a.new')] }), // a service the gateway allowlists appears
    project(base),
    project({ ...base, channels: [gate, rest('List', '/api/b', 'a.list', 'GET', null)] }), // a channel changes
    project(base),
  ];
  for (const [i, p] of steps.entries()) assert.equal(JSON.stringify(emitOpenApi(p, options, cache)), JSON.stringify(emitOpenApi(p, options)), `step ${i}`);
});
