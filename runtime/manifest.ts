/**
 * The contract between generated code and the runtime: `generated/index.ts` exports a `manifest` of this shape,
 * and `createServer(manifest)` serves it. Everything here is plain data plus compiled functions; the runtime
 * never sees YAML, TypeScript source or JSON Schema.
 */

/** One problem found by a compiled validator: a JSON Pointer (RFC 6901) into the input, and what is wrong. */
export interface ValidationIssue {
  path: string; // '' for the root, '/customer_id', '/items/0/name'
  message: string;
}

/**
 * A compiled model, emitted as ordinary TypeScript by `gen build` (see generated/validators.ts).
 * - `validate(value)` returns null when `value` is valid, else an array of every problem (JSON Pointer paths from
 *   the root; issue objects may be shared and frozen, and so may the array when it holds a single issue: copy it
 *   before changing it). It never throws, never mutates `value`, and allocates nothing for a valid value.
 * - `parse(value)` is called only after `validate` passed: it returns a fresh object with defaults applied,
 *   unknown fields dropped and `Date` fields turned into `Date` objects (no prototype keys copied).
 * - `serialize(value)` writes JSON with only the declared fields (`Date` as ISO 8601).
 */
export interface CompiledModel<T = unknown> {
  readonly name: string;
  validate(value: unknown): readonly ValidationIssue[] | null;
  parse(value: unknown): T;
  serialize(value: T): string;
  /** Top-level fields that may come from path or query parameters, and the type to coerce them to. */
  readonly params: Readonly<Record<string, ParamType>>;
}

export type ParamType = 'string' | 'number' | 'integer' | 'boolean' | 'date' | 'other';

/** `${VAR}` in the YAML: read from process.env when the server starts. */
export interface EnvRef {
  readonly env: string;
}

export interface SecuritySpec {
  readonly name: string;
  readonly type: 'basic_auth' | 'apikey';
  readonly username: string | EnvRef;
  readonly password: EnvRef;
  readonly realm: string; // basic_auth
  readonly header: string; // apikey, lower case
}

export interface ChannelSpec {
  readonly name: string;
  readonly type: 'rest' | 'gateway';
  readonly method: string | null; // null: any method
  readonly path: string; // url_path template, e.g. '/api/customer/{id}' or '/zato/gateway/{service}'
  readonly service: string | null; // rest: the service; gateway: null
  readonly security: string | null; // a SecuritySpec name
  /** gateway: the generated membership check of the channel's gateway_service_list (exact match). */
  readonly allows: ((service: string) => boolean) | null;
  readonly allowlist: readonly string[]; // the same list, for logs and docs
  readonly timeoutMs: number;
  readonly maxBodySize: number;
  readonly isActive: boolean;
  readonly deprecation: { readonly sunset?: string; readonly successor?: string } | null; // null: not deprecated
  readonly source: string; // 'config/channels.yaml:12:3'
}

export interface ServiceSpec {
  readonly name: string;
  /** The user's class (a subclass of Service). */
  readonly impl: new () => unknown;
  readonly input: CompiledModel | null;
  readonly output: CompiledModel | null;
  readonly source: string; // 'services/customer.ts:30:14'
}

export interface Manifest {
  readonly channels: readonly ChannelSpec[];
  readonly security: readonly SecuritySpec[];
  readonly services: Readonly<Record<string, ServiceSpec>>;
}
