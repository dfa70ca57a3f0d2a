import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emitOpenApi } from '../../generator/emit/openapi.js';
import { PUBLISH_TARGETS, publish } from '../../generator/publish/index.js';
import { CHANNELS, channel, project, readSample } from './publish-fixture.js';

const options = { title: 'Customers', version: '1.0.0', backendUrl: 'https://zato.internal:17010' };

test('every target is deterministic, LF-only, newline-terminated, and writes no secret from the environment', async () => {
  const { project: p, doc } = await readSample();
  process.env.GATEWAY_PASSWORD = 'leak-canary-1';
  process.env.API_PASSWORD = 'leak-canary-2';
  try {
    for (const target of PUBLISH_TARGETS) {
      const a = publish(p, doc, target, options);
      const b = publish(p, structuredClone(doc), target, options);
      assert.deepEqual(a, b, target);
      assert.ok(a.files.length > 0, target);
      for (const f of a.files) {
        assert.ok(!f.content.includes('leak-canary'), `${target}/${f.path}`);
        assert.ok(!f.content.includes('\r') && f.content.endsWith('\n') && !f.content.endsWith('\n\n'), `${target}/${f.path}`);
        assert.ok(!f.content.includes(process.cwd()), `${target}/${f.path}`);
      }
    }
  } finally {
    delete process.env.GATEWAY_PASSWORD;
    delete process.env.API_PASSWORD;
  }
});

test('gateway targets never publish x-zato-username or the backend security scheme to callers', async () => {
  const { project: p, doc } = await readSample();
  for (const target of ['aws', 'azure'] as const) {
    const file = publish(p, doc, target, options).files.find((f) => f.path.endsWith('.json'))!;
    const api = JSON.parse(file.content);
    // Only the backend integration (AWS's x-amazon-apigateway-integration) may name it: that is the gateway setting it.
    const clientView = JSON.stringify(api.paths, (k, v) => (k === 'x-amazon-apigateway-integration' ? undefined : v));
    assert.ok(!/x-zato-username/i.test(clientView), target);
    assert.ok(!/x-zato-username/i.test(JSON.stringify(api.tags)), target);
    assert.ok(!Object.keys(api.components.securitySchemes).some((k) => k.includes('credentials')), target);
  }
});

test('the default channel is the first active gateway channel by name; an inactive one is SG502', () => {
  const second = channel({ name: 'B-gateway', kind: 'gateway', urlPath: '/b/{service}', service: 'helpers.service-gateway', gatewayServiceList: ['orders.create'] });
  const inactiveFirst = channel({ ...CHANNELS[0]!, name: 'A-gateway', isActive: false });
  const p = project({ channels: [inactiveFirst, second, ...CHANNELS.slice(1)] });
  const doc = emitOpenApi(p, { title: 't', version: '1' });
  const chosen = publish(p, doc, 'nginx', options);
  assert.ok(chosen.files[0]!.content.includes('        proxy_pass https://zato.internal:17010/b/orders.create;\n'));
  assert.ok(!chosen.files[0]!.content.includes('/zato/gateway/'));
  const explicit = publish(p, doc, 'nginx', { ...options, channel: 'A-gateway' });
  assert.deepEqual(explicit.diagnostics.map((d) => d.code), ['SG502']);
  assert.match(explicit.diagnostics[0]!.message, /is_active: false/);
});

test('no gateway channel at all is SG501 with what to add; a gateway channel without security is SG510', () => {
  const none = project({ channels: CHANNELS.slice(1) });
  const result = publish(none, emitOpenApi(none, { title: 't', version: '1' }), 'kong', options);
  assert.deepEqual(result.files, []);
  assert.match(result.diagnostics[0]!.message, /service: helpers\.service-gateway/);
  // At the top of the file where the channels are: where one would add it.
  assert.deepEqual(result.diagnostics[0]!.loc, { file: none.channels[0]!.loc.file, line: 1, column: 1 });

  const open = project({ channels: [{ ...CHANNELS[0]!, security: null }, ...CHANNELS.slice(1)] });
  const warned = publish(open, emitOpenApi(open, { title: 't', version: '1' }), 'kong', options);
  assert.deepEqual(warned.diagnostics.map((d) => [d.code, d.severity]), [['SG510', 'warning']]);
  assert.ok(!warned.files[0]!.content.includes('DECK_ZATO_GATEWAY_AUTH'));
});
