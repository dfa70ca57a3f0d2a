/**
 * OpenAPI 3.1 → 3.0.3, for gateways and tools that only read 3.0 (AWS, Azure, older generators).
 *
 * Only what servicegate's own 3.1 documents contain is mapped (see emit/json-schema.ts); JSON Schema 2020-12
 * keywords with no 3.0 meaning are dropped rather than passed through, since 3.0 validators reject unknown
 * schema keywords. The input is never mutated.
 */
import type { OpenAPIObject } from 'openapi3-ts/oas31';

type Json = Record<string, unknown>;

/** 2020-12 keywords that OpenAPI 3.0's Schema Object does not have. */
const DROPPED = new Set([
  '$schema', '$id', '$anchor', '$defs', '$comment', '$dynamicRef', '$dynamicAnchor', 'contentMediaType',
  'contentEncoding', 'contentSchema', 'prefixItems', 'unevaluatedProperties', 'unevaluatedItems', 'dependentRequired',
  'dependentSchemas', 'propertyNames', 'contains', 'minContains', 'maxContains', 'if', 'then', 'else', 'patternProperties',
]);

/** The JSON type of a `#/components/schemas/X` reference, when one type covers it. */
type TypeOfRef = (ref: string) => string | undefined;

/** The 3.0.3 form of a 3.1 document. */
export function downconvert(doc: OpenAPIObject): OpenAPIObject {
  // A JSON copy, not structuredClone: the document holds some objects in several places (shared error responses),
  // which the conversion below must not rewrite twice through one copy.
  const out = JSON.parse(JSON.stringify(doc)) as Json;
  const convertSchema = schemaConverter(refTypes((doc.components?.schemas ?? {}) as Json));
  out.openapi = '3.0.3';
  delete out.jsonSchemaDialect;
  delete out.webhooks;
  const info = out.info as Json;
  delete info.summary;
  if (isObject(info.license)) delete (info.license as Json).identifier;
  for (const item of Object.values((out.paths ?? {}) as Json)) if (isObject(item)) convertPathItem(item as Json);
  const components = (out.components ?? {}) as Json;
  delete components.pathItems;
  mapValues(components.schemas, convertSchema);
  for (const p of Object.values((components.parameters ?? {}) as Json)) convertParameter(p);
  for (const r of Object.values((components.responses ?? {}) as Json)) convertResponse(r);
  for (const b of Object.values((components.requestBodies ?? {}) as Json)) convertContent(b);
  for (const h of Object.values((components.headers ?? {}) as Json)) convertParameter(h);
  return out as unknown as OpenAPIObject;

  function convertPathItem(item: Json): void {
    for (const p of (item.parameters ?? []) as unknown[]) convertParameter(p);
    for (const [key, op] of Object.entries(item)) {
      if (key === 'parameters' || !isObject(op)) continue;
      for (const p of ((op as Json).parameters ?? []) as unknown[]) convertParameter(p);
      convertContent((op as Json).requestBody);
      for (const r of Object.values(((op as Json).responses ?? {}) as Json)) convertResponse(r);
    }
  }

  function convertParameter(p: unknown): void {
    if (!isObject(p)) return;
    const param = p as Json;
    if (isObject(param.schema)) param.schema = convertSchema(param.schema as Json);
    convertContent(param);
  }

  function convertResponse(r: unknown): void {
    if (!isObject(r)) return;
    convertContent(r);
    for (const h of Object.values(((r as Json).headers ?? {}) as Json)) convertParameter(h);
  }

  /** Anything with a `content` map of media types (request bodies, responses, parameters). */
  function convertContent(holder: unknown): void {
    if (!isObject(holder) || !isObject((holder as Json).content)) return;
    for (const media of Object.values((holder as Json).content as Json)) {
      if (isObject(media) && isObject((media as Json).schema)) (media as Json).schema = convertSchema((media as Json).schema as Json);
    }
  }
}

/** The single JSON type of each component (an object model, an enum, a union of objects), when there is one. */
function refTypes(schemas: Json): TypeOfRef {
  const typeOf = (ref: string, seen: Set<string>): string | undefined => {
    const name = ref.startsWith('#/components/schemas/') ? ref.slice('#/components/schemas/'.length) : undefined;
    if (name === undefined || !Object.hasOwn(schemas, name) || seen.has(name)) return undefined;
    seen.add(name);
    const s = schemas[name] as Json;
    if (typeof s.type === 'string') return s.type;
    if (s.properties !== undefined) return 'object';
    const members = s.oneOf ?? s.anyOf;
    if (!Array.isArray(members)) return undefined;
    const types = new Set(members.map((m: Json) => (typeof m.$ref === 'string' ? typeOf(m.$ref, seen) : (m.type as string))));
    return types.size === 1 ? [...types][0] : undefined;
  };
  return (ref) => typeOf(ref, new Set());
}

/** One schema and everything under it, 3.1 → 3.0. */
function schemaConverter(typeOfRef: TypeOfRef): (schema: Json) => Json {
  const convertSchema = (schema: Json): Json => {
    let s: Json = {};
    for (const [key, value] of Object.entries(schema)) if (!DROPPED.has(key)) s[key] = value;

    mapValues(s.properties, convertSchema);
    if (isObject(s.items)) s.items = convertSchema(s.items as Json);
    if (isObject(s.additionalProperties)) s.additionalProperties = convertSchema(s.additionalProperties as Json);
    if (isObject(s.not)) s.not = convertSchema(s.not as Json);
    for (const key of ['allOf', 'anyOf', 'oneOf']) {
      if (Array.isArray(s[key])) s[key] = (s[key] as Json[]).map(convertSchema);
    }

    if ('const' in s) {
      s.enum = [s.const];
      delete s.const;
    }
    if (Array.isArray(s.examples)) {
      if (s.examples.length > 0 && !('example' in s)) s.example = s.examples[0];
      delete s.examples;
    }
    for (const [exclusive, inclusive] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
      if (typeof s[exclusive] !== 'number') continue;
      const bound = s[exclusive] as number;
      const other = s[inclusive];
      const stricter = typeof other !== 'number' || (inclusive === 'minimum' ? bound >= other : bound <= other);
      if (stricter) {
        s[inclusive] = bound;
        s[exclusive] = true;
      } else delete s[exclusive]; // the inclusive bound already excludes more
    }
    if (Array.isArray(s.type)) s = convertTypeArray(s);
    else if (s.type === 'null') {
      delete s.type;
      s.nullable = true;
      s.enum = [null];
    }
    for (const key of ['anyOf', 'oneOf']) s = dropNullAlternative(s, key);
    if (typeof s.$ref === 'string' && Object.keys(s).length > 1) {
      // 3.0 ignores every sibling of $ref: wrap the reference so description, nullable, defaults still apply.
      const { $ref, ...rest } = s;
      s = { allOf: [{ $ref }], ...rest };
    }
    if (s.nullable === true && s.type === undefined) {
      // 3.0 gives `nullable` a meaning only next to `type`: take the referenced schema's, or drop `nullable`.
      const refs = ((s.allOf ?? s.anyOf ?? s.oneOf ?? []) as Json[]).map((m) => (typeof m.$ref === 'string' ? typeOfRef(m.$ref) : (m.type as string | undefined)));
      const types = new Set(refs);
      if (refs.length > 0 && types.size === 1 && [...types][0] !== undefined) s.type = [...types][0];
      else if (!Array.isArray(s.enum)) delete s.nullable;
    }
    return s;
  };
  return convertSchema;
}

/** `type: ['string', 'null']` → `type: 'string', nullable: true`; several non-null types → `anyOf` of each. */
function convertTypeArray(s: Json): Json {
  const types = s.type as string[];
  const nonNull = types.filter((t) => t !== 'null');
  const out: Json = {};
  for (const [key, value] of Object.entries(s)) {
    if (key !== 'type') out[key] = value;
    else if (nonNull.length === 1) out.type = nonNull[0];
    else if (nonNull.length > 1) out.anyOf = nonNull.map((t) => ({ type: t }));
  }
  if (nonNull.length < types.length) out.nullable = true;
  if (nonNull.length === 0 && !Array.isArray(out.enum)) out.enum = [null];
  return out;
}

/** `anyOf: [X, {type: null}]` → `allOf: [X], nullable: true` (or the remaining alternatives + nullable). */
function dropNullAlternative(s: Json, key: string): Json {
  const alternatives = s[key];
  if (!Array.isArray(alternatives)) return s;
  const isNull = (a: Json) => a.nullable === true && Array.isArray(a.enum) && a.enum.length === 1 && a.enum[0] === null;
  const rest = (alternatives as Json[]).filter((a) => !isNull(a));
  if (rest.length === alternatives.length) return s;
  const out: Json = {};
  for (const [k, v] of Object.entries(s)) {
    if (k !== key) out[k] = v;
    else if (rest.length === 1) out.allOf = rest;
    else if (rest.length > 1) out[key] = rest;
  }
  out.nullable = true;
  return out;
}

function mapValues(map: unknown, fn: (s: Json) => Json): void {
  if (!isObject(map)) return;
  for (const [key, value] of Object.entries(map as Json)) {
    // defineProperty: a user's field may be called `__proto__`, which plain assignment would not store.
    if (isObject(value)) Object.defineProperty(map, key, { value: fn(value as Json), enumerable: true, writable: true, configurable: true });
  }
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
