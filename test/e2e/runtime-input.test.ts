// CONTRACT §5.5, §5.6: headers, body, content type, size limits, merging and coercion of parameters, validation.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MODES, assertErrorShape, send, sendOpenEnded, start, type Target } from '../helpers/runtime-harness.js';
import { API_AUTH, GATEWAY_AUTH } from '../helpers/manifest-fixture.js';

for (const mode of MODES) {
  describe(`input (${mode})`, () => {
    let t: Target;
    before(async () => {
      t = await start(mode);
    });
    after(() => t.close());
    const echo = (path: string, body?: unknown, headers: Record<string, string | string[]> = {}) =>
      send(t, { method: 'PUT', path, body: body as object, headers });

    it('merges body, query and path parameters; path and query win and are coerced; unknown fields dropped', async () => {
      const r = await echo('/api/echo/42?name=Bob&flag=true&ratio=-1.5e1&limit=5&extra=1', {
        customer_id: 1, name: 'Alice', unknown: 'dropped',
      });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json.input, { customer_id: 42, name: 'Bob', flag: true, ratio: -15, limit: 5 });
      assert.deepEqual(r.json.params, { customer_id: '42' });
      assert.deepEqual(r.json.query, { name: 'Bob', flag: 'true', ratio: '-1.5e1', limit: '5', extra: '1' });
      assert.equal(r.json.secret, undefined, 'undeclared output fields never leave the server');
    });

    it('applies defaults, and an empty body is {}', async () => {
      for (const body of [undefined, '']) {
        const r = await send(t, { method: 'PUT', path: '/api/echo/7', body, headers: { 'content-type': 'application/json' } });
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(r.json.input, { customer_id: 7, limit: 20 });
      }
    });

    it('decodes query and path parameters', async () => {
      const r = await echo('/api/echo/9?name=J%C3%B6rg+M%C3%BCller&bad=%E0%A4%A');
      assert.equal(r.json.input.name, 'Jörg Müller');
      assert.equal(r.json.query.bad, '%E0%A4%A', 'a malformed escape in the query is kept as written');
      const malformed = await echo('/api/echo/%E0%A4%A');
      assert.equal(malformed.status, 400);
      assertErrorShape(malformed);
    });

    it('turns a date parameter into a Date for the service', async () => {
      const r = await echo('/api/echo/3?when=2024-01-02T03:04:05.000Z');
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.when_is_date, true);
      assert.equal(r.json.input.when, '2024-01-02T03:04:05.000Z');
    });

    const invalid: [string, string, unknown, { path: string; message: string }[]][] = [
      ['a path parameter that is not an integer', '/api/echo/abc', undefined, [{ path: '/customer_id', message: 'must be integer' }]],
      ['a failed constraint', '/api/echo/0', undefined, [{ path: '/customer_id', message: 'must be >= 1' }]],
      ['a fraction for an integer', '/api/echo/1.5', undefined, [{ path: '/customer_id', message: 'must be integer' }]],
      ['several problems at once', '/api/echo/abc?flag=yes&ratio=1x', { name: 5 }, [
        { path: '/customer_id', message: 'must be integer' },
        { path: '/name', message: 'must be string' },
        { path: '/flag', message: 'must be boolean' },
        { path: '/ratio', message: 'must be number' },
      ]],
      ['a wrong type in the body', '/api/echo/1', { limit: 'ten' }, [{ path: '/limit', message: 'must be integer' }]],
      ['a bad date', '/api/echo/1?when=yesterday', undefined, [{ path: '/when', message: 'must be a date-time string' }]],
    ];
    for (const [what, path, body, errors] of invalid) {
      it(`answers 400 listing every issue for ${what}`, async () => {
        const r = await echo(path, body);
        assert.equal(r.status, 400);
        assertErrorShape(r);
        assert.deepEqual(r.json.errors, errors);
      });
    }

    const badBodies: [string, string][] = [
      ['malformed JSON', '{"customer_id": 1,'],
      ['a JSON array', '[1, 2]'],
      ['a JSON string', '"x"'],
      ['JSON null', 'null'],
      ['a number', '42'],
    ];
    for (const [what, body] of badBodies) {
      it(`answers 400 for ${what}`, async () => {
        const r = await send(t, { method: 'PUT', path: '/api/echo/1', body, headers: { 'content-type': 'application/json' } });
        assert.equal(r.status, 400);
        assertErrorShape(r);
        assert.doesNotMatch(r.text, /SyntaxError|at JSON\.parse/);
      });
    }

    it('answers 400 for malformed JSON sent to a service without an input model, and accepts any JSON value', async () => {
      const bad = await send(t, { method: 'GET', path: '/api/open/whoami', body: '{"x": 1,', headers: { 'content-type': 'application/json' } });
      assert.equal(bad.status, 400);
      assertErrorShape(bad);
      assert.equal(bad.json.details, 'Malformed JSON in the request body');
      // Its input is {} whatever the body: a well-formed non-object is not an error there.
      for (const body of ['[1, 2]', '{"x": 1}', '42']) {
        const ok = await send(t, { method: 'GET', path: '/api/open/whoami', body, headers: { 'content-type': 'application/json' } });
        assert.equal(ok.status, 200, body);
      }
    });

    const types: [string | undefined, number][] = [
      ['application/json', 200],
      ['application/json; charset=utf-8', 200],
      ['Application/JSON', 200],
      ['application/vnd.api+json', 200],
      ['text/plain', 415],
      ['application/x-www-form-urlencoded', 415],
      ['application/jsonx', 415],
      ['text/json', 415],
      [undefined, 415],
    ];
    for (const [type, status] of types) {
      it(`content type ${type ?? '(none)'} with a body → ${status}`, async () => {
        const headers: Record<string, string> = type === undefined ? {} : { 'content-type': type };
        const r = await send(t, { method: 'PUT', path: '/api/echo/1', body: '{"name":"x"}', headers });
        assert.equal(r.status, status, r.text);
        if (status !== 200) assertErrorShape(r);
      });
    }

    it('answers 413 at once when Content-Length is over the channel limit', async () => {
      const r = await sendOpenEnded(t, '/api/small', Buffer.from('{"customer_id":'), 10_000_000);
      assert.equal(r.status, 413);
      assertErrorShape(r);
    });

    it('answers 413 when a chunked body grows past the limit', async () => {
      const r = await sendOpenEnded(t, '/api/small', Buffer.from(`{"name":"${'x'.repeat(100)}`));
      assert.equal(r.status, 413);
      assertErrorShape(r);
    });

    it('accepts a body within the limit, and enforces the 1 MiB default', async () => {
      const ok = await send(t, { path: '/api/small?customer_id=1', body: { name: 'short' } });
      assert.equal(ok.status, 200, ok.text);
      const big = await sendOpenEnded(t, '/api/echo/1', Buffer.from('{'), 1024 * 1024 + 1, 'PUT');
      assert.equal(big.status, 413);
      const atLimit = await send(t, { method: 'PUT', path: '/api/echo/1', body: `{"name":"${'x'.repeat(1024 * 1024 - 11)}"}`, headers: { 'content-type': 'application/json' } });
      assert.equal(atLimit.status, 200, 'exactly 1 MiB is allowed');
    });

    it('treats __proto__ and constructor keys as plain data', async () => {
      const body = '{"__proto__": {"admin": true, "customer_id": 99}, "constructor": {"prototype": {"admin": 1}}, "name": "x"}';
      const r = await send(t, { method: 'PUT', path: '/api/echo/5?__proto__=y', body, headers: { 'content-type': 'application/json' } });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.polluted, false);
      assert.deepEqual(r.json.input, { customer_id: 5, name: 'x', limit: 20 });
      assert.equal(({} as Record<string, unknown>).admin, undefined);
    });

    it('shows headers lower case with _ turned into -, the last of a repeated one, Map-like', async () => {
      const r = await echo('/api/echo/1', {}, { X_Zato_Tenant: 'acme', 'X-Repeated': ['first', 'last'] });
      assert.equal(r.json.headers['x-zato-tenant'], 'acme');
      assert.equal(r.json.headers['x-repeated'], 'last');
      const who = await send(t, { method: 'GET', path: '/api/open/whoami', headers: { 'x-zato-tenant': 'globex' } });
      assert.equal(who.json.tenant, 'globex', "get('X_Zato_Tenant') finds x-zato-tenant");
    });

    it('behaves the same through the gateway and a direct channel', async () => {
      const viaGateway = await send(t, {
        path: '/zato/gateway/customer.get', headers: { authorization: GATEWAY_AUTH, 'x-zato-tenant': 'acme' }, body: { customer_id: 123 },
      });
      const direct = await send(t, {
        path: '/api/customer/get', headers: { authorization: API_AUTH, 'x-zato-tenant': 'acme' }, body: { customer_id: 123 },
      });
      assert.equal(viaGateway.status, 200, viaGateway.text);
      assert.deepEqual(viaGateway.json, { name: 'Jane Doe', email: 'jane@example.com', tier: 'gold' });
      assert.deepEqual(direct.json, viaGateway.json);
      const other = await send(t, {
        path: '/zato/gateway/customer.get', headers: { authorization: GATEWAY_AUTH, 'x-zato-tenant': 'globex' }, body: { customer_id: 123 },
      });
      assert.equal(other.status, 404);
      assert.equal(other.json.details, 'No customer 123');
    });

    it('passes the query of the ?service= form to the service without the service parameter', async () => {
      const r = await send(t, { path: '/zato/gateway/invoke?service=echo&limit=3', headers: { authorization: GATEWAY_AUTH }, body: { customer_id: 1 } });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.input.limit, 3);
      assert.deepEqual(r.json.query, { limit: '3' });
      assert.deepEqual(r.json.params, {});
    });
  });
}
