/**
 * The same service behaves identically through its direct channel and through a gateway channel (CONTRACT §5.5),
 * for every service of the customers sample: same status, same body, same view of headers; only the username
 * differs (the gateway's x-zato-username vs the direct channel's definition).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ServicegateServer } from 'servicegate';
import { REPO, gen, serveBuilt, tempProject, type TempProject } from '../helpers/project.js';

const SERVICES = ['customer.get', 'customer.get-details', 'customer.update', 'orders.create', 'orders.list'];

const PARITY_YAML = `
rest_channel:
  - name: Parity gateway
    url_path: /parity-gw/{service}
    service: helpers.service-gateway
    security: gateway.credentials
    gateway_service_list: [${SERVICES.join(', ')}]
${SERVICES.map((s) => `  - name: Direct ${s}
    url_path: /parity/${s}
    service: ${s}
    method: POST
    security: api.credentials`).join('\n')}
`;

const CALLS: [string, unknown][] = [
  ['customer.get', { customer_id: 123 }],
  ['customer.get', { customer_id: 999 }],
  ['customer.get', { customer_id: 'x' }],
  ['customer.get-details', { customer_id: 789, tenant: 'globex' }],
  ['customer.get-details', { customer_id: 789, tenant: 'acme' }],
  ['customer.update', { customer_id: 456, tier: 'gold' }],
  ['customer.update', { customer_id: 456, email: 'not an email' }],
  ['orders.create', { customer_id: 123, items: [{ sku: 'SKU-1', quantity: 1 }] }],
  ['orders.create', { customer_id: 123, items: [{ sku: 'SKU-1001', quantity: 2 }] }],
  ['orders.list', { customer_id: 123, limit: 1 }],
];

describe('direct and gateway channels give the same answers', () => {
  let project: TempProject;
  let server: ServicegateServer | undefined;
  let baseUrl = '';
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  before(async () => {
    project = tempProject({ 'config/parity.yaml': PARITY_YAML }, join(REPO, 'samples/customers'));
    const built = gen(['build', project.dir]);
    assert.equal(built.code, 0, built.stderr);
    ({ server, baseUrl } = await serveBuilt(project.dir, { GATEWAY_PASSWORD: 'gw', API_PASSWORD: 'api' }));
  });

  after(async () => {
    await server?.close(1_000);
    project?.remove();
  });

  // Values that legitimately differ between two calls (a new order each time, its creation time).
  const normalise = (body: string) => body.replace(/"order_id":\d+/g, '"order_id":N').replace(/"created_at":"[^"]+"/g, '"created_at":T')
    .replace(/"cid":"[^"]+"/g, '"cid":C');

  for (const [service, input] of CALLS) {
    test(`${service} ${JSON.stringify(input)}`, async () => {
      const headers = { 'content-type': 'application/json', 'X_Zato_Tenant': 'acme' };
      const viaGateway = await fetch(`${baseUrl}/parity-gw/${service}`, {
        method: 'POST', body: JSON.stringify(input),
        headers: { ...headers, authorization: basic('gateway', 'gw'), 'x-zato-username': 'jane' },
      });
      const direct = await fetch(`${baseUrl}/parity/${service}`, {
        method: 'POST', body: JSON.stringify(input), headers: { ...headers, authorization: basic('api', 'api'), 'x-zato-username': 'spoofed' },
      });
      const [g, d] = [await viaGateway.text(), await direct.text()];
      assert.equal(viaGateway.status, direct.status, `${g}\n${d}`);
      assert.equal(normalise(g), normalise(d));
      assert.ok(viaGateway.headers.get('x-zato-cid') && direct.headers.get('x-zato-cid'));
    });
  }
});
