import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { emitOpenApi } from '../../generator/emit/openapi.js';
import { publish } from '../../generator/publish/index.js';
import { CHANNELS, SERVICES, channel, project, readSample, redoclyLint, REDOCLY_BASE, service, tempDir, writeFiles } from './publish-fixture.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/**
 * What API Gateway (REST, v1) accepts, as a Redocly ruleset: no oneOf/anyOf/discriminator/additionalProperties
 * in any schema, an integration and a non-empty security requirement on every operation.
 */
const AWS_RULES = `${REDOCLY_BASE}${['oneOf', 'anyOf', 'discriminator', 'additionalProperties']
  .map((p) => `  rule/aws-no-${p}:\n    subject:\n      type: Schema\n      property: ${p}\n    assertions:\n      defined: false\n    message: API Gateway models have no ${p}\n    severity: error\n`)
  .join('')}  rule/aws-integration:
    subject:
      type: Operation
      property: x-amazon-apigateway-integration
    assertions:
      defined: true
    message: every operation needs an x-amazon-apigateway-integration
    severity: error
  rule/aws-security:
    subject:
      type: Operation
      property: security
    assertions:
      defined: true
      nonEmpty: true
    message: security is declared per operation
    severity: error
`;

const options = { title: 'Customers', version: '1.0.0', backendUrl: 'https://zato.internal:17010/' };

test('aws: passes redocly with the API Gateway ruleset, which the unconverted document fails', async () => {
  const p = project();
  const doc = emitOpenApi(p, { title: 't', version: '1' });
  const result = publish(p, doc, 'aws', options);
  assert.deepEqual(result.files.map((f) => f.path), ['openapi-aws.json']);
  const dir = await tempDir('sg-publish-aws-');
  dirs.push(dir);
  await writeFiles(dir, result.files);
  await writeFile(join(dir, 'redocly.yaml'), AWS_RULES);
  const problems = await redoclyLint(join(dir, 'openapi-aws.json'), join(dir, 'redocly.yaml'));
  assert.deepEqual(problems.filter((x) => x.severity === 'error'), []);

  // The ruleset is not vacuous: the plain 3.0 down-conversion breaks each of its rules.
  await writeFiles(dir, publish(p, doc, 'openapi', options).files);
  const plain = await redoclyLint(join(dir, 'openapi-3.0.json'), join(dir, 'redocly.yaml'));
  const broken = new Set(plain.map((x) => x.ruleId));
  for (const rule of ['rule/aws-no-oneOf', 'rule/aws-no-discriminator', 'rule/aws-no-additionalProperties', 'rule/aws-integration']) {
    assert.ok(broken.has(rule), `${rule} did not fire on the plain document: ${[...broken].join(', ')}`);
  }
});

test('aws: every operation proxies to the gateway channel and sets x-zato-username and the credential from the authorizer', async () => {
  const { project: p, doc } = await readSample();
  const result = publish(p, doc, 'aws', options);
  assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error'), []);
  const aws = JSON.parse(result.files[0]!.content);
  assert.equal(aws.openapi, '3.0.3');
  assert.deepEqual(Object.keys(aws.paths), ['/api/customer.get', '/api/customer.update', '/api/orders.create', '/api/orders.list']);
  for (const [path, item] of Object.entries<Record<string, any>>(aws.paths)) {
    assert.deepEqual(Object.keys(item), ['post']);
    const op = item.post;
    const service = path.slice('/api/'.length);
    assert.deepEqual(op['x-amazon-apigateway-integration'], {
      type: 'http_proxy',
      httpMethod: 'POST',
      uri: `https://zato.internal:17010/zato/gateway/${service}`,
      passthroughBehavior: 'when_no_match',
      timeoutInMillis: 29000,
      requestParameters: {
        'integration.request.header.x-zato-username': 'context.authorizer.principalId',
        'integration.request.header.Authorization': 'context.authorizer.backendAuthorization',
      },
    });
    assert.deepEqual(op.security, [{ 'gateway-authorizer': [] }]);
    assert.ok(!(op.parameters ?? []).some((x: { name: string }) => /^(x-zato-username|authorization)$/i.test(x.name)));
  }
  const scheme = aws.components.securitySchemes['gateway-authorizer'];
  assert.equal(scheme['x-amazon-apigateway-authtype'], 'custom');
  assert.equal(scheme['x-amazon-apigateway-authorizer'].type, 'request');
  assert.match(scheme['x-amazon-apigateway-authorizer'].authorizerUri, /\$\{AuthorizerFunctionArn\}/);
  // Client-facing: the backend's own scheme and the direct channel are not published.
  assert.deepEqual(Object.keys(aws.components.securitySchemes), ['gateway-authorizer']);
  assert.ok(!result.files[0]!.content.includes('gateway.credentials'));
  assert.ok(!result.files[0]!.content.includes('/api/customer/get'));
});

test('aws: unions are flattened and records loosened, each with a warning naming the model', () => {
  const p = project();
  const result = publish(p, emitOpenApi(p, { title: 't', version: '1' }), 'aws', options);
  const warnings = result.diagnostics.filter((d) => d.severity === 'warning').map((d) => [d.code, d.loc.file, d.loc.line]);
  assert.deepEqual(warnings, [['SG505', 'services/orders.ts', 11], ['SG504', 'services/orders.ts', 30]]);
  const schemas = JSON.parse(result.files[0]!.content).components.schemas;
  assert.deepEqual(schemas.Payment.properties.kind, { type: 'string', enum: ['card', 'invoice'] });
  assert.deepEqual(Object.keys(schemas.Payment.properties), ['kind', 'last4', 'po_number']);
  assert.deepEqual(schemas.Payment.required, ['kind']);
  assert.equal(schemas.PaymentCard, undefined, 'members nothing refers to any more are dropped');
  assert.deepEqual(schemas.CreateOrderRequest.properties.gift, { $ref: '#/components/schemas/OrderItem' });
  assert.deepEqual(schemas.CreateOrderRequest.properties.labels, { type: 'object' });
});

test('aws: a service name API Gateway cannot carry is an error at the name; an apikey backend maps its own header', () => {
  const hostile = 'orders list';
  const p = project({
    services: [...SERVICES, service(hostile, 'GetCustomerRequest', 'GetCustomerResponse')],
    channels: [
      ...CHANNELS.filter((c) => c.name !== 'Gateway'),
      channel({ name: 'Gateway', kind: 'gateway', urlPath: '/zato/gateway/{service}', service: 'helpers.service-gateway', security: 'partners.key', gatewayServiceList: ['customer.get', hostile] }),
    ],
  });
  const result = publish(p, emitOpenApi(p, { title: 't', version: '1' }), 'aws', options);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.code, 'SG503');
  assert.match(errors[0]!.message, /"orders list"/);
  assert.deepEqual(errors[0]!.loc, { file: 'services/customer.ts', line: 41, column: 1 });
  const aws = JSON.parse(result.files[0]!.content);
  assert.deepEqual(Object.keys(aws.paths), ['/api/customer.get']);
  assert.deepEqual(aws.paths['/api/customer.get'].post['x-amazon-apigateway-integration'].requestParameters, {
    'integration.request.header.x-zato-username': 'context.authorizer.principalId',
    'integration.request.header.X-Partner-Key': 'context.authorizer.backendApiKey',
  });
});

test('aws: a loopback backend is a warning (API Gateway cannot reach it)', () => {
  const p = project();
  const result = publish(p, emitOpenApi(p, { title: 't', version: '1' }), 'aws', { title: 't', version: '1' });
  assert.ok(result.diagnostics.some((d) => d.code === 'SG508' && d.severity === 'warning'));
});
