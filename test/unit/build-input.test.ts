/**
 * buildInput (runtime/input.ts): path and query parameters merged into the body before validation (CONTRACT §5.5).
 * Every parameter becomes an own data property of a copy, whatever its name — including names Object.prototype
 * has — and the body the server parsed is never changed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildInput } from '../../runtime/input.js';
import type { CompiledModel, ParamType } from '../../runtime/manifest.js';

/** A model that accepts anything and hands back what it validated, so the test sees the merged object itself. */
function passThrough(params: Record<string, ParamType>): CompiledModel & { seen: unknown[] } {
  const seen: unknown[] = [];
  return {
    name: 'Probe',
    params,
    seen,
    validate: (value) => {
      seen.push(value);
      return null;
    },
    parse: (value) => value,
    serialize: () => '{}',
  };
}

const NAMES = ['id', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf'];

describe('buildInput: parameters merged into the input', () => {
  it('makes every parameter an own, enumerable, writable data property, Object.prototype names included', () => {
    const params = Object.fromEntries(NAMES.map((n) => [n, 'integer' as ParamType]));
    const model = passThrough(params);
    const body = JSON.parse('{"name":"x","__proto__":{"admin":true},"valueOf":1,"extra":[1]}') as Record<string, unknown>;
    const values = Object.fromEntries(NAMES.map((n, i) => [n, String(10 + i)]));
    const result = buildInput(model, body, {}, values);
    assert.equal(result.ok, true);
    const merged = model.seen[0] as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(merged), Object.prototype, 'the prototype is never replaced');
    NAMES.forEach((n, i) => {
      const d = Object.getOwnPropertyDescriptor(merged, n);
      assert.deepEqual(d, { value: 10 + i, enumerable: true, writable: true, configurable: true }, n);
    });
    assert.equal(merged.name, 'x');
    assert.equal(merged.extra, body.extra);
    assert.equal((merged as { admin?: unknown }).admin, undefined, "the body's __proto__ key is data, not a prototype");
    assert.deepEqual(Object.keys(body), ['name', '__proto__', 'valueOf', 'extra'], 'the parsed body is not changed');
    assert.deepEqual(Object.getOwnPropertyDescriptor(body, '__proto__')?.value, { admin: true });
    assert.equal(body.valueOf, 1);
    assert.equal(({} as Record<string, unknown>).id, undefined, 'nothing leaks onto Object.prototype');
  });

  it('takes path parameters over query parameters, coerces by type, and leaves absent ones out', () => {
    const model = passThrough({ id: 'integer', flag: 'boolean', q: 'string', gone: 'number' });
    const result = buildInput(model, undefined, { id: '1', flag: 'true', q: 'text' }, { id: '7' });
    assert.equal(result.ok, true);
    assert.deepEqual(model.seen[0], { id: 7, flag: true, q: 'text' });
  });

  it('defines, rather than assigns, a name that a library added to Object.prototype as a setter', () => {
    let called = 0;
    Object.defineProperty(Object.prototype, 'polluted', { set: () => void called++, get: () => 'inherited', configurable: true });
    try {
      const model = passThrough({ polluted: 'string' });
      buildInput(model, { a: 1 }, {}, { polluted: 'mine' });
      const merged = model.seen[0] as Record<string, unknown>;
      assert.equal(called, 0, 'the setter never ran');
      assert.deepEqual(Object.getOwnPropertyDescriptor(merged, 'polluted'), { value: 'mine', enumerable: true, writable: true, configurable: true });
      // The same for a body key of that name, copied before the parameters go in.
      const other = passThrough({ id: 'integer' });
      buildInput(other, JSON.parse('{"polluted":"body"}'), {}, { id: '1' });
      assert.equal(called, 0, 'the setter never ran for a body key');
      assert.deepEqual(other.seen[0], { polluted: 'body', id: 1 });
      assert.ok(Object.hasOwn(other.seen[0] as object, 'polluted'));
    } finally {
      delete (Object.prototype as Record<string, unknown>).polluted;
    }
  });
});
