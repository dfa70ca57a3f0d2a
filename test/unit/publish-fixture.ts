/**
 * Hand-made IR in the shape of samples/customers (plus a union, a record, a nullable ref and a date), shared by
 * the client and publish tests. Not a test file itself (no `.test.ts`).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { OpenAPIObject } from 'openapi3-ts/oas31';
import type { ChannelDecl, Field, Loc, ModelDecl, Project, SecurityDecl, ServiceDecl, TypeRef } from '../../generator/ir.js';
import { byName } from '../../generator/ir.js';

export const loc = (file: string, line = 1, column = 1): Loc => ({ file, line, column });

export function field(name: string, type: TypeRef, extra: Partial<Field> = {}): Field {
  return { name, type, optional: false, constraints: {}, loc: loc('services/x.ts'), ...extra };
}

const int: TypeRef = { kind: 'integer' };
const str: TypeRef = { kind: 'string' };
const tier: TypeRef = { kind: 'literal', values: ['basic', 'gold', 'platinum'] };

export const MODELS: ModelDecl[] = [
  {
    kind: 'object', name: 'GetCustomerRequest', description: 'A customer lookup.', loc: loc('services/customer.ts', 7),
    fields: [field('customer_id', int, { description: "The customer's id.", constraints: { minimum: 1 } })],
  },
  {
    kind: 'object', name: 'GetCustomerResponse', loc: loc('services/customer.ts', 12),
    fields: [field('name', str), field('email', str, { constraints: { format: 'email' } }), field('tier', tier)],
  },
  {
    kind: 'object', name: 'OrderItem', loc: loc('services/orders.ts', 4),
    fields: [
      field('sku', str, { constraints: { pattern: '^[A-Z0-9-]{3,32}$' }, example: 'SKU-1001', description: 'Stock keeping unit.' }),
      field('quantity', int, { constraints: { minimum: 1, maximum: 1000 } }),
    ],
  },
  {
    kind: 'object', name: 'CreateOrderRequest', loc: loc('services/orders.ts', 11),
    fields: [
      field('customer_id', int, { constraints: { exclusiveMinimum: 0 } }),
      field('items', { kind: 'array', items: { kind: 'ref', name: 'OrderItem' } }, { constraints: { minItems: 1 } }),
      field('note', { kind: 'nullable', inner: str }, { optional: true, constraints: { maxLength: 500 } }),
      field('due', { kind: 'date' }, { optional: true }),
      field('payment', { kind: 'ref', name: 'Payment' }, { optional: true }),
      field('gift', { kind: 'nullable', inner: { kind: 'ref', name: 'OrderItem' } }, { optional: true }),
      field('labels', { kind: 'record', values: str }, { optional: true }),
    ],
  },
  {
    kind: 'object', name: 'Order', loc: loc('services/orders.ts', 20),
    fields: [
      field('order_id', int),
      field('created_at', { kind: 'date' }),
      field('status', { kind: 'literal', values: ['new', 'shipped'] }, { optional: true, default: 'new' }),
      field('items', { kind: 'array', items: { kind: 'ref', name: 'OrderItem' } }),
    ],
  },
  {
    kind: 'union', name: 'Payment', discriminator: 'kind', loc: loc('services/orders.ts', 30),
    members: [
      { value: 'card', model: 'PaymentCard' },
      { value: 'invoice', model: 'PaymentInvoice' },
    ],
  },
  {
    kind: 'object', name: 'PaymentCard', loc: loc('services/orders.ts', 33),
    fields: [field('kind', { kind: 'literal', values: ['card'] }), field('last4', str)],
  },
  {
    kind: 'object', name: 'PaymentInvoice', loc: loc('services/orders.ts', 37),
    fields: [field('kind', { kind: 'literal', values: ['invoice'] }), field('po_number', str, { optional: true })],
  },
];

export function service(name: string, input?: string, output?: string, file = 'services/customer.ts'): ServiceDecl {
  return { name, className: 'C', file, input, output, loc: loc(file, 40), nameLoc: loc(file, 41) };
}

export const SERVICES: ServiceDecl[] = [
  service('customer.get', 'GetCustomerRequest', 'GetCustomerResponse'),
  service('customer.get-details', 'GetCustomerRequest', 'GetCustomerResponse'),
  service('orders.create', 'CreateOrderRequest', 'Order', 'services/orders.ts'),
  service('orders.purge', undefined, undefined, 'services/orders.ts'),
];

export const SECURITY: SecurityDecl[] = [
  {
    name: 'gateway.credentials', type: 'basic_auth', username: 'gateway', password: { env: 'GATEWAY_PASSWORD' },
    realm: 'Gateway', header: 'X-API-Key', loc: loc('config/channels.yaml', 3, 5),
  },
  {
    name: 'partners.key', type: 'apikey', username: 'partners.key', password: { env: 'PARTNER_KEY' },
    realm: 'zato', header: 'X-Partner-Key', loc: loc('config/channels.yaml', 9, 5),
  },
];

export function channel(over: Partial<ChannelDecl> & Pick<ChannelDecl, 'name'>): ChannelDecl {
  const gateway = over.kind === 'gateway';
  return {
    kind: 'rest', urlPath: '/api/x', pathParams: [], method: null, service: 'customer.get', dataFormat: 'json',
    security: 'gateway.credentials', gatewayServiceList: [], timeout: 30, maxBodySize: 1 << 20, isActive: true,
    includeInOpenapi: true, deprecated: false, loc: loc('config/channels.yaml', 20, 5),
    keyLocs: gateway ? { gateway_service_list: loc('config/channels.yaml', 25, 7) } : {},
    ...over,
  };
}

export const CHANNELS: ChannelDecl[] = [
  channel({
    name: 'Gateway', kind: 'gateway', urlPath: '/zato/gateway/{service}', pathParams: ['service'],
    service: 'helpers.service-gateway', gatewayServiceList: ['customer.get', 'orders.create', 'orders.purge'],
    keyLocs: {
      'gateway_service_list.0': loc('config/channels.yaml', 26, 9),
      'gateway_service_list.1': loc('config/channels.yaml', 27, 9),
      'gateway_service_list.2': loc('config/channels.yaml', 28, 9),
    },
  }),
  channel({ name: 'Get customer', urlPath: '/api/customer/{customer_id}', pathParams: ['customer_id'], method: 'GET', service: 'customer.get' }),
  channel({ name: 'Create order', urlPath: '/api/orders', method: 'POST', service: 'orders.create', security: 'partners.key' }),
];

export function project(over: Partial<Project> = {}): Project {
  return {
    services: byName(over.services ?? SERVICES),
    models: byName(over.models ?? MODELS),
    channels: byName(over.channels ?? CHANNELS),
    security: byName(over.security ?? SECURITY),
    inputs: [],
  };
}

/** The customers sample read by the real readers (what `gen build` sees), with its OpenAPI 3.1 document. */
export async function readSample(): Promise<{ project: Project; doc: OpenAPIObject }> {
  const { readServices } = await import('../../generator/read/services.js');
  const { readConfig } = await import('../../generator/read/config.js');
  const { emitOpenApi } = await import('../../generator/emit/openapi.js');
  const dir = join(process.cwd(), 'samples/customers');
  const services = readServices(dir, ['services/**/*.ts']);
  const config = readConfig(dir, ['config/**/*.yaml']);
  const sample: Project = {
    services: byName(services.services),
    models: byName(services.models),
    channels: byName(config.channels),
    security: byName(config.security),
    inputs: [],
  };
  return { project: sample, doc: emitOpenApi(sample, { title: 'customers', version: '1.0.0' }) };
}

export interface LintProblem {
  ruleId: string;
  severity: string;
  message: string;
  pointer: string;
}

/** `redocly lint` on one file (optionally with a config file); every problem it reports. */
export async function redoclyLint(file: string, config?: string): Promise<LintProblem[]> {
  const bin = join(process.cwd(), 'node_modules/.bin/redocly');
  const args = ['lint', file, '--format=json', ...(config ? ['--config', config] : [])];
  const out = await promisify(execFile)(bin, args, { cwd: dirname(file) }).then((r) => r.stdout, (e: { stdout: string }) => e.stdout);
  const report = JSON.parse(out) as { problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[] };
  return report.problems.map((p) => ({ ruleId: p.ruleId, severity: p.severity, message: p.message, pointer: p.location[0]?.pointer ?? '' }));
}

/**
 * The recommended ruleset minus `info-license`: a licence is the API owner's choice, and the document must not
 * invent one (`gen publish` has no flag for it).
 */
export const REDOCLY_BASE = 'extends:\n  - recommended\nrules:\n  info-license: off\n';

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function writeFiles(dir: string, files: readonly { path: string; content: string }[]): Promise<void> {
  for (const f of files) await writeFile(join(dir, f.path), f.content);
}
