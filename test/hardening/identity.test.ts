// Issue 6, item 3: identity cannot be forged. `x-zato-username` in every spelling a client can put on the wire
// (raw sockets: CR/LF, obs-fold, repeats, commas) never changes who a direct channel's caller is; a gateway channel
// honours the header only after its own credentials passed; malformed credentials are a 401 (or a parser 4xx).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MODES, start, type Target } from '../helpers/runtime-harness.js';
import { API_AUTH, ENV, GATEWAY_AUTH } from '../helpers/manifest-fixture.js';
import { rawRequest } from './raw-http.js';
import { SAMPLE_API_AUTH, SAMPLE_GATEWAY_AUTH, buildSampleProject, startSample, type SampleServer } from './sample-project.js';
import type { TempProject } from '../helpers/project.js';

type Headers = readonly (readonly [string, string])[];
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/**
 * Identity headers as a client writes them. `gateway` is what a gateway channel's service must see (null: node's
 * parser refuses the request, 400); a direct channel must always see its definition's username.
 */
const SPOOFS: readonly (readonly [string, Headers | string, string | null])[] = [
  ['lower case', [['x-zato-username', 'admin']], 'admin'],
  ['upper case', [['X-ZATO-USERNAME', 'admin']], 'admin'],
  ['mixed case', [['X-zAtO-uSeRnAmE', 'admin']], 'admin'],
  ['underscores', [['x_zato_username', 'admin']], ''],
  ['underscores, upper case', [['X_ZATO_USERNAME', 'admin']], ''],
  ['underscore and dash mixed', [['x-zato_username', 'admin']], ''],
  ['repeated: the last wins', [['x-zato-username', 'alice'], ['X-Zato-Username', 'admin']], 'admin'],
  ['a comma-separated list, kept verbatim', [['x-zato-username', 'alice, admin']], 'alice, admin'],
  ['empty', [['x-zato-username', '']], ''],
  ['padded with tabs and spaces', [['x-zato-username', '\t admin \t']], 'admin'],
  ['percent-encoded, kept verbatim', [['x-zato-username', '%61dmin']], '%61dmin'],
  ['CRLF-separated second header', 'x-zato-username: alice\r\nx-zato-username: admin\r\n', 'admin'],
  ['bare LF inside the value', 'x-zato-username: alice\nx-zato-username: admin\r\n', null],
  ['bare CR inside the value', 'x-zato-username: alice\rx-zato-username: admin\r\n', null],
  ['obs-fold continuation line', 'x-zato-username: alice\r\n admin\r\n', null],
  ['whitespace before the colon', 'x-zato-username : admin\r\n', null],
  ['NUL in the name', 'x-zato-username\u0000: admin\r\n', null],
  ['NUL in the value', 'x-zato-username: ad\u0000min\r\n', null],
];

/** Writes a request whose extra headers are either pairs or a raw header block. */
function request(port: number, method: string, target: string, auth: Headers, spoof: Headers | string, json = '{}') {
  const headers: [string, string][] = [...auth.map(([n, v]) => [n, v] as [string, string])];
  if (typeof spoof !== 'string') headers.push(...spoof.map(([n, v]) => [n, v] as [string, string]));
  const body = method === 'GET' ? undefined : json;
  const head = `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
    headers.map(([n, v]) => `${n}: ${v}\r\n`).join('') + (typeof spoof === 'string' ? spoof : '') +
    (body === undefined ? '' : `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n`) + '\r\n';
  return rawRequest(port, Buffer.from(head + (body ?? ''), 'latin1'));
}

for (const mode of MODES) {
  describe(`identity spoofing (${mode})`, () => {
    let t: Target;
    before(async () => {
      t = await start(mode);
    });
    after(() => t.close());

    const channels: readonly (readonly [string, string, string, Headers, string])[] = [
      ['direct, basic_auth', 'GET', '/api/whoami', [['Authorization', API_AUTH]], 'api'],
      ['direct, no security', 'GET', '/api/open/whoami', [], ''],
      ['gateway', 'POST', '/zato/gateway/whoami', [['Authorization', GATEWAY_AUTH]], 'gateway'],
    ];
    for (const [kind, method, target, auth, own] of channels) {
      for (const [what, spoof, gateway] of SPOOFS) {
        const want = gateway === null ? 'a 400 from the parser' : kind === 'gateway' ? JSON.stringify(gateway) : `its own ${JSON.stringify(own)}`;
        it(`${kind}: x-zato-username ${what} → ${want}`, async () => {
          const r = await request(t.port, method, target, auth, spoof);
          if (gateway === null) {
            assert.equal(r.status, 400);
            // Refused by node's parser, before any channel ran. createServer() answers it with the error body; a
            // server the user owns (the Express-embedded mode) gives node's own bare 400.
            if (mode === 'fast') assert.equal(r.json?.details, 'Bad request: the HTTP request is malformed', 'refused before the runtime');
            else assert.equal(r.headers['x-zato-cid'], undefined, 'refused before the runtime');
            assert.equal(r.json?.username, undefined);
            return;
          }
          assert.equal(r.status, 200, r.body);
          assert.equal(r.json.username, kind === 'gateway' ? gateway : own);
        });
      }
    }

    it('gateway: the header is ignored, and no service runs, when the channel credentials fail', async () => {
      const before = t.logs.requests.length;
      for (const auth of [[], [['Authorization', API_AUTH]], [['Authorization', 'Basic ' + b64('gateway:')]]] as Headers[]) {
        const r = await request(t.port, 'POST', '/zato/gateway/whoami', auth, [['x-zato-username', 'admin']]);
        assert.equal(r.status, 401);
        assert.equal(r.json.username, undefined);
      }
      const lines = t.logs.requests.slice(before);
      assert.equal(lines.length, 3);
      for (const line of lines) assert.equal(line.service, null, 'the log names no service: none ran');
    });
  });
}

/** Malformed or wrong gateway credentials (beyond test/e2e/runtime-security.test.ts): each is refused. */
const BAD_CREDENTIALS: readonly (readonly [string, string, number])[] = [
  ['only padding', 'Basic ====', 401],
  ['one base64 character', 'Basic a', 401],
  ['base64 of an empty string', 'Basic ' + b64(''), 401],
  ['only a colon', 'Basic ' + b64(':'), 401],
  ['the right password, no username', 'Basic ' + b64(`:${ENV.GATEWAY_PASSWORD}`), 401],
  ['the right username, empty password', 'Basic ' + b64('gateway:'), 401],
  ['the password before the username', 'Basic ' + b64(`${ENV.GATEWAY_PASSWORD}:gateway`), 401],
  ['a NUL after the password', 'Basic ' + b64(`gateway:${ENV.GATEWAY_PASSWORD}\u0000`), 401],
  ['a newline after the password', 'Basic ' + b64(`gateway:${ENV.GATEWAY_PASSWORD}\n`), 401],
  ['a fullwidth look-alike username', 'Basic ' + b64(`ｇateway:${ENV.GATEWAY_PASSWORD}`), 401],
  ['base64url alphabet', 'Basic ' + b64(`gateway:${ENV.GATEWAY_PASSWORD}??>`).replaceAll('+', '-').replaceAll('/', '_'), 401],
  ['valid credentials with trailing data', `${GATEWAY_AUTH}, Basic ${b64('x:y')}`, 401],
  ['valid credentials and a second scheme', `${GATEWAY_AUTH} Bearer x`, 401],
  ['a space inside the base64', GATEWAY_AUTH.slice(0, 12) + ' ' + GATEWAY_AUTH.slice(12), 401],
  ['a tab after the scheme', GATEWAY_AUTH.replace(' ', '\t'), 401],
  ['no space after the scheme', GATEWAY_AUTH.replace(' ', ''), 401],
  ['"Basic" twice', `Basic ${GATEWAY_AUTH}`, 401],
  ['a 12 KB base64 blob', 'Basic ' + 'QUJD'.repeat(3_000), 401],
  ['a 12 KB blob that decodes to the right prefix', 'Basic ' + b64(`gateway:${ENV.GATEWAY_PASSWORD}${'x'.repeat(9_000)}`), 401],
  // Over node's 16 KiB header limit: node answers 431 itself, before the runtime sees the request.
  ['a 64 KB header', 'Basic ' + 'QUJD'.repeat(16_000), 431],
];

describe('malformed gateway credentials', () => {
  let t: Target;
  before(async () => {
    t = await start('fast');
  });
  after(() => t.close());

  for (const [what, value, status] of BAD_CREDENTIALS) {
    it(`${what} → ${status}`, async () => {
      const r = await request(t.port, 'POST', '/zato/gateway/whoami', [['Authorization', value]], [['x-zato-username', 'admin']]);
      assert.equal(r.status, status, r.body);
      if (status === 401) {
        assert.equal(r.headers['www-authenticate'], 'Basic realm="Gateway"');
        assert.equal(r.json.result, 'Error');
      }
      assert.equal(r.json?.username, undefined);
    });
  }

  it('still serves the right credentials afterwards', async () => {
    const r = await request(t.port, 'POST', '/zato/gateway/whoami', [['Authorization', GATEWAY_AUTH]], [['x-zato-username', 'alice']]);
    assert.equal(r.status, 200);
    assert.equal(r.json.username, 'alice');
  });
});

describe('identity in the generated customers sample', () => {
  let project: TempProject;
  let server: SampleServer;
  before(async () => {
    project = buildSampleProject();
    server = await startSample(project.dir);
  });
  after(async () => {
    await server?.close();
    project?.remove();
  });

  /** customer.get logs `API call from <this.channel.security.username>`: what the service saw. */
  const seenBy = (cid: string | undefined) =>
    server.logs.lines.filter((l) => l.fields.cid === cid && l.fields.service === 'customer.get').map((l) => l.message);

  for (const [what, spoof, gateway] of SPOOFS.filter(([, , g]) => g !== null)) {
    it(`x-zato-username ${what}: gateway sees ${JSON.stringify(gateway)}, the direct channel sees 'api'`, async () => {
      const body = '{"customer_id":123}';
      const viaGateway = await request(server.port, 'POST', '/zato/gateway/customer.get', [['Authorization', SAMPLE_GATEWAY_AUTH]], spoof, body);
      const direct = await request(server.port, 'POST', '/api/customer/get', [['Authorization', SAMPLE_API_AUTH]], spoof, body);
      assert.equal(viaGateway.status, 200, viaGateway.body);
      assert.equal(direct.status, 200, direct.body);
      assert.deepEqual(seenBy(viaGateway.headers['x-zato-cid']), [`API call from ${gateway}`]);
      assert.deepEqual(seenBy(direct.headers['x-zato-cid']), ['API call from api']);
    });
  }
});
