// Small hand-built IR projects for the OpenAPI tests (locs are fake: emitters never print them).
import {
  DEFAULT_GATEWAY_PATH,
  DEFAULT_MAX_BODY_SIZE,
  DEFAULT_TIMEOUT_SECONDS,
  GATEWAY_SERVICE,
  byName,
} from '../../../generator/ir.js';
import type {
  ChannelDecl,
  Field,
  Loc,
  ModelDecl,
  ObjectModel,
  Project,
  SecurityDecl,
  ServiceDecl,
  TypeRef,
} from '../../../generator/ir.js';

export const loc: Loc = { file: 'services/x.ts', line: 1, column: 1 };

export const t = {
  string: { kind: 'string' },
  number: { kind: 'number' },
  integer: { kind: 'integer' },
  boolean: { kind: 'boolean' },
  date: { kind: 'date' },
  unknown: { kind: 'unknown' },
  literal: (...values: (string | number | boolean)[]): TypeRef => ({ kind: 'literal', values }),
  ref: (name: string): TypeRef => ({ kind: 'ref', name }),
  array: (items: TypeRef): TypeRef => ({ kind: 'array', items }),
  record: (values: TypeRef): TypeRef => ({ kind: 'record', values }),
  nullable: (inner: TypeRef): TypeRef => ({ kind: 'nullable', inner }),
} as const satisfies Record<string, TypeRef | ((...a: never[]) => TypeRef)>;

export function field(name: string, type: TypeRef, extra: Partial<Field> = {}): Field {
  return { name, type, optional: extra.default !== undefined, constraints: {}, loc, ...extra };
}

export function object(name: string, fields: Field[], extra: Partial<ObjectModel> = {}): ObjectModel {
  return { kind: 'object', name, fields, loc, ...extra };
}

export function service(name: string, input?: string, output?: string, description?: string): ServiceDecl {
  const s: ServiceDecl = { name, className: 'C', file: 'services/x.ts', loc, nameLoc: loc };
  return { ...s, ...(input && { input }), ...(output && { output }), ...(description && { description }) };
}

const channelBase = {
  dataFormat: 'json',
  gatewayServiceList: [],
  timeout: DEFAULT_TIMEOUT_SECONDS,
  maxBodySize: DEFAULT_MAX_BODY_SIZE,
  isActive: true,
  includeInOpenapi: true,
  deprecated: false,
  loc,
  keyLocs: {},
} as const;

function pathParams(urlPath: string): string[] {
  return [...urlPath.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!);
}

export function rest(
  name: string,
  urlPath: string,
  target: string,
  method: string | null,
  security: string | null,
  extra: Partial<ChannelDecl> = {},
): ChannelDecl {
  const kind = 'rest';
  return { ...channelBase, name, kind, urlPath, pathParams: pathParams(urlPath), method, service: target, security, ...extra };
}

export function gateway(
  name: string,
  services: string[],
  security: string | null,
  extra: Partial<ChannelDecl> = {},
): ChannelDecl {
  const urlPath = extra.urlPath ?? DEFAULT_GATEWAY_PATH;
  return {
    ...channelBase,
    name,
    kind: 'gateway',
    urlPath,
    pathParams: pathParams(urlPath),
    method: 'POST',
    service: GATEWAY_SERVICE,
    security,
    ...extra,
    gatewayServiceList: [...services].sort(),
  };
}

export function basic(name: string, realm = 'zato'): SecurityDecl {
  return { name, type: 'basic_auth', username: 'u', password: { env: 'P' }, realm, header: 'X-API-Key', loc };
}

export function apikey(name: string, header = 'X-API-Key'): SecurityDecl {
  return { name, type: 'apikey', username: name, password: { env: 'K' }, realm: 'zato', header, loc };
}

export function project(p: {
  services: ServiceDecl[];
  models: ModelDecl[];
  channels: ChannelDecl[];
  security?: SecurityDecl[];
}): Project {
  return {
    services: byName(p.services),
    models: byName(p.models),
    channels: byName(p.channels),
    security: byName(p.security ?? []),
    inputs: [],
  };
}

/** The customers sample (samples/customers), as the readers would produce it. */
export function customersProject(): Project {
  const tier = t.literal('basic', 'gold', 'platinum');
  return project({
    security: [basic('gateway.credentials', 'Gateway'), basic('api.credentials', 'API')],
    models: [
      object('GetCustomerRequest', [field('customer_id', t.integer, { description: "The customer's id.", constraints: { minimum: 1 } })], {
        description: 'A customer lookup.',
      }),
      object('GetCustomerResponse', [
        field('name', t.string),
        field('email', t.string, { constraints: { format: 'email' } }),
        field('tier', tier),
      ]),
      object('GetDetailsRequest', [
        field('customer_id', t.integer, { constraints: { minimum: 1 } }),
        field('tenant', t.string, { optional: true, default: '', description: 'The tenant the caller belongs to; empty: any tenant.' }),
      ]),
      object('CustomerDetails', [field('customer_id', t.integer), field('name', t.string)]),
      object('OrderItem', [
        field('sku', t.string, { description: 'Stock keeping unit.', constraints: { pattern: '^[A-Z0-9-]{3,32}$' }, example: 'SKU-1001' }),
        field('quantity', t.integer, { constraints: { minimum: 1, maximum: 1000 } }),
      ]),
      object('CreateOrderRequest', [
        field('customer_id', t.integer, { constraints: { minimum: 1 } }),
        field('items', t.array(t.ref('OrderItem')), { constraints: { minItems: 1, maxItems: 100 } }),
        field('note', t.nullable(t.string), { optional: true, description: 'A note for the warehouse.', constraints: { maxLength: 500 } }),
      ]),
      object('CreateOrderResponse', [field('order_id', t.integer), field('created', t.date)]),
    ],
    services: [
      service('customer.get', 'GetCustomerRequest', 'GetCustomerResponse', "Returns a customer's public profile."),
      service('customer.get-details', 'GetDetailsRequest', 'CustomerDetails'),
      service('orders.create', 'CreateOrderRequest', 'CreateOrderResponse'),
    ],
    channels: [
      gateway('Gateway', ['customer.get', 'orders.create'], 'gateway.credentials'),
      rest('Get customer', '/api/customer/get', 'customer.get', 'POST', 'api.credentials'),
    ],
  });
}
