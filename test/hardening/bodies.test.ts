// Issue 6, item 4: bad bodies are answered, not crashed on. Each hostile body sent to the REAL generated customers
// sample gets its 4xx with the §5.6 error body, and the server stays healthy: a ping after each one answers 200.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rawBytes, rawRequest, streamBody, type RawReply } from './raw-http.js';
import { SAMPLE_API_AUTH, SAMPLE_GATEWAY_AUTH, buildSampleProject, startSample, type SampleServer } from './sample-project.js';
import { MAX_REPORTED_ISSUES } from '../../runtime/input.js';
import type { TempProject } from '../helpers/project.js';

const GATEWAY = [['Authorization', SAMPLE_GATEWAY_AUTH]] as const;
const JSON_TYPE = ['Content-Type', 'application/json'] as const;
const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));
const deep = (open: string, inner: string, close: string, n: number) => open.repeat(n) + inner + close.repeat(n);

interface BodyCase {
  readonly what: string;
  readonly target: string;
  readonly body: string | Buffer;
  readonly headers?: readonly (readonly [string, string])[];
  readonly status: number;
  readonly details?: RegExp;
}

const MALFORMED = /^Malformed JSON in the request body$/;
const NOT_UTF8 = /^The request body is not valid UTF-8$/;
const INVALID = /^Invalid input: /;
const UNSUPPORTED = /^Unsupported content type/;

const CASES: readonly BodyCase[] = [
  // Malformed JSON
  ...[
    ['an unclosed object', '{'],
    ['a trailing comma', '{"customer_id":123,}'],
    ['single quotes', "{'customer_id':123}"],
    ['NaN', '{"customer_id":NaN}'],
    ['a leading zero', '{"customer_id":0123}'],
    ['two documents', '{"customer_id":123}{"customer_id":456}'],
    ['a byte-order mark', '\uFEFF{"customer_id":123}'],
    ['a comment', '{"customer_id":123 /* x */}'],
    ['an unterminated string', '{"customer_id":"123'],
    ['a lone backslash escape', '{"customer_id":"\\x41"}'],
    ['100,000 unclosed brackets', '['.repeat(100_000)],
  ].map(([what, body]) => ({ what: `malformed JSON: ${what}`, target: '/zato/gateway/customer.get', body: body!, status: 400, details: MALFORMED })),
  // Depth and size
  { what: '100,000-deep arrays where a list of models is expected', target: '/zato/gateway/orders.create',
    body: `{"customer_id":123,"items":${deep('[', '', ']', 100_000)}}`, status: 400, details: INVALID },
  { what: '100,000-deep objects inside a model list', target: '/zato/gateway/orders.create',
    body: `{"customer_id":123,"items":[${deep('{"a":', '1', '}', 100_000)}]}`, status: 400, details: INVALID },
  { what: '100,000-deep arrays in a nullable string field', target: '/zato/gateway/orders.create',
    body: `{"customer_id":123,"items":[{"sku":"SKU-1","quantity":1}],"note":${deep('[', '', ']', 100_000)}}`, status: 400, details: INVALID },
  { what: '100,000-deep objects in the value of the id', target: '/zato/gateway/customer.get',
    body: `{"customer_id":${deep('{"a":', '1', '}', 100_000)}}`, status: 400, details: INVALID },
  { what: 'a 900 KB string over @maxLength 200', target: '/zato/gateway/customer.update',
    body: `{"customer_id":123,"name":"${'x'.repeat(900_000)}"}`, status: 400, details: INVALID },
  { what: 'an array of 250,000 numbers where models are expected', target: '/zato/gateway/orders.create',
    body: `{"customer_id":123,"items":[${Array(250_000).fill('1').join(',')}]}`, status: 400, details: INVALID },
  { what: 'an array of 30,000 invalid models', target: '/zato/gateway/orders.create',
    body: `{"customer_id":123,"items":[${Array(30_000).fill('{"sku":"x","quantity":0}').join(',')}]}`, status: 400, details: INVALID },
  { what: 'numbers past the double range', target: '/zato/gateway/customer.get', body: '{"customer_id":1e999}', status: 400, details: INVALID },
  { what: 'a duplicate key whose last value is wrong', target: '/zato/gateway/customer.get', body: '{"customer_id":123,"customer_id":"x"}', status: 400, details: INVALID },
  { what: 'a JSON array body', target: '/zato/gateway/customer.get', body: '[{"customer_id":123}]', status: 400 },
  { what: 'an empty body', target: '/zato/gateway/customer.get', body: '', status: 400, details: INVALID },
  // Invalid UTF-8: never decoded into U+FFFD and stored
  ...[
    ['a 0xFF byte in a string', bytes('{"customer_id":123,"name":"a', [0xff], '"}')],
    ['an overlong "." (C0 AE)', bytes('{"customer_id":123,"name":"a', [0xc0, 0xae], '"}')],
    ['a UTF-16 surrogate encoded as UTF-8 (ED A0 80)', bytes('{"customer_id":123,"name":"a', [0xed, 0xa0, 0x80], '"}')],
    ['a truncated 3-byte sequence', bytes('{"customer_id":123,"name":"a', [0xe2, 0x82], '"}')],
    ['a code point past U+10FFFF (F4 90 80 80)', bytes('{"customer_id":123,"name":"a', [0xf4, 0x90, 0x80, 0x80], '"}')],
    ['a bare continuation byte in a key', bytes('{"customer_id":123,"', [0x80], '":1}')],
  ].map(([what, body]) => ({ what: `invalid UTF-8: ${what}`, target: '/zato/gateway/customer.update', body: body as Buffer, status: 400, details: NOT_UTF8 })),
  // ASCII in UTF-16 is valid UTF-8 full of NULs: not JSON.
  { what: 'the body in UTF-16', target: '/zato/gateway/customer.update', body: Buffer.from('{"customer_id":123}', 'utf16le'), status: 400, details: MALFORMED },
  // Content types
  ...[
    ['none', null],
    ['text/plain', 'text/plain'],
    ['form-urlencoded', 'application/x-www-form-urlencoded'],
    ['multipart', 'multipart/form-data; boundary=x'],
    ['text/json', 'text/json'],
    ['a list of types', 'application/json, text/plain'],
    ['application/jsonp', 'application/jsonp'],
    ['application/xml', 'application/xml'],
  ].map(([what, type]) => ({
    what: `content type ${what}`, target: '/zato/gateway/customer.get', body: '{"customer_id":123}', status: 415, details: UNSUPPORTED,
    headers: [['Authorization', SAMPLE_GATEWAY_AUTH], ...(type === null ? [] : [['Content-Type', type] as const])] as const,
  })),
  // Over the 1 MiB default limit, announced by Content-Length: refused before a byte is read
  { what: 'a 10 MB string (Content-Length over the limit)', target: '/zato/gateway/customer.update',
    body: `{"customer_id":123,"name":"${'x'.repeat(10 * 1024 * 1024)}"}`, status: 413 },
  { what: 'an array of 100,000 valid models over the limit', target: '/zato/gateway/orders.create',
    body: `{"customer_id":123,"items":[${Array(100_000).fill('{"sku":"SKU-1","quantity":1}').join(',')}]}`, status: 413 },
];

/** Prototype pollution attempts: answered normally, the keys are data. */
const POLLUTION: readonly (readonly [string, string, string, number])[] = [
  ['__proto__ at the top', '/zato/gateway/customer.update', '{"customer_id":123,"__proto__":{"polluted":"yes","tier":"basic"}}', 200],
  ['constructor.prototype', '/zato/gateway/customer.update', '{"customer_id":123,"constructor":{"prototype":{"polluted":"yes"}}}', 200],
  ['__proto__ in a nested model', '/zato/gateway/orders.create', '{"customer_id":123,"items":[{"__proto__":{"polluted":"yes"},"sku":"SKU-1","quantity":1}]}', 201],
  ['__proto__ as the only field', '/zato/gateway/customer.get', '{"__proto__":{"customer_id":123}}', 400],
  ['__proto__ in the query', '/zato/gateway/orders.list?customer_id=123&__proto__[polluted]=yes&__proto__=x', '{}', 200],
  ['constructor in the query', '/zato/gateway/orders.list?customer_id=123&constructor[prototype][polluted]=yes', '{}', 200],
  ['prototype keys in a service-less gateway call', '/zato/gateway/__proto__', '{"__proto__":{"polluted":"yes"}}', 404],
];

function prototypesSnapshot(): string {
  const describe = (o: object) => Object.getOwnPropertyNames(o).sort().map((n) => `${n}:${typeof Object.getOwnPropertyDescriptor(o, n)?.value}`);
  return JSON.stringify([describe(Object.prototype), describe(Array.prototype), describe(Function.prototype), describe(String.prototype)]);
}

describe('bad bodies against the generated customers sample', () => {
  let project: TempProject;
  let server: SampleServer;
  const protoBefore = prototypesSnapshot();
  before(async () => {
    project = buildSampleProject();
    server = await startSample(project.dir);
  });
  after(async () => {
    await server?.close();
    project?.remove();
  });

  const ping = async () => {
    const r = await rawRequest(server.port, { method: 'GET', target: '/zato/ping' });
    assert.equal(r.status, 200, 'the server answers a ping afterwards');
  };
  const assertErrorBody = (r: RawReply) => {
    assert.equal(r.json?.result, 'Error', r.body.slice(0, 200));
    assert.equal(r.json.cid, r.headers['x-zato-cid']);
    assert.equal(typeof r.json.details, 'string');
    assert.doesNotMatch(r.body, /SyntaxError|RangeError|at JSON\.parse|\n {4}at /);
  };

  for (const c of CASES) {
    it(`${c.what} → ${c.status}`, async () => {
      const head = [...(c.headers ?? [...GATEWAY, JSON_TYPE])];
      let r: RawReply;
      if (c.status === 413) {
        // Only the head and a first slice go out: the answer must not wait for (or read) the rest.
        const all = rawBytes({ method: 'POST', target: c.target, headers: head, body: c.body });
        const split = all.indexOf('\r\n\r\n') + 4;
        r = await streamBody(server.port, all.subarray(0, split), all.subarray(split, split + 65_536), 65_536);
      } else r = await rawRequest(server.port, { method: 'POST', target: c.target, headers: head, body: c.body });
      assert.equal(r.status, c.status, r.body.slice(0, 300));
      assertErrorBody(r);
      if (c.details) assert.match(r.json.details, c.details);
      if (r.json.errors) {
        assert.ok(r.json.errors.length <= MAX_REPORTED_ISSUES, `${r.json.errors.length} issues listed`);
        assert.ok(r.body.length < 64 * 1024, `a ${r.body.length}-byte answer`);
      }
      await ping();
    });
  }

  it('answers 413 to a chunked body that grows past the limit, without reading all of it', async () => {
    const frame = (data: string) => Buffer.from(`${Buffer.byteLength(data).toString(16)}\r\n${data}\r\n`);
    const head = rawBytes({ method: 'POST', target: '/zato/gateway/customer.update', headers: [...GATEWAY, JSON_TYPE, ['Transfer-Encoding', 'chunked']] });
    const r = await streamBody(server.port, Buffer.concat([head, frame('{"customer_id":123,"name":"')]), frame('x'.repeat(16_384)), 10 * 1024 * 1024);
    assert.equal(r.status, 413);
    assertErrorBody(r);
    assert.ok(r.bodySent < 10 * 1024 * 1024, `the client got its answer after ${r.bodySent} bytes, not after 10 MB`);
    await ping();
  });

  const smuggling: readonly (readonly [string, string])[] = [
    ['Content-Length and Transfer-Encoding together', 'Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
    ['two different Content-Lengths', 'Content-Length: 5\r\nContent-Length: 6\r\n\r\n{"a":1'],
    ['a malformed chunk size', 'Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n'],
    ['a negative Content-Length', 'Content-Length: -1\r\n\r\n{}'],
  ];
  for (const [what, rest] of smuggling) {
    it(`refuses ${what} at the HTTP parser (400)`, async () => {
      const head = `POST /zato/gateway/customer.get HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: ${SAMPLE_GATEWAY_AUTH}\r\nContent-Type: application/json\r\n`;
      const r = await rawRequest(server.port, Buffer.from(head + rest));
      assert.equal(r.status, 400);
      await ping();
    });
  }

  it('survives a client that announces a body and hangs up halfway', async () => {
    const head = rawBytes({ method: 'POST', target: '/zato/gateway/customer.get', headers: [...GATEWAY, JSON_TYPE, ['Content-Length', '1000']] });
    const ran = server.executions.length;
    const r = await rawRequest(server.port, Buffer.concat([head, Buffer.from('{"customer_id":')]), 5_000);
    // node's parser sees the end of the stream mid-body and answers 400 itself (or the socket is already gone).
    assert.ok(r.status === 400 || r.status === 0, `status ${r.status}`);
    assert.equal(server.executions.length, ran, 'the service never ran on half a body');
    await ping();
  });

  it('stored nothing from the invalid UTF-8 bodies', async () => {
    const r = await rawRequest(server.port, { method: 'POST', target: '/api/customer/get', headers: [['Authorization', SAMPLE_API_AUTH], JSON_TYPE], body: '{"customer_id":123}' });
    assert.equal(r.status, 200);
    assert.equal(r.json.name, 'Jane Doe');
  });

  for (const [what, target, body, status] of POLLUTION) {
    it(`prototype keys are data: ${what} → ${status}`, async () => {
      const r = await rawRequest(server.port, { method: 'POST', target, headers: [...GATEWAY, JSON_TYPE, ['__proto__', 'x']], body });
      assert.equal(r.status, status, r.body);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      await ping();
    });
  }

  it('leaves Object.prototype, Array.prototype and friends untouched', async () => {
    assert.equal(prototypesSnapshot(), protoBefore);
    const r = await rawRequest(server.port, { method: 'POST', target: '/api/customer/get', headers: [['Authorization', SAMPLE_API_AUTH], JSON_TYPE], body: '{"customer_id":123}' });
    assert.equal(r.json.tier, 'gold', 'a __proto__ field did not change the stored tier');
  });
});
