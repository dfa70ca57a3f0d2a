import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { emitOpenApi } from '../../generator/emit/openapi.js';
import { publish } from '../../generator/publish/index.js';
import { bicep } from '../../generator/publish/azure.js';
import { CHANNELS, channel, project, readSample, redoclyLint, REDOCLY_BASE, tempDir, writeFiles } from './publish-fixture.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/**
 * A strict parser for the XML subset policies use (elements, attributes in double or single quotes, text,
 * comments, the five predefined entities and numeric references). Throws on anything not well-formed:
 * mismatched or unclosed tags, duplicate attributes, a raw `<` or `&` in text, text outside the root.
 */
function parseXml(source: string): XmlElement {
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`${why} at offset ${i}: ${JSON.stringify(source.slice(i, i + 30))}`);
  };
  const decode = (raw: string): string => {
    if (/<|&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(raw)) fail('raw < or & in character data');
    return raw.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e]!);
  };
  const skipMisc = () => {
    for (;;) {
      const ws = /^\s*/.exec(source.slice(i))![0];
      i += ws.length;
      if (source.startsWith('<!--', i)) {
        const end = source.indexOf('-->', i + 4);
        if (end < 0 || source.slice(i + 4, end).includes('--')) fail('bad comment');
        i = end + 3;
      } else return;
    }
  };
  const element = (): XmlElement => {
    const open = /^<([A-Za-z_][\w.-]*)/.exec(source.slice(i)) ?? fail('expected an element');
    const el: XmlElement = { name: open[1]!, attrs: {}, children: [], text: '' };
    i += open[0].length;
    for (;;) {
      const attr = /^\s+([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(source.slice(i));
      if (!attr) break;
      if (Object.hasOwn(el.attrs, attr[1]!)) fail(`duplicate attribute ${attr[1]}`);
      el.attrs[attr[1]!] = decode(attr[3] ?? attr[4] ?? '');
      i += attr[0].length;
    }
    const end = /^\s*(\/?)>/.exec(source.slice(i)) ?? fail('expected > or />');
    i += end[0].length;
    if (end[1] === '/') return el;
    for (;;) {
      const textEnd = source.indexOf('<', i);
      if (textEnd < 0) fail(`unclosed <${el.name}>`);
      el.text += decode(source.slice(i, textEnd));
      i = textEnd;
      if (source.startsWith('<!--', i)) skipMisc();
      else if (source.startsWith('</', i)) {
        const close = /^<\/([A-Za-z_][\w.-]*)\s*>/.exec(source.slice(i)) ?? fail('bad end tag');
        if (close[1] !== el.name) fail(`</${close[1]}> closes <${el.name}>`);
        i += close[0].length;
        return el;
      } else el.children.push(element());
    }
  };
  skipMisc();
  const root = element();
  skipMisc();
  if (i !== source.length) fail('content after the root element');
  return root;
}

test('the test XML parser rejects what is not well-formed (so passing it means something)', () => {
  for (const bad of ['<a><b></a></b>', '<a x="1" x="2"/>', '<a>1 < 2</a>', '<a>&nbsp;</a>', '<a/><b/>', '<a>', '<!-- -- --><a/>']) {
    assert.throws(() => parseXml(bad), Error, bad);
  }
  assert.equal(parseXml('<a q="&quot;x&quot;"><!-- c --><b>t&amp;</b></a>').children[0]!.text, 't&');
});

const find = (el: XmlElement, name: string): XmlElement[] => [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => find(c, name))];

test('azure: policy.xml is well-formed and sets x-zato-username from the JWT after dropping the client value', async () => {
  const { project: p, doc } = await readSample();
  const result = publish(p, doc, 'azure', { title: 'Customers', version: '1.0.0', backendUrl: 'https://zato.internal:17010', jwtClaim: 'preferred_username' });
  assert.deepEqual(result.diagnostics, []);
  assert.deepEqual(result.files.map((f) => f.path), ['main.bicep', 'openapi.json', 'policy.xml']);
  const policy = parseXml(result.files[2]!.content);
  assert.equal(policy.name, 'policies');
  assert.deepEqual(policy.children.map((c) => c.name), ['inbound', 'backend', 'outbound', 'on-error']);
  const inbound = policy.children[0]!;
  const names = inbound.children.map((c) => `${c.name}${c.attrs.name ? `:${c.attrs.name}:${c.attrs['exists-action']}` : ''}`);
  assert.deepEqual(names, [
    'base',
    'validate-jwt',
    'set-header:x-zato-username:delete',
    'set-header:x_zato_username:delete',
    'set-header:x-zato-username:override',
    'set-header:Authorization:delete',
    'authentication-basic',
    'set-backend-service',
  ]);
  assert.equal(find(inbound, 'openid-config')[0]!.attrs.url, '{{zato-openid-config-url}}');
  assert.match(inbound.children[4]!.children[0]!.text, /^@\(\(\(Jwt\)context\.Variables\["jwt"\]\)\.Claims\.GetValueOrDefault\("preferred_username", ""\)\)$/);
  assert.deepEqual(inbound.children[6]!.attrs, { username: '{{zato-gateway-username}}', password: '{{zato-gateway-password}}' });
  assert.equal(inbound.children[7]!.attrs['base-url'], '{{zato-backend-url}}');
});

test('azure: main.bicep deploys the API, the policy and the named values; the password only as a @secure() parameter', async () => {
  const { project: p, doc } = await readSample();
  process.env.GATEWAY_PASSWORD = 'do-not-leak-7f3a';
  const result = publish(p, doc, 'azure', { title: "O'Brien ${x}", version: '1.0.0', backendUrl: 'https://zato.internal:17010' });
  delete process.env.GATEWAY_PASSWORD;
  const bicepFile = result.files[0]!.content;
  assert.ok(result.files.every((f) => !f.content.includes('do-not-leak-7f3a')));
  assert.match(bicepFile, /@secure\(\)\n@description\([^\n]*GATEWAY_PASSWORD[^\n]*\)\nparam gatewayPassword string\n/);
  assert.match(bicepFile, /value: loadTextContent\('openapi\.json'\)/);
  assert.match(bicepFile, /format: 'openapi\+json'/);
  assert.match(bicepFile, /format: 'rawxml'\n\s+value: loadTextContent\('policy\.xml'\)/);
  assert.match(bicepFile, /name: 'zato-gateway-password'\n[^}]*value: gatewayPassword\n\s+secret: true/);
  assert.match(bicepFile, /value: '\$\{backendUrl\}\/zato\/gateway'/);
  assert.match(bicepFile, /param backendUrl string = 'https:\/\/zato\.internal:17010'/);
  assert.match(bicepFile, /displayName: 'O\\'Brien \\\$\{x\}'/);
  assert.match(bicepFile, /path: 'api'/);
  for (const named of ['zato-backend-url', 'zato-openid-config-url', 'zato-jwt-audience', 'zato-gateway-username', 'zato-gateway-password']) {
    assert.ok(bicepFile.includes(`name: '${named}'`), named);
  }
});

test('azure: openapi.json is 3.0.3, client-facing (JWT, /<service>) and passes redocly', async () => {
  const { project: p, doc } = await readSample();
  const result = publish(p, doc, 'azure', { title: 'Customers', version: '1.0.0', backendUrl: 'https://zato.internal' });
  const api = JSON.parse(result.files[1]!.content);
  assert.equal(api.openapi, '3.0.3');
  assert.deepEqual(Object.keys(api.paths), ['/customer.get', '/customer.update', '/orders.create', '/orders.list']);
  assert.deepEqual(api.components.securitySchemes, { jwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A token from the identity provider behind API Management.' } });
  assert.ok(!/x-zato-username/i.test(JSON.stringify(api.paths)));
  const dir = await tempDir('sg-publish-azure-');
  dirs.push(dir);
  await writeFiles(dir, result.files);
  // No `servers`: APIM takes the backend from the policy, and the API's public address is APIM's own.
  await writeFile(join(dir, 'redocly.yaml'), `${REDOCLY_BASE}  no-empty-servers: off\n`);
  const errors = (await redoclyLint(join(dir, 'openapi.json'), join(dir, 'redocly.yaml'))).filter((x) => x.severity === 'error');
  assert.deepEqual(errors, []);
});

test('azure: a gateway url_path that does not end with /{service} is an error at the url_path', () => {
  const p = project({
    channels: [
      ...CHANNELS.filter((c) => c.name !== 'Gateway'),
      channel({ name: 'Gateway', kind: 'gateway', urlPath: '/gw/{service}/run', service: 'helpers.service-gateway', gatewayServiceList: ['customer.get'], keyLocs: { url_path: { file: 'config/channels.yaml', line: 22, column: 15 } } }),
    ],
  });
  const result = publish(p, emitOpenApi(p, { title: 't', version: '1' }), 'azure', { title: 't', version: '1' });
  assert.deepEqual(result.files, []);
  const err = result.diagnostics.find((d) => d.code === 'SG509')!;
  assert.deepEqual(err.loc, { file: 'config/channels.yaml', line: 22, column: 15 });
});

test('bicep string literals escape quotes, backslashes, ${ and line breaks', () => {
  assert.equal(bicep("a'b\\c${d}\ne"), "'a\\'b\\\\c\\${d}\\ne'");
});
