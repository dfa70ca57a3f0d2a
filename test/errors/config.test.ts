import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readConfig, type ConfigReadResult } from '../../generator/read/config.js';
import { formatDiagnostic } from '../../generator/diagnostics.js';

/** Writes `files` into a fresh temp project, reads its config, and removes the project. */
function read(files: Record<string, string>): ConfigReadResult {
  const dir = mkdtempSync(join(tmpdir(), 'sg-config-errors-'));
  try {
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), text);
    }
    return readConfig(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const diags = (yaml: string) => read({ 'config/c.yaml': yaml }).diagnostics.map(formatDiagnostic);
const channel = (body: string) => `rest_channel:\n  - name: c\n${body}`;
const definition = (body: string) => `security:\n  - name: s\n${body}`;
const gateway = (list: string) => `rest_channel:\n  - name: g\n    service: helpers.service-gateway\n    security: s\n    gateway_service_list: ${list}\n`;
const pw = "write password: ${S_PASSWORD} and set S_PASSWORD in the environment";

const cases: [string, { given: string; want: string[] }][] = [
  ['YAML syntax error', { given: 'rest_channel:\n  - name: [a\n', want: ['config/c.yaml:3:1: error SG201: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]'] }],
  ['duplicate key', { given: 'security: []\nsecurity: []\n', want: ['config/c.yaml:2:1: error SG201: YAML syntax error: Map keys must be unique'] }],
  ['file is a list', { given: '- a\n', want: ["config/c.yaml:1:1: error SG208: a config file must be a map with 'security:', 'rest_channel:' and 'include:' sections"] }],
  ['misspelt section', { given: 'rest_chanel: []\n', want: ["config/c.yaml:1:1: error SG206: unknown section 'rest_chanel'. Did you mean 'rest_channel'?"] }],
  ['Zato 3 section name', { given: 'channel_plain_http: []\n', want: ["config/c.yaml:1:1: error SG206: servicegate reads 'rest_channel:', not 'channel_plain_http:'; rename the section to rest_channel:"] }],
  ['misspelt channel key', { given: channel('    urlpath: /a\n    url_path: /a\n    service: x\n'), want: ["config/c.yaml:3:5: error SG206: unknown key 'urlpath' in a channel. Did you mean 'url_path'?"] }],
  ['unknown channel key', {
    given: channel('    colour: red\n    url_path: /a\n    service: x\n'),
    want: ["config/c.yaml:3:5: error SG206: unknown key 'colour' in a channel. Known keys: name, url_path, service, method, data_format, security, gateway_service_list, timeout, max_body_size, is_active, should_include_in_openapi, is_deprecated, deprecation_sunset, deprecation_successor."],
  }],
  ['Zato 3 sec_def', { given: channel('    sec_def: x\n    url_path: /a\n    service: x\n'), want: ["config/c.yaml:3:5: error SG206: unknown key 'sec_def' in a channel: servicegate reads this from 'security'; write security: instead"] }],
  ['number for a string', { given: channel('    url_path: /a\n    service: 42\n'), want: ["config/c.yaml:4:14: error SG208: 'service' must be a string, not a number; write service: customer.get"] }],
  ['map for a list', { given: gateway('{a: 1}'), want: ["config/c.yaml:5:27: error SG208: 'gateway_service_list' must be a list, not a map; write gateway_service_list: [customer.get]"] }],
  ['number in a list', { given: gateway('[a, 1]'), want: ["config/c.yaml:5:31: error SG208: each entry of 'gateway_service_list' must be a string, not a number"] }],
  ['string for a boolean', { given: channel('    url_path: /a\n    service: x\n    is_active: yes\n'), want: ["config/c.yaml:5:16: error SG208: 'is_active' must be true or false, not a string; write is_active: true"] }],
  ['string for a number', { given: channel('    url_path: /a\n    service: x\n    timeout: "30"\n'), want: ["config/c.yaml:5:14: error SG208: 'timeout' must be a number, not a string; write timeout: 30"] }],
  ['security is a map', { given: 'security:\n  name: s\n', want: ["config/c.yaml:2:3: error SG208: 'security' must be a list of security definitions (lines starting with '- '), not a map"] }],
  ['channel is a string', { given: 'rest_channel:\n  - just a string\n', want: ["config/c.yaml:2:5: error SG208: each channel must be a map with name, service and url_path, like '- name: Get customer'"] }],
  ['channel without name', { given: 'rest_channel:\n  - url_path: /a\n    service: x\n', want: ['config/c.yaml:2:5: error SG209: a channel needs a name: add name: Get customer'] }],
  ['channel without service', { given: channel('    url_path: /a\n'), want: ["config/c.yaml:2:5: error SG209: channel 'c' needs a service: add service: customer.get (or helpers.service-gateway for a gateway)"] }],
  ['channel without url_path', { given: channel('    service: x\n'), want: ["config/c.yaml:2:5: error SG209: channel 'c' needs a url_path: add url_path: /api/..."] }],
  ['literal password', { given: definition('    type: basic_auth\n    username: u\n    password: hunter2\n'), want: [`config/c.yaml:5:15: error SG210: secrets are never copied into generated files: ${pw}`] }],
  ['password none', { given: definition('    type: basic_auth\n    username: u\n    password: none\n'), want: [`config/c.yaml:5:15: error SG210: security definition 's' needs a password ('none' is not one): ${pw}`] }],
  ['empty password', { given: definition('    type: basic_auth\n    username: u\n    password: ""\n'), want: [`config/c.yaml:5:15: error SG210: security definition 's' needs a password ('' is not one): ${pw}`] }],
  ['no password', { given: definition('    type: apikey\n'), want: [`config/c.yaml:2:5: error SG209: security definition 's' has no password: ${pw}`] }],
  ['malformed env reference', {
    given: definition('    type: apikey\n    password: ${1X}\n'),
    want: ["config/c.yaml:4:15: error SG210: '${1X}' is not a valid environment variable reference in security definition 's': write ${NAME} or Zato_Enmasse_Env.NAME, NAME made of letters, digits and '_'"],
  }],
  ['unknown security type', { given: definition('    type: basic\n    username: u\n    password: ${P}\n'), want: ["config/c.yaml:3:11: error SG211: unknown security type 'basic' in security definition 's'. Write basic_auth or apikey."] }],
  ['misspelt security type', { given: definition('    type: apikye\n    password: ${P}\n'), want: ["config/c.yaml:3:11: error SG211: unknown security type 'apikye' in security definition 's'. Did you mean 'apikey'?"] }],
  ['basic_auth without username', { given: definition('    type: basic_auth\n    password: ${P}\n'), want: ["config/c.yaml:2:5: error SG209: security definition 's' needs a username: add username: <the name callers log in with>"] }],
  ['invalid header name', {
    given: definition('    type: apikey\n    header: X API Key\n    password: ${P}\n'),
    want: ["config/c.yaml:4:13: error SG213: 'X API Key' is not a valid HTTP header name in security definition 's': use letters, digits and '-', like header: X-API-Key"],
  }],
  ['realm with a quote', {
    given: definition('    type: basic_auth\n    username: u\n    realm: a"b\n    password: ${P}\n'),
    want: ["config/c.yaml:5:12: error SG213: the realm of security definition 's' must be non-empty text without quotes, backslashes or control characters"],
  }],
  ['invalid method', {
    given: channel('    url_path: /a\n    service: x\n    method: GE T\n'),
    want: ["config/c.yaml:5:13: error SG213: 'GE T' is not an HTTP method in channel 'c': write GET, POST, PUT, PATCH or DELETE, or leave method out for any method"],
  }],
  ['data_format other than json', {
    given: channel('    url_path: /a\n    service: x\n    data_format: xml\n'),
    want: ["config/c.yaml:5:18: error SG213: data_format 'xml' is not supported in channel 'c': servicegate channels speak JSON; write data_format: json"],
  }],
  ['non-positive timeout, fractional body size', {
    given: channel('    url_path: /a\n    service: x\n    timeout: -1\n    max_body_size: 1.5\n'),
    want: [
      "config/c.yaml:5:14: error SG213: 'timeout' of channel 'c' must be a positive number of seconds, like 30",
      "config/c.yaml:6:20: error SG213: 'max_body_size' of channel 'c' must be a positive whole number of bytes, like 1048576",
    ],
  }],
  ['bad deprecation values', {
    given: channel('    url_path: /a\n    service: x\n    deprecation_sunset: soon\n    deprecation_successor: not a url\n'),
    want: [
      "config/c.yaml:5:25: error SG213: deprecation_sunset 'soon' of channel 'c' is not a date: write an ISO date like 2026-12-31 or an HTTP date like Thu, 31 Dec 2026 23:59:59 GMT",
      "config/c.yaml:6:28: error SG213: deprecation_successor 'not a url' of channel 'c' must be an http(s) URL or a path starting with '/', without spaces, quotes or '<>'",
    ],
  }],
  ['gateway_service_list on a REST channel', {
    given: channel('    url_path: /a\n    service: x\n    gateway_service_list: [a]\n'),
    want: ["config/c.yaml:5:5: error SG213: gateway_service_list only applies to gateway channels (service: helpers.service-gateway); remove it from channel 'c'"],
  }],
  ['duplicate gateway entry', { given: gateway('[a, b, a]'), want: ["config/c.yaml:5:34: warning SG215: 'a' is listed twice in the gateway_service_list of channel 'g' (first at 5:28); remove this entry"] }],
  ['missing and absolute includes', {
    given: 'include:\n  - nope.yaml\n  - /etc/passwd\n',
    want: [
      "config/c.yaml:2:5: error SG203: included file 'nope.yaml' does not exist (looked for config/nope.yaml); fix the path or remove the entry",
      "config/c.yaml:3:5: error SG203: include '/etc/passwd' must be a path relative to config/c.yaml, like partners.yaml",
    ],
  }],
  ['include is a map', { given: 'include: {a: b}\n', want: ["config/c.yaml:1:10: error SG208: 'include' must be a list, not a map; write include: [partners.yaml]"] }],
];

for (const [name, { given, want }] of cases) {
  test(`config error: ${name}`, () => assert.deepEqual(diags(given), want));
}

test('a literal password never reaches the IR', () => {
  const r = read({ 'config/c.yaml': definition('    type: basic_auth\n    username: u\n    password: hunter2\n') });
  assert.ok(!JSON.stringify(r.security).includes('hunter2'));
});

test('include cycles are reported with the whole cycle, and reading stops', () => {
  const r = read({
    'config/a.yaml': 'include: [b.yaml]\n',
    'config/b.yaml': 'include: [sub/../a.yaml]\n',
    'config/self.yaml': 'include: [./self.yaml]\n',
  });
  assert.deepEqual(r.diagnostics.map(formatDiagnostic), [
    'config/b.yaml:1:11: error SG204: include cycle: config/a.yaml → config/b.yaml → config/a.yaml; remove one of these includes',
    'config/self.yaml:1:11: error SG204: include cycle: config/self.yaml → config/self.yaml; remove one of these includes',
  ]);
  assert.deepEqual(r.files, ['config/a.yaml', 'config/b.yaml', 'config/self.yaml']);
});

test('an alias bomb is refused with an error, not expanded', () => {
  let yaml = 'a: &a [x, x, x, x, x, x, x, x, x]\n';
  for (let i = 0, prev = 'a'; i < 12; prev = `b${i}`, i++) yaml += `b${i}: &b${i} [${Array(9).fill(`*${prev}`).join(', ')}]\n`;
  yaml += 'rest_channel: *b11\n';
  assert.deepEqual(diags(yaml), [
    'config/c.yaml:2:10: error SG214: YAML aliases in config/c.yaml expand to too many nodes (more than 100): write the values out instead of using anchors',
  ]);
});

test('a file over 10 MB is refused without parsing', () => {
  const r = read({ 'config/big.yaml': `# ${'x'.repeat(11 * 1024 * 1024)}\n[` });
  assert.deepEqual(r.diagnostics.map(formatDiagnostic), [
    'config/big.yaml:1:1: error SG202: config/big.yaml is 11.0 MB; config files are limited to 10 MB: split it into smaller files',
  ]);
});

test('deeply nested input is an error, not a crash', () => {
  const out = diags(`rest_channel: ${'['.repeat(50000)}`);
  assert.ok(out.length > 0 && out.length <= 21, `${out.length} diagnostics`);
  assert.ok(out.every((d) => d.startsWith('config/c.yaml:') && d.includes(' error SG201: ')));
});
