import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readConfig } from '../../generator/read/config.js';
import { checkChannels } from '../../generator/check/channels.js';
import { formatDiagnostic } from '../../generator/diagnostics.js';
import type { Field, Loc, ModelDecl, ServiceDecl } from '../../generator/ir.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const loc = (file: string, line: number): Loc => ({ file, line, column: 1 });
const field = (name: string): Field => ({ name, type: { kind: 'integer' }, optional: false, constraints: {}, loc: loc('services/x.ts', 1) });
const model = (name: string, ...fields: string[]): ModelDecl => ({ kind: 'object', name, fields: fields.map(field), loc: loc('services/x.ts', 1) });
const service = (name: string, className: string, input?: string): ServiceDecl => ({
  name, className, file: 'services/x.ts', ...(input ? { input } : {}), loc: loc('services/x.ts', 2), nameLoc: loc('services/x.ts', 3),
});

/** The customers sample's services and models, as the service reader gives them. */
const services = [
  service('customer.get', 'GetCustomer', 'GetCustomerRequest'),
  service('customer.get-details', 'GetDetails', 'GetDetailsRequest'),
  service('customer.update', 'UpdateCustomer', 'UpdateCustomerRequest'),
  service('orders.create', 'CreateOrder', 'CreateOrderRequest'),
  service('orders.list', 'ListOrders'),
  service('orders.find', 'FindOrder', 'FindOrderRequest'),
  service('search.run', 'Search', 'SearchRequest'),
];
/** A model with fields no query parameter can hold, required and not. */
const search: ModelDecl = { kind: 'object', name: 'SearchRequest', loc: loc('services/x.ts', 1), fields: [
  { ...field('q'), type: { kind: 'string' } },
  { ...field('tags'), type: { kind: 'array', items: { kind: 'string' } } },
  { ...field('when'), type: { kind: 'nullable', inner: { kind: 'date' } } },
  { ...field('opts'), type: { kind: 'array', items: { kind: 'string' } }, optional: true },
  { ...field('meta'), type: { kind: 'record', values: { kind: 'string' } }, default: {} },
  { ...field('tier'), type: { kind: 'ref', name: 'Tier' } },
] };
const models: ModelDecl[] = [
  model('ByNumber', 'kind', 'customer_id', 'number'),
  model('ByRef', 'kind', 'customer_id', 'ref'),
  { kind: 'union', name: 'FindOrderRequest', discriminator: 'kind', members: [{ value: 'n', model: 'ByNumber' }, { value: 'r', model: 'ByRef' }], loc: loc('services/x.ts', 1) },
  model('CreateOrderRequest', 'customer_id', 'items'),
  model('GetCustomerRequest', 'customer_id'),
  model('GetDetailsRequest', 'customer_id', 'tenant'),
  model('UpdateCustomerRequest', 'customer_id', 'name'),
  search,
  { kind: 'enum', name: 'Tier', values: ['a', 'b'], loc: loc('services/x.ts', 1) },
];

/** Reads `files` as a project's config (which must read cleanly) and returns the checks' diagnostics. */
function check(files: Record<string, string>): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'sg-checks-'));
  try {
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), text);
    }
    const r = readConfig(dir);
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic), [], 'the config itself reads cleanly');
    return checkChannels({ services, models, channels: r.channels, security: r.security }).map(formatDiagnostic);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SEC = 'security:\n  - {name: api.credentials, type: basic_auth, username: api, password: "${P}"}\n';
/** One file with the standard definition and the given channels (one flow map per line, from line 4). */
const channels = (...lines: string[]) => ({ 'config/c.yaml': `${SEC}rest_channel:\n${lines.map((l) => `  - {${l}}\n`).join('')}` });
const gw = (extra: string) => `name: gw, service: helpers.service-gateway, ${extra}`;

const cases: [string, { given: Record<string, string>; want: string[] }][] = [
  ['a valid project', {
    given: channels(gw('security: api.credentials, gateway_service_list: [customer.get, orders.list]'), 'name: c, url_path: "/api/customer/{customer_id}", method: GET, service: customer.get, security: api.credentials'),
    want: [],
  }],
  ['misspelt service', {
    given: channels('name: c, url_path: /a, service: customer.gte'),
    want: ["config/c.yaml:4:38: error SG301: channel 'c' calls service 'customer.gte', which does not exist. Did you mean 'customer.get'?"],
  }],
  ['unknown service', {
    given: channels('name: c, url_path: /a, service: nothing.like.this'),
    want: ["config/c.yaml:4:38: error SG301: channel 'c' calls service 'nothing.like.this', which does not exist. Write the name of a service (its name = '…' field)."],
  }],
  ['unknown gateway entry', {
    given: channels(gw('security: api.credentials, gateway_service_list: [customer.get, orders.lst]')),
    want: ["config/c.yaml:4:114: error SG302: gateway_service_list of channel 'gw' names service 'orders.lst', which does not exist. Did you mean 'orders.list'?"],
  }],
  ['unknown security definition', {
    given: channels('name: c, url_path: /a, service: customer.get, security: api.credential'),
    want: ["config/c.yaml:4:62: error SG303: channel 'c' uses security definition 'api.credential', which is not defined. Did you mean 'api.credentials'?"],
  }],
  ['duplicate channel names', {
    given: { ...channels('name: c, url_path: /a, service: customer.get'), 'config/d.yaml': 'rest_channel:\n  - name: c\n    url_path: /b\n    service: customer.get\n' },
    want: ["config/d.yaml:2:11: error SG304: duplicate channel name 'c': already defined at config/c.yaml:4:12; give each channel a unique name"],
  }],
  ['duplicate security definitions', {
    given: { ...channels(), 'config/b.yaml': SEC },
    want: ["config/c.yaml:2:5: error SG305: duplicate security definition name 'api.credentials': already defined at config/b.yaml:2:5; give each security definition a unique name"],
  }],
  ['same route with other parameter names', {
    given: channels('name: a, url_path: "/api/c/{customer_id}", method: GET, service: customer.get', 'name: b, url_path: "/api/c/{id}", method: get, service: customer.update'),
    want: [
      "config/c.yaml:5:25: error SG306: channel 'b' answers GET /api/c/{id} like channel 'a' (config/c.yaml:4:25); change its url_path or method",
      "config/c.yaml:5:25: error SG309: path parameter {id} of channel 'b' is not a field of UpdateCustomerRequest, the input of 'customer.update': add id!: string (or Int) to UpdateCustomerRequest, or remove {id} from url_path",
    ],
  }],
  ['any method conflicts with every method', {
    given: channels('name: a, url_path: /x, method: POST, service: customer.get', 'name: b, url_path: /x, service: customer.update'),
    want: ["config/c.yaml:5:25: error SG306: channel 'b' answers POST /x like channel 'a' (config/c.yaml:4:25); change its url_path or method"],
  }],
  ['different methods on one path are fine', {
    given: channels('name: a, url_path: /x, method: GET, service: customer.get', 'name: b, url_path: /x, method: POST, service: customer.update'),
    want: [],
  }],
  ['a channel on a built-in route', {
    given: channels('name: p, url_path: /zato/ping, service: customer.get'),
    want: ["config/c.yaml:4:25: error SG306: channel 'p' answers GET /zato/ping like servicegate's built-in GET /zato/ping; change its url_path or method"],
  }],
  ['a direct channel on a gateway route', {
    given: channels(gw('security: api.credentials, gateway_service_list: [customer.get]'), 'name: i, url_path: /zato/gateway/invoke, method: POST, service: customer.get'),
    want: ["config/c.yaml:5:25: error SG306: channel 'i' answers POST /zato/gateway/invoke like channel 'gw' (config/c.yaml:4:5); change its url_path or method"],
  }],
  ['invalid url_paths', {
    given: channels(
      'name: a, url_path: api/x, service: customer.get',
      `name: b, url_path: /${'x'.repeat(200)}, service: customer.get`,
      'name: c, url_path: "/x?y=1", service: customer.get',
      'name: d, url_path: "/x y", service: customer.get',
      'name: e, url_path: "/x/{1d}", service: customer.get',
      'name: f, url_path: "/x/{customer_id", service: customer.get',
      'name: g, url_path: "/x/}", service: customer.get',
      'name: h, url_path: "/x/{customer_id}/{customer_id}", service: customer.get',
    ),
    want: [
      "config/c.yaml:4:25: error SG307: url_path 'api/x' of channel 'a' must start with '/'",
      `config/c.yaml:5:25: error SG307: url_path '/${'x'.repeat(200)}' of channel 'b' is 201 characters long; the limit is 200`,
      "config/c.yaml:6:25: error SG307: url_path '/x?y=1' of channel 'c' must not contain '?' or '#' (query parameters come from the input model, not the path)",
      "config/c.yaml:7:25: error SG307: url_path '/x y' of channel 'd' must not contain spaces or control characters",
      "config/c.yaml:8:25: error SG307: url_path '/x/{1d}' of channel 'e' has an invalid parameter '{1d}': write {name}, a letter or '_' followed by letters, digits or '_'",
      "config/c.yaml:9:25: error SG307: url_path '/x/{customer_id' of channel 'f' has a '{' without a closing '}'",
      "config/c.yaml:10:25: error SG307: url_path '/x/}' of channel 'g' has a '}' without a matching '{'",
      "config/c.yaml:11:25: error SG307: url_path '/x/{customer_id}/{customer_id}' of channel 'h' uses the parameter {customer_id} twice; give each parameter its own name",
    ],
  }],
  ['gateway paths', {
    given: channels(
      gw('url_path: "/gw/{service}/x", security: api.credentials, gateway_service_list: [customer.get]'),
      'name: gw2, service: helpers.service-gateway, url_path: "/gw2/{tenant}/{service}", security: api.credentials, gateway_service_list: [customer.get]',
    ),
    want: [
      "config/c.yaml:4:60: error SG308: url_path '/gw/{service}/x' of gateway channel 'gw' must end with the segment /{service}, like /zato/gateway/{service}",
      "config/c.yaml:5:61: error SG308: url_path '/gw2/{tenant}/{service}' of gateway channel 'gw2' takes no parameters other than {service}, like /zato/gateway/{service}",
    ],
  }],
  ['path parameters the input does not declare', {
    given: channels(
      'name: a, url_path: "/c/{customer_id}/{tenant}", service: customer.get',
      'name: b, url_path: "/o/{customer_id}", service: orders.list',
      'name: c, url_path: "/f/{customer_id}/{number}", service: orders.find',
    ),
    want: [
      "config/c.yaml:4:25: error SG309: path parameter {tenant} of channel 'a' is not a field of GetCustomerRequest, the input of 'customer.get': add tenant!: string (or Int) to GetCustomerRequest, or remove {tenant} from url_path",
      "config/c.yaml:5:25: error SG309: path parameter {customer_id} of channel 'b' cannot reach service 'orders.list', which has no input model: add input = <a model with a field 'customer_id'> to ListOrders, or remove {customer_id} from url_path",
      "config/c.yaml:6:25: error SG309: path parameter {number} of channel 'c' is not a field of ByRef, the input of 'orders.find': add number!: string (or Int) to ByRef, or remove {number} from url_path",
    ],
  }],
  ['a GET or DELETE channel whose service needs fields a query string cannot hold (SG315, a warning); POST is fine', {
    given: channels('name: g, url_path: /s, method: GET, service: search.run', 'name: d, url_path: /d, method: DELETE, service: search.run',
      'name: p, url_path: /p, method: POST, service: search.run', 'name: any, url_path: /any, service: search.run'),
    want: [
      "config/c.yaml:4:37: warning SG315: channel 'g' (GET) cannot carry field 'tags' of SearchRequest, the input of 'search.run': a GET request sends its input as query parameters, which cannot hold an array, and gets no body in the OpenAPI document or through API gateways; use method: POST, or make 'tags' optional",
      "config/c.yaml:4:37: warning SG315: channel 'g' (GET) cannot carry field 'when' of SearchRequest, the input of 'search.run': a GET request sends its input as query parameters, which cannot hold null, and gets no body in the OpenAPI document or through API gateways; use method: POST, or make 'when' optional",
      "config/c.yaml:5:37: warning SG315: channel 'd' (DELETE) cannot carry field 'tags' of SearchRequest, the input of 'search.run': a DELETE request sends its input as query parameters, which cannot hold an array, and gets no body in the OpenAPI document or through API gateways; use method: POST, or make 'tags' optional",
      "config/c.yaml:5:37: warning SG315: channel 'd' (DELETE) cannot carry field 'when' of SearchRequest, the input of 'search.run': a DELETE request sends its input as query parameters, which cannot hold null, and gets no body in the OpenAPI document or through API gateways; use method: POST, or make 'when' optional",
    ],
  }],
  ['gateway without security', {
    given: channels(gw('gateway_service_list: [customer.get]')),
    want: ["config/c.yaml:4:12: error SG310: gateway channel 'gw' has no security: add security: <a definition name>, or security: none to expose its services without authentication on purpose"],
  }],
  ['gateway with security: none', {
    given: channels(gw('security: none, gateway_service_list: [customer.get]')),
    want: ["config/c.yaml:4:60: warning SG311: gateway channel 'gw' lets anyone call 1 service(s) without authentication (security: none)"],
  }],
  ['gateway allowing nothing', {
    given: channels(gw('security: api.credentials, gateway_service_list: []'), 'name: gw2, service: helpers.service-gateway, url_path: "/gw2/{service}", security: api.credentials'),
    want: [
      "config/c.yaml:4:99: error SG312: gateway channel 'gw' allows no service: list the services it may call under gateway_service_list:",
      "config/c.yaml:5:12: error SG312: gateway channel 'gw2' allows no service: list the services it may call under gateway_service_list:",
    ],
  }],
  ['gateway entries with reserved names', {
    given: channels(gw('security: api.credentials, gateway_service_list: [helpers.service-gateway, zato.ping, customer.get]')),
    want: [
      "config/c.yaml:4:100: error SG313: gateway channel 'gw' cannot call 'helpers.service-gateway': names starting with 'zato.' or 'helpers.' are reserved; remove it from gateway_service_list",
      "config/c.yaml:4:125: error SG313: gateway channel 'gw' cannot call 'zato.ping': names starting with 'zato.' or 'helpers.' are reserved; remove it from gateway_service_list",
    ],
  }],
  ['channel calling a reserved service', {
    given: channels('name: a, url_path: /a, service: zato.ping', 'name: b, url_path: /b, service: helpers.service-gatway'),
    want: [
      "config/c.yaml:4:38: error SG314: channel 'a' cannot call 'zato.ping': names starting with 'zato.' or 'helpers.' are reserved. Write helpers.service-gateway for a gateway channel, or one of the project's services.",
      "config/c.yaml:5:38: error SG314: channel 'b' cannot call 'helpers.service-gatway': names starting with 'zato.' or 'helpers.' are reserved. Did you mean 'helpers.service-gateway'?",
    ],
  }],
];

for (const [name, { given, want }] of cases) {
  test(`check: ${name}`, () => assert.deepEqual(check(given), want));
}

test('the customers sample passes every check', () => {
  const r = readConfig(join(root, 'samples/customers'));
  assert.deepEqual(checkChannels({ services, models, channels: r.channels, security: r.security }).map(formatDiagnostic), []);
});
