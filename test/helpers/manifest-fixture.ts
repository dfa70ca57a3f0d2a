/**
 * A hand-written manifest for the runtime tests: what `gen build` would generate for a small project, with services
 * that exercise every row of CONTRACT §5 (identity, headers, input merging, errors, invoke, timeouts, output).
 */
import { Service } from '../../runtime/service.js';
import { Forbidden, NotFound } from '../../runtime/errors.js';
import type { ChannelSpec, Manifest, SecuritySpec, ServiceSpec } from '../../runtime/manifest.js';
import { model } from './fixture-models.js';

export const ENV = { GATEWAY_PASSWORD: 'gw-secret', API_PASSWORD: 'api: secret', PARTNER_KEY: 'k-123' };

const CustomerId = model('CustomerId', { customer_id: { type: 'integer', minimum: 1 } });
const Customer = model('Customer', { name: { type: 'string' }, email: { type: 'string' }, tier: { type: 'string' } });
const DetailsIn = model('DetailsIn', { customer_id: { type: 'integer', minimum: 1 }, tenant: { type: 'string', default: '' } });
const Details = model('Details', {
  customer_id: { type: 'integer' }, name: { type: 'string' }, email: { type: 'string' }, tier: { type: 'string' }, tenant: { type: 'string' },
});
const EchoIn = model('EchoIn', {
  customer_id: { type: 'integer', minimum: 1 },
  name: { type: 'string', optional: true },
  flag: { type: 'boolean', optional: true },
  ratio: { type: 'number', optional: true },
  when: { type: 'date', optional: true },
  limit: { type: 'integer', default: 20 },
});
const EchoOut = model('EchoOut', {
  input: { type: 'unknown' }, when_is_date: { type: 'boolean' }, polluted: { type: 'boolean' },
  query: { type: 'unknown' }, params: { type: 'unknown' }, headers: { type: 'unknown' },
});
const Who = model('Who', {
  username: { type: 'string' }, channel_type: { type: 'string' }, channel_name: { type: 'string' },
  cid: { type: 'string' }, tenant: { type: 'string' },
});
const Hooks = model('Hooks', { order: { type: 'unknown' } });
const Broken = model('Broken', { x: { type: 'string', optional: true } }, { serializeThrows: true });

/** Customers 123 (acme) and 789 (globex). */
const CUSTOMERS = new Map([
  [123, { customer_id: 123, name: 'Jane Doe', email: 'jane@example.com', tier: 'gold', tenant: 'acme' }],
  [789, { customer_id: 789, name: 'Mary Major', email: 'mary@example.org', tier: 'platinum', tenant: 'globex' }],
]);

class GetCustomer extends Service {
  async handle() {
    const tenant = this.request.http.headers.get('x-zato-tenant') ?? '';
    const c = (await this.invoke('customer.get-details' as never, { customer_id: this.request.input.customer_id, tenant } as never)) as any;
    this.response.payload = { name: c.name, email: c.email, tier: c.tier, tenant_leak: c.tenant };
  }
}

class GetDetails extends Service {
  handle() {
    const found = CUSTOMERS.get(this.request.input.customer_id);
    const tenant = this.request.input.tenant;
    if (!found || (tenant !== '' && found.tenant !== tenant)) throw new NotFound(`No customer ${this.request.input.customer_id}`);
    this.response.payload = { ...found, internal_note: 'never sent' };
  }
}

class Echo extends Service {
  handle() {
    const input = this.request.input;
    this.response.payload = {
      input,
      when_is_date: input.when instanceof Date,
      polluted: ({} as Record<string, unknown>).admin !== undefined || Object.getPrototypeOf(input) !== Object.prototype,
      query: { ...this.request.http.query },
      params: { ...this.request.http.params },
      headers: Object.fromEntries(this.request.http.headers),
      secret: 'must not leave the server',
    };
  }
}

class WhoAmI extends Service {
  handle() {
    this.response.payload.username = this.channel.security.username;
    this.response.payload.channel_type = this.channel.type;
    this.response.payload.channel_name = this.channel.name;
    this.response.payload.cid = this.cid;
    this.response.payload.tenant = this.request.http.headers.get('X_Zato_Tenant') ?? '';
  }
}

const invoker = (target: string | (new () => unknown), input: unknown) =>
  class extends Service {
    async handle() {
      this.response.payload = await this.invoke(target as never, input as never);
    }
  };

const thrower = (make: () => Error) =>
  class extends Service {
    handle() {
      throw make();
    }
  };

class Slow extends Service {
  async handle() {
    await new Promise((resolve) => setTimeout(resolve, 2_000).unref());
    this.response.statusCode = 200;
  }
}

class Noop extends Service {
  handle() {}
}

class Accepted extends Service {
  handle() {
    this.response.statusCode = 202;
  }
}

class HeadersBad extends Service {
  handle() {
    this.response.headers['x-evil'] = 'a\r\nSet-Cookie: pwned=1';
  }
}

class HeadersCustom extends Service {
  handle() {
    this.response.headers['X-Custom'] = 'yes';
    this.response.headers['x-zato-cid'] = 'forged';
    this.response.statusCode = 201;
    Object.assign(this.response.payload, { username: 'u', channel_type: 't', channel_name: 'n', cid: 'c', tenant: '' });
  }
}

class WithHooks extends Service {
  order: string[] = [];
  override beforeHandle() {
    this.order.push('before');
  }
  handle() {
    this.order.push('handle');
  }
  override afterHandle() {
    this.order.push('after');
    this.response.payload.order = this.order;
  }
}

const svc = (name: string, impl: new () => unknown, input: ServiceSpec['input'] = null, output: ServiceSpec['output'] = null): ServiceSpec =>
  ({ name, impl, input, output, source: `services/fixture.ts:1:1` });

export const SERVICES: Record<string, ServiceSpec> = Object.fromEntries(
  [
    svc('customer.get', GetCustomer, CustomerId, Customer),
    svc('customer.get-details', GetDetails, DetailsIn, Details),
    svc('echo', Echo, EchoIn, EchoOut),
    svc('whoami', WhoAmI, null, Who),
    svc('weird%2Fname', WhoAmI, null, Who),
    svc('crash', thrower(() => new Error('db password is hunter2'))),
    svc('forbidden', thrower(() => new Forbidden('Not your customer'))),
    svc('slow', Slow),
    svc('noop', Noop),
    svc('accepted', Accepted),
    svc('loop', invoker('loop', {})),
    svc('invoke.chain', invoker('whoami', {}), null, Who),
    svc('invoke.details', invoker('customer.get-details', { customer_id: 123 }), null, Details),
    svc('invoke.bad', invoker('customer.get-details', { customer_id: 0 }), null, Details),
    svc('invoke.unknown', invoker('no.such.service', {})),
    svc('invoke.class', invoker(GetDetails, { customer_id: 123 })),
    svc('invoke.error', invoker('forbidden', {})),
    svc('headers.bad', HeadersBad),
    svc('headers.custom', HeadersCustom, null, Who),
    svc('serialize.fails', Noop, null, Broken),
    svc('hooks', WithHooks, null, Hooks),
  ].map((s) => [s.name, s]),
);

export const SECURITY: SecuritySpec[] = [
  { name: 'gateway.credentials', type: 'basic_auth', username: 'gateway', password: { env: 'GATEWAY_PASSWORD' }, realm: 'Gateway', header: '' },
  { name: 'api.credentials', type: 'basic_auth', username: 'api', password: { env: 'API_PASSWORD' }, realm: 'API "v1"', header: '' },
  { name: 'partners.key', type: 'apikey', username: 'partner', password: { env: 'PARTNER_KEY' }, realm: '', header: 'x-api-key' },
];

export const GATEWAY_ALLOWLIST = ['customer.get', 'echo', 'crash', 'forbidden', 'ghost', 'invoke.chain', 'weird%2Fname', 'whoami'];

function channel(name: string, path: string, service: string | null, more: Partial<ChannelSpec> = {}): ChannelSpec {
  return {
    name, type: 'rest', method: 'POST', path, service, security: null, allows: null, allowlist: [], timeoutMs: 30_000,
    maxBodySize: 1024 * 1024, isActive: true, deprecation: null, source: 'config/channels.yaml:1:3', ...more,
  };
}

const allowed = new Set(GATEWAY_ALLOWLIST);

export const CHANNELS: ChannelSpec[] = [
  channel('Gateway', '/zato/gateway/{service}', null, {
    type: 'gateway', security: 'gateway.credentials', allows: (s) => allowed.has(s), allowlist: GATEWAY_ALLOWLIST,
  }),
  channel('Get customer', '/api/customer/get', 'customer.get', { security: 'api.credentials' }),
  channel('Echo', '/api/echo/{customer_id}', 'echo', { security: 'partners.key' }),
  channel('Echo open', '/api/echo/{customer_id}', 'echo', { method: 'PUT' }),
  channel('Echo small', '/api/small', 'echo', { maxBodySize: 64 }),
  channel('Whoami', '/api/whoami', 'whoami', { method: null, security: 'api.credentials' }),
  channel('Whoami open', '/api/open/whoami', 'whoami', { method: 'GET' }),
  channel('Noop delete', '/api/noop', 'noop', { method: 'DELETE' }),
  channel('Noop patch', '/api/noop', 'accepted', { method: 'PATCH' }),
  channel('Slow', '/api/slow', 'slow', { timeoutMs: 50 }),
  channel('Old', '/api/old', 'noop', {
    method: 'GET', deprecation: { sunset: 'Sat, 01 Nov 2031 00:00:00 GMT', successor: '/api/new' },
  }),
  channel('Off', '/api/off', 'noop', { isActive: false }),
  ...['crash', 'forbidden', 'loop', 'invoke.chain', 'invoke.details', 'invoke.bad', 'invoke.unknown', 'invoke.class', 'invoke.error', 'headers.bad',
    'headers.custom', 'serialize.fails', 'hooks'].map((s) => channel(`Direct ${s}`, `/api/run/${s}`, s)),
];

export const MANIFEST: Manifest = { channels: CHANNELS, security: SECURITY, services: SERVICES };

/** `Authorization: Basic …` for a username and password. */
export function basic(username: string, password: string): string {
  return 'Basic ' + Buffer.from(`${username}:${password}`).toString('base64');
}

export const GATEWAY_AUTH = basic('gateway', ENV.GATEWAY_PASSWORD);
export const API_AUTH = basic('api', ENV.API_PASSWORD);
