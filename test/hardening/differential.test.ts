/**
 * Issue 6 item 1: every generated validator accepts exactly what ajv 8 accepts (Ajv2020, draft 2020-12,
 * ajv-formats full mode, allErrors) on the JSON Schema the generator emitted (standaloneSchema), over the models of
 * samples/customers (read with the real reader) and the test models of arbitraries-models.ts.
 *
 * Cases come from the IR → arbitrary mapper (arbitraries.ts): valid, near-valid (one mutation), wild and deep
 * values, with a fixed seed. Every accepted value must also survive parse → serialize → JSON.parse → validate,
 * serialize must be stable, and neither validate nor parse may mutate its input (values are deep-frozen).
 *
 * SG_DIFF_CASES=1000000 node test/run.js hardening/differential   runs a longer version.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import type { ModelDecl } from '../../generator/ir.js';
import type { CompiledModel, ValidationIssue } from '../../runtime/manifest.js';
import { standaloneSchema } from '../../generator/emit/json-schema.js';
import { readServices } from '../../generator/read/services.js';
import { loadModels } from '../golden/validators/load.js';
import { IrArbitraries, type CaseKind } from './arbitraries.js';
import { hardeningModels } from './arbitraries-models.js';
import { field, object, t } from '../golden/validators/fixtures.js';

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;

const SEED = 20260601;
const TOTAL = Number(process.env.SG_DIFF_CASES ?? 120_000);
const WEIGHTS: Record<CaseKind, number> = { valid: 7, near: 8, wild: 3, deep: 2 };
const SAMPLE = fileURLToPath(new URL('../../samples/customers', import.meta.url));

type Check = ((value: unknown) => boolean) & { errors?: unknown };

interface Suite {
  readonly name: string;
  readonly decls: readonly ModelDecl[];
  compiled: Record<string, CompiledModel>;
  ajv: Record<string, Check>;
}

/** A fresh Ajv 2020-12 instance with ajv-formats in full mode, as docs/validation.md promises. */
function newAjv() {
  const ajv = new Ajv2020({ allErrors: true, strictTypes: false });
  addFormats(ajv);
  return ajv;
}

function sampleModels(): ModelDecl[] {
  const read = readServices(SAMPLE);
  assert.deepEqual(read.diagnostics, []);
  return read.models;
}

const SUITES: Suite[] = [
  { name: 'customers', decls: sampleModels(), compiled: {}, ajv: {} },
  { name: 'hardening', decls: hardeningModels(), compiled: {}, ajv: {} },
];
const TARGETS = SUITES.flatMap((s) => s.decls.filter((d) => d.kind !== 'enum').map((d) => ({ suite: s, name: d.name })));
const RUNS = Math.ceil(TOTAL / TARGETS.length);

const stats = { cases: 0, disagreements: 0, byKind: {} as Record<string, { accepted: number; rejected: number }> };

before(async () => {
  for (const s of SUITES) {
    s.compiled = { ...(await loadModels(s.decls)) };
    const ajv = newAjv();
    for (const d of s.decls) if (d.kind !== 'enum') s.ajv[d.name] = ajv.compile(standaloneSchema(s.decls, d.name));
  }
});

after(() => {
  const lines = Object.entries(stats.byKind).map(([k, v]) => `${k}: ${v.accepted} accepted, ${v.rejected} rejected`);
  console.log(`differential: ${stats.cases} cases, ${stats.disagreements} disagreements (seed ${SEED}); ${lines.join('; ')}`);
});

function deepFreeze(v: unknown): void {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return;
  Object.freeze(v);
  for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
}

function show(v: unknown): string {
  const s = JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : Object.is(x, -0) ? '-0' : x));
  return s.length > 400 ? `${s.slice(0, 400)}…` : s;
}

/** Our verdict: the issues (empty when valid), checking that validate returns null, never [], for a valid value. */
function ours(model: CompiledModel, value: unknown): readonly ValidationIssue[] {
  const issues = model.validate(value);
  assert.ok(issues === null || issues.length > 0, 'validate returned an empty issue list instead of null');
  return issues ?? [];
}

/** Whether `v` holds ±Infinity (what JSON.parse makes of 1e400), which JSON can only write back as null. */
function hasInfinity(v: unknown): boolean {
  if (typeof v === 'number') return !Number.isFinite(v);
  if (typeof v !== 'object' || v === null) return false;
  return Object.values(v).some(hasInfinity);
}

/**
 * parse → serialize → JSON.parse → validate, and serialize is stable. A value with ±Infinity inside an `unknown`
 * field is written with null in its place (a documented difference), which uniqueItems may then reject: for those
 * only that the output is JSON is checked.
 */
function roundTrip(model: CompiledModel, value: unknown): void {
  const json = model.serialize(model.parse(value));
  const again = JSON.parse(json);
  if (hasInfinity(value)) return; // JSON.parse above has shown the output is JSON
  assert.deepEqual(ours(model, again), [], `serialized form is rejected: ${json}`);
  assert.equal(model.serialize(model.parse(again)), json, 'serialize(parse(serialized)) differs');
}

describe('validators agree with ajv 8 on the emitted JSON Schema', () => {
  for (const { suite, name } of TARGETS) {
    test(`${suite.name}: ${name}`, () => {
      const arb = new IrArbitraries(suite.decls).cases(name, WEIGHTS);
      const model = suite.compiled[name]!;
      const check = suite.ajv[name]!;
      fc.assert(
        fc.property(arb, ({ kind, value }) => {
          deepFreeze(value);
          const issues = ours(model, value);
          const theirs = check(value);
          stats.cases += 1;
          if ((issues.length === 0) !== theirs) {
            stats.disagreements += 1;
            assert.fail(`${name} ${kind} ${show(value)}: ours ${JSON.stringify(issues)}, ajv ${JSON.stringify(check.errors)}`);
          }
          const tally = (stats.byKind[kind] ??= { accepted: 0, rejected: 0 });
          if (theirs) {
            tally.accepted += 1;
            roundTrip(model, value);
          } else tally.rejected += 1;
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
    });
  }

  test('the cases are many and not vacuous: valid ones are mostly accepted, near-valid ones mostly rejected', () => {
    assert.ok(stats.cases >= Math.min(TOTAL, 100_000), `only ${stats.cases} cases ran`);
    assert.equal(stats.disagreements, 0);
    const rate = (k: CaseKind, side: 'accepted' | 'rejected') => {
      const t = stats.byKind[k]!;
      return t[side] / (t.accepted + t.rejected);
    };
    assert.ok(rate('valid', 'accepted') > 0.9, `valid cases accepted: ${rate('valid', 'accepted')}`);
    assert.ok(rate('near', 'rejected') > 0.6, `near-valid cases rejected: ${rate('near', 'rejected')}`);
    assert.ok(rate('wild', 'rejected') > 0.5 && rate('deep', 'accepted') > 0.2 && rate('deep', 'rejected') > 0.2);
  });
});

interface Regression {
  readonly name: string;
  readonly models: ModelDecl[];
  readonly model: string;
  readonly accepted: boolean;
  readonly values: readonly unknown[];
  readonly written?: readonly string[]; // what serialize(parse(value)) writes, per value
}

/** Each one was a failure of the suite above, kept as a readable case after the fix. */
const REGRESSIONS: readonly Regression[] = [
  {
    // toISOString() wrote '-000001-12-31T23:00:00.000Z' and '+010000-01-01T…', which are not RFC 3339 date-times.
    name: 'date-time at the edge of year 0000 / 9999 with an offset serializes to a valid date-time',
    models: [object('When', [field('d', t.date), field('ds', t.array(t.date), { optional: true })])],
    model: 'When',
    accepted: true,
    values: [
      { d: '0000-01-01T00:00:00+01:00' },
      { d: '0000-01-01T00:00:00.5+23:59' },
      { d: '9999-12-31T23:59:59-01:00', ds: ['9999-12-31T00:00:60-23:59', '0000-01-01T00:00:00+23:59'] },
      { d: '9999-12-31T23:59:59.999Z' },
    ],
    written: [
      '{"d":"0000-01-01T22:59:00.000+23:59"}',
      '{"d":"0000-01-01T00:00:00.500+23:59"}',
      '{"d":"9999-12-31T01:00:59.000-23:59","ds":["9999-12-31T00:01:00.000-23:59","0000-01-01T00:00:00.000+23:59"]}',
      '{"d":"9999-12-31T23:59:59.999Z"}',
    ],
  },
  {
    // Accepted (an unknown holds any JSON value) and written back as [null, null]: JSON has no Infinity.
    name: 'an unknown array item of -1e400 (JSON.parse: -Infinity) is accepted and written as null',
    models: [object('Blobs', [field('blobs', t.array(t.unknown), { c: { uniqueItems: true } })])],
    model: 'Blobs',
    accepted: true,
    values: [JSON.parse('{"blobs":[null,-1e400]}'), JSON.parse('{"blobs":[1e400,-1e400,[1e999]]}')],
    written: ['{"blobs":[null,null]}', '{"blobs":[null,null,[null]]}'],
  },
  {
    name: 'a typed number of 1e400 (JSON.parse: Infinity) is rejected like ajv rejects it',
    models: [object('N', [field('n', t.number), field('i', t.nullable(t.integer), { optional: true })])],
    model: 'N',
    accepted: false,
    values: [JSON.parse('{"n":1e400}'), JSON.parse('{"n":1,"i":-1e400}')],
  },
];

describe('named regressions (disagreements and round-trip failures found by this suite)', () => {
  for (const r of REGRESSIONS) {
    test(r.name, async () => {
      const compiled = await loadModels(r.models);
      const model = compiled[r.model]!;
      const check = newAjv().compile(standaloneSchema(r.models, r.model)) as Check;
      r.values.forEach((value, i) => {
        const accepted = ours(model, value).length === 0;
        assert.equal(accepted, check(value), `ajv disagrees on ${show(value)}`);
        assert.equal(accepted, r.accepted, show(value));
        if (accepted) roundTrip(model, value);
        if (r.written) assert.equal(model.serialize(model.parse(value)), r.written[i]);
      });
    });
  }
});
