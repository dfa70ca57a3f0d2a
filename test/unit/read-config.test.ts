import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readConfig } from '../../generator/read/config.js';
import { formatDiagnostic } from '../../generator/diagnostics.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Writes `files` into a fresh temp project, runs `fn`, and removes the project. */
function withProject<T>(files: Record<string, string>, fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'sg-config-'));
  try {
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), text);
    }
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the customers sample reads without diagnostics', () => {
  const r = readConfig(join(root, 'samples/customers'));
  assert.deepEqual(r.diagnostics.map(formatDiagnostic), []);
  assert.deepEqual(r.files, ['config/channels.yaml']);
  assert.deepEqual(r.security, [
    { name: 'api.credentials', type: 'basic_auth', username: 'api', password: { env: 'API_PASSWORD' }, realm: 'API', header: 'X-API-Key', loc: { file: 'config/channels.yaml', line: 8, column: 5 } },
    { name: 'gateway.credentials', type: 'basic_auth', username: 'gateway', password: { env: 'GATEWAY_PASSWORD' }, realm: 'Gateway', header: 'X-API-Key', loc: { file: 'config/channels.yaml', line: 3, column: 5 } },
  ]);
  const [gateway, direct] = r.channels;
  assert.deepEqual(
    r.channels.map((c) => [c.name, c.kind, c.urlPath, c.method, c.service, c.security, c.gatewayServiceList]),
    [
      ['Gateway', 'gateway', '/zato/gateway/{service}', null, 'helpers.service-gateway', 'gateway.credentials', ['customer.get', 'customer.update', 'orders.create', 'orders.list']],
      ['Get customer', 'rest', '/api/customer/get', 'POST', 'customer.get', 'api.credentials', []],
    ],
  );
  assert.deepEqual(gateway!.pathParams, ['service']);
  assert.deepEqual([direct!.timeout, direct!.maxBodySize, direct!.isActive, direct!.includeInOpenapi, direct!.deprecated], [30, 1048576, true, true, false]);
  assert.deepEqual(gateway!.keyLocs.service, { file: 'config/channels.yaml', line: 17, column: 14 });
  assert.deepEqual(gateway!.keyLocs['gateway_service_list.3'], { file: 'config/channels.yaml', line: 24, column: 9 });
});

test('defaults, spellings and value forms', () => {
  const yaml = `
security:
  - name: partners.key
    type: apikey
    password: \${PARTNER_KEY}
  - name: env.user
    type: basic_auth
    username: Zato_Enmasse_Env.API_USER
    password: Zato_Enmasse_Env.API_PASSWORD
channel_rest:
  - name: gw
    service: helpers.service-gateway
    security: none
    gateway_service_list: [orders.list, customer.get, a.b]
  - name: by-id
    url_path: /api/customer/{customer_id}/orders/{order_id}
    service: customer.get
    method: patch
    timeout: 2.5
    max_body_size: 2048
    is_active: false
    should_include_in_openapi: false
    is_deprecated: true
    deprecation_sunset: Thu, 31 Dec 2026 23:59:59 GMT
    deprecation_successor: https://example.com/v2
`;
  withProject({ 'config/a.yaml': yaml }, (dir) => {
    const r = readConfig(dir);
    assert.deepEqual(r.diagnostics.map(formatDiagnostic), []);
    const [user, key] = r.security;
    assert.deepEqual([key!.username, key!.header, key!.password], ['partners.key', 'X-API-Key', { env: 'PARTNER_KEY' }]);
    assert.deepEqual([user!.username, user!.realm], [{ env: 'API_USER' }, 'zato']);
    const [byId, gw] = r.channels;
    assert.deepEqual([gw!.urlPath, gw!.security, gw!.securityNone, gw!.method], ['/zato/gateway/{service}', null, true, null]);
    assert.deepEqual(gw!.gatewayServiceList, ['a.b', 'customer.get', 'orders.list']);
    // per-entry positions stay under the index written in the file
    assert.equal(gw!.keyLocs['gateway_service_list.0']!.column, 28);
    assert.equal(gw!.keyLocs['gateway_service_list=orders.list']!.column, 28);
    assert.deepEqual(byId!.pathParams, ['customer_id', 'order_id']);
    assert.deepEqual(
      [byId!.method, byId!.timeout, byId!.maxBodySize, byId!.isActive, byId!.includeInOpenapi, byId!.deprecated, byId!.securityNone],
      ['PATCH', 2.5, 2048, false, false, true, undefined],
    );
    assert.deepEqual(byId!.deprecation, { sunset: 'Thu, 31 Dec 2026 23:59:59 GMT', successor: 'https://example.com/v2' });
  });
});

test('files are found by glob and include, each read once, merged and sorted', () => {
  const files = {
    'config/b.yaml': 'include: [../shared/partners.yml, sub/c.yaml]\nrest_channel:\n  - {name: b, url_path: /b, service: s.b}\n',
    'config/a.yml': 'rest_channel:\n  - {name: a, url_path: /a, service: s.a}\n',
    'config/sub/c.yaml': 'rest_channel:\n  - {name: c, url_path: /c, service: s.c}\n',
    'config/notes.txt': 'not: read\n',
    'shared/partners.yml': 'security:\n  - {name: p, type: apikey, password: "${P}"}\n',
  };
  withProject(files, (dir) => {
    const r = readConfig(dir);
    assert.deepEqual(r.diagnostics.map(formatDiagnostic), []);
    assert.deepEqual(r.files, ['config/a.yml', 'config/b.yaml', 'config/sub/c.yaml', 'shared/partners.yml']);
    assert.deepEqual(r.channels.map((c) => `${c.name}@${c.loc.file}:${c.loc.line}`), ['a@config/a.yml:2', 'b@config/b.yaml:3', 'c@config/sub/c.yaml:2']);
    assert.deepEqual(r.security.map((s) => s.name), ['p']);
    // an explicit pattern list replaces the default
    assert.deepEqual(readConfig(dir, ['config/sub/*.yaml']).files, ['config/sub/c.yaml']);
  });
});

test('a Zato enmasse export with extra sections and keys reads with warnings only', () => {
  const yaml = `
security:
  - name: enmasse.basic_auth.1
    type: basic_auth
    username: enmasse.1
    password: Zato_Enmasse_Env.BasicAuth1
    is_rate_limit_active: false
  - name: enmasse.bearer_token.1
    type: bearer_token
    username: enmasse.1
    password: abcdef123456
groups:
  - name: enmasse.group.1
    members: [enmasse.basic_auth.1]
channel_rest:
  - name: enmasse.channel.rest.1
    service: demo.ping
    url_path: /enmasse.rest.1
    security: enmasse.basic_auth.1
    data_format: json
    groups: [enmasse.group.1]
    merge_url_params_req: true
    params_pri: channel-params-over-msg
    is_internal: false
    cache_expiry: 0
outgoing_rest:
  - name: enmasse.outgoing.rest.1
    host: https://example.com
scheduler: []
`;
  withProject({ 'config/enmasse.yaml': yaml }, (dir) => {
    const r = readConfig(dir);
    assert.deepEqual(r.diagnostics.map(formatDiagnostic), [
      "config/enmasse.yaml:7:5: warning SG207: servicegate ignores 'is_rate_limit_active' in a security definition; remove it to silence this warning",
      "config/enmasse.yaml:9:11: warning SG212: servicegate ignores security definition 'enmasse.bearer_token.1': type 'bearer_token' is not supported (use basic_auth or apikey)",
      "config/enmasse.yaml:12:1: warning SG205: servicegate ignores 'groups'; it reads only security, rest_channel (or channel_rest) and include",
      "config/enmasse.yaml:21:5: warning SG207: servicegate ignores 'groups' in a channel; remove it to silence this warning",
      "config/enmasse.yaml:22:5: warning SG207: servicegate ignores 'merge_url_params_req' in a channel; remove it to silence this warning",
      "config/enmasse.yaml:23:5: warning SG207: servicegate ignores 'params_pri' in a channel; remove it to silence this warning",
      "config/enmasse.yaml:24:5: warning SG207: servicegate ignores 'is_internal' in a channel; remove it to silence this warning",
      "config/enmasse.yaml:25:5: warning SG207: servicegate ignores 'cache_expiry' in a channel; remove it to silence this warning",
      "config/enmasse.yaml:26:1: warning SG205: servicegate ignores 'outgoing_rest'; it reads only security, rest_channel (or channel_rest) and include",
      "config/enmasse.yaml:29:1: warning SG205: servicegate ignores 'scheduler'; it reads only security, rest_channel (or channel_rest) and include",
    ]);
    assert.deepEqual(r.channels.map((c) => [c.name, c.security]), [['enmasse.channel.rest.1', 'enmasse.basic_auth.1']]);
    assert.deepEqual(r.security.map((s) => s.name), ['enmasse.basic_auth.1']);
  });
});
