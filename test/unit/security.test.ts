import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseBasicAuth, quoteRealm, readSecurity, StartupError } from '../../runtime/security.js';
import type { SecuritySpec } from '../../runtime/manifest.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

const basicSpec: SecuritySpec = {
  name: 'gateway.credentials', type: 'basic_auth', username: 'gateway', password: { env: 'GATEWAY_PASSWORD' }, realm: 'Gateway', header: '',
};
const keySpec: SecuritySpec = {
  name: 'partners.key', type: 'apikey', username: { env: 'PARTNER_USER' }, password: { env: 'PARTNER_KEY' }, realm: '', header: 'x-api-key',
};
const env = { GATEWAY_PASSWORD: 'p:ss wörd', PARTNER_USER: 'partner', PARTNER_KEY: 'k-1' };

describe('parseBasicAuth', () => {
  const table: [string | undefined, [string, string] | null][] = [
    [`Basic ${b64('gateway:secret')}`, ['gateway', 'secret']],
    [`basic ${b64('gateway:secret')}`, ['gateway', 'secret']],
    [`BASIC  ${b64('a:b:c')}`, ['a', 'b:c']], // only the first ':' separates
    [`Basic ${b64(':')}`, ['', '']],
    [`Basic ${b64('no-colon')}`, null],
    ['Basic ', null],
    ['Basic !!!', null],
    [`Bearer ${b64('a:b')}`, null],
    [`Basic${b64('a:b')}`, null],
    [undefined, null],
  ];
  for (const [header, want] of table) {
    it(`${JSON.stringify(header)} → ${JSON.stringify(want)}`, () => {
      const got = parseBasicAuth(header);
      assert.deepEqual(got === null ? null : [got.username.toString(), got.password.toString()], want);
    });
  }
});

describe('readSecurity', () => {
  const auths = readSecurity([basicSpec, keySpec], env);
  const gateway = auths.get('gateway.credentials')!;
  const partner = auths.get('partners.key')!;

  it('checks basic_auth credentials, including non-ASCII passwords and passwords with ":"', () => {
    const ok = Buffer.from('gateway:p:ss wörd').toString('base64');
    assert.equal(gateway.check(['Authorization', `Basic ${ok}`]), true);
    assert.equal(gateway.check(['authorization', `Basic ${b64('gateway:p:ss word')}`]), false);
    assert.equal(gateway.check(['Authorization', `Basic ${b64('Gateway:p:ss wörd')}`]), false);
    assert.equal(gateway.check(['Authorization', `Basic ${b64('gateway:p:ss wörd!')}`]), false);
    assert.equal(gateway.check([]), false);
    assert.equal(gateway.username, 'gateway');
    assert.equal(gateway.challenge, 'Basic realm="Gateway"');
  });

  it('uses the last Authorization header and ignores the underscore spelling', () => {
    const ok = `Basic ${Buffer.from('gateway:p:ss wörd').toString('base64')}`;
    assert.equal(gateway.check(['Authorization', 'Basic eDp5', 'Authorization', ok]), true);
    assert.equal(gateway.check(['Authorization', ok, 'Authorization', 'Basic eDp5']), false);
    assert.equal(gateway.check(['Authorization_', ok]), false);
  });

  it('checks an apikey header by its configured name, case-insensitively', () => {
    assert.equal(partner.check(['X-API-Key', 'k-1']), true);
    assert.equal(partner.check(['x-api-key', 'k-1']), true);
    assert.equal(partner.check(['x_api_key', 'k-1']), false);
    assert.equal(partner.check(['x-api-key', 'k-2']), false);
    assert.equal(partner.check(['x-api-key', '']), false);
    assert.equal(partner.check(['x-api-key', 'k-1x']), false);
    assert.equal(partner.challenge, null);
    assert.equal(partner.username, 'partner');
  });

  it('refuses to start when a secret is unset or empty, naming the variable and the definition', () => {
    for (const bad of [{}, { GATEWAY_PASSWORD: '' }]) {
      assert.throws(
        () => readSecurity([basicSpec], bad),
        (err: unknown) =>
          err instanceof StartupError && /'gateway\.credentials'/.test(err.message) && /GATEWAY_PASSWORD is not set/.test(err.message),
      );
    }
    assert.throws(() => readSecurity([keySpec], { PARTNER_KEY: 'k' }), /'partners\.key'.*PARTNER_USER is not set/);
  });
});

describe('quoteRealm', () => {
  it('escapes quotes and backslashes and drops control characters', () => {
    assert.equal(quoteRealm('API "v1"'), '"API \\"v1\\""');
    assert.equal(quoteRealm('a\\b'), '"a\\\\b"');
    assert.equal(quoteRealm('x\r\nSet-Cookie: y'), '"xSet-Cookie: y"');
  });
});
