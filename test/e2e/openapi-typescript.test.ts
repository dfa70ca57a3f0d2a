// Issue 4 item 7, second half: a third-party client generator reads the OpenAPI documents servicegate writes.
// openapi-typescript turns generated/openapi.json (3.1) and the 3.0.3 down-conversion of `gen publish --target
// openapi` into types; code using openapi-fetch with them is type-checked under `tsc --strict` and run against
// the real customers sample server.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import type { ServicegateServer } from 'servicegate';
import { REPO, TSC, gen, serveBuilt, tempProject, type TempProject } from '../helpers/project.js';

const PASSWORDS = { gateway: 'gw-secret-for-openapi-ts-e2e', api: 'api-secret-for-openapi-ts-e2e' };

/** A caller's code against the types in `schemaModule`; `run` is executed, `typeErrors` must fail where marked. */
const usage = (schemaModule: string) => `import createClient from 'openapi-fetch';
import type { components, paths } from '${schemaModule}';

type Customer = components['schemas']['GetCustomerResponse'];

export async function run(baseUrl: string, gatewayAuthorization: string, apiAuthorization: string) {
  const client = createClient<paths>({ baseUrl, headers: { authorization: gatewayAuthorization } });
  const found = await client.POST('/zato/gateway/customer.get', { body: { customer_id: 123 } });
  const customer: Customer | undefined = found.data;
  const tier: 'basic' | 'gold' | 'platinum' | undefined = found.data?.tier;

  const missing = await client.POST('/zato/gateway/customer.get', { body: { customer_id: 999 } });
  const cid: string | undefined = missing.error?.cid;

  const invalid = await client.POST('/zato/gateway/customer.get', { body: { customer_id: 0 } });
  const paths: string[] = (invalid.error?.errors ?? []).map((e) => e.path);

  const tenant = await client.POST('/zato/gateway/customer.get', { body: { customer_id: 123 }, headers: { 'x-zato-tenant': 'globex' } });

  const order = await client.POST('/zato/gateway/orders.create', { body: { customer_id: 123, items: [{ sku: 'SKU-1', quantity: 1 }] } });
  const createdAt: string | undefined = order.data?.created_at;

  const direct = await createClient<paths>({ baseUrl, headers: { authorization: apiAuthorization } })
    .POST('/api/customer/get', { body: { customer_id: 789 } });

  return {
    customer, tier,
    missing: { status: missing.response.status, cid, header: missing.response.headers.get('x-zato-cid'), details: missing.error?.details },
    invalid: { status: invalid.response.status, paths },
    tenant: tenant.response.status,
    order: { status: order.response.status, createdAt },
    direct: direct.data?.name,
  };
}

export function typeErrors(client: ReturnType<typeof createClient<paths>>) {
  // @ts-expect-error: a misspelt body field
  void client.POST('/zato/gateway/customer.get', { body: { customer_idd: 123 } });
  // @ts-expect-error: a body field of the wrong type
  void client.POST('/zato/gateway/customer.get', { body: { customer_id: '123' } });
  // @ts-expect-error: an enum value the model does not allow
  void client.POST('/zato/gateway/customer.update', { body: { customer_id: 1, tier: 'silver' } });
  // @ts-expect-error: a service that is not allowlisted on the gateway has no operation
  void client.POST('/zato/gateway/customer.get-details', { body: { customer_id: 123 } });
  // @ts-expect-error: the gateway channel takes POST only
  void client.GET('/zato/gateway/customer.get');
  return client.POST('/zato/gateway/customer.get', { body: { customer_id: 1 } }).then((r) => {
    // @ts-expect-error: the response model has no such field
    return r.data?.tenant;
  });
}
`;

const TSCONFIG = {
  compilerOptions: {
    strict: true, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext',
    lib: ['ES2022', 'DOM', 'DOM.Iterable'], types: [], skipLibCheck: true,
  },
  files: ['usage.ts', 'usage-30.ts'],
};

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('openapi-typescript + openapi-fetch on the generated OpenAPI documents', () => {
  let project: TempProject;
  let server: ServicegateServer | undefined;
  let baseUrl = '';
  const app = () => join(project.dir, 'app');

  before(async () => {
    project = tempProject({}, join(REPO, 'samples/customers'));
    const built = gen(['build', project.dir]);
    assert.equal(built.code, 0, built.stderr);
    const published = gen(['publish', project.dir, '--target', 'openapi', '--out', join(project.dir, 'published')]);
    assert.equal(published.code, 0, published.stderr);
    // What `npm install openapi-fetch` would give the caller's project.
    symlinkSync(join(REPO, 'node_modules/openapi-fetch'), join(project.dir, 'node_modules/openapi-fetch'), 'dir');
    for (const [doc, schema] of [['generated/openapi.json', 'schema.d.ts'], ['published/openapi-3.0.json', 'schema-30.d.ts']] as const) {
      const ast = await openapiTS(pathToFileURL(join(project.dir, doc)));
      project.write(`app/${schema}`, astToString(ast));
    }
    project.write('app/usage.ts', usage('./schema.js'));
    project.write('app/usage-30.ts', usage('./schema-30.js'));
    project.write('app/tsconfig.json', JSON.stringify(TSCONFIG, null, 2));

    ({ server, baseUrl } = await serveBuilt(project.dir, { GATEWAY_PASSWORD: PASSWORDS.gateway, API_PASSWORD: PASSWORDS.api }));
  });

  after(async () => {
    try {
      await server?.close(1_000);
    } finally {
      project?.remove();
    }
  });

  it('gives the models their exact types: required fields, enums, ISO date-time strings, the error body', () => {
    for (const schema of ['schema.d.ts', 'schema-30.d.ts']) {
      const all = readFileSync(join(app(), schema), 'utf8');
      const start = all.indexOf('export interface components {');
      const text = all.slice(start, all.indexOf('\n    responses: ', start));
      const has = (re: RegExp, what: string) => assert.ok(re.test(text), `${schema}: ${what}`);
      has(/GetCustomerRequest: \{[^}]*?customer_id: number;/s, 'a required integer field');
      has(/tier: "basic" \| "gold" \| "platinum";/, 'a literal union');
      has(/created_at: string;/, 'a Date as an ISO string');
      has(/note\?: string \| null;/, 'a nullable optional field');
      has(/items: components\["schemas"\]\["OrderItem"\]\[\];/, 'an array of a nested model');
      has(/ZatoError: \{\n(?:.*\n)*?\s*cid: string;/, 'the error body');
      assert.ok(start > 0 && !/\bunknown\b/.test(text), `${schema}: no model degraded to unknown`);
    }
  });

  it('type-checks openapi-fetch calls under tsc --strict, with every @ts-expect-error an actual error', () => {
    const r = spawnSync(process.execPath, [TSC, '-p', join(app(), 'tsconfig.json')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it('runs against the server: data, typed error bodies, headers, the direct channel', async () => {
    const mod = (await import(pathToFileURL(join(app(), 'usage.ts')).href)) as {
      run: (baseUrl: string, gateway: string, api: string) => Promise<any>;
    };
    const r = await mod.run(baseUrl, basic('gateway', PASSWORDS.gateway), basic('api', PASSWORDS.api));
    assert.deepEqual(r.customer, { name: 'Jane Doe', email: 'jane.doe@example.com', tier: 'gold' });
    assert.equal(r.tier, 'gold');
    assert.equal(r.missing.status, 404);
    assert.match(r.missing.cid, /^\S+$/);
    assert.equal(r.missing.cid, r.missing.header);
    assert.equal(typeof r.missing.details, 'string');
    assert.deepEqual(r.invalid, { status: 400, paths: ['/customer_id'] });
    assert.equal(r.tenant, 404, 'the x-zato-tenant header reached the service');
    assert.equal(r.order.status, 201);
    assert.ok(!Number.isNaN(Date.parse(r.order.createdAt)));
    assert.equal(r.direct, 'Mary Major');
  });
});
