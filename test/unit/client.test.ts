import { encodePathSegment } from '../../runtime/path-segment.js';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';
import { ClientCache, emitClient } from '../../generator/emit/client.js';
import { lit } from '../../templates/ts.js';
import { channel, field, MODELS, project, readSample, service, SERVICES, CHANNELS } from './publish-fixture.js';

const TSC = join(process.cwd(), 'node_modules/.bin/tsc');
const run = promisify(execFile);
// What a user's browser or Node project would use; the temp dir has no node_modules, so no @types leak in.
const args = ['--strict', '--noEmit', '--lib', 'es2022,dom', '--target', 'es2022', '--module', 'esnext', '--moduleResolution', 'bundler'];

const HOSTILE = ["it's \"quoted\"", 'back`tick ${x} */ end', 'new\nline\u2028sep', 'ünï.çødé', '__proto__', 'constructor'];

const hostileProject = project({
  services: [...SERVICES, ...HOSTILE.map((name) => service(name, 'Weird', 'Weird'))],
  models: [
    ...MODELS,
    {
      kind: 'object', name: 'Weird', description: 'Ends a comment */ and starts one /* here\nsecond line',
      loc: { file: 'services/*/weird.ts', line: 1, column: 1 },
      fields: [
        field("it's", { kind: 'string' }, { description: '*/ oops' }),
        field('a-b', { kind: 'literal', values: ['x"y', "`${z}`", 3] }, { optional: true }),
        field('__proto__', { kind: 'number' }, { optional: true }),
      ],
    },
  ],
  channels: [
    ...CHANNELS,
    channel({
      name: "Gate'way \"2\" ${x}\n", kind: 'gateway', urlPath: '/hostile/{service}', pathParams: ['service'],
      service: 'helpers.service-gateway', gatewayServiceList: [...HOSTILE].sort(),
    }),
  ],
});

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let dir = '';
let server: Server;
let baseUrl = '';
const seen: Seen[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sg-client-'));
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.setHeader('X-Zato-CID', 'cid-1');
      if (req.url === '/zato/gateway/orders.purge') return void res.writeHead(204).end();
      if (req.url?.startsWith('/zato/gateway/customer.get') && body.includes('"customer_id":404')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ result: 'Error', cid: 'cid-1', details: 'Not found' }));
      }
      if (req.url === '/broken') return void res.writeHead(502).end('<html>bad gateway</html>');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ name: 'Jane', email: 'j@example.com', tier: 'gold', echo: body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

const USAGE = `
import { createClient, ApiError, type Output } from './client.js';

export async function usage(): Promise<void> {
  const api = createClient({ baseUrl: 'http://x', auth: { username: 'u', password: 'p' }, headers: { 'x-zato-tenant': 'acme' } });
  const customer: Output.GetCustomerResponse = await api.invoke('customer.get', { customer_id: 123 });
  const tier: 'basic' | 'gold' | 'platinum' = customer.tier;
  // @ts-expect-error a field of the wrong type
  await api.invoke('customer.get', { customer_id: '123' });
  // @ts-expect-error a misspelt field
  await api.invoke('customer.get', { customer_idd: 123 });
  // @ts-expect-error a required input left out
  await api.invoke('customer.get');
  // @ts-expect-error a service that does not exist
  await api.invoke('customer.gte', { customer_id: 1 });
  // @ts-expect-error a service that exists but is not on the Gateway allowlist
  await api.invoke('customer.get-details', { customer_id: 1 });
  const none: undefined = await api.invoke('orders.purge');
  const order = await api.invoke('orders.create', { customer_id: 1, items: [{ sku: 'SKU-1', quantity: 1 }], due: new Date() });
  const created: string = order.created_at;
  // @ts-expect-error output date-times are strings, not Dates
  const when: Date = order.created_at;
  await api.invoke('orders.create', { customer_id: 1, items: [], payment: { kind: 'card', last4: '4242' } });
  // @ts-expect-error a union member with the wrong discriminant
  await api.invoke('orders.create', { customer_id: 1, items: [], payment: { kind: 'cash', last4: '4242' } });
  const direct = createClient({ baseUrl: 'http://x', channel: 'direct', auth: { apiKey: 'k' } });
  await direct.invoke('orders.create', { customer_id: 1, items: [] });
  // @ts-expect-error orders.purge has no direct channel
  await direct.invoke('orders.purge');
  // @ts-expect-error no such channel
  createClient({ baseUrl: 'http://x', channel: 'Gatewey' });
  try {
    await api.invoke('customer.get', { customer_id: 1 });
  } catch (e) {
    if (e instanceof ApiError) console.log(e.status, e.cid, e.body, e.details, e.errors.length);
  }
  void [tier, none, created, when];
}
`;

const SAMPLE_USAGE = `
import { createClient } from './client.js';

export async function sample(): Promise<void> {
  const api = createClient({ baseUrl: 'http://127.0.0.1:17010', auth: { username: 'gateway', password: 'x' }, headers: { 'x-zato-tenant': 'acme' } });
  const customer = await api.invoke('customer.get', { customer_id: 123 });
  const email: string = customer.email;
  await api.invoke('orders.create', { customer_id: 123, items: [{ sku: 'SKU-1001', quantity: 1 }], note: null });
  const list = await api.invoke('orders.list', { customer_id: 123 });
  const total: number = list.total;
  const created: string = list.orders[0]!.created_at;
  // @ts-expect-error customer.get-details is internal: not on the Gateway allowlist
  await api.invoke('customer.get-details', { customer_id: 1 });
  // @ts-expect-error tier is one of 'basic' | 'gold' | 'platinum'
  await api.invoke('customer.update', { customer_id: 1, tier: 'silver' });
  const direct = createClient({ baseUrl: 'http://x', channel: 'direct', auth: { username: 'api', password: 'x' } });
  await direct.invoke('customer.get', { customer_id: 1 });
  // @ts-expect-error orders.create has no direct channel
  await direct.invoke('orders.create', { customer_id: 1, items: [] });
  void [email, total, created];
}
`;

test('direct services are listed in code-point order (a character above U+FFFF after U+FF04)', () => {
  const names = ['x.\u{1F600}', 'x.\uFF04', 'x.a'];
  const code = emitClient(project({
    services: [...SERVICES, ...names.map((n) => service(n, 'GetCustomerRequest', 'GetCustomerResponse'))],
    channels: [...CHANNELS, ...names.map((n, i) => channel({ name: `D${i}`, urlPath: `/d${i}`, method: 'POST', service: n }))],
  }));
  const at = names.map((n) => code.indexOf(`[${JSON.stringify(n)}, {`));
  assert.ok(at.every((i) => i > 0));
  assert.ok(at[2]! < at[1]! && at[1]! < at[0]!, 'x.a, then x.＄, then x.😀');
});

test('lit: a JSON string literal with U+2028 and U+2029 escaped, wherever they are', () => {
  assert.equal(lit('plain "q" `b` ${x}'), JSON.stringify('plain "q" `b` ${x}'));
  assert.equal(lit('\u2028a\u2029b\u2028'), '"\\u2028a\\u2029b\\u2028"');
  assert.equal(lit('ü\n\u2029'), '"ü\\n\\u2029"');
});

test('the clients of the customers sample and of a richer fixture compile with --strict; every @ts-expect-error is a real error', async () => {
  const { project: sample } = await readSample();
  for (const [name, source, usage] of [['typed', emitClient(project()), USAGE], ['sample', emitClient(sample), SAMPLE_USAGE]]) {
    await mkdir(join(dir, name));
    await writeFile(join(dir, name, 'client.ts'), source);
    await writeFile(join(dir, name, 'usage.ts'), usage);
  }
  const files = ['typed/client.ts', 'typed/usage.ts', 'sample/client.ts', 'sample/usage.ts'];
  const result = await run(TSC, [...args, ...files], { cwd: dir }).catch((e: { stdout: string }) => e);
  assert.equal(result.stdout, '', `tsc reported:\n${result.stdout}`);
  // And the same usage with one expect-error removed must fail: the check above is not vacuous.
  await writeFile(join(dir, 'typed', 'usage.ts'), USAGE.replace('// @ts-expect-error a misspelt field', ''));
  const failing = await run(TSC, [...args, 'typed/client.ts', 'typed/usage.ts'], { cwd: dir }).then(() => ({ stdout: '' }), (e: { stdout: string }) => e);
  assert.match(failing.stdout, /customer_idd/);
});

test('hostile service, channel, model and field names compile and are sent verbatim (URL-encoded)', async () => {
  const sub = join(dir, 'hostile');
  await mkdir(sub);
  const source = emitClient(hostileProject);
  await writeFile(join(sub, 'client.ts'), source);
  const result = await run(TSC, [...args, 'client.ts'], { cwd: sub }).catch((e: { stdout: string }) => e);
  assert.equal(result.stdout, '', `tsc reported:\n${result.stdout}`);

  const mod = await import(pathToFileURL(join(sub, 'client.ts')).href);
  const api = mod.createClient({ baseUrl, channel: "Gate'way \"2\" ${x}\n" });
  seen.length = 0;
  for (const name of HOSTILE) await api.invoke(name, { "it's": 'v' });
  assert.deepEqual(seen.map((s) => s.url), HOSTILE.map((n) => `/hostile/${encodePathSegment(n)}`));
  assert.deepEqual(JSON.parse(seen[0]!.body), { "it's": 'v' });
});

test('the generated client talks to a gateway channel: path, auth, headers, body, 204, ApiError', async () => {
  const file = join(dir, 'run-client.ts');
  await writeFile(file, emitClient(project()));
  const mod = await import(pathToFileURL(file).href);
  const api = mod.createClient({ baseUrl: `${baseUrl}/`, auth: { username: 'gateway', password: 'pä:ss' }, headers: { 'x-zato-tenant': 'acme' } });
  seen.length = 0;

  const out = await api.invoke('customer.get', { customer_id: 123 });
  assert.equal(out.tier, 'gold');
  const req = seen[0]!;
  assert.equal(req.method, 'POST');
  assert.equal(req.url, '/zato/gateway/customer.get');
  assert.equal(req.headers.authorization, `Basic ${Buffer.from('gateway:pä:ss').toString('base64')}`);
  assert.equal(req.headers['x-zato-tenant'], 'acme');
  assert.equal(req.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(req.body), { customer_id: 123 });

  const due = new Date('2030-01-02T03:04:05.000Z');
  await api.invoke('orders.create', { customer_id: 1, items: [], due });
  assert.equal(JSON.parse(seen[1]!.body).due, '2030-01-02T03:04:05.000Z');

  assert.equal(await api.invoke('orders.purge'), undefined);

  const err = await api.invoke('customer.get', { customer_id: 404 }).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof mod.ApiError);
  assert.equal(err.status, 404);
  assert.equal(err.cid, 'cid-1');
  assert.deepEqual(err.body, { result: 'Error', cid: 'cid-1', details: 'Not found' });
  assert.equal(err.details, 'Not found');
});

test("channel 'direct' uses each service's own path and method: GET fills {params} and the query string", async () => {
  const file = join(dir, 'run-direct.ts');
  await writeFile(file, emitClient(project()));
  const mod = await import(pathToFileURL(file).href);
  const api = mod.createClient({ baseUrl, channel: 'direct', auth: { apiKey: 'secret-key' } });
  seen.length = 0;
  await api.invoke('customer.get', { customer_id: 12, extra: 'a b&c' });
  await api.invoke('orders.create', { customer_id: 1, items: [] });
  assert.equal(seen[0]!.method, 'GET');
  assert.equal(seen[0]!.url, '/api/customer/12?extra=a+b%26c');
  assert.equal(seen[0]!.body, '');
  assert.equal(seen[0]!.headers['x-api-key'], 'secret-key'); // basic_auth channel: the default header
  assert.equal(seen[1]!.method, 'POST');
  assert.equal(seen[1]!.url, '/api/orders');
  assert.equal(seen[1]!.headers['x-partner-key'], 'secret-key'); // the apikey definition's own header
  await assert.rejects(api.invoke('orders.purge'), /No route to service "orders.purge"/);
});

test('a non-JSON error body is kept as text', async () => {
  const file = join(dir, 'run-broken.ts');
  const broken = project({ channels: [channel({ name: 'Broken', urlPath: '/broken', method: 'POST', service: 'orders.purge' })] });
  await writeFile(file, emitClient(broken));
  const mod = await import(pathToFileURL(file).href);
  const err = await mod.createClient({ baseUrl }).invoke('orders.purge').then(() => null, (e: unknown) => e);
  assert.equal(err.status, 502);
  assert.equal(err.body, '<html>bad gateway</html>');
});

test('the output is deterministic, LF-only, ends with one newline and holds no absolute path', () => {
  const a = emitClient(hostileProject);
  assert.equal(a, emitClient(hostileProject));
  assert.ok(a.endsWith('\n') && !a.endsWith('\n\n'));
  assert.ok(!a.includes('\r'));
  assert.ok(!a.includes(process.cwd()));
});

test('with a cache kept across emits (the watch mode), the client is what an emit from scratch gives', () => {
  const cache = new ClientCache();
  // The same model objects each time (as the watch mode's reader gives), while the models they refer to come and go.
  const steps = [
    project(),
    project({ models: MODELS.slice(1) }),
    project({ models: MODELS.filter((m, i) => i % 2 === 0) }),
    project({ models: [] }),
    project(),
  ];
  for (const [i, p] of steps.entries()) assert.equal(emitClient(p, cache), emitClient(p), `step ${i}`);
});
