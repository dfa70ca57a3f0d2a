/**
 * Fastify 5 doing a gateway call of customer.get: Basic Auth and allowlist in an onRequest hook, the body checked
 * by a JSON schema (ajv), the answer written through a response schema, the request line logged on response.
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { ALLOWED, REALM, authorized, benchPino, getCustomer, logRequest, serveForBench } from './common.js';

const log = benchPino();
const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });

declare module 'fastify' {
  interface FastifyRequest {
    cid: string;
    started: number;
  }
}

app.decorateRequest('cid', '');
app.decorateRequest('started', 0);

app.addHook('onRequest', async (req, reply) => {
  req.started = performance.now();
  req.cid = randomUUID();
  reply.header('x-zato-cid', req.cid);
  if (!authorized(req.headers.authorization)) {
    return reply.code(401).header('www-authenticate', REALM).send({ result: 'Error', cid: req.cid, details: 'Unauthorized' });
  }
  const service = (req.params as { service?: string }).service ?? '';
  if (!ALLOWED.has(service) || service !== 'customer.get') {
    return reply.code(404).send({ result: 'Error', cid: req.cid, details: 'Not found' });
  }
});

app.addHook('onResponse', async (req, reply) => {
  const service = (req.params as { service?: string }).service ?? null;
  const url = req.url;
  const q = url.indexOf('?');
  logRequest(log, req.cid, service, req.method, q < 0 ? url : url.slice(0, q), reply.statusCode, req.started);
});

app.post<{ Body: { customer_id: number }; Params: { service: string } }>(
  '/zato/gateway/:service',
  {
    schema: {
      body: {
        type: 'object',
        required: ['customer_id'],
        properties: { customer_id: { type: 'integer', minimum: 1 } },
      },
      response: {
        200: {
          type: 'object',
          required: ['name', 'email', 'tier'],
          properties: { name: { type: 'string' }, email: { type: 'string', format: 'email' }, tier: { enum: ['basic', 'gold', 'platinum'] } },
        },
      },
    },
  },
  async (req, reply) => {
    const username = req.headers['x-zato-username'] ?? '';
    const tenant = req.headers['x-zato-tenant'];
    const out = await getCustomer(log, req.cid, String(username), req.body.customer_id, typeof tenant === 'string' ? tenant : '');
    if (out === null) return reply.code(404).send({ result: 'Error', cid: req.cid, details: `No customer ${req.body.customer_id}` });
    return out;
  },
);

await app.ready();
serveForBench(app.server);
