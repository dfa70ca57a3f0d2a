/**
 * The request bodies of the curl lines `gen serve` prints (generator/serve-examples.ts): each must pass the service's
 * compiled validator, so that a pasted line answers rather than 400 — over the customers sample, and over the
 * hardening models with every field made required (every constraint kind, formats, patterns, uniqueItems, unions,
 * recursion, names that need escaping in a JSON Pointer).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Field, ModelDecl } from '../../generator/ir.js';
import type { Manifest } from '../../runtime/manifest.js';
import { componentSchemas, componentName } from '../../generator/emit/json-schema.js';
import { curlLines, exampleBody, exampleValue } from '../../generator/serve-examples.js';
import { hardeningModels } from '../hardening/arbitraries-models.js';
import { field, object, t } from '../golden/validators/fixtures.js';
import { issuesOf, loadModels } from '../golden/validators/load.js';
import { REPO, tempProject } from '../helpers/project.js';
import { generate } from '../../generator/build.js';
import { writeOutput } from '../../generator/write.js';
import { createServer } from '../../runtime/server.js';

/** `models` with every field required (no defaults): the examples must then meet every constraint. */
function allRequired(models: readonly ModelDecl[]): ModelDecl[] {
  return models.map((m) => (m.kind !== 'object' ? m : { ...m, fields: m.fields.map(({ default: _, ...f }): Field => ({ ...f, optional: false })) }));
}

test('every hardening model, every field required: the example body passes the compiled validator', async () => {
  const decls = allRequired(hardeningModels());
  const compiled = await loadModels(decls);
  const components = componentSchemas(decls) as Record<string, Record<string, unknown>>;
  const checked: string[] = [];
  for (const m of decls) {
    if (m.kind === 'enum') continue;
    const model = compiled[m.name]!;
    const body = exampleBody({ $ref: `#/components/schemas/${componentName(m.name)}` }, components, model);
    const failed = issuesOf(model, body).map((i) => i.path);
    assert.deepEqual(failed, [], `${m.name}: ${JSON.stringify(body)}`);
    checked.push(m.name);
  }
  assert.ok(checked.length >= 15, `checked ${checked.join(', ')}`);
});

test('constraints met without a validator to ask: bounds, multipleOf, lengths, formats, patterns, distinct items', () => {
  const decls: ModelDecl[] = [
    object('Odd', [field('__proto__', t.string), field('constructor', t.integer)]),
    object('Huge', [field('n', t.number, { c: { exclusiveMinimum: 1e300 } }), field('m', t.integer, { c: { exclusiveMaximum: -(2 ** 60) } })]),
    object('Shop', [
      field('zip', t.string, { c: { pattern: '^[0-9]{5}$' } }),
      field('city', t.string, { c: { pattern: '^\\p{Lu}[\\p{Ll} ]+$' } }),
      field('sku', t.string, { c: { pattern: '^[A-Z]{2}-\\d{3,}$', maxLength: 10 } }),
      field('code', t.string, { c: { minLength: 3, maxLength: 3 } }),
      field('mail', t.string, { c: { format: 'email', maxLength: 8 } }),
      field('price', t.number, { c: { exclusiveMinimum: 0, multipleOf: 0.01 } }),
      field('qty', t.integer, { c: { minimum: 0.5 } }),
      field('debt', t.integer, { c: { exclusiveMaximum: -2 } }),
      field('tags', t.array(t.string), { c: { minItems: 3, uniqueItems: true } }),
    ]),
    // Characters outside the BMP, which randexp reads as UTF-16 surrogates: written, as \u{…}, in ranges and classes.
    object('Astral', [
      field('emoji', t.string, { c: { pattern: '^[😀-🙏]{1,2}$' } }),
      field('escaped', t.string, { c: { pattern: '^\\u{1F600}+x$' } }),
      field('mixed', t.string, { c: { pattern: '^[#\\u{1F600}-\\u{1F64F}]{3}$' } }),
      field('pair', t.string, { c: { pattern: '^😀😁$' } }),
      field('bmp', t.string, { c: { pattern: '^\\u{41}\\u{42}$' } }),
    ]),
    // Unicode properties randexp does not know, and negated ones: a few characters each matches stand in.
    object('Props', [
      field('han', t.string, { c: { pattern: '^\\p{Script=Han}{2,4}$' } }),
      field('title', t.string, { c: { pattern: '^\\p{Lt}$' } }),
      field('emoji', t.string, { c: { pattern: '^[\\p{Emoji_Presentation}]{1,3}$' } }),
      field('notLetter', t.string, { c: { pattern: '^\\P{L}+$' } }),
      field('dash', t.string, { c: { pattern: '^\\p{Pd}$' } }),
      field('price', t.string, { c: { pattern: '^\\p{Sc}\\d+$' } }),
      field('linearB', t.string, { c: { pattern: '^\\p{Script=Linear_B}x$' } }),
      // Private use next to an astral character: the BMP's private-use area is where stand-ins come from.
      field('privateUse', t.string, { c: { pattern: '^\\p{Co}\\u{1F600}$' } }),
    ]),
  ];
  const components = componentSchemas(decls) as Record<string, Record<string, unknown>>;
  const value = exampleValue({ $ref: '#/components/schemas/Shop' }, components) as Record<string, unknown>;
  assert.equal(value.zip, '00000');
  assert.equal(value.city, 'A ', 'Unicode properties read as the ranges randexp knows');
  assert.match(String(value.sku), /^[A-Z]{2}-\d{3,}$/);
  assert.equal(value.code, 'xxx');
  assert.equal(value.price, 0.01);
  assert.equal(value.qty, 1);
  assert.equal(value.debt, -3);
  assert.deepEqual(value.tags, ['x', 'y', 'z']);
  assert.equal(value.mail, 'a@b.io'); // user@example.com is longer than maxLength 8
  assert.equal(JSON.stringify(exampleValue({ $ref: '#/components/schemas/Odd' }, components)), '{"__proto__":"x","constructor":1}');
  const astral = exampleValue({ $ref: '#/components/schemas/Astral' }, components) as Record<string, string>;
  assert.deepEqual(astral, { emoji: '😀', escaped: '😀x', mixed: '###', pair: '😀😁', bmp: 'AB' });
  const props = exampleValue({ $ref: '#/components/schemas/Props' }, components) as Record<string, string>;
  const propsModel = decls.find((m) => m.name === 'Props')!;
  for (const f of propsModel.kind === 'object' ? propsModel.fields : []) {
    const pattern = f.constraints.pattern;
    assert.ok(typeof pattern === 'string');
    assert.match(props[f.name]!, new RegExp(pattern, 'u'), `${f.name}: ${JSON.stringify(props[f.name])}`);
  }
  // Bounds where a step of 1 no longer moves the number: no endless loop, and a value inside.
  const huge = exampleValue({ $ref: '#/components/schemas/Huge' }, components) as { n: number; m: number };
  assert.ok(huge.n > 1e300 && huge.m < -(2 ** 60), JSON.stringify(huge));
});

test('the customers sample: every printed curl line carries a body its service accepts', async () => {
  const dir = join(REPO, 'samples', 'customers', 'generated');
  const { manifest } = (await import(pathToFileURL(join(dir, 'index.ts')).href)) as { manifest: Manifest };
  const openapi = JSON.parse(readFileSync(join(dir, 'openapi.json'), 'utf8'));
  const lines = curlLines(manifest, openapi, { baseUrl: 'http://127.0.0.1:1', env: {}, reveal: false });
  let bodies = 0;
  for (let i = 0; i < lines.length; i += 2) {
    const service = /→ (\S+)$/.exec(lines[i]!)![1]!;
    const body = /-d '((?:[^']|'\\'')*)'/.exec(lines[i + 1]!)![1]!.replace(/'\\''/g, "'");
    const input = manifest.services[service]!.input;
    if (input === null) continue;
    assert.equal(input.validate(JSON.parse(body)), null, `${service}: ${body}`);
    bodies++;
  }
  assert.ok(bodies >= 4, `${bodies} bodies checked`);
});

test('service names in the URL: the spelling the runtime routes (percent-encoded where it must be), quoted for the shell where needed', () => {
  const gateway = { name: 'GW', type: 'gateway', method: 'POST', path: '/zato/gateway/{service}', service: null, security: null,
    allows: () => true, allowlist: ["o'brien.get", 'zażółć.get', 'customer.get'], timeoutMs: 1000, maxBodySize: 1000, isActive: true,
    deprecation: null, source: 'config/channels.yaml:1:3' };
  const service = (name: string) => ({ name, impl: class {}, input: null, output: null, source: 'services/x.ts:1:1' });
  const manifest = { channels: [gateway], security: [], services: Object.fromEntries(gateway.allowlist.map((n) => [n, service(n)])) } as unknown as Manifest;
  const lines = curlLines(manifest, { paths: {} }, { baseUrl: 'http://127.0.0.1:1', env: {}, reveal: false }).filter((l) => l.startsWith('curl'));
  // The shell's own word splitting: each line run with printf in place of curl prints the arguments curl would get.
  const urls = lines.map((line) => {
    const words = execFileSync('bash', ['-c', line.replace(/^curl /, "printf '%s\\n' ")], { encoding: 'utf8' }).trimEnd().split('\n');
    return words[words.length - 1];
  });
  assert.deepEqual(urls, [
    "http://127.0.0.1:1/zato/gateway/o'brien.get",
    'http://127.0.0.1:1/zato/gateway/za%C5%BC%C3%B3%C5%82%C4%87.get',
    'http://127.0.0.1:1/zato/gateway/customer.get',
  ]);
  assert.ok(lines[2]!.endsWith(' http://127.0.0.1:1/zato/gateway/customer.get'), 'a plain URL stays unquoted');
  // A big project: the first examples, then how many more there are and where they all are.
  const direct = { ...gateway, name: 'D', type: 'rest', path: '/d', service: 'customer.get', allowlist: [] };
  const capped = curlLines({ ...manifest, channels: [gateway, direct] } as unknown as Manifest, { paths: {} }, { baseUrl: 'http://h', env: {}, reveal: false, limit: 2, document: 'gen/openapi.yaml' });
  assert.deepEqual(capped.filter((l) => l.startsWith('#')), [
    "# GW → o'brien.get",
    '# GW → zażółć.get',
    '# 2 more not shown (one per channel and allowlisted service); every operation is in gen/openapi.yaml',
  ]);
  assert.equal(curlLines({ ...manifest, channels: [gateway, direct] } as unknown as Manifest, { paths: {} }, { baseUrl: 'http://h', env: {}, reveal: false, limit: 4 }).length, 8);
});

test('every printed line of a project answers 2xx when run: gateway, POST, GET with a query, path parameters', async (t) => {
  const p = tempProject({
    'services/items.ts': `import { Service, Model, type Int } from 'servicegate';
export class ItemReq extends Model {
  /** @minimum 1 */
  id!: Int;
  /** @pattern ^[a-z]{2,}$ */
  shop!: string;
  verbose?: boolean;
}
export class ItemOut extends Model { id!: Int; shop!: string; }
export class GetItem extends Service {
  name = 'items.get';
  input = ItemReq;
  output = ItemOut;
  handle() { this.response.payload = { id: this.request.input.id, shop: this.request.input.shop }; }
}
`,
    'config/channels.yaml': `rest_channel:
  - name: By path
    url_path: /shops/{shop}/items/{id}
    service: items.get
    method: GET
  - name: By query
    url_path: /item
    service: items.get
    method: GET
  - name: By body
    url_path: /shops/{shop}/find
    service: items.get
    method: POST
  - name: Gateway
    url_path: /zato/gateway/{service}
    service: helpers.service-gateway
    security: none
    gateway_service_list: [items.get]
`,
  });
  t.after(() => p.remove());
  const out = join(p.dir, 'generated');
  writeOutput(out, generate({ dir: p.dir }).files);
  const { manifest } = (await import(pathToFileURL(join(out, 'index.ts')).href)) as { manifest: Manifest };
  const server = createServer(manifest);
  const { port } = await server.listen(0, '127.0.0.1');
  t.after(() => server.close(0));
  const openapi = JSON.parse(readFileSync(join(out, 'openapi.json'), 'utf8'));
  const lines = curlLines(manifest, openapi, { baseUrl: `http://127.0.0.1:${port}`, env: {}, reveal: false }).filter((l) => l.startsWith('curl'));
  assert.equal(lines.length, 4);
  for (const line of lines) {
    // curl's arguments as the shell splits them; then the request curl would send.
    const argv = execFileSync('bash', ['-c', line.replace(/^curl /, "printf '%s\\n' ")], { encoding: 'utf8' }).trimEnd().split('\n');
    const headers: Record<string, string> = {};
    let method: string | undefined;
    let body: string | undefined;
    for (let i = 0; i < argv.length - 1; i++) {
      if (argv[i] === '-X') method = argv[++i];
      else if (argv[i] === '-H') {
        const [name, ...value] = argv[++i]!.split(': ');
        headers[name!] = value.join(': ');
      } else if (argv[i] === '-d') body = argv[++i];
    }
    const reply = await fetch(argv[argv.length - 1]!, { method: method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
    assert.equal(reply.status, 200, `${line} → ${reply.status} ${await reply.text()}`);
  }
});

test('gen serve says why a big project takes a while to start, and says nothing for a small one', async () => {
  const { loadingNote } = await import('../../generator/cli-serve.js');
  assert.equal(loadingNote(21_000), undefined); // the customers sample
  assert.equal(loadingNote(9_999_999), undefined);
  assert.match(loadingNote(73_794_812)!, /^gen serve: loading 74 MB of generated validators \(the first start after a build compiles them/);
});
