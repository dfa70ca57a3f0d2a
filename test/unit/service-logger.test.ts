/** `this.logger` of a service (runtime/logger.ts ServiceLogger): the service's fields, then its cid and name. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceLogger, type RequestLogger } from '../../runtime/logger.js';

function capture(): { sink: RequestLogger; lines: { level: string; message: string; fields: Record<string, unknown> }[] } {
  const lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  return { lines, sink: { request() {}, log: (level, message, fields) => void lines.push({ level, message, fields }) } };
}

describe('ServiceLogger', () => {
  it('writes the fields given, then the cid and service, which a service cannot overwrite', () => {
    const { sink, lines } = capture();
    const log = new ServiceLogger(sink, 'cid-1', 'customer.get');
    const fields = { customer_id: 7, nested: { a: 1 }, cid: 'forged', service: 'other' };
    log.info('one', fields);
    log.warn('two');
    assert.deepEqual(lines, [
      { level: 'info', message: 'one', fields: { customer_id: 7, nested: { a: 1 }, cid: 'cid-1', service: 'customer.get' } },
      { level: 'warn', message: 'two', fields: { cid: 'cid-1', service: 'customer.get' } },
    ]);
    assert.equal(lines[0]!.fields.nested, fields.nested, 'values are passed on, not copied deeply');
    assert.deepEqual(fields, { customer_id: 7, nested: { a: 1 }, cid: 'forged', service: 'other' }, "the service's object is not changed");
  });

  it('keeps keys named like Object.prototype members as plain data', () => {
    const { sink, lines } = capture();
    const fields = JSON.parse('{"__proto__": {"admin": true}, "constructor": "c", "toString": 1}') as Record<string, unknown>;
    new ServiceLogger(sink, 'cid-2', 's').error('x', fields);
    const line = lines[0]!.fields;
    assert.equal(Object.getPrototypeOf(line), Object.prototype);
    assert.deepEqual(Object.keys(line), ['__proto__', 'constructor', 'toString', 'cid', 'service']);
    assert.deepEqual(Object.getOwnPropertyDescriptor(line, '__proto__')?.value, { admin: true });
    assert.equal(line.constructor, 'c');
  });
});
