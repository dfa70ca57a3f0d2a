// CONTRACT §7, issue 4 item 7: the typed client that `gen client` writes, used the way a caller would — code
// type-checked under `tsc --strict` (the @ts-expect-error lines fail the compile when the types get loose), then
// run against the real customers sample server.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServicegateServer } from 'servicegate';
import { REPO, TSC, gen, serveBuilt, tempProject, type TempProject } from '../helpers/project.js';

const PASSWORDS = { gateway: 'gw-secret-for-client-e2e', api: 'api-secret-for-client-e2e' };

/** A caller's code. `run` is executed; `typeErrors` only has to fail to compile in the expected places. */
const USAGE = `import { ApiError, createClient, type Output } from './client.js';

interface Failure {
  readonly isApiError: boolean;
  readonly status: number;
  readonly cid: string;
  readonly body: unknown;
  readonly errors: readonly { readonly path: string; readonly message: string }[];
}

async function failure(call: Promise<unknown>): Promise<Failure | 'resolved'> {
  try {
    await call;
    return 'resolved';
  } catch (err) {
    if (!(err instanceof ApiError)) return { isApiError: false, status: 0, cid: '', body: String(err), errors: [] };
    return { isApiError: true, status: err.status, cid: err.cid, body: err.body, errors: err.errors };
  }
}

export async function run(baseUrl: string, passwords: { gateway: string; api: string }) {
  const api = createClient({ baseUrl, auth: { username: 'gateway', password: passwords.gateway } });
  const customer = await api.invoke('customer.get', { customer_id: 123 });
  // The output is typed: these assignments compile only because the fields are there with these types.
  const profile: { name: string; email: string; tier: 'basic' | 'gold' | 'platinum' } = customer;
  const order: Output.Order = await api.invoke('orders.create', { customer_id: 456, items: [{ sku: 'SKU-1001', quantity: 2 }] });
  const createdAt: string = order.created_at;

  const tenants = createClient({ baseUrl, auth: { username: 'gateway', password: passwords.gateway }, headers: { 'x-zato-tenant': 'globex' } });
  const otherTenant = await failure(tenants.invoke('customer.get', { customer_id: 123 }));
  const perCall = await tenants.invoke('customer.get', { customer_id: 123 }, { headers: { 'x-zato-tenant': 'acme' } });
  const ownTenant = await tenants.invoke('customer.get', { customer_id: 789 });

  const direct = createClient({ baseUrl, channel: 'direct', auth: { username: 'api', password: passwords.api } });
  const viaDirect = await direct.invoke('customer.get', { customer_id: 456 });
  const directWrongCredentials = await failure(
    createClient({ baseUrl, channel: 'direct', auth: { username: 'gateway', password: passwords.gateway } }).invoke('customer.get', { customer_id: 456 }),
  );

  return {
    profile,
    order: { customer_id: order.customer_id, items: order.items, status: order.status, createdAt },
    missing: await failure(api.invoke('customer.get', { customer_id: 999 })),
    invalid: await failure(api.invoke('customer.get', { customer_id: 0 })),
    noAuth: await failure(createClient({ baseUrl }).invoke('customer.get', { customer_id: 123 })),
    otherTenant,
    perCall: perCall.name,
    ownTenant: ownTenant.name,
    viaDirect: viaDirect.name,
    directWrongCredentials,
  };
}

export function typeErrors(api: ReturnType<typeof createClient>, direct: ReturnType<typeof createClient<'direct'>>) {
  // @ts-expect-error: a misspelt field
  void api.invoke('customer.get', { customer_idd: 123 });
  // @ts-expect-error: a field the input model does not declare
  void api.invoke('customer.get', { customer_id: 123, tenant: 'acme' });
  // @ts-expect-error: a field of the wrong type
  void api.invoke('customer.get', { customer_id: '123' });
  // @ts-expect-error: a required field left out
  void api.invoke('customer.get', {});
  // @ts-expect-error: no such service
  void api.invoke('customer.gett', { customer_id: 123 });
  // @ts-expect-error: a real service that is not on the gateway channel's allowlist
  void api.invoke('customer.get-details', { customer_id: 123 });
  // @ts-expect-error: customer.update has no direct channel
  void direct.invoke('customer.update', { customer_id: 123 });
  // @ts-expect-error: no such channel
  createClient({ baseUrl: '', channel: 'Gateway2' });
  return api.invoke('customer.get', { customer_id: 1 }).then((c) => {
    // @ts-expect-error: the output model has no such field
    return c.tenant;
  });
}
`;

const TSCONFIG = {
  compilerOptions: {
    strict: true, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext',
    lib: ['ES2022', 'DOM'], types: [], skipLibCheck: true,
  },
  files: ['client.ts', 'usage.ts'],
};

describe('the typed client against the running customers sample', () => {
  let project: TempProject;
  let server: ServicegateServer | undefined;
  let baseUrl = '';

  before(async () => {
    project = tempProject({}, join(REPO, 'samples/customers'));
    const built = gen(['build', project.dir]);
    assert.equal(built.code, 0, built.stderr);
    const client = gen(['client', project.dir, '--out', join(project.dir, 'app/client.ts')]);
    assert.equal(client.code, 0, client.stderr);
    assert.match(client.stdout, /wrote .*app\/client\.ts/);
    project.write('app/usage.ts', USAGE);
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

  it('gen client writes the same client as gen build, with no secret in it', () => {
    const written = readFileSync(join(project.dir, 'app/client.ts'), 'utf8');
    assert.equal(written, readFileSync(join(project.dir, 'generated/client.ts'), 'utf8'));
    for (const secret of Object.values(PASSWORDS)) assert.ok(!written.includes(secret));
  });

  it('compiles under tsc --strict, with every @ts-expect-error an actual error', () => {
    const r = spawnSync(process.execPath, [TSC, '-p', join(project.dir, 'app/tsconfig.json')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it('still fails to compile when one of the expected errors is taken away', () => {
    // Guards the previous test: the compile really checks usage.ts, and the client's types really reject these.
    const broken = USAGE.replace('  // @ts-expect-error: a real service that is not on the gateway', '  // a real service that is not on the gateway');
    writeFileSync(join(project.dir, 'app/usage.ts'), broken);
    try {
      const r = spawnSync(process.execPath, [TSC, '-p', join(project.dir, 'app/tsconfig.json')], { encoding: 'utf8' });
      assert.equal(r.status, 2);
      assert.match(r.stdout, /usage\.ts\(\d+,\d+\): error TS2345: Argument of type '"customer\.get-details"'/);
    } finally {
      writeFileSync(join(project.dir, 'app/usage.ts'), USAGE);
    }
  });

  it('runs: typed results, ApiError with status/cid/body, direct channel, headers', async () => {
    const usage = (await import(pathToFileURL(join(project.dir, 'app/usage.ts')).href)) as { run: (b: string, p: typeof PASSWORDS) => Promise<any> };
    const r = await usage.run(baseUrl, PASSWORDS);

    assert.deepEqual(r.profile, { name: 'Jane Doe', email: 'jane.doe@example.com', tier: 'gold' });
    assert.deepEqual({ ...r.order, createdAt: undefined }, {
      customer_id: 456, items: [{ sku: 'SKU-1001', quantity: 2 }], status: 'new', createdAt: undefined,
    });
    assert.ok(!Number.isNaN(Date.parse(r.order.createdAt)), 'created_at is an ISO date-time string');

    assert.equal(r.missing.isApiError, true);
    assert.equal(r.missing.status, 404);
    assert.match(r.missing.cid, /^\S+$/);
    assert.equal(r.missing.body.result, 'Error');
    assert.equal(r.missing.body.cid, r.missing.cid, 'the cid of the error body is the X-Zato-CID header');
    assert.equal(typeof r.missing.body.details, 'string');

    assert.equal(r.invalid.status, 400);
    assert.deepEqual(r.invalid.errors.map((e: { path: string }) => e.path), ['/customer_id']);
    assert.equal(r.noAuth.status, 401);

    // Client-wide headers reach the service (globex does not own customer 123), and per-call headers win.
    assert.equal(r.otherTenant.status, 404);
    assert.equal(r.perCall, 'Jane Doe');
    assert.equal(r.ownTenant, 'Mary Major');

    assert.equal(r.viaDirect, 'John Roe');
    assert.equal(r.directWrongCredentials.status, 401, "the direct channel takes its own definition's credentials");
  });
});
