// CONTRACT §5.3, §5.4: credentials, the order of checks, and who is calling (including spoofing attempts).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MODES, assertErrorShape, send, sendOpenEnded, start, type Target } from '../helpers/runtime-harness.js';
import { API_AUTH, ENV, GATEWAY_AUTH, basic } from '../helpers/manifest-fixture.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

for (const mode of MODES) {
  describe(`security (${mode})`, () => {
    let t: Target;
    before(async () => {
      t = await start(mode);
    });
    after(() => t.close());

    const badBasic: [string, Record<string, string | string[]>][] = [
      ['no Authorization', {}],
      ['a wrong password', { authorization: basic('gateway', 'wrong') }],
      ['a wrong username', { authorization: basic('Gateway', ENV.GATEWAY_PASSWORD) }],
      ['a password with a suffix', { authorization: basic('gateway', ENV.GATEWAY_PASSWORD + 'x') }],
      ['a password prefix', { authorization: basic('gateway', ENV.GATEWAY_PASSWORD.slice(0, -1)) }],
      ['empty credentials', { authorization: 'Basic ' }],
      ['"Basic" with nothing', { authorization: 'Basic' }],
      ['malformed base64', { authorization: 'Basic !!!not-base64' }],
      ['no colon', { authorization: `Basic ${b64('gateway')}` }],
      ['another scheme', { authorization: `Bearer ${b64(`gateway:${ENV.GATEWAY_PASSWORD}`)}` }],
      ['the other definition\'s credentials', { authorization: API_AUTH }],
      ['the right credentials, then wrong ones', { authorization: [GATEWAY_AUTH, basic('gateway', 'wrong')] }],
      ['the credentials under an underscore name', { authorization_: GATEWAY_AUTH }],
    ];
    for (const [what, headers] of badBasic) {
      it(`answers 401 with WWW-Authenticate for ${what}`, async () => {
        const r = await send(t, { path: '/zato/gateway/whoami', headers, body: {} });
        assert.equal(r.status, 401);
        assert.equal(r.headers['www-authenticate'], 'Basic realm="Gateway"');
        assertErrorShape(r);
        assert.equal(r.json.username, undefined);
      });
    }

    it('accepts the scheme in any case and escapes quotes in the realm', async () => {
      const lower = await send(t, { path: '/zato/gateway/whoami', headers: { authorization: GATEWAY_AUTH.replace('Basic', 'basic') }, body: {} });
      assert.equal(lower.status, 200);
      const api = await send(t, { method: 'GET', path: '/api/whoami' });
      assert.equal(api.status, 401);
      assert.equal(api.headers['www-authenticate'], 'Basic realm="API \\"v1\\""');
    });

    it('accepts a password that contains ":" and a space', async () => {
      const r = await send(t, { method: 'GET', path: '/api/whoami', headers: { authorization: API_AUTH } });
      assert.equal(r.status, 200);
      assert.equal(r.json.username, 'api');
    });

    const apikey: [string, Record<string, string>, number][] = [
      ['no key', {}, 401],
      ['a wrong key', { 'x-api-key': 'k-124' }, 401],
      ['an empty key', { 'x-api-key': '' }, 401],
      ['the key under an underscore name', { x_api_key: ENV.PARTNER_KEY }, 401],
      ['the key in Authorization', { authorization: ENV.PARTNER_KEY }, 401],
      ['the right key', { 'x-api-key': ENV.PARTNER_KEY }, 200],
      ['the right key, header name in upper case', { 'X-API-KEY': ENV.PARTNER_KEY }, 200],
    ];
    for (const [what, headers, status] of apikey) {
      it(`apikey: ${what} → ${status}`, async () => {
        const r = await send(t, { path: '/api/echo/5', headers, body: {} });
        assert.equal(r.status, status, r.text);
        assert.equal(r.headers['www-authenticate'], undefined);
        if (status === 401) assertErrorShape(r);
      });
    }

    it('checks security before the body: bad credentials win over bad JSON, wrong type and oversize', async () => {
      const headers = { authorization: basic('gateway', 'wrong') };
      const cases = [
        { body: '{not json', headers: { ...headers, 'content-type': 'application/json' } },
        { body: 'plain', headers: { ...headers, 'content-type': 'text/plain' } },
      ];
      for (const c of cases) assert.equal((await send(t, { path: '/zato/gateway/echo', ...c })).status, 401);
      const big = await sendOpenEnded(t, '/api/echo/1', Buffer.from('{"a":'), 99_999_999);
      assert.equal(big.status, 401);
    });

    it('checks security before the allowlist, so names cannot be probed anonymously', async () => {
      for (const name of ['customer.get-details', 'ghost', 'nothing', 'whoami']) {
        const r = await send(t, { path: `/zato/gateway/${name}`, body: {} });
        assert.equal(r.status, 401, name);
      }
    });
  });

  describe(`who is calling (${mode})`, () => {
    let t: Target;
    before(async () => {
      t = await start(mode);
    });
    after(() => t.close());

    const table: [string, string, Record<string, string | string[]>, string, string][] = [
      ['gateway: the x-zato-username header', '/zato/gateway/whoami', { authorization: GATEWAY_AUTH, 'x-zato-username': 'alice' }, 'alice', 'gateway'],
      ['gateway: no header → empty', '/zato/gateway/whoami', { authorization: GATEWAY_AUTH }, '', 'gateway'],
      ['gateway: repeated header → the last', '/zato/gateway/whoami', { authorization: GATEWAY_AUTH, 'x-zato-username': ['mallory', 'bob'] }, 'bob', 'gateway'],
      ['gateway: case of the header name does not matter', '/zato/gateway/whoami', { authorization: GATEWAY_AUTH, 'X-Zato-Username': 'carol' }, 'carol', 'gateway'],
      ['gateway: the underscore spelling is not identity', '/zato/gateway/whoami', { authorization: GATEWAY_AUTH, x_zato_username: 'mallory' }, '', 'gateway'],
      ['direct: the definition\'s username, a spoofed header ignored', '/api/whoami', { authorization: API_AUTH, 'x-zato-username': 'admin' }, 'api', 'rest'],
      ['direct without security: empty, a spoofed header ignored', '/api/open/whoami', { 'x-zato-username': 'admin' }, '', 'rest'],
    ];
    for (const [what, path, headers, username, type] of table) {
      it(what, async () => {
        const r = await send(t, { method: path === '/zato/gateway/whoami' ? 'POST' : 'GET', path, headers });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.username, username);
        assert.equal(r.json.channel_type, type);
      });
    }

    it('apikey channel: the definition\'s username', async () => {
      const r = await send(t, { path: '/api/echo/5', headers: { 'x-api-key': ENV.PARTNER_KEY, 'x-zato-username': 'admin' }, body: {} });
      assert.equal(r.status, 200);
      const invoked = await send(t, {
        path: '/zato/gateway/invoke.chain', headers: { authorization: GATEWAY_AUTH, 'x-zato-username': 'dave' }, body: {},
      });
      assert.equal(invoked.json.username, 'dave', 'an invoked service inherits the caller\'s username');
      assert.equal(invoked.json.channel_type, 'invoke');
      assert.equal(invoked.json.channel_name, 'Gateway');
      assert.equal(invoked.json.cid, invoked.headers['x-zato-cid'], 'and its cid');
    });
  });
}
