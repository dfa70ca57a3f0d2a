/**
 * The authoring API: a service is a class that extends `Service`, names its `input` / `output` models and
 * implements `handle()`. `gen build` emits declaration merging for each service class (generated/service-map.ts),
 * which types `this.request.input` and `this.response.payload` from `input` / `output`, and augments
 * `ServiceMap` so that `this.invoke(name, input)` is checked against the project's services.
 */
import type { ModelClass } from './model.js';

/**
 * Every service of the project: `{ 'customer.get': { input: GetCustomerRequest; output: GetCustomerResponse } }`.
 * Empty here; augmented by the generated service map (`declare module 'servicegate' { interface ServiceMap … }`).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface ServiceMap {}

export type ServiceName = keyof ServiceMap & string;
export type InputOf<K extends ServiceName> = ServiceMap[K] extends { input: infer I } ? I : never;
export type OutputOf<K extends ServiceName> = ServiceMap[K] extends { output: infer O } ? O : never;

/** Request headers: read-only and Map-like; names lower case with `_` turned into `-`. */
export interface RequestHeaders extends ReadonlyMap<string, string> {
  /** Looks a header up by any spelling: `get('X_Zato_Tenant')` is `get('x-zato-tenant')`. */
  get(name: string): string | undefined;
  has(name: string): boolean;
}

export interface HttpRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly params: Readonly<Record<string, string>>;
  readonly headers: RequestHeaders;
}

export interface Request<I = any> {
  readonly input: I;
  readonly http: HttpRequest;
}

export interface Response<O = any> {
  payload: O;
  /** Defaults to 200 with an output model, 204 without. */
  statusCode: number | undefined;
  headers: Record<string, string>;
}

export interface ChannelInfo {
  readonly name: string;
  readonly type: 'rest' | 'gateway' | 'invoke';
  readonly security: { readonly username: string };
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** The runtime's hook for `invoke`, attached to each service instance. @internal */
export interface InvokeHost {
  invoke(name: string, input: unknown): Promise<unknown>;
}

/**
 * @internal Registered (`Symbol.for`) so that a runtime and service files that reached two copies of this module
 * (e.g. the source under tsx and dist/ through the package name) still agree on it.
 */
export const kContext: unique symbol = Symbol.for('servicegate.context');

/**
 * The base of every service. The runtime creates one instance per call and sets `cid`, `logger`, `channel`,
 * `request`, `response` and `[kContext]` on it before `beforeHandle()` / `handle()` run. They are plain properties,
 * not accessors, so that the generated declaration merging can narrow `request` / `response` per service.
 */
export abstract class Service {
  /** The service's name, e.g. 'customer.get'. Default: `<file stem>.<class name in kebab case>`. */
  name?: string;
  /** The input model; omitted: the input is `{}`. */
  input?: ModelClass;
  /** The output model; omitted: the response is 204 with an empty body, unless the service sets a status. */
  output?: ModelClass;

  /** The correlation id of this call (also in the `X-Zato-CID` response header). */
  declare readonly cid: string;
  /** A structured logger that carries the cid and the service name. */
  declare readonly logger: Logger;
  /** The channel this call came through, and who is calling. */
  declare readonly channel: ChannelInfo;
  /** Typed from `input` by the generated service map. */
  declare readonly request: Request;
  /** Typed from `output` by the generated service map. */
  declare readonly response: Response;
  /** @internal */
  declare readonly [kContext]: InvokeHost;

  /** Calls another service in-process; its input is validated; resolves to its output. */
  invoke<K extends ServiceName>(name: K, input: InputOf<K>): Promise<OutputOf<K>> {
    return this[kContext].invoke(name, input) as Promise<OutputOf<K>>;
  }

  /** Runs before `handle()`; throwing here answers with the error like `handle()` would. */
  beforeHandle?(): void | Promise<void>;

  abstract handle(): void | Promise<void>;

  /** Runs after `handle()` succeeded. */
  afterHandle?(): void | Promise<void>;
}
