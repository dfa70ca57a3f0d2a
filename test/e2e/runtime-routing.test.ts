// CONTRACT §5.1, §5.2, §5.8: routing, 404/405, ping, fall-through, the gateway allowlist and its bypass attempts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MODES, assertErrorShape, send, start, type Reply, type Target } from '../helpers/runtime-harness.js';
import { GATEWAY_AUTH, API_AUTH } from '../helpers/manifest-fixture.js';

/** Everything of an error body but its cid, to compare two answers. */
const withoutCid = (r: Reply) => ({ status: r.status, type: r.headers['content-type'], body: { ...r.json, cid: undefined } });

for (const mode of MODES) {
  describe(`routing (${mode})`, () => {
    let t: Target;
    before(async () => {
      t = await start(mode);
    });
    after(() => t.close());

    it('answers GET /zato/ping without security, with the cid in body and header', async () => {
      const r = await send(t, { method: 'GET', path: '/zato/ping' });
      assert.equal(r.status, 200);
      assert.equal(r.json.result, 'Ok');
      assert.match(r.json.cid, /^[0-9a-f]{24}$/);
      assert.equal(r.headers['x-zato-cid'], r.json.cid);
      const post = await send(t, { method: 'POST', path: '/zato/ping' });
      assert.equal(post.status, 405);
      assert.equal(post.headers.allow, 'GET, HEAD');
    });

    it('gives every answer a fresh X-Zato-CID', async () => {
      const replies = await Promise.all([
        send(t, { method: 'GET', path: '/zato/ping' }),
        send(t, { method: 'GET', path: '/api/noop' }),
        send(t, { path: '/zato/gateway/whoami' }),
        send(t, { method: 'DELETE', path: '/api/noop' }),
      ]);
      const cids = replies.map((r) => r.headers['x-zato-cid']);
      for (const cid of cids) assert.match(String(cid), /^[0-9a-f]{24}$/);
      assert.equal(new Set(cids).size, cids.length);
    });

    it('answers 405 with a sorted Allow when the path exists with other methods', async () => {
      const r = await send(t, { method: 'GET', path: '/api/noop' });
      assert.equal(r.status, 405);
      assert.equal(r.headers.allow, 'DELETE, PATCH');
      assertErrorShape(r);
      assert.equal((await send(t, { method: 'DELETE', path: '/api/noop' })).status, 204);
      assert.equal((await send(t, { method: 'PATCH', path: '/api/noop' })).status, 202);
    });

    it('answers HEAD on a GET channel as GET without a body, and lists HEAD in Allow', async () => {
      const get = await send(t, { method: 'GET', path: '/api/open/whoami' });
      const head = await send(t, { method: 'HEAD', path: '/api/open/whoami' });
      assert.equal(get.status, 200);
      assert.equal(head.status, 200);
      assert.equal(head.text, '');
      assert.equal(head.headers['content-type'], get.headers['content-type']);
      assert.equal(head.headers['content-length'], get.headers['content-length']);
      assert.match(String(head.headers['x-zato-cid']), /^[0-9a-f]{24}$/);
      const post = await send(t, { method: 'POST', path: '/api/open/whoami' });
      assert.equal(post.status, 405);
      assert.equal(post.headers.allow, 'GET, HEAD');
      // Only GET lends itself to HEAD: a path without GET still answers 405.
      const noGet = await send(t, { method: 'HEAD', path: '/api/noop' });
      assert.equal(noGet.status, 405);
      assert.equal(noGet.headers.allow, 'DELETE, PATCH');
    });

    it('serves a channel without a method on every method', async () => {
      for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
        const r = await send(t, { method, path: '/api/whoami', headers: { authorization: API_AUTH } });
        assert.equal(r.status, 200, method);
      }
    });

    it('answers a disabled channel with the uniform 404, whatever the method', async () => {
      for (const method of ['POST', 'GET']) {
        const r = await send(t, { method, path: '/api/off' });
        assert.equal(r.status, 404);
        assertErrorShape(r);
        assert.equal(r.json.details, 'Not found');
      }
    });

    it('lets requests that match no channel fall through to the host app', async () => {
      const user = await send(t, { method: 'GET', path: '/user/hello' });
      assert.equal(user.status, 200);
      assert.deepEqual(user.json, { hello: 'world' });
      const unknown = await send(t, { method: 'GET', path: '/no/such/path' });
      assert.equal(unknown.status, 404);
      if (mode === 'fast') {
        // The runtime's final handler: the §5.6 body, and a cid on the app's own answers too.
        assert.match(String(user.headers['x-zato-cid']), /^[0-9a-f]{24}$/);
        assertErrorShape(unknown);
        assert.equal(unknown.json.details, 'Not found');
        const boom = await send(t, { method: 'GET', path: '/user/boom' });
        assert.equal(boom.status, 500);
        assertErrorShape(boom);
        assert.equal(boom.json.details, 'Internal error');
        assert.ok(t.logs.lines.some((l) => l.fields.cid === boom.headers['x-zato-cid'] && l.level === 'error'));
      } else {
        assert.deepEqual(unknown.json, { fallthrough: true }); // next() reached the app's next handler
      }
    });

    it('sends deprecation headers on a deprecated channel', async () => {
      const r = await send(t, { method: 'GET', path: '/api/old' });
      assert.equal(r.status, 204);
      assert.equal(r.text, '');
      assert.equal(r.headers.deprecation, 'true');
      assert.equal(r.headers.sunset, 'Sat, 01 Nov 2031 00:00:00 GMT');
      assert.equal(r.headers.link, '</api/new>; rel="successor-version"');
      const current = await send(t, { method: 'DELETE', path: '/api/noop' });
      assert.equal(current.headers.deprecation, undefined);
    });

    it('logs one line per request with cid, channel, service, status and duration', async () => {
      const r = await send(t, { method: 'GET', path: '/api/open/whoami?x=secret' });
      const line = t.logs.requests.find((e) => e.cid === r.headers['x-zato-cid']);
      assert.ok(line, 'a request line with the response cid');
      assert.equal(line.channel, 'Whoami open');
      assert.equal(line.service, 'whoami');
      assert.equal(line.method, 'GET');
      assert.equal(line.path, '/api/open/whoami'); // never the query string
      assert.equal(line.status, 200);
      assert.equal(typeof line.duration_ms, 'number');
      assert.equal(t.logs.requests.filter((e) => e.cid === r.headers['x-zato-cid']).length, 1);
    });
  });

  describe(`gateway channel (${mode})`, () => {
    let t: Target;
    before(async () => {
      t = await start(mode);
    });
    after(() => t.close());
    const gw = (path: string, headers: Record<string, string> = {}) =>
      send(t, { path, headers: { authorization: GATEWAY_AUTH, ...headers }, body: {} });

    it('runs an allowlisted service by path and by ?service=, with the same result', async () => {
      const byPath = await gw('/zato/gateway/whoami', { 'x-zato-username': 'alice' });
      const byQuery = await gw('/zato/gateway/invoke?service=whoami', { 'x-zato-username': 'alice' });
      for (const r of [byPath, byQuery]) {
        assert.equal(r.status, 200);
        assert.equal(r.json.username, 'alice');
        assert.equal(r.json.channel_type, 'gateway');
        assert.equal(r.json.channel_name, 'Gateway');
      }
    });

    it('matches a name containing % only when the allowlist has it literally', async () => {
      assert.equal((await gw('/zato/gateway/weird%2Fname')).status, 200);
      assert.equal((await gw('/zato/gateway/weird/name')).status, 404);
    });

    it('answers "not allowlisted" and "does not exist" identically', async () => {
      const hidden = await gw('/zato/gateway/customer.get-details'); // exists, not allowlisted
      const ghost = await gw('/zato/gateway/ghost'); // allowlisted, does not exist
      const nothing = await gw('/zato/gateway/nothing'); // neither
      for (const r of [hidden, ghost, nothing]) {
        assert.equal(r.status, 404);
        assertErrorShape(r);
      }
      assert.deepEqual(withoutCid(hidden), withoutCid(ghost));
      assert.deepEqual(withoutCid(hidden), withoutCid(nothing));
    });

    const attempts = [
      '/zato/gateway/Customer.Get',
      '/zato/gateway/WHOAMI',
      '/zato/gateway/customer%2Eget-details',
      '/zato/gateway/customer%2eget', // decodes to an allowlisted name: still refused, matching is on the raw name
      '/zato/gateway/%63ustomer.get',
      '/zato/gateway/who%61mi',
      '/zato/gateway/customer.get%252Dx',
      '/zato/gateway/whoami%2F..%2Fcustomer.get-details',
      '/zato/gateway/whoami%2f%2e%2e%2fcustomer.get-details',
      '/zato/gateway/../gateway/customer.get-details',
      '/zato/gateway/./whoami',
      '/zato/gateway/whoami/',
      '/zato/gateway/whoami/..',
      '/zato/gateway/whoami%20',
      '/zato/gateway/whoami%00',
      '/zato/gateway/whoami;x=1',
      '/zato/gateway/%2e%2e',
      '/zato/gateway/..',
      '/zato/gateway/constructor',
      '/zato/gateway/__proto__',
      '/zato/gateway/toString',
      '/zato/gateway/hasOwnProperty',
      '/zato/gateway/invoke',
      '/zato/gateway/invoke?service=',
      '/zato/gateway/invoke?service=customer.get-details',
      '/zato/gateway/invoke?service=whoami&service=customer.get-details',
      '/zato/gateway/invoke?service=customer.get-details&service=whoami',
      '/zato/gateway/invoke?service=whoami&service=whoami',
      '/zato/gateway/invoke?s%65rvice=customer.get-details&service=whoami',
      '/zato/gateway/invoke?service=who%61mi',
      '/zato/gateway/invoke?service=WHOAMI',
      '/zato/gateway/invoke?service=whoami%00',
      '/zato/gateway/invoke?service=whoami+',
      '/zato/gateway/invoke?service[]=whoami',
      '/zato/gateway/invoke/whoami',
      '/zato/gateway/whoami?service=customer.get-details',
      '/zato/gateway/whoami?service=whoami',
      '/zato/gateway//whoami',
      '/zato//gateway/whoami',
      '/Zato/gateway/whoami',
    ];
    for (const path of attempts) {
      it(`refuses ${path}`, async () => {
        const r = await gw(path);
        assert.equal(r.status, 404, r.text);
        assert.equal(r.json?.username, undefined, 'no service ran');
        if (mode === 'fast' || r.json?.fallthrough !== true) {
          assertErrorShape(r);
          assert.equal(r.json.details, 'Not found');
        }
      });
    }

    it('answers non-POST on a gateway path with 405 Allow: POST', async () => {
      for (const path of ['/zato/gateway/whoami', '/zato/gateway/invoke?service=whoami']) {
        const r = await send(t, { method: 'GET', path, headers: { authorization: GATEWAY_AUTH } });
        assert.equal(r.status, 405);
        assert.equal(r.headers.allow, 'POST');
      }
    });
  });
}
