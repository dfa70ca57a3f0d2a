/**
 * Baseline 1.00: raw node:http doing by hand what a servicegate gateway call of customer.get does — Basic Auth
 * (timingSafeEqual), allowlist Set, x-zato-username, JSON body, input check, an in-process call of a second
 * function, JSON response with X-Zato-CID, and a request log line through pino.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import {
  ALLOWED, GATEWAY_PREFIX, MAX_BODY, REALM, authorized, benchPino, checkInput, getCustomer, logRequest, serveForBench,
} from './common.js';

const log = benchPino();

function send(res: http.ServerResponse, status: number, cid: string, body: string, extra?: Record<string, string>): void {
  res.writeHead(status, {
    ...extra,
    'x-zato-cid': cid,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

function fail(res: http.ServerResponse, status: number, cid: string, details: string, extra?: Record<string, string>): void {
  send(res, status, cid, JSON.stringify({ result: 'Error', cid, details }), extra);
}

const server = http.createServer((req, res) => {
  const start = performance.now();
  const cid = randomUUID();
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const done = (status: number, service: string | null): void => logRequest(log, cid, service, method, path, status, start);
  if (method !== 'POST' || !path.startsWith(GATEWAY_PREFIX)) {
    fail(res, 404, cid, 'Not found');
    return done(404, null);
  }
  if (!authorized(req.headers.authorization)) {
    fail(res, 401, cid, 'Unauthorized', { 'www-authenticate': REALM });
    return done(401, null);
  }
  const service = path.slice(GATEWAY_PREFIX.length);
  if (!ALLOWED.has(service) || service !== 'customer.get') {
    fail(res, 404, cid, 'Not found');
    return done(404, null);
  }
  const username = req.headers['x-zato-username'] ?? '';
  if (!/^application\/json/i.test(req.headers['content-type'] ?? '')) {
    fail(res, 415, cid, 'Unsupported content type');
    return done(415, service);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (size > MAX_BODY) {
      fail(res, 413, cid, 'Too large');
      return done(413, service);
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks, size).toString('utf8'));
    } catch {
      fail(res, 400, cid, 'Malformed JSON in the request body');
      return done(400, service);
    }
    const problem = checkInput(body);
    if (problem !== null) {
      fail(res, 400, cid, problem);
      return done(400, service);
    }
    const tenant = req.headers['x-zato-tenant'];
    const id = (body as { customer_id: number }).customer_id;
    void getCustomer(log, cid, String(username), id, typeof tenant === 'string' ? tenant : '').then((out) => {
      if (out === null) {
        fail(res, 404, cid, `No customer ${id}`);
        return done(404, service);
      }
      send(res, 200, cid, JSON.stringify(out));
      done(200, service);
    });
  });
});

serveForBench(server);
