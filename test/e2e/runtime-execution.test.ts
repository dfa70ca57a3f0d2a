// CONTRACT §2 (invoke, hooks, errors) and §5.7: running services, their errors, timeouts and output.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MODES, assertErrorShape, send, start, type Target } from '../helpers/runtime-harness.js';

for (const mode of MODES) {
  describe(`execution (${mode})`, () => {
    let t: Target;
    before(async () => {
      t = await start(mode);
    });
    after(() => t.close());
    const run = (service: string) => send(t, { path: `/api/run/${service}` });
    const logsFor = (cid: unknown) => t.logs.lines.filter((l) => l.fields.cid === cid);

    it('answers 500 "Internal error" for an unexpected throw, and logs it with the cid and stack', async () => {
      const r = await run('crash');
      assert.equal(r.status, 500);
      assertErrorShape(r);
      assert.equal(r.json.details, 'Internal error');
      assert.doesNotMatch(r.text, /hunter2|Error:|at /);
      const [line] = logsFor(r.headers['x-zato-cid']);
      assert.ok(line, 'an error line with the cid');
      assert.equal(line.level, 'error');
      assert.equal(line.fields.service, 'crash');
      assert.match(String((line.fields.err as Error).stack), /hunter2/);
    });

    it('answers a ServiceError with its status and message', async () => {
      const r = await run('forbidden');
      assert.equal(r.status, 403);
      assertErrorShape(r);
      assert.equal(r.json.details, 'Not your customer');
      assert.equal(r.json.errors, undefined);
    });

    it('answers 504 when the service outlives the channel timeout', async () => {
      const r = await send(t, { path: '/api/slow' });
      assert.equal(r.status, 504);
      assertErrorShape(r);
    });

    it('runs beforeHandle, handle and afterHandle in order', async () => {
      const r = await run('hooks');
      assert.deepEqual(r.json, { order: ['before', 'handle', 'after'] });
    });

    it('answers 204 with no body without an output model, or the status the service set', async () => {
      const none = await send(t, { method: 'DELETE', path: '/api/noop' });
      assert.equal(none.status, 204);
      assert.equal(none.text, '');
      const accepted = await send(t, { method: 'PATCH', path: '/api/noop' });
      assert.equal(accepted.status, 202);
      assert.equal(accepted.text, '');
    });

    it('sends the headers a service sets, but never lets it replace the cid', async () => {
      const r = await run('headers.custom');
      assert.equal(r.status, 201);
      assert.equal(r.headers['x-custom'], 'yes');
      assert.match(String(r.headers['x-zato-cid']), /^[0-9a-f]{24}$/);
    });

    it('refuses a response header with CR/LF: 500, logged, nothing injected', async () => {
      const r = await run('headers.bad');
      assert.equal(r.status, 500);
      assertErrorShape(r);
      assert.equal(r.headers['set-cookie'], undefined);
      assert.equal(r.headers['x-evil'], undefined);
      assert.match(logsFor(r.headers['x-zato-cid'])[0]!.message, /x-evil.*CR, LF/);
    });

    it('answers 500 when the payload cannot be serialised, without its message', async () => {
      const r = await run('serialize.fails');
      assert.equal(r.status, 500);
      assert.doesNotMatch(r.text, /secret internals/);
      assert.equal(logsFor(r.headers['x-zato-cid']).length, 1);
    });

    it('invoke: resolves to the target\'s output, only its declared fields', async () => {
      const r = await run('invoke.details');
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json, { customer_id: 123, name: 'Jane Doe', email: 'jane@example.com', tier: 'gold', tenant: 'acme' });
    });

    it('invoke: an invalid input is a 400 naming the called service and every issue', async () => {
      const r = await run('invoke.bad');
      assert.equal(r.status, 400);
      assertErrorShape(r);
      assert.match(r.json.details, /customer\.get-details/);
      assert.match(r.json.details, /\/customer_id must be >= 1/);
    });

    it('invoke: an unknown service is a 500 whose reason is logged', async () => {
      const r = await run('invoke.unknown');
      assert.equal(r.status, 500);
      assert.equal(r.json.details, 'Internal error');
      assert.match(logsFor(r.headers['x-zato-cid'])[0]!.message, /no service named "no\.such\.service"/);
    });

    it('invoke: a service class instead of its name is a 500 whose log line names the name to write', async () => {
      const r = await run('invoke.class');
      assert.equal(r.status, 500);
      assert.equal(r.json.details, 'Internal error');
      assert.match(logsFor(r.headers['x-zato-cid'])[0]!.message, /invoke takes a service's name, not its class: write this\.invoke\("customer\.get-details", input\) instead of passing class GetDetails/);
    });

    it('invoke: the target\'s ServiceError propagates unchanged', async () => {
      const r = await run('invoke.error');
      assert.equal(r.status, 403);
      assert.equal(r.json.details, 'Not your customer');
    });

    it('invoke: endless recursion stops at the depth limit with a 500 and a log line saying why', async () => {
      const r = await run('loop');
      assert.equal(r.status, 500);
      assert.equal(r.json.details, 'Internal error');
      const [line] = logsFor(r.headers['x-zato-cid']);
      assert.match(line!.message, /invoke depth limit \(32\) exceeded: loop → loop → loop/);
    });
  });
}

describe('execution options', () => {
  it('honours invokeDepthLimit', async () => {
    const t = await start('fast', undefined, { invokeDepthLimit: 2 });
    try {
      const r = await send(t, { path: '/api/run/loop' });
      assert.equal(r.status, 500);
      const line = t.logs.lines.find((l) => l.fields.cid === r.headers['x-zato-cid']);
      assert.match(line?.message ?? '', /: invoke depth limit \(2\) exceeded: loop → loop → loop → loop$/);
    } finally {
      await t.close();
    }
  });
});
