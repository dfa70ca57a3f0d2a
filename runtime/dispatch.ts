/**
 * Running a service (CONTRACT §2, §5.4, §5.7): one fresh instance per call with its context set as plain
 * properties, hooks around `handle()`, and `invoke()` for in-process calls between services.
 */
import { BadRequest } from './errors.js';
import type { CompiledModel, ServiceSpec, ValidationIssue } from './manifest.js';
import type { ChannelInfo, HttpRequest, InvokeHost, Response } from './service.js';
import { kContext } from './service.js';
import { describeIssues } from './input.js';
import { putOwn } from './objects.js';
import { ServiceLogger, type RequestLogger } from './logger.js';

/**
 * An `invoke()` whose input fails the target's model. It is a BadRequest: unless the caller catches it, its request
 * is answered 400 with details naming the called service and every problem (the caller passed data it got from
 * its own client, so the client usually learns what to fix).
 */
export class InvokeInputError extends BadRequest {
  readonly issues: readonly ValidationIssue[];
  constructor(service: string, issues: readonly ValidationIssue[]) {
    super(`Invalid input for service '${service}': ${describeIssues(issues)}`);
    this.issues = issues;
  }
}

/** What one call shares with the calls it makes: same cid, same caller identity, the chain for the depth limit. */
export interface CallContext {
  readonly cid: string;
  readonly username: string;
  readonly channelName: string;
  readonly http: HttpRequest;
  readonly chain: readonly string[]; // service names from the channel's service to this one
}

const EMPTY: Readonly<Record<string, string>> = Object.freeze(Object.create(null) as Record<string, string>);

type Services = Readonly<Record<string, ServiceSpec>>;

/**
 * What the JSON round trip of `invoke` gives for a flat plain object — own enumerable values that are all strings,
 * booleans, null or finite numbers other than -0 (no toJSON, no Date, nothing nested) — without writing and parsing
 * text: a copy of the same keys and values. Null when the input is anything else (the caller round-trips then).
 */
function flatJsonCopy(value: unknown): Record<string, unknown> | null {
  if (typeof value !== 'object' || value === null) return null;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return null;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    // Each value is read once, as JSON.stringify would (a getter runs once).
    const v: unknown = (value as Record<string, unknown>)[key];
    const type = typeof v;
    if (type === 'number' ? !Number.isFinite(v) || Object.is(v, -0) : type !== 'string' && type !== 'boolean' && v !== null) return null;
    putOwn(copy, key, v); // as JSON.parse makes it: `__proto__` and the like are plain data
  }
  return copy;
}

/**
 * What `this.invoke` gives its caller: the payload as the output model sends it, parsed back by that model —
 * `parse(JSON.parse(serialize(payload)))`. For a plain object with only flat JSON values (flatJsonCopy) the text
 * is not parsed again: the copy holds, in every field, the value that parsing the text would give (the same
 * string, the same finite number other than -0, boolean or null), so serializing the copy checks exactly what
 * parse reads (each value read once, a getter run once), and parse of the copy is parse of the text. (The copy
 * inherits from Object.prototype where the payload may not; the generated code reads a field named like an
 * Object.prototype member only as an own property, so that does not change what it sees.)
 */
export function overTheWire(model: CompiledModel, payload: unknown): unknown {
  const flat = flatJsonCopy(payload);
  if (flat === null) return model.parse(JSON.parse(model.serialize(payload)));
  model.serialize(flat);
  return model.parse(flat);
}

/** One call's deadline, linked into the queue of its timeout (see Deadlines). */
export interface Deadline {
  readonly at: number; // performance.now() value
  readonly expire: () => void;
  readonly queue: DeadlineQueue;
  prev: Deadline | null;
  next: Deadline | null;
  /** Expired or cancelled: out of its queue. */
  done: boolean;
}

/** The deadlines of one timeout, oldest first: they were set at non-decreasing times, so they also expire in order. */
interface DeadlineQueue {
  head: Deadline | null;
  tail: Deadline | null;
}

/**
 * Channel timeouts (CONTRACT §3 `timeout`) for every call in flight, watched by one interval timer per server
 * instead of a setTimeout/clearTimeout pair and a Promise.race per request. The timer runs only while calls are in
 * flight; a deadline is noticed at most `tickMs` after it passed. A deadline is an object linked into the queue of
 * its timeout: setting and cancelling one are a few field writes (no Set, no Promise, no closure of our own per
 * call), and a sweep looks only at the head of each queue, since a queue expires in the order it was filled.
 */
export class Deadlines {
  readonly #queues = new Map<number, DeadlineQueue>();
  readonly #tickMs: number;
  #live = 0;
  #timer: NodeJS.Timeout | null = null;

  /** `shortestMs`: the smallest timeout in use; the check runs 20 times within it (every 1 to 100 ms). */
  constructor(shortestMs: number) {
    this.#tickMs = Math.max(1, Math.min(100, Math.floor(shortestMs / 20)));
  }

  /** Calls `expire` once, when `ms` have passed, unless `cancel` came first. */
  set(ms: number, expire: () => void): Deadline {
    let queue = this.#queues.get(ms);
    if (queue === undefined) {
      queue = { head: null, tail: null };
      this.#queues.set(ms, queue);
    }
    const deadline: Deadline = { at: performance.now() + ms, expire, queue, prev: queue.tail, next: null, done: false };
    if (queue.tail === null) queue.head = deadline;
    else queue.tail.next = deadline;
    queue.tail = deadline;
    this.#live++;
    this.#timer ??= setInterval(() => this.#sweep(), this.#tickMs);
    return deadline;
  }

  /** Takes the deadline out: true, or false when it was out already (expired, so its `expire` has run; or cancelled). */
  cancel(deadline: Deadline): boolean {
    if (deadline.done) return false;
    this.#remove(deadline);
    return true;
  }

  #remove(deadline: Deadline): void {
    const queue = deadline.queue;
    if (deadline.prev === null) queue.head = deadline.next;
    else deadline.prev.next = deadline.next;
    if (deadline.next === null) queue.tail = deadline.prev;
    else deadline.next.prev = deadline.prev;
    deadline.prev = deadline.next = null;
    deadline.done = true;
    this.#live--;
  }

  #sweep(): void {
    const now = performance.now();
    for (const queue of this.#queues.values()) {
      while (queue.head !== null && queue.head.at <= now) {
        const deadline = queue.head;
        this.#remove(deadline);
        deadline.expire();
      }
    }
    if (this.#live === 0 && this.#timer !== null) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
  }
}

/** Runs services; one per server (it holds no per-request state). */
export class Dispatcher {
  readonly #services: Services;
  readonly #logger: RequestLogger;
  readonly #depthLimit: number;

  constructor(services: Services, logger: RequestLogger, depthLimit: number) {
    this.#services = services;
    this.#logger = logger;
    this.#depthLimit = depthLimit;
  }

  /**
   * Creates the instance, sets its context and runs `beforeHandle`, `handle`, `afterHandle`; resolves to the
   * instance's `response` (payload, statusCode, headers). Whatever the service throws propagates.
   */
  async execute(spec: ServiceSpec, input: unknown, channel: ChannelInfo, call: CallContext): Promise<Response> {
    const instance = new spec.impl() as Record<PropertyKey, unknown> & {
      beforeHandle?: () => unknown;
      handle: () => unknown;
      afterHandle?: () => unknown;
    };
    const response: Response = { payload: {}, statusCode: undefined, headers: {} };
    const host: InvokeHost = { invoke: (name, value) => this.invoke(name, value, call) };
    instance.cid = call.cid;
    instance.logger = new ServiceLogger(this.#logger, call.cid, spec.name);
    instance.channel = channel;
    instance.request = { input, http: call.http };
    instance.response = response;
    instance[kContext] = host;
    if (typeof instance.beforeHandle === 'function') await instance.beforeHandle();
    await instance.handle();
    if (typeof instance.afterHandle === 'function') await instance.afterHandle();
    // A service may replace `this.response` wholesale; read back whatever it holds now.
    return (instance.response as Response | undefined) ?? response;
  }

  /** What is wrong with an invoke of `name` that names no service: a service class instead of its name, say. */
  #unknown(name: unknown, caller: CallContext): string {
    const from = `(called from '${caller.chain.at(-1)}')`;
    if (typeof name === 'function') {
      const spec = Object.values(this.#services).find((s) => s.impl === name);
      const cls = typeof name.name === 'string' && name.name !== '' ? `class ${name.name}` : 'a class';
      return spec !== undefined
        ? `invoke takes a service's name, not its class: write this.invoke(${JSON.stringify(spec.name)}, input) instead of passing ${cls} ${from}`
        : `invoke takes a service's name (a string), not ${cls}, which is no service of this project ${from}`;
    }
    if (typeof name !== 'string') return `invoke takes a service's name (a string), not ${name === null ? 'null' : typeof name} ${from}`;
    return `invoke: no service named ${JSON.stringify(name)} ${from}`;
  }

  /**
   * `this.invoke(name, input)`: the input goes through a JSON round trip (as it would on the wire: a Date becomes
   * its ISO string, undefined fields vanish), is validated and parsed by the target's model, and the result is
   * the target's payload as its output model would send it, parsed back (undeclared fields dropped).
   */
  async invoke(name: string, input: unknown, caller: CallContext): Promise<unknown> {
    if (typeof name !== 'string' || !Object.hasOwn(this.#services, name)) throw new Error(this.#unknown(name, caller));
    const chain = [...caller.chain, name];
    if (chain.length - 1 > this.#depthLimit) {
      throw new Error(`invoke depth limit (${this.#depthLimit}) exceeded: ${chain.join(' → ')}`);
    }
    const spec = this.#services[name]!;
    let parsed: unknown = {};
    if (spec.input !== null) {
      const wire: unknown = input === undefined ? {} : (flatJsonCopy(input) ?? JSON.parse(JSON.stringify(input)));
      if (typeof wire !== 'object' || wire === null || Array.isArray(wire)) {
        throw new InvokeInputError(name, [{ path: '', message: 'must be object' }]);
      }
      const issues = spec.input.validate(wire);
      if (issues !== null) throw new InvokeInputError(name, issues);
      parsed = spec.input.parse(wire);
    }
    const channel: ChannelInfo = { name: caller.channelName, type: 'invoke', security: { username: caller.username } };
    // The callee sees the caller's method, path and headers, but not its query or path parameters: those were input
    // to the caller, and the callee's input is what the caller passed.
    const http: HttpRequest = { ...caller.http, query: EMPTY, params: EMPTY };
    const call: CallContext = { ...caller, http, chain };
    const response = await this.execute(spec, parsed, channel, call);
    if (spec.output === null) return undefined;
    return overTheWire(spec.output, response.payload);
  }
}
