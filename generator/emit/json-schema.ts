/**
 * JSON Schema (draft 2020-12, which is what OpenAPI 3.1 uses) for IR models.
 *
 * The compiled validators (emit/validators) implement exactly this mapping, and tests check them against ajv on
 * `standaloneSchema`, so a change here is a change in what the server accepts: keep both in step.
 * Unknown fields are accepted and dropped at run time, hence no `additionalProperties` on object models.
 */
import type { SchemaObject, SchemaObjectType } from 'openapi3-ts/oas31';
import { compareCodePoints } from '../ir.js';
import type { Constraints, Field, ModelDecl, ObjectModel, TypeRef } from '../ir.js';

const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';
const COMPONENTS = '#/components/schemas/';
const DEFS = '#/$defs/';

/** Where refs point, and whether OpenAPI-only keywords (`discriminator`) may appear. */
interface SchemaContext {
  readonly base: string;
  readonly openapi: boolean;
}

const OPENAPI: SchemaContext = { base: COMPONENTS, openapi: true };

/** Constraint keywords in the order they are written. */
const CONSTRAINT_KEYS: readonly (keyof Constraints)[] = [
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minItems',
  'maxItems',
  'uniqueItems',
];

const PLAIN_NAME = /^[A-Za-z0-9._]+$/;

/**
 * The component (and `$defs`) key for a model or security definition name.
 *
 * OpenAPI requires component keys to match `^[a-zA-Z0-9._-]+$`, and a key used in a `$ref` must need no JSON
 * Pointer or URI escaping. TypeScript identifiers never contain `-`, so every other character is written as
 * `-<hex code point>-`: ordinary names are unchanged, and the mapping stays injective for any string (so two
 * models can never share a component, and no global renaming pass is needed).
 */
export function componentName(name: string): string {
  if (PLAIN_NAME.test(name)) return name; // what the loop gives for these, without building the string again
  let out = '';
  for (const ch of name) out += /^[A-Za-z0-9._]$/.test(ch) ? ch : `-${ch.codePointAt(0)!.toString(16)}-`;
  return out === '' ? '-' : out;
}

/**
 * `map[key] = value` as an own property even for `__proto__`, which plain assignment would turn into a prototype
 * change (and JSON.stringify would then drop). Every user-supplied key goes in through this.
 */
export function setOwn<T>(map: Record<string, T>, key: string, value: T): void {
  // Object.prototype's only setter is __proto__: any other key assigned to a plain object is an own data property.
  if (key === '__proto__') Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  else map[key] = value;
}

/** OpenAPI 3.1 / JSON Schema 2020-12 schema for one model, refs as '#/components/schemas/<Name>'. */
export function modelSchema(model: ModelDecl): SchemaObject {
  return declSchema(model, OPENAPI);
}

/**
 * All models as components.schemas (sorted keys). With `memo` (a watch mode keeps one; IR models are immutable)
 * a model object seen before gets the same schema object back, which later caches recognise by identity.
 */
export function componentSchemas(models: readonly ModelDecl[], memo?: WeakMap<ModelDecl, SchemaObject>): Record<string, SchemaObject> {
  return schemaMap(models, OPENAPI, memo);
}

/**
 * A self-contained JSON Schema (draft 2020-12) for model `name`, every model under $defs, refs '#/$defs/<Name>' —
 * what tests feed to ajv 8 (Ajv2020) for differential testing against the compiled validators.
 * `discriminator` is left out: it is OpenAPI vocabulary, not JSON Schema, and only an annotation there (the
 * members' distinct literal discriminants already make `oneOf` pick at most one member).
 * Throws when no model is called `name` (a programming error, not a user mistake).
 */
export function standaloneSchema(models: readonly ModelDecl[], name: string): Record<string, unknown> {
  if (!models.some((m) => m.name === name)) throw new Error(`standaloneSchema: no model named ${JSON.stringify(name)}`);
  return {
    $schema: DRAFT_2020_12,
    $ref: DEFS + componentName(name),
    $defs: schemaMap(models, { base: DEFS, openapi: false }),
  };
}

/** Schema for one field, as it appears under `properties` (type schema plus annotations and constraints). */
export function fieldSchema(field: Field): SchemaObject {
  return fieldSchemaIn(field, OPENAPI);
}

/** Whether a caller must send the field: neither `?` nor a default. */
export function isRequired(field: Field): boolean {
  return !field.optional && field.default === undefined;
}

function schemaMap(models: readonly ModelDecl[], ctx: SchemaContext, memo?: WeakMap<ModelDecl, SchemaObject>): Record<string, SchemaObject> {
  const named = models.map((m) => [componentName(m.name), m] as const);
  named.sort((a, b) => compareCodePoints(a[0], b[0]));
  const out: Record<string, SchemaObject> = {};
  for (const [key, model] of named) {
    let schema = memo?.get(model);
    if (schema === undefined) {
      schema = declSchema(model, ctx);
      memo?.set(model, schema);
    }
    setOwn(out, key, schema);
  }
  return out;
}

function declSchema(model: ModelDecl, ctx: SchemaContext): SchemaObject {
  switch (model.kind) {
    case 'object':
      return objectSchema(model, ctx);
    case 'enum': {
      const s: SchemaObject = { ...typeOfValues(model.values) };
      if (model.description !== undefined) s.description = model.description;
      s.enum = [...model.values];
      return s;
    }
    case 'union': {
      const s: SchemaObject = {};
      if (model.description !== undefined) s.description = model.description;
      s.oneOf = model.members.map((m) => ({ $ref: ctx.base + componentName(m.model) }));
      if (ctx.openapi) {
        const mapping: Record<string, string> = {};
        for (const m of model.members) setOwn(mapping, String(m.value), COMPONENTS + componentName(m.model));
        s.discriminator = { propertyName: model.discriminator, mapping };
      }
      return s;
    }
  }
}

function objectSchema(model: ObjectModel, ctx: SchemaContext): SchemaObject {
  const s: SchemaObject = { type: 'object' };
  if (model.description !== undefined) s.description = model.description;
  const properties: Record<string, SchemaObject> = {};
  for (const f of model.fields) setOwn(properties, f.name, fieldSchemaIn(f, ctx));
  s.properties = properties;
  const required = model.fields.filter(isRequired).map((f) => f.name);
  if (required.length > 0) s.required = required;
  if (model.deprecated) s.deprecated = true;
  return s;
}

function fieldSchemaIn(field: Field, ctx: SchemaContext): SchemaObject {
  // A `$ref` keeps its siblings: OpenAPI 3.1 / 2020-12 apply them alongside the referenced schema.
  const s: SchemaObject = { ...typeSchema(field.type, ctx) };
  if (field.description !== undefined) s.description = field.description;
  // Constraints sit next to the type even when it is nullable: each keyword applies only to its own JSON type,
  // so `null` still passes `minLength` (and an explicit @format replaces Date's date-time).
  for (const key of CONSTRAINT_KEYS) {
    const value = field.constraints[key];
    if (value !== undefined) (s as Record<string, unknown>)[key] = value;
  }
  if (field.default !== undefined) s.default = field.default;
  if (field.example !== undefined) s.examples = [field.example];
  if (field.deprecated) s.deprecated = true;
  return s;
}

function typeSchema(t: TypeRef, ctx: SchemaContext): SchemaObject {
  switch (t.kind) {
    case 'string':
    case 'number':
    case 'integer':
    case 'boolean':
      return { type: t.kind };
    case 'date':
      return { type: 'string', format: 'date-time' };
    case 'unknown':
      return {};
    case 'literal': {
      const s = typeOfValues(t.values);
      return t.values.length === 1 ? { ...s, const: t.values[0] } : { ...s, enum: [...t.values] };
    }
    case 'ref':
      return { $ref: ctx.base + componentName(t.name) };
    case 'array':
      return { type: 'array', items: typeSchema(t.items, ctx) };
    case 'record':
      return { type: 'object', additionalProperties: typeSchema(t.values, ctx) };
    case 'nullable':
      return withNull(typeSchema(t.inner, ctx));
  }
}

/** `{type}` when every value has the same JSON type; `{}` for a mix (the enum alone then says it all). */
function typeOfValues(values: readonly (string | number | boolean)[]): SchemaObject {
  const types = [...new Set(values.map((v) => typeof v))];
  return types.length === 1 ? { type: types[0] as SchemaObjectType } : {};
}

/** The schema that also accepts null, keeping the key order of `inner`. */
function withNull(inner: SchemaObject): SchemaObject {
  if (inner.$ref !== undefined) return { anyOf: [inner, { type: 'null' }] };
  if (inner.type === undefined && inner.enum === undefined && inner.const === undefined) return inner; // {} or anyOf
  const out: SchemaObject = {};
  for (const [key, value] of Object.entries(inner)) {
    if (key === 'type') {
      const types: SchemaObjectType[] = Array.isArray(value) ? value : [value];
      out.type = types.includes('null') ? types : [...types, 'null'];
    } else if (key === 'const') {
      out.enum = [value, null]; // `const` would reject the null that the type now allows
    } else if (key === 'enum') {
      out.enum = (value as unknown[]).includes(null) ? value : [...(value as unknown[]), null];
    } else {
      (out as Record<string, unknown>)[key] = value;
    }
  }
  return out;
}
