/**
 * What every benchmark server shares: the IPC protocol with bench/lib/server-process.ts, the log sink, and the
 * hand-written work of a gateway call (Basic Auth with timingSafeEqual, allowlist, input check, the "invoked"
 * lookup) that the baselines do by hand and servicegate does from its generated code.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { Logger as PinoLogger } from 'pino';

export const USERNAME = 'gateway';
export const PASSWORD = process.env.GATEWAY_PASSWORD ?? 'bench-gateway-password';
export const REALM = 'Basic realm="Gateway"';
export const GATEWAY_PREFIX = '/zato/gateway/';
export const ALLOWED = new Set(['customer.get', 'customer.update', 'orders.create', 'orders.list']);
export const MAX_BODY = 1024 * 1024;

const WANT_USER = Buffer.from(USERNAME);
const WANT_PASSWORD = Buffer.from(PASSWORD);

/**
 * The log sink of every server in the run: pino configured as servicegate's default logger (pid, ISO time), writing
 * asynchronously to /dev/null, so that each server pays for formatting a line but not for a terminal or a pipe.
 */
export function benchPino(): PinoLogger {
  const pino = createRequire(import.meta.url)('pino') as typeof import('pino');
  const destination = pino.destination({ dest: '/dev/null', sync: false });
  return pino.pino({ base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}

/** Basic Auth as one writes it by hand: decode, split at the first ':', compare both parts in constant time. */
export function authorized(header: string | undefined): boolean {
  if (header === undefined || header.length < 7 || header.slice(0, 6).toLowerCase() !== 'basic ') return false;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64');
  const colon = decoded.indexOf(0x3a);
  if (colon < 0) return false;
  const user = decoded.subarray(0, colon);
  const password = decoded.subarray(colon + 1);
  const userOk = user.length === WANT_USER.length && timingSafeEqual(user, WANT_USER);
  const passwordOk = password.length === WANT_PASSWORD.length && timingSafeEqual(password, WANT_PASSWORD);
  return userOk && passwordOk;
}

/** The input check of customer.get: an object with an integer customer_id ≥ 1; null when valid, else why not. */
export function checkInput(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'The request body must be a JSON object';
  const id = (body as { customer_id?: unknown }).customer_id;
  if (id === undefined) return '/customer_id is required';
  if (typeof id !== 'number' || !Number.isInteger(id)) return '/customer_id must be integer';
  if (id < 1) return '/customer_id must be >= 1';
  return null;
}

interface Customer {
  customer_id: number;
  name: string;
  email: string;
  tier: 'basic' | 'gold' | 'platinum';
  tenant: string;
}

// The customers sample's store (samples/customers/services/store.ts).
const CUSTOMERS = new Map<number, Customer>([
  [123, { customer_id: 123, name: 'Jane Doe', email: 'jane.doe@example.com', tier: 'gold', tenant: 'acme' }],
  [456, { customer_id: 456, name: 'John Roe', email: 'john.roe@example.com', tier: 'basic', tenant: 'acme' }],
  [789, { customer_id: 789, name: 'Mary Major', email: 'mary.major@example.org', tier: 'platinum', tenant: 'globex' }],
]);

/** customer.get-details done by hand: the "invoked" second function. */
export async function getDetails(customerId: number, tenant: string): Promise<Customer | null> {
  const found = CUSTOMERS.get(customerId);
  return found === undefined || (tenant !== '' && found.tenant !== tenant) ? null : found;
}

/** customer.get done by hand: log like the service does, invoke, keep the declared output fields. */
export async function getCustomer(log: PinoLogger, cid: string, username: string, customerId: number, tenant: string) {
  log.info({ cid, service: 'customer.get' }, `API call from ${username}`);
  const c = await getDetails(customerId, tenant);
  return c === null ? null : { name: c.name, email: c.email, tier: c.tier };
}

/** The request log line, with the fields servicegate writes. */
export function logRequest(log: PinoLogger, cid: string, service: string | null, method: string, path: string, status: number, start: number): void {
  const duration_ms = Math.round((performance.now() - start) * 1000) / 1000;
  log.info({ cid, channel: 'Gateway', service, method, path, status, duration_ms }, 'request');
}

/** Listens on 127.0.0.1 port 0 and talks to the bench over IPC: 'ready' with the port, RSS and CPU time on request, stop. */
export function serveForBench(server: Server): void {
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.send?.({ type: 'ready', port: typeof address === 'object' && address !== null ? address.port : 0 });
  });
  const stop = (): void => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 2_000).unref();
  };
  process.on('message', (msg: { type?: string }) => {
    if (msg.type === 'rss') process.send?.({ type: 'rss', rss: process.memoryUsage.rss(), memory: process.memoryUsage() });
    else if (msg.type === 'cpu') {
      const used = process.cpuUsage();
      process.send?.({ type: 'cpu', cpu: used.user + used.system });
    }
    else if (msg.type === 'stop') stop();
  });
  // The bench went away: nobody would stop this server.
  process.on('disconnect', stop);
}
