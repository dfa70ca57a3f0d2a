/**
 * The intermediate representation: the only thing read/ and emit/ share.
 *
 * Plain, read-only data. Every list is sorted by name with plain code-point comparison (see `byName`), every
 * node carries a `loc` pointing at its source, and nothing here holds a ts-morph or yaml object, so the IR can
 * be built once and handed to every emitter (and later reused by a watch mode).
 */

/** A source position: `file` is relative to the project dir with `/` separators; line and column are 1-based. */
export interface Loc {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [k: string]: JsonValue };

/** The type of a model field (or an array item / record value). */
export type TypeRef =
  | { readonly kind: 'string' }
  | { readonly kind: 'number' }
  | { readonly kind: 'integer' } // servicegate's `Int`
  | { readonly kind: 'boolean' }
  | { readonly kind: 'date' } // `Date`: ISO 8601 date-time string on the wire, a Date in handle()
  | { readonly kind: 'unknown' } // `unknown` / `any`: any JSON value
  | { readonly kind: 'literal'; readonly values: readonly (string | number | boolean)[] } // 'a' | 'b' | 1
  | { readonly kind: 'ref'; readonly name: string } // a named ModelDecl (object, enum or union)
  | { readonly kind: 'array'; readonly items: TypeRef }
  | { readonly kind: 'record'; readonly values: TypeRef } // Record<string, T>
  | { readonly kind: 'nullable'; readonly inner: TypeRef }; // T | null

/** JSDoc tag constraints (JSON Schema keywords of the same names). */
export interface Constraints {
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly multipleOf?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly format?: StringFormat;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: boolean;
}

export type StringFormat = 'email' | 'uuid' | 'uri' | 'date' | 'date-time' | 'ipv4' | 'ipv6';
export const STRING_FORMATS: readonly StringFormat[] = ['date', 'date-time', 'email', 'ipv4', 'ipv6', 'uri', 'uuid'];

export interface Field {
  readonly name: string;
  readonly type: TypeRef;
  readonly optional: boolean; // `?`, or has a default
  readonly default?: JsonValue; // from an initialiser (`tier = 'basic'`)
  readonly description?: string;
  readonly constraints: Constraints;
  readonly example?: JsonValue;
  readonly deprecated?: boolean;
  readonly loc: Loc;
}

export interface ObjectModel {
  readonly kind: 'object';
  readonly name: string; // the component name: unique across the project
  readonly description?: string;
  readonly deprecated?: boolean;
  readonly fields: readonly Field[]; // in declaration order (base class fields first)
  readonly loc: Loc;
}

export interface EnumModel {
  readonly kind: 'enum'; // a TS enum
  readonly name: string;
  readonly description?: string;
  readonly values: readonly (string | number)[];
  readonly loc: Loc;
}

export interface UnionModel {
  readonly kind: 'union'; // a union of object models with a literal discriminant field
  readonly name: string;
  readonly description?: string;
  readonly discriminator: string;
  readonly members: readonly { readonly value: string | number; readonly model: string }[]; // sorted by model
  readonly loc: Loc;
}

export type ModelDecl = ObjectModel | EnumModel | UnionModel;

export interface ServiceDecl {
  readonly name: string; // 'customer.get'
  readonly className: string; // export name of the class
  readonly file: string; // relative to the project dir, e.g. 'services/customer.ts'
  readonly input?: string; // ModelDecl name (an ObjectModel)
  readonly output?: string; // ModelDecl name
  readonly description?: string;
  readonly loc: Loc; // the class name
  readonly nameLoc: Loc; // the `name = '…'` initialiser, or the class name when derived
}

/** A `${VAR}` or `Zato_Enmasse_Env.VAR` reference: resolved from the environment when the server starts. */
export interface EnvRef {
  readonly env: string;
}

export type SecurityType = 'basic_auth' | 'apikey';

export interface SecurityDecl {
  readonly name: string;
  readonly type: SecurityType;
  readonly username: string | EnvRef; // apikey without a username: the definition's name
  readonly password: EnvRef; // never a literal: literals are rejected by the reader
  readonly realm: string; // basic_auth; default 'zato'
  readonly header: string; // apikey; default 'X-API-Key'
  readonly loc: Loc;
}

export interface Deprecation {
  readonly sunset?: string;
  readonly successor?: string;
}

export interface ChannelDecl {
  readonly name: string;
  readonly kind: 'rest' | 'gateway'; // gateway: service is helpers.service-gateway
  readonly urlPath: string; // '/api/customer/{id}'; gateway default '/zato/gateway/{service}'
  readonly pathParams: readonly string[]; // in order of appearance
  readonly method: string | null; // upper case; null: any method
  readonly service: string; // the target service (rest) or 'helpers.service-gateway'
  readonly dataFormat: 'json';
  readonly security: string | null; // a SecurityDecl name; null when absent or `none`
  readonly securityNone?: boolean; // true when the YAML says `security: none` explicitly (absent: undefined)
  readonly gatewayServiceList: readonly string[]; // sorted, gateway channels only
  readonly timeout: number; // seconds
  readonly maxBodySize: number; // bytes
  readonly isActive: boolean;
  readonly includeInOpenapi: boolean;
  readonly deprecated: boolean;
  readonly deprecation?: Deprecation;
  readonly loc: Loc; // the list item
  /** Positions of individual keys, for diagnostics ('service', 'security', 'url_path', 'gateway_service_list.0', …). */
  readonly keyLocs: Readonly<Record<string, Loc>>;
}

export interface Project {
  readonly services: readonly ServiceDecl[]; // sorted by name
  readonly models: readonly ModelDecl[]; // sorted by name
  readonly channels: readonly ChannelDecl[]; // sorted by name
  readonly security: readonly SecurityDecl[]; // sorted by name
  /** Every input file read (relative paths, sorted): services, models and config, for staleness checks. */
  readonly inputs: readonly string[];
}

/** Methods whose operations take no request body (OpenAPI's spelling): their input comes from path and query parameters. */
export const BODYLESS_METHODS: ReadonlySet<string> = new Set(['get', 'delete', 'head', 'options', 'trace']);

/** What a query string or a path segment can carry: scalars, literal unions and enums (not objects, arrays or null). */
export function isParameterType(type: TypeRef, models: ReadonlyMap<string, ModelDecl>): boolean {
  switch (type.kind) {
    case 'string':
    case 'number':
    case 'integer':
    case 'boolean':
    case 'date':
    case 'literal':
      return true;
    case 'ref':
      return models.get(type.name)?.kind === 'enum';
    default:
      return false;
  }
}

export const GATEWAY_SERVICE = 'helpers.service-gateway';
export const DEFAULT_GATEWAY_PATH = '/zato/gateway/{service}';
export const DEFAULT_TIMEOUT_SECONDS = 30;
export const DEFAULT_MAX_BODY_SIZE = 1024 * 1024;

/**
 * Code-point order, the one ordering used for everything generated. JavaScript's `<` compares UTF-16 code units,
 * which puts a character above U+FFFF (a surrogate pair) before U+E000–U+FFFF; here the first units that differ
 * are compared as the code points they belong to (a lone surrogate counts as itself, as string iteration has it).
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x < 0xd800 && y < 0xd800) return x < y ? -1 : 1;
    // A low surrogate after the (shared) high one is the second half of a pair: compare from the pair's start.
    const at = i > 0 && isHighSurrogate(a.charCodeAt(i - 1)) && (isLowSurrogate(x) || isLowSurrogate(y)) ? i - 1 : i;
    return a.codePointAt(at)! < b.codePointAt(at)! ? -1 : 1;
  }
  return a.length < b.length ? -1 : 1; // a prefix of the other (a lone high surrogate at its end included)
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

export function byName<T extends { readonly name: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => compareCodePoints(a.name, b.name));
}
