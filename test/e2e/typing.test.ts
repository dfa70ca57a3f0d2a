/**
 * Type-level tests: `this.request.input`, `this.response.payload` and `this.invoke` are typed in the user's editor
 * from `input` / `output` with no generics to write (CONTRACT §2) — proven by running tsc over a built project.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { gen, REPO, tempProject, typecheck } from '../helpers/project.js';

const SAMPLE = join(REPO, 'samples', 'customers');

const probe = `import { Service } from 'servicegate';
import { GetCustomerRequest, GetCustomerResponse } from './customer.js';

export class Probe extends Service {
  name = 'probe.typing';
  input = GetCustomerRequest;
  output = GetCustomerResponse;

  async handle() {
    const id: number = this.request.input.customer_id;
    // @ts-expect-error a misspelt input field
    void this.request.input.customer_idd;
    // @ts-expect-error a misspelt output field
    this.response.payload.nmae = 'x';
    // @ts-expect-error a wrong literal for a union field
    this.response.payload.tier = 'silver';
    // @ts-expect-error a whole-payload assignment with a wrong field
    this.response.payload = { name: 'a', email: 'b', tier: 'gold', emial: 'c' };
    // A plain object with more fields than the model is assignable through a variable (extra fields never leave the server).
    const wider = { name: 'a', email: 'b', tier: 'gold' as const, internal: true };
    this.response.payload = wider;
    const details = await this.invoke('customer.get-details', { customer_id: id, tenant: '' });
    const tier: 'basic' | 'gold' | 'platinum' = details.tier;
    void tier;
    // @ts-expect-error an unknown service name
    await this.invoke('customer.gett', { customer_id: id });
    // @ts-expect-error a wrong input field type
    await this.invoke('customer.get', { customer_id: 'x' });
    // @ts-expect-error a field the result does not have
    void details.nope;
  }
}
`;

test('service classes are typed from their models, and invoke from the service map', () => {
  const p = tempProject({ 'services/probe.ts': probe }, SAMPLE);
  try {
    const built = gen(['build', p.dir]);
    assert.equal(built.code, 0, built.stderr);
    const r = typecheck(p.dir);
    assert.equal(r.code, 0, `every @ts-expect-error must be a real error and nothing else may fail:\n${r.stdout}${r.stderr}`);
  } finally {
    p.remove();
  }
});

test('without the generated service map the same misuse is not caught (the test above is not vacuous)', () => {
  const p = tempProject({ 'services/probe.ts': probe }, SAMPLE);
  try {
    assert.equal(gen(['build', p.dir]).code, 0);
    p.write('generated/service-map.ts', 'export {};\n');
    const r = typecheck(p.dir);
    assert.notEqual(r.code, 0);
    assert.match(r.stdout, /Unused '@ts-expect-error' directive/);
  } finally {
    p.remove();
  }
});
