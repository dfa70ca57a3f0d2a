/**
 * Issue 6 item 7 / CONTRACT §4: names that must not break out of strings, comments or objects — quotes,
 * backticks, `${`, `*\/`, newlines (where the syntax allows them), unicode, `__proto__`, `constructor` — in service,
 * channel, security definition, realm, model and field names. The project builds, tsc passes over the generated
 * code, and a real server on the generated manifest answers through the gateway and a direct channel with every
 * field name intact.
 */
import { encodePathSegment } from '../../runtime/path-segment.js';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Manifest } from '../../runtime/manifest.js';
import { REPO, gen, tempProject, typecheck, type TempProject } from '../helpers/project.js';
import { send, type Reply, type Target } from '../helpers/runtime-harness.js';

// Service names may hold anything but '/', whitespace and control characters (one URL path segment, SG108).
// The gateway matches the raw path segment and node:http refuses raw non-ASCII bytes in a request line, so the
// unicode-named service is called through its direct channel, and through the gateway in its canonical spelling.
const SERVICE = 'it\'s"q"`b`${x}*|^\\';
const UNICODE_SERVICE = 'kunde.ändern😀';
const FIELD = 'it\'s "q" `b` ${x} */ \\ ü 😀';

const SERVICES = `import { Service, Model, type Int } from 'servicegate';

/** Field names that are not identifiers, and two that shadow Object.prototype: an interface may declare them. */
export interface Inner {
  constructor: string;
  ${JSON.stringify(FIELD)}?: Int;
}

/** A model named like the prototype accessor. */
export class __proto__ extends Model {
  'toString'!: string;
}

/** Input and output of every service here. */
export class Ünïcödé_$Model extends Model {
  ${JSON.stringify(FIELD)}!: string;
  '__proto__'?: Int;
  'line\\nbreak'?: string;
  'a/b~c'?: Inner;
  'ünï 😀': boolean = true;
  proto?: __proto__ | null;
}

export class Odd extends Service {
  name = ${JSON.stringify(SERVICE)};
  input = Ünïcödé_$Model;
  output = Ünïcödé_$Model;
  async handle() {
    this.response.payload = this.request.input;
    this.response.headers['x-who'] = this.channel.name.length.toString();
  }
}

export class Uni extends Service {
  name = ${JSON.stringify(UNICODE_SERVICE)};
  input = Ünïcödé_$Model;
  output = Ünïcödé_$Model;
  async handle() {
    this.response.payload = await this.invoke(${JSON.stringify(SERVICE)}, this.request.input);
  }
}

export class Proto extends Service {
  name = '__proto__';
  output = __proto__;
  async handle() {
    this.response.payload = { toString: 'own' };
  }
}

export class Ctor extends Service {
  name = 'constructor';
  async handle() {
    this.response.statusCode = 200;
    this.response.payload = undefined;
  }
}
`;

// YAML double-quoted strings carry newlines and every other character.
const y = (s: string) => JSON.stringify(s);
const CHANNEL = 'Gate it\'s "q" `b` ${x} */\nline 2 ü';
const DIRECT = '__proto__';
const SECURITY = 'sec it\'s "q" `b` ${x} */\n ü';
const REALM = 'it\'s `b` ${x} */ ü';
const USER = 'us"er`*/\'';
const CONFIG = `security:
  - name: ${y(SECURITY)}
    type: basic_auth
    username: ${y(USER)}
    password: \${HOSTILE_PASSWORD}
    realm: ${y(REALM)}
  - name: constructor
    type: apikey
    header: X-Key
    password: Zato_Enmasse_Env.HOSTILE_KEY
rest_channel:
  - name: ${y(CHANNEL)}
    url_path: /gw/{service}
    service: helpers.service-gateway
    security: ${y(SECURITY)}
    gateway_service_list: [${y(SERVICE)}, ${y(UNICODE_SERVICE)}, __proto__, constructor]
  - name: ${y(DIRECT)}
    url_path: /direct/odd
    service: ${y(UNICODE_SERVICE)}
    method: POST
    security: constructor
`;

const ENV = { HOSTILE_PASSWORD: 'pw', HOSTILE_KEY: 'key' };
const AUTH = `Basic ${Buffer.from(`${USER}:pw`).toString('base64')}`;

let project: TempProject;
let target: Target;
let closeServer: () => Promise<void>;

before(async () => {
  project = tempProject({ 'services/odd.ts': SERVICES, 'config/channels.yaml': CONFIG });
  const r = gen(['build', project.dir]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  // The same module instance the project's generated code gets through node_modules/servicegate.
  const { createServer } = (await import(pathToFileURL(join(REPO, 'dist/runtime/index.js')).href)) as typeof import('../../runtime/index.js');
  const { manifest } = (await import(pathToFileURL(join(project.dir, 'generated/index.ts')).href)) as { manifest: Manifest };
  const server = createServer(manifest, { env: ENV, logger: false });
  const { port } = await server.listen(0, '127.0.0.1');
  closeServer = () => server.close(1_000);
  target = { mode: 'fast', port, logs: { requests: [], lines: [] }, close: closeServer };
});

after(async () => {
  await closeServer?.();
  project?.remove();
});

/** A body with every hostile field, '__proto__' as an own key (as JSON.parse makes it), and one undeclared field. */
const BODY = `{${[
  `${y(FIELD)}: "v\\u2028\\"\`"`,
  '"__proto__": 7',
  '"line\\nbreak": "lb"',
  `"a/b~c": {"constructor": "c", ${y(FIELD)}: 3, "dropped": 1}`,
  '"ünï 😀": false',
  '"proto": {"toString": "t"}',
  '"undeclared": "x"',
].join(', ')}}`;
const EXPECTED = JSON.parse(BODY.replace(', "dropped": 1', '').replace(', "undeclared": "x"', ''));

function assertEcho(reply: Reply): void {
  assert.equal(reply.status, 200, reply.text);
  const parsed = JSON.parse(reply.text);
  assert.deepEqual(parsed, EXPECTED);
  assert.deepEqual(Object.keys(parsed), Object.keys(EXPECTED), 'declared fields, in declaration order');
  assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
}

describe('hostile names in services, models, fields, channels, security definitions and realms', () => {
  test('the project builds and tsc passes over services and generated code', () => {
    const tsc = typecheck(project.dir);
    assert.equal(tsc.code, 0, tsc.stdout + tsc.stderr);
  });

  test('the generated files keep each name only inside string literals (no comment is closed early)', async () => {
    const { readFileSync } = await import('node:fs');
    const routes = readFileSync(join(project.dir, 'generated/routes.ts'), 'utf8');
    assert.ok(routes.includes(JSON.stringify(CHANNEL).replace(/\*\//g, '*\\/')) || routes.includes(JSON.stringify(CHANNEL)));
    for (const file of ['routes.ts', 'index.ts', 'validators.ts', 'allowlist.ts', 'client.ts', 'service-map.ts']) {
      const text = readFileSync(join(project.dir, 'generated', file), 'utf8');
      assert.ok(!/\n\s*line 2 ü/.test(text), `${file}: a newline in a name started a line of code`);
    }
  });

  test('a gateway call by the raw name runs the service; every field name round-trips', async () => {
    // node:http writes the request line as latin1, so 'ü' goes out as one raw byte, which is what the server reads.
    assertEcho(await send(target, { path: `/gw/${SERVICE}`, headers: { authorization: AUTH, 'content-type': 'application/json' }, body: BODY }));
  });

  test('the invoke form and the prototype-named services work, and a non-listed prototype name is 404', async () => {
    const headers = { authorization: AUTH, 'content-type': 'application/json' };
    assertEcho(await send(target, { path: `/gw/invoke?service=${SERVICE}`, headers, body: BODY }));
    const proto = await send(target, { path: '/gw/__proto__', headers, body: '{}' });
    assert.equal(proto.status, 200, proto.text);
    assert.deepEqual(proto.json, { toString: 'own' });
    const ctor = await send(target, { path: '/gw/constructor', headers, body: '{}' });
    assert.equal(ctor.status, 200, ctor.text);
    for (const name of ['toString', 'hasOwnProperty', 'valueOf', '__defineGetter__']) {
      const r = await send(target, { path: `/gw/${name}`, headers, body: '{}' });
      assert.equal(r.status, 404, `${name}: ${r.text}`);
    }
  });

  test('a direct channel named __proto__ (apikey definition named constructor) runs the unicode-named service', async () => {
    const ok = await send(target, { path: '/direct/odd', headers: { 'x-key': 'key', 'content-type': 'application/json' }, body: BODY });
    assertEcho(ok);
    const denied = await send(target, { path: '/direct/odd', headers: { 'x-key': 'nope', 'content-type': 'application/json' }, body: BODY });
    assert.equal(denied.status, 401);
  });

  test('the hostile realm is sent as a quoted string in WWW-Authenticate', async () => {
    const r = await send(target, { path: `/gw/${SERVICE}`, headers: { authorization: 'Basic eDp5' }, body: {} });
    assert.equal(r.status, 401);
    assert.equal(r.headers['www-authenticate'], `Basic realm="${Buffer.from(REALM).toString('latin1')}"`);
  });

  test('validation errors name hostile fields with JSON Pointers', async () => {
    const body = JSON.stringify({ [FIELD]: 1, 'a/b~c': { constructor: 2 } });
    const r = await send(target, { path: `/gw/${SERVICE}`, headers: { authorization: AUTH, 'content-type': 'application/json' }, body });
    assert.equal(r.status, 400, r.text);
    const paths = (r.json.errors as { path: string }[]).map((e) => e.path).sort();
    const pointer = '/' + FIELD.replaceAll('~', '~0').replaceAll('/', '~1'); // RFC 6901
    assert.deepEqual(paths, [pointer, '/a~1b~0c/constructor'].sort());
  });

  // The one canonical spelling (runtime/path-segment.ts): pchar kept, everything else %XX — what the typed client
  // and the OpenAPI document use. Any other spelling of the same name is the uniform 404.
  for (const [what, name] of [['a hostile name in its canonical percent-encoded spelling', SERVICE], ['a unicode name in its canonical spelling', UNICODE_SERVICE]]) {
    test(`gateway: ${what}`, async () => {
      const r = await send(target, { path: `/gw/${encodePathSegment(name!)}`, headers: { authorization: AUTH, 'content-type': 'application/json' }, body: BODY });
      assertEcho(r);
      const other = await send(target, { path: `/gw/${encodeURIComponent(name!).replace(/%([0-9A-F]{2})/g, (_, h: string) => `%${h.toLowerCase()}`)}`, headers: { authorization: AUTH, 'content-type': 'application/json' }, body: BODY });
      assert.equal(other.status, 404);
    });
  }
});
