// The golden cases: name → IR project. Kept small so each .json stays reviewable.
import type { Project } from '../../../generator/ir.js';
import { apikey, basic, customersProject, field, gateway, loc, object, project, rest, service, t } from './fixtures.js';

/** GET with path and query parameters, an apikey, a deprecated channel, a service without output. */
function directGet(): Project {
  return project({
    security: [apikey('partners.key', 'X-Partner-Key')],
    models: [
      { kind: 'enum', name: 'Status', values: ['closed', 'open'], loc },
      object('ListOrdersRequest', [
        field('customer_id', t.integer, { description: 'Whose orders.', constraints: { minimum: 1 } }),
        field('status', t.ref('Status'), { optional: true }),
        field('limit', t.integer, { default: 20, constraints: { minimum: 1, maximum: 100 } }),
      ]),
      object('Order', [field('order_id', t.integer), field('status', t.ref('Status')), field('note', t.nullable(t.string))]),
      object('OrderList', [field('orders', t.array(t.ref('Order')))]),
      object('PingRequest', []),
    ],
    services: [
      service('orders.list', 'ListOrdersRequest', 'OrderList', 'Lists a customer’s orders, newest first.'),
      service('orders.ping'),
    ],
    channels: [
      rest('List orders', '/api/customers/{customer_id}/orders', 'orders.list', 'GET', 'partners.key', {
        deprecated: true,
        deprecation: { sunset: 'Wed, 01 Jan 2031 00:00:00 GMT', successor: '/api/v2/orders' },
      }),
      rest('Ping orders', '/api/orders/ping', 'orders.ping', 'DELETE', null),
    ],
  });
}

const HOSTILE = 'evil\'"`${x}*/\n{service}/ä';

/** Names that must not break the document: quotes, template syntax, comment ends, newlines, unicode, __proto__. */
function hostile(): Project {
  return project({
    security: [basic('my creds "x"', 'R"ealm\n'), apikey('__proto__', 'X-Key')],
    models: [
      object('ZatoError', [field('mine', t.string)], { description: 'A user model that takes the name first.' }),
      object('Kunde$Ä', [
        field(HOSTILE, t.string, { description: '*/ `${oops}`', example: '</script>' }),
        field('__proto__', t.nullable(t.ref('Shape')), { optional: true }),
        field('constructor', t.record(t.ref('ZatoError')), { optional: true }),
      ]),
      object('Circle', [field('kind', t.literal('__proto__')), field('r', t.number, { constraints: { exclusiveMinimum: 0 } })]),
      object('Square', [field('kind', t.literal(2)), field('side', t.number)]),
      {
        kind: 'union',
        name: 'Shape',
        discriminator: 'kind',
        members: [
          { value: '__proto__', model: 'Circle' },
          { value: 2, model: 'Square' },
        ],
        loc,
      },
    ],
    services: [service(HOSTILE, 'Kunde$Ä', 'ZatoError', HOSTILE), service('plain', undefined, 'Kunde$Ä')],
    channels: [
      gateway('Gateway', [HOSTILE, 'plain'], '__proto__'),
      rest(HOSTILE, '/api/k\u00e4se', HOSTILE, 'PATCH', 'my creds "x"'),
    ],
  });
}

export const CASES: Record<string, () => Project> = {
  customers: customersProject,
  'direct-get': directGet,
  hostile,
};
