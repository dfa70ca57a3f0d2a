/**
 * Runs the runtime under test in both of its shapes — createServer (the fast path) and createExpressMiddleware
 * mounted in an Express app — on 127.0.0.1 port 0, with a capturing logger, and sends raw HTTP requests
 * (node:http, not fetch: fetch would normalise `..`, `%2e` and friends before they ever reach the server).
 */
import http from 'node:http';
import express from 'express';
import { createServer, type ServerOptions } from '../../runtime/server.js';
import { createExpressMiddleware } from '../../runtime/express.js';
import type { Manifest } from '../../runtime/manifest.js';
import type { LogLevel, RequestLogEntry, RequestLogger } from '../../runtime/logger.js';
import { ENV, MANIFEST } from './manifest-fixture.js';

export type Mode = 'fast' | 'express';
export const MODES: readonly Mode[] = ['fast', 'express'];

export interface Captured {
  requests: RequestLogEntry[];
  lines: { level: LogLevel; message: string; fields: Record<string, unknown> }[];
}

export interface Target {
  readonly mode: Mode;
  readonly port: number;
  readonly logs: Captured;
  close(): Promise<void>;
}

export function captureLogger(): { logger: RequestLogger; logs: Captured } {
  const logs: Captured = { requests: [], lines: [] };
  return {
    logs,
    logger: {
      request: (entry) => void logs.requests.push(entry),
      log: (level, message, fields) => void logs.lines.push({ level, message, fields }),
    },
  };
}

/** An app with one route of the user's own, to show that non-channel requests reach it. */
function userApp(): express.Express {
  const app = express();
  app.get('/user/hello', (_req, res) => {
    res.json({ hello: 'world' });
  });
  app.get('/user/boom', () => {
    throw new Error('user route failed: internals');
  });
  return app;
}

/** Starts the fixture (or another manifest) in one mode. */
export async function start(mode: Mode, manifest: Manifest = MANIFEST, options: Omit<ServerOptions, 'app' | 'logger'> = {}): Promise<Target> {
  const { logger, logs } = captureLogger();
  const opts = { env: ENV, logger, ...options };
  if (mode === 'fast') {
    const sg = createServer(manifest, { ...opts, app: userApp() });
    const { port } = await sg.listen(0, '127.0.0.1');
    return { mode, port, logs, close: () => sg.close(1_000) };
  }
  const app = userApp();
  app.use(createExpressMiddleware(manifest, opts));
  app.use((_req, res) => {
    res.status(404).json({ fallthrough: true });
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    mode,
    port,
    logs,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: any;
}

export interface Call {
  method?: string;
  path: string;
  headers?: http.OutgoingHttpHeaders;
  /** An object is sent as JSON with `content-type: application/json` unless headers say otherwise. */
  body?: string | Buffer | object;
}

/** Sends one request (no keep-alive) and collects the whole answer. */
export function send(target: Target, call: Call): Promise<Reply> {
  const headers: http.OutgoingHttpHeaders = { ...call.headers };
  let payload: string | Buffer | undefined;
  if (call.body !== undefined) {
    if (typeof call.body === 'string' || Buffer.isBuffer(call.body)) payload = call.body;
    else {
      payload = JSON.stringify(call.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    }
    headers['content-length'] ??= Buffer.byteLength(payload);
  }
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: target.port, method: call.method ?? 'POST', path: call.path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text.length > 0 ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Sends headers and the first part of a body, then waits for the answer without finishing the body — what an
 * attacker streaming an endless upload looks like. `chunked`: no Content-Length.
 */
export function sendOpenEnded(target: Target, path: string, first: Buffer, declaredLength?: number, method = 'POST'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json' };
    if (declaredLength !== undefined) headers['content-length'] = declaredLength;
    const req = http.request({ host: '127.0.0.1', port: target.port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        req.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: text ? JSON.parse(text) : undefined });
      });
    });
    // The server may close the socket while we are still writing; that is the point, not a failure.
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') reject(err);
    });
    req.write(first);
  });
}

/** The §5.6 error body shape. */
export function assertErrorShape(reply: Reply): void {
  const body = reply.json as Record<string, unknown>;
  if (body?.result !== 'Error' || typeof body.details !== 'string' || body.cid !== reply.headers['x-zato-cid']) {
    throw new Error(`not a §5.6 error body with the response's cid: ${reply.status} ${reply.text}`);
  }
}
