/**
 * `createServer(manifest)` (CONTRACT §5): the channels run on the runtime's own node:http request path; anything
 * that is not a channel falls through to an Express app (the user's middleware, routes, static files), whose
 * unmatched requests end in the runtime's JSON 404.
 */
import http from 'node:http';
import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';
import { performance } from 'node:perf_hooks';
import type { Express } from 'express';
import type { Manifest } from './manifest.js';
import { createPipeline, type Pipeline } from './pipeline.js';
import { NOT_FOUND_DETAILS, errorBody, sendError } from './respond.js';
import type { RequestLogger } from './logger.js';

export { StartupError } from './security.js';

export interface ServerOptions {
  /** Where `${VAR}` secrets come from; default process.env. */
  env?: Record<string, string | undefined>;
  /** Hosts everything that is not a channel; default a new express(). */
  app?: Express;
  /** Default: JSON lines to stdout (pino), a compact line per request when stdout is a terminal. */
  logger?: RequestLogger | false;
  /** Slow-client cut-offs: all headers within 10 s, the whole request within 60 s by default. */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** How deep `invoke()` calls may nest; default 32. */
  invokeDepthLimit?: number;
}

export interface ServicegateServer {
  readonly server: http.Server;
  readonly app: Express;
  /** Listens (host default 127.0.0.1) and resolves to the bound address; port 0 picks a free port. */
  listen(port: number, host?: string): Promise<{ port: number; host: string }>;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`, default 10 s), then closes every connection. */
  close(graceMs?: number): Promise<void>;
}

type ExpressFactory = () => Express;
type NextFn = (err?: unknown) => void;

function loadExpress(): ExpressFactory {
  // Loaded on demand so that `import 'servicegate'` in a service file stays cheap.
  return createRequire(import.meta.url)('express') as ExpressFactory;
}

/** The status an Express error carries (body-parser and friends set `status`), else 500. */
function errorStatus(err: unknown): number {
  const status = (err as { status?: unknown; statusCode?: unknown } | null)?.status ?? (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599 ? status : 500;
}

function fallThrough(pipeline: Pipeline, app: Express, req: http.IncomingMessage, res: http.ServerResponse): void {
  const cid = pipeline.cids.next();
  const start = performance.now();
  res.setHeader('x-zato-cid', cid);
  if (pipeline.closing) res.setHeader('connection', 'close');
  res.once('finish', () => {
    const duration_ms = Math.round((performance.now() - start) * 1000) / 1000;
    const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    pipeline.logger.request({ cid, channel: null, service: null, method: req.method ?? 'GET', path, status: res.statusCode, duration_ms });
  });
  const done: NextFn = (err) => {
    if (res.headersSent) {
      if (!res.writableEnded) res.destroy();
      return;
    }
    if (err === undefined || err === null || err === 'route' || err === 'router') {
      sendError(res, 404, cid, NOT_FOUND_DETAILS, null, pipeline.closing);
      return;
    }
    const status = errorStatus(err);
    if (status >= 500) pipeline.logger.log('error', 'unhandled error in the Express app', { cid, err });
    const expose = status < 500 && err instanceof Error && (err as { expose?: unknown }).expose !== false;
    sendError(res, status, cid, expose ? (err as Error).message : status >= 500 ? 'Internal error' : 'Bad request', null, true);
  };
  (app as unknown as (req: http.IncomingMessage, res: http.ServerResponse, next: NextFn) => void)(req, res, done);
}

/** What node's HTTP parser and timers refuse before a request reaches the runtime, by error code. */
const CLIENT_ERRORS: Readonly<Record<string, readonly [number, string]>> = {
  HPE_HEADER_OVERFLOW: [431, 'The request headers are too large'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'The chunk extensions of the request body are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'The request was not received in time'],
};

/**
 * A request that node refuses itself (bad HTTP, headers over its limit, a slow client cut off) gets the §5.6 error
 * body and an `X-Zato-CID` like every other answer, instead of node's bare status line, and one log line. As node
 * does, the answer is written only when no response has started on the connection, and the connection then closes.
 */
function answerClientError(pipeline: Pipeline, err: NodeJS.ErrnoException, socket: Duplex): void {
  const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent === true) {
    socket.destroy();
    return;
  }
  const [status, details] = CLIENT_ERRORS[err.code ?? ''] ?? [400, 'Bad request: the HTTP request is malformed'];
  const cid = pipeline.cids.next();
  const body = errorBody(cid, details);
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nX-Zato-CID: ${cid}\r\nConnection: close\r\n\r\n${body}`,
  );
  // Whatever the client still sends is not read: the socket goes as soon as the answer is out.
  if (socket.writableFinished) socket.destroy();
  else socket.once('finish', () => socket.destroy());
  pipeline.logger.request({ cid, channel: null, service: null, method: '-', path: '-', status, duration_ms: 0 });
}

/**
 * How often node looks for connections past their header or request deadline. Its default (30 s) would let a slow
 * client hold a connection up to 30 s beyond a short timeout; a quarter of the shortest one, 50 ms to 1 s, keeps the
 * cut-off close to what was configured for the price of a walk over the open connections.
 */
function checkingInterval(options: ServerOptions): number {
  const request = options.requestTimeoutMs ?? 60_000;
  const shortest = Math.min(options.headersTimeoutMs ?? 10_000, request > 0 ? request : Infinity);
  return Math.max(50, Math.min(1_000, Math.floor(shortest / 4)));
}

/**
 * Creates the server for a manifest. Throws StartupError when the manifest cannot be served as configured
 * (an unset `${VAR}` secret, a channel naming a missing service or security definition).
 */
export function createServer(manifest: Manifest, options: ServerOptions = {}): ServicegateServer {
  const pipeline = createPipeline(manifest, options);
  // Express (~10 MB and tens of ms to load) is created on first use — the first request that is not a channel's, or
  // the first read of `.app` — so a server that only serves channels never loads it.
  let app: Express | undefined = options.app;
  const host = (): Express => (app ??= loadExpress()());
  const server = http.createServer({ connectionsCheckingInterval: checkingInterval(options) }, (req, res) => {
    if (!pipeline.handle(req, res)) fallThrough(pipeline, host(), req, res);
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => answerClientError(pipeline, err, socket));
  const requestTimeout = options.requestTimeoutMs ?? 60_000;
  server.requestTimeout = requestTimeout;
  // node requires headersTimeout <= requestTimeout (when the latter is on).
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  server.headersTimeout = requestTimeout > 0 ? Math.min(headersTimeout, requestTimeout) : headersTimeout;
  let closed: Promise<void> | null = null;

  return {
    server,
    get app() {
      return host();
    },
    listen(port, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        const onError = (err: Error): void => reject(err);
        server.once('error', onError);
        server.listen(port, host, () => {
          server.off('error', onError);
          const address = server.address();
          if (address === null || typeof address === 'string') resolve({ port, host });
          else resolve({ port: address.port, host: address.address });
        });
      });
    },
    close(graceMs = 10_000) {
      closed ??= new Promise<void>((resolve) => {
        pipeline.closing = true;
        // Connections that finish their last response after this point would otherwise idle until keep-alive
        // expires; sweep them until the server has closed.
        const sweep = setInterval(() => server.closeIdleConnections(), 100);
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        sweep.unref();
        force.unref();
        server.close(() => {
          clearInterval(sweep);
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closed;
    },
  };
}
