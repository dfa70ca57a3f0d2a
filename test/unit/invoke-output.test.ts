/**
 * `this.invoke`'s result (CONTRACT §2): the callee's payload as its output model sends it, parsed back. overTheWire
 * skips the text for flat payloads; it must answer exactly as `parse(JSON.parse(serialize(payload)))` does — the
 * same value, or the same error — for every payload, flat or not.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { overTheWire } from '../../runtime/dispatch.js';
import type { CompiledModel } from '../../runtime/manifest.js';
import { customers, field, hostile, kitchen, object, t } from '../golden/validators/fixtures.js';
import { loadModels, type Models } from '../golden/validators/load.js';

let m: Models;
// Protoish: fields named like Object.prototype members, which a copy inheriting from Object.prototype would read.
const DECLS = [
  ...customers(), ...kitchen(), ...hostile(),
  object('Protoish', [
    field('name', t.string), field('toString', t.string, { optional: true }), field('constructor', t.integer, { optional: true }),
    field('__proto__', t.string, { optional: true }),
  ]),
];
before(async () => {
  m = await loadModels(DECLS);
});

/** The declared field names of a model (a union's: those of its members). */
function declaredFields(name: string): string[] {
  const decl = DECLS.find((d) => d.name === name);
  if (decl === undefined || decl.kind === 'enum') return [];
  if (decl.kind === 'union') return [...new Set(decl.members.flatMap((member) => declaredFields(member.model)))];
  return decl.fields.map((f) => f.name);
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: string };

function outcome(f: () => unknown): Outcome {
  try {
    return { ok: true, value: f() };
  } catch (err) {
    return { ok: false, error: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

function reference(model: CompiledModel, payload: unknown): Outcome {
  return outcome(() => model.parse(JSON.parse(model.serialize(payload))));
}

// Values a field may hold: flat JSON values (most of them: a payload takes the fast path only when all of its
// values are flat), the numbers JSON changes or cannot write, strings JSON escapes, and values that are not flat.
const FLAT: unknown[] = [
  'x', '', 'Ada Lovelace', 'ada@example.com', 'gold', 'basic', 'red', 'circle', 'only', 'a', 'ABC-1', '\ud800', 'q"\\\n\u2028',
  '2020-02-29T12:00:00Z', '2020-02-30T12:00:00Z', '1.5',
  0, -0, 1, 3, 7, 42, 1.5, -3, 1e21, 2 ** 53 + 2, Number.MAX_VALUE, NaN, Infinity, -Infinity, true, false, null,
];
const OTHER: unknown[] = [undefined, [], ['a'], [1, 2], {}, { k: 'v' }, { name: 'leaf' }, new Date(0), new Date(NaN), () => 1, 10n, Symbol('s')];

/** Payload makers: each call makes a fresh payload (a getter counts its reads per payload). */
function* payloads(fields: readonly string[], seed: number): Generator<() => unknown> {
  let state = seed;
  const next = (n: number): number => {
    state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
    return state % n;
  };
  for (let i = 0; i < 300; i++) {
    const p: Record<string, unknown> = {};
    const pick = (): unknown => (next(8) === 0 ? OTHER[next(OTHER.length)] : FLAT[next(FLAT.length)]);
    // Own data properties whatever the name (an assignment to `__proto__` would set the prototype instead).
    const put = (key: string, value: unknown): void => void Object.defineProperty(p, key, { value, enumerable: true, writable: true, configurable: true });
    for (const f of fields) if (next(4) !== 0) put(f, pick());
    if (next(3) === 0) put('undeclared', pick());
    yield () => ({ ...p });
  }
  // Payloads of other kinds: null prototypes, own `__proto__` and `constructor` keys from JSON.parse, a class
  // instance, a getter that answers differently each time, toJSON, and values that are not objects.
  yield () => Object.assign(Object.create(null) as object, { customer_id: 1, name: 'n', email: 'a@b.co', tier: 'gold', tenant: 't', constructor: 'c' });
  yield () => Object.assign(Object.create(null) as object, { name: 'n', email: 'a@b.co', tier: 'gold' });
  yield () => JSON.parse('{"name":"n","__proto__":"x","constructor":3}') as unknown;
  yield () => new (class Payload { customer_id = 1; name = 'n'; email = 'a@b.co'; tier = 'gold'; tenant = 't'; })();
  yield () => {
    let reads = 0;
    return Object.defineProperty({ customer_id: 1, email: 'a@b.co', tier: 'gold', tenant: 't' }, 'name', { enumerable: true, get: () => (reads++ === 0 ? 'first' : 42) });
  };
  yield () => ({ customer_id: 1, name: 'n', email: 'a@b.co', tier: 'gold', tenant: 't', toJSON: () => ({}) });
  yield () => null;
  yield () => undefined;
  yield () => 'text';
  yield () => [];
}

describe('invoke: the callee output over the wire (overTheWire)', () => {
  it('answers as parse(JSON.parse(serialize(payload))) for every payload of every model', () => {
    let compared = 0;
    let fast = 0;
    for (const [name, model] of Object.entries(m)) {
      const fields = declaredFields(name);
      let seed = 1;
      for (const ch of name) seed = (Math.imul(seed, 31) + ch.charCodeAt(0)) & 0x7fffffff;
      for (const make of payloads(fields, seed)) {
        const want = reference(model, make());
        // A getter that answers differently on each read: the reference reads it once (serialize); so must ours.
        const got = outcome(() => overTheWire(model, make()));
        assert.deepEqual(got, want, `${name}: ${inspect(make())}`);
        compared++;
        const p = make();
        if (want.ok && typeof p === 'object' && p !== null && Object.getPrototypeOf(p) === Object.prototype && Object.values(p).every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v))) fast++;
      }
    }
    assert.ok(compared > 3000 && fast > 300, `compared ${compared} payloads, ${fast} of them sendable and flat`);
  });

  it('gives the caller fresh values: nothing it changes reaches the callee\'s payload', () => {
    const payload = { name: 'Ada', email: 'ada@example.com', tier: 'gold', extra: 'x' };
    const out = overTheWire(m.GetCustomerResponse!, payload) as Record<string, unknown>;
    assert.deepEqual(out, { name: 'Ada', email: 'ada@example.com', tier: 'gold' });
    out.name = 'changed';
    assert.equal(payload.name, 'Ada');
  });
});
