import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildRouter, gatewayPrefix, type RouteMatch } from '../../runtime/router.js';
import type { ChannelSpec } from '../../runtime/manifest.js';

function ch(name: string, path: string, method: string | null, more: Partial<ChannelSpec> = {}): ChannelSpec {
  return {
    name, type: 'rest', method, path, service: name, security: null, allows: null, allowlist: [], timeoutMs: 1000,
    maxBodySize: 1024, isActive: true, deprecation: null, source: 'config/c.yaml:1:1', ...more,
  };
}

/** A short text per match, so that a table can say what it expects. */
function show(m: RouteMatch): string {
  switch (m.kind) {
    case 'found':
      return `${m.target.kind}:${m.target.channel.name}` + (m.values.length ? `(${m.target.paramNames.map((n, i) => `${n}=${m.values[i]}`).join(',')})` : '');
    case 'method':
      return `405:${m.allow}`;
    case 'inactive':
      return `inactive:${m.target.channel.name}`;
    default:
      return 'none';
  }
}

const router = buildRouter([
  ch('get-customer', '/api/customer/{id}', 'GET'),
  ch('put-customer', '/api/customer/{id}', 'put'),
  ch('customer-me', '/api/customer/me', 'GET'),
  ch('orders', '/api/customer/{id}/orders/{orderId}', null),
  ch('file', '/files/{name}.json', 'GET'),
  ch('static-post', '/api/static', 'POST'),
  ch('static-any', '/api/any', null),
  ch('off', '/api/off', 'POST', { isActive: false }),
  ch('mixed-off', '/api/mixed', 'POST', { isActive: false }),
  ch('mixed-on', '/api/mixed', 'GET'),
  ch('gw', '/zato/gateway/{service}', null, { type: 'gateway', service: null, allows: () => true }),
  ch('gw-off', '/old/gw/{service}', null, { type: 'gateway', service: null, isActive: false, allows: () => true }),
  ch('dup-first', '/dup', 'GET'),
  ch('dup-second', '/dup', 'GET'),
]);

const table: [string, string, string][] = [
  ['GET', '/api/customer/12', 'rest:get-customer(id=12)'],
  ['PUT', '/api/customer/12', 'rest:put-customer(id=12)'],
  ['GET', '/api/customer/me', 'rest:customer-me'],
  ['PUT', '/api/customer/me', 'rest:put-customer(id=me)'], // the static `me` has no PUT: the param route takes it
  ['DELETE', '/api/customer/12', '405:GET, HEAD, PUT'],
  ['HEAD', '/api/customer/12', 'rest:get-customer(id=12)'], // HEAD is served by the GET channel
  ['HEAD', '/api/static', '405:POST'], // no GET there: no HEAD either
  ['DELETE', '/api/customer/me', '405:GET, HEAD, PUT'],
  ['PATCH', '/api/customer/7/orders/9', 'rest:orders(id=7,orderId=9)'],
  ['GET', '/api/customer/%2e%2e', 'rest:get-customer(id=%2e%2e)'], // raw: decoding is the dispatcher's job
  ['GET', '/api/customer/', 'none'], // an empty segment is not a parameter
  ['GET', '/api/customer/12/', 'none'], // no trailing-slash folding
  ['GET', '/API/customer/12', 'none'], // no case folding
  ['GET', '/files/report.json', 'rest:file(name=report)'],
  ['GET', '/files/report.txt', 'none'],
  ['GET', '/api/static', '405:POST'],
  ['POST', '/api/static', 'rest:static-post'],
  ['POST', '/api/static/', 'none'],
  ['OPTIONS', '/api/any', 'rest:static-any'],
  ['POST', '/api/off', 'inactive:off'],
  ['GET', '/api/off', 'inactive:off'],
  ['POST', '/api/mixed', '405:GET, HEAD'], // the disabled POST does not exist; GET does
  ['POST', '/zato/gateway/customer.get', 'gateway-path:gw(service=customer.get)'],
  ['GET', '/zato/gateway/customer.get', '405:POST'],
  ['POST', '/zato/gateway/invoke', 'gateway-query:gw'],
  ['POST', '/zato/gateway/a%2Fb', 'gateway-path:gw(service=a%2Fb)'],
  ['POST', '/zato/gateway/a/b', 'none'],
  ['POST', '/zato/gateway/', 'none'],
  ['POST', '/old/gw/x', 'inactive:gw-off'],
  ['POST', '/old/gw/invoke', 'inactive:gw-off'],
  ['GET', '/dup', 'rest:dup-first'],
  ['GET', '/nowhere', 'none'],
];

describe('router', () => {
  for (const [method, path, want] of table) {
    it(`${method} ${path} → ${want}`, () => {
      assert.equal(show(router.match(method, path)), want);
    });
  }

  it('finds the gateway prefix with or without a trailing {service}', () => {
    assert.equal(gatewayPrefix('/zato/gateway/{service}'), '/zato/gateway');
    assert.equal(gatewayPrefix('/gw/{service}/run'), '/gw/run');
  });

  it('routes 1,000 parameterised channels by walking the tree, not the list', () => {
    const many = buildRouter(Array.from({ length: 1000 }, (_, i) => ch(`c${i}`, `/api/v${i}/items/{id}`, 'GET')));
    assert.equal(show(many.match('GET', '/api/v999/items/5')), 'rest:c999(id=5)');
    assert.equal(show(many.match('GET', '/api/v0/items/5')), 'rest:c0(id=5)');
    assert.equal(show(many.match('POST', '/api/v500/items/5')), '405:GET, HEAD');
    assert.equal(show(many.match('GET', '/api/v1000/items/5')), 'none');
  });

  it('answers as the tree walk does with the trailing-parameter lookup on, for 20,000 random paths and routes', () => {
    let seed = 20261129;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return (seed >>> 16) % n;
    };
    const SEGMENTS = ['a', 'b', 'me', '{id}', '{x}', '{n}.json', ''];
    const PATH_SEGMENTS = ['a', 'b', 'me', '7', 'x.json', '', '{id}'];
    const METHODS = ['GET', 'POST', 'HEAD', 'PUT'];
    for (let round = 0; round < 200; round++) {
      const channels: ChannelSpec[] = [];
      for (let i = 0, n = 1 + next(12); i < n; i++) {
        const depth = 1 + next(4);
        const template = '/' + Array.from({ length: depth }, () => SEGMENTS[next(SEGMENTS.length)]).join('/');
        // A template may not use a parameter name twice; such draws are skipped.
        const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        if (new Set(names).size !== names.length) continue;
        const method = next(4) === 0 ? null : METHODS[next(3)]!;
        channels.push(ch(`c${i}`, template, method, { isActive: next(8) !== 0 }));
      }
      const fast = buildRouter(channels);
      const walk = buildRouter(channels, { trailingParams: false });
      for (let k = 0; k < 100; k++) {
        const path = '/' + Array.from({ length: 1 + next(4) }, () => PATH_SEGMENTS[next(PATH_SEGMENTS.length)]).join('/');
        const method = METHODS[next(METHODS.length)]!;
        assert.equal(show(fast.match(method, path)), show(walk.match(method, path)), `${method} ${path} with ${channels.map((c) => `${c.method ?? '*'} ${c.path}${c.isActive ? '' : ' (off)'}`).join(', ')}`);
      }
    }
  });
});
