/**
 * Express 5 baselines doing a gateway call of customer.get by hand. argv[2] = 'bare' → a bare handler that reads
 * the body itself (the baseline of createExpressMiddleware()); 'json' → express.json() then the hand check.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import express, { type Request, type Response } from 'express';
import { ALLOWED, MAX_BODY, REALM, authorized, benchPino, checkInput, getCustomer, logRequest, serveForBench } from './common.js';

const mode = process.argv[2] ?? 'bare';
const log = benchPino();
const app = express();

function readJson(req: Request): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY) return reject(Object.assign(new Error('Too large'), { status: 413 }));
      try {
        resolve(JSON.parse(Buffer.concat(chunks, size).toString('utf8')));
      } catch {
        reject(Object.assign(new Error('Malformed JSON in the request body'), { status: 400 }));
      }
    });
    req.on('error', reject);
  });
}

async function handle(req: Request, res: Response): Promise<void> {
  const start = performance.now();
  const cid = randomUUID();
  res.set('x-zato-cid', cid);
  const service = String(req.params.service);
  const fail = (status: number, details: string): void => {
    res.status(status).json({ result: 'Error', cid, details });
    logRequest(log, cid, service, req.method, req.path, status, start);
  };
  if (!authorized(req.headers.authorization)) {
    res.set('www-authenticate', REALM);
    return fail(401, 'Unauthorized');
  }
  if (!ALLOWED.has(service) || service !== 'customer.get') return fail(404, 'Not found');
  const username = req.headers['x-zato-username'] ?? '';
  let body: unknown = req.body;
  if (mode === 'bare') {
    if (!/^application\/json/i.test(req.headers['content-type'] ?? '')) return fail(415, 'Unsupported content type');
    try {
      body = await readJson(req);
    } catch (err) {
      return fail((err as { status: number }).status, (err as Error).message);
    }
  }
  const problem = checkInput(body);
  if (problem !== null) return fail(400, problem);
  const tenant = req.headers['x-zato-tenant'];
  const id = (body as { customer_id: number }).customer_id;
  const out = await getCustomer(log, cid, String(username), id, typeof tenant === 'string' ? tenant : '');
  if (out === null) return fail(404, `No customer ${id}`);
  res.status(200).json(out);
  logRequest(log, cid, service, req.method, req.path, 200, start);
}

if (mode === 'json') app.post('/zato/gateway/:service', express.json(), handle);
else app.post('/zato/gateway/:service', handle);

serveForBench(http.createServer(app));
