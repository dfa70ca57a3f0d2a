// CONTRACT §5.8: one structured JSON line per request (pino), a compact line on a terminal, service log lines.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createServer } from '../../runtime/server.js';
import { createPinoLogger, createPrettyLogger, type RequestLogger } from '../../runtime/logger.js';
import { API_AUTH, ENV, MANIFEST } from '../helpers/manifest-fixture.js';
import { send, type Target } from '../helpers/runtime-harness.js';

async function withServer(logger: RequestLogger, fn: (t: Target) => Promise<void>): Promise<void> {
  const sg = createServer(MANIFEST, { env: ENV, logger });
  const { port } = await sg.listen(0, '127.0.0.1');
  try {
    await fn({ mode: 'fast', port, logs: { requests: [], lines: [] }, close: () => sg.close() });
  } finally {
    await sg.close(1_000);
  }
}

describe('logging', () => {
  it('writes one JSON line per request with cid, channel, service, method, path, status and duration', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line));
        done();
      },
    });
    await withServer(createPinoLogger(pino(sink)), async (t) => {
      const ok = await send(t, { method: 'GET', path: '/api/whoami', headers: { authorization: API_AUTH } });
      const crash = await send(t, { path: '/api/run/crash' });
      const request = lines.find((l) => l.msg === 'request' && l.cid === ok.headers['x-zato-cid']);
      assert.ok(request);
      assert.equal(request.channel, 'Whoami');
      assert.equal(request.service, 'whoami');
      assert.equal(request.method, 'GET');
      assert.equal(request.path, '/api/whoami');
      assert.equal(request.status, 200);
      assert.equal(typeof request.duration_ms, 'number');
      const failure = lines.find((l) => l.level === 50 && l.cid === crash.headers['x-zato-cid']);
      assert.ok(failure, 'the 500 is logged as an error with its cid');
      assert.equal(failure.service, 'crash');
      assert.match(String((failure.err as { stack?: string }).stack), /hunter2/);
    });
  });

  it('writes a compact human line on a terminal', async () => {
    const out: string[] = [];
    await withServer(createPrettyLogger((line) => out.push(line)), async (t) => {
      const r = await send(t, { method: 'GET', path: '/api/open/whoami' });
      const line = out.find((l) => l.includes(String(r.headers['x-zato-cid'])));
      assert.match(line ?? '', /^\d\d:\d\d:\d\d\.\d{3} 200 GET \/api\/open\/whoami → whoami \d+\.\d ms cid=[0-9a-f]{24}\n$/);
    });
  });
});
