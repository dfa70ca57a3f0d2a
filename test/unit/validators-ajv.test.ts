/**
 * Differential test: the compiled validators accept exactly what ajv 8 (draft 2020-12, allErrors, ajv-formats in
 * full mode) accepts, on hand-written schemas for the customers sample and on emit/json-schema.ts's
 * `standaloneSchema` for every construct. fast-check generates near-valid values with a fixed seed.
 * Every valid value must also survive parse → serialize → validate, and serialize(parse(·)) must be stable.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import type { ModelDecl } from '../../generator/ir.js';
import { standaloneSchema } from '../../generator/emit/json-schema.js';
import { customers, kitchen } from '../golden/validators/fixtures.js';
import { ValueArbitraries } from '../golden/validators/arbitraries.js';
import { issuesOf, loadModels, type Models } from '../golden/validators/load.js';

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;

type Check = (value: unknown) => boolean;

function newAjv() {
  const ajv = new Ajv2020({ allErrors: true, strictTypes: false });
  addFormats(ajv); // full mode by default
  return ajv;
}

const int = (extra: object = {}) => ({ type: 'integer', ...extra });
const HAND_WRITTEN: Record<string, object> = {
  OrderItem: {
    type: 'object',
    properties: { sku: { type: 'string', pattern: '^[A-Z0-9-]{3,32}$' }, quantity: int({ minimum: 1, maximum: 1000 }) },
    required: ['sku', 'quantity'],
  },
  CreateOrderRequest: {
    type: 'object',
    properties: {
      customer_id: int({ minimum: 1 }),
      items: { type: 'array', items: { $ref: '#/$defs/OrderItem' }, minItems: 1, maxItems: 100 },
      note: { type: ['string', 'null'], maxLength: 500 },
      created: { type: 'string', format: 'date-time' },
    },
    required: ['customer_id', 'items'],
  },
  UpdateCustomerRequest: {
    type: 'object',
    properties: {
      customer_id: int({ minimum: 1 }),
      name: { type: 'string', minLength: 1, maxLength: 200 },
      email: { type: 'string', format: 'email' },
      tier: { enum: ['basic', 'gold', 'platinum'] },
    },
    required: ['customer_id'],
  },
  GetDetailsRequest: {
    type: 'object',
    properties: { customer_id: int({ minimum: 1 }), tenant: { type: 'string', default: '' } },
    required: ['customer_id'],
  },
};

function handWritten(name: string): Check {
  const ajv = newAjv();
  return ajv.compile({ $schema: 'https://json-schema.org/draft/2020-12/schema', $ref: `#/$defs/${name}`, $defs: HAND_WRITTEN });
}

let compiled: Models;
before(async () => {
  compiled = await loadModels([...customers(), ...kitchen()]);
});

function agree(decls: readonly ModelDecl[], name: string, ajvCheck: Check, runs: number): void {
  const model = compiled[name]!;
  const values = new ValueArbitraries(decls).values(name);
  let accepted = 0;
  fc.assert(
    fc.property(values, (value) => {
      const issues = issuesOf(model, value);
      const ours = issues.length === 0;
      assert.equal(ours, ajvCheck(value), `ours: ${JSON.stringify(issues)} for ${safeJson(value)}`);
      assert.ok(!issues.some((i) => i.message === 'is invalid'), 'is_ and report_ disagree');
      if (ours) {
        accepted += 1;
        const json = model.serialize(model.parse(value));
        const again = JSON.parse(json);
        assert.deepEqual(issuesOf(model, again), [], json);
        assert.equal(model.serialize(model.parse(again)), json);
      }
    }),
    { seed: 20260101, numRuns: runs, endOnFailure: true },
  );
  // A generator that never produces valid (or invalid) values would make this test vacuous.
  assert.ok(accepted > runs * 0.05 && accepted < runs * 0.95, `${name}: ${accepted} of ${runs} accepted`);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

for (const name of Object.keys(HAND_WRITTEN)) {
  test(`${name} agrees with ajv on a hand-written schema`, () => agree(customers(), name, handWritten(name), 1500));
}

const KITCHEN = kitchen();
for (const decl of KITCHEN) {
  if (decl.kind === 'enum') continue;
  test(`${decl.name} agrees with ajv on standaloneSchema`, () => {
    const check = newAjv().compile(standaloneSchema(KITCHEN, decl.name));
    agree(KITCHEN, decl.name, check, 1500);
  });
}
