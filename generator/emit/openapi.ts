/**
 * The OpenAPI 3.1 document of a project (CONTRACT.md §4): every active channel with should_include_in_openapi,
 * gateway channels expanded to one POST per allowlisted service.
 *
 * Built as a plain object literal rather than with openapi3-ts's OpenApiBuilder: the builder starts from a
 * document full of empty maps and fixes its own key order, while here every key is inserted in a fixed order and
 * every map sorted by code point, so JSON.stringify of the result is byte-stable.
 */
import type {
  ComponentsObject,
  OpenAPIObject,
  OperationObject,
  PathItemObject,
  PathsObject,
  ResponseObject,
  SchemaObject,
  SecuritySchemeObject,
  TagObject,
} from 'openapi3-ts/oas31';
import { compareCodePoints } from '../ir.js';
import type { ChannelDecl, ModelDecl, Project, SecurityDecl, TypeRef } from '../ir.js';
import { componentName, componentSchemas, setOwn } from './json-schema.js';
import { emitOperation, operationDeps, SHARED } from './openapi-operation.js';
import type { OpenApiCache } from './openapi-cache.js';
import { planOperations } from './openapi-plan.js';
import type { PlannedOperation } from './openapi-plan.js';

const SCHEMAS = '#/components/schemas/';

export interface OpenApiOptions {
  title: string;
  version: string;
  description?: string;
}

/**
 * The OpenAPI 3.1.0 document for `project` (a pure function: the build serialises it). With `cache` (kept by a
 * watch mode) unchanged operations, path items and schemas are the objects of the previous build; the document is
 * the same either way, and must not be changed by the caller.
 */
export function emitOpenApi(project: Project, options: OpenApiOptions, cache?: OpenApiCache): OpenAPIObject {
  cache?.begin();
  const models = new Map(project.models.map((m) => [m.name, m]));
  const ops = cache ? cache.operations(project, () => planOperations(project)) : planOperations(project);
  const errorName = errorSchemaName(project.models);
  const securityByName = new Map(project.security.map((s) => [s.name, s]));
  const ctx = {
    models,
    errorRef: SCHEMAS + errorName,
    securityNames: new Set(securityByName.keys()),
    errors: cache ? undefined : new Map<string, ResponseObject>(),
  };

  const paths: PathsObject = {};
  if (cache) {
    const byPath = new Map<string, [string, OperationObject][]>();
    for (const op of ops) {
      const operation = cache.operation(`${op.method} ${op.path}`, operationDeps(op, ctx), () => emitOperation(op, ctx));
      let list = byPath.get(op.path);
      if (list === undefined) byPath.set(op.path, (list = []));
      list.push([op.method, operation]);
    }
    for (const [path, list] of byPath) paths[path] = cache.pathItem(path, list);
  } else {
    for (const op of ops) {
      const item: PathItemObject = (paths[op.path] ??= {});
      item[op.method] = emitOperation(op, ctx); // ops come sorted by path, then method in Path Item field order
    }
  }

  const info: OpenAPIObject['info'] = options.description !== undefined
    ? { title: options.title, description: options.description, version: options.version }
    : { title: options.title, version: options.version };

  // `servers` spelled out is what OpenAPI assumes without it ('/': relative to where the document is served);
  // stated, so linters and tools need not guess.
  const doc: OpenAPIObject = { openapi: '3.1.0', info, servers: [{ url: '/' }] };
  const tags = emitTags(ops);
  if (tags.length > 0) doc.tags = tags;
  doc.paths = paths;
  doc.components = emitComponents(ops, paths, models, errorName, securityByName, cache);
  return doc;
}

/**
 * `ZatoError`, or with as many `_` appended as needed to differ from every model's component name, so a user
 * model called ZatoError keeps its name.
 */
export function errorSchemaName(models: readonly ModelDecl[]): string {
  const names = new Set(models.map((m) => componentName(m.name)));
  let name = 'ZatoError';
  while (names.has(name)) name += '_';
  return name;
}

/** The error body of §5.6. */
export function errorSchema(): SchemaObject {
  return {
    type: 'object',
    description: 'The body of every error response; cid is also sent as the X-Zato-CID header.',
    properties: {
      result: { type: 'string', const: 'Error' },
      cid: { type: 'string', description: 'The correlation id of the request.' },
      details: { type: 'string', description: 'What went wrong.' },
      errors: {
        type: 'array',
        description: 'Each validation problem: a JSON Pointer into the input and a message.',
        items: {
          type: 'object',
          properties: { path: { type: 'string' }, message: { type: 'string' } },
          required: ['path', 'message'],
        },
      },
    },
    required: ['result', 'cid', 'details'],
  };
}

function emitComponents(
  ops: readonly PlannedOperation[],
  paths: PathsObject,
  models: ReadonlyMap<string, ModelDecl>,
  errorName: string,
  securityByName: ReadonlyMap<string, SecurityDecl>,
  cache?: OpenApiCache,
): ComponentsObject {
  // Only models an operation reaches: a public document should not describe internal services' models.
  const schemas: Record<string, SchemaObject> = componentSchemas(reachableModels(paths, models, cache), cache?.schemas);
  const error = ops.length > 0 ? (cache ? cache.errorSchema(errorSchema) : errorSchema()) : undefined;
  const components: ComponentsObject = { schemas: error ? withEntry(schemas, errorName, error) : schemas };

  const used = new Map<string, SecurityDecl>();
  for (const op of ops) {
    const def = op.channel.security !== null ? securityByName.get(op.channel.security) : undefined;
    if (def) used.set(componentName(def.name), def);
  }
  if (used.size > 0) {
    const schemes: Record<string, SecuritySchemeObject> = {};
    for (const key of [...used.keys()].sort(compareCodePoints)) setOwn(schemes, key, securityScheme(used.get(key)!));
    components.securitySchemes = schemes;
  }
  return components;
}

function securityScheme(def: SecurityDecl): SecuritySchemeObject {
  if (def.type === 'basic_auth') {
    const description = `HTTP Basic authentication, realm ${JSON.stringify(def.realm)}.`;
    return { type: 'http', scheme: 'basic', description };
  }
  return { type: 'apiKey', in: 'header', name: def.header, description: `An API key in the ${def.header} header.` };
}

/** One tag per channel that has operations, sorted by name. */
function emitTags(ops: readonly PlannedOperation[]): TagObject[] {
  const channels = new Map<string, ChannelDecl>();
  for (const op of ops) channels.set(op.channel.name, op.channel);
  return [...channels.keys()].sort(compareCodePoints).map((name) => {
    const channel = channels.get(name)!;
    return { name, description: tagDescription(channel) };
  });
}

function tagDescription(channel: ChannelDecl): string {
  if (channel.kind === 'rest') {
    return `Direct channel: ${channel.method ?? 'any method'} ${channel.urlPath} runs service ${channel.service}.`;
  }
  return (
    `Gateway channel: POST ${channel.urlPath} runs the allowlisted service named in place of {service}. ` +
    'The API gateway in front authenticates the caller and passes their username to the services in the ' +
    'x-zato-username header; it is set by the gateway, not sent by clients, so it is not a parameter here.'
  );
}

/** Models that the operations `$ref`, and everything those models refer to. */
function reachableModels(paths: PathsObject, models: ReadonlyMap<string, ModelDecl>, cache?: OpenApiCache): ModelDecl[] {
  const byComponent = new Map([...models.values()].map((m) => [componentName(m.name), m]));
  const seen = new Map<string, ModelDecl>();
  const visitName = (name: string): void => {
    const model = models.get(name);
    if (!model || seen.has(model.name)) return;
    seen.set(model.name, model);
    if (model.kind === 'object') for (const f of model.fields) visitType(f.type);
    if (model.kind === 'union') for (const m of model.members) visitName(m.model);
  };
  const visitType = (t: TypeRef): void => {
    if (t.kind === 'ref') visitName(t.name);
    else if (t.kind === 'array') visitType(t.items);
    else if (t.kind === 'record') visitType(t.values);
    else if (t.kind === 'nullable') visitType(t.inner);
  };
  if (cache) {
    const byRef = new Map([...byComponent].map(([name, model]) => [SCHEMAS + name, model]));
    for (const item of Object.values(paths)) {
      for (const op of Object.values(item as Record<string, OperationObject>)) {
        // Each distinct ref of the operation once (its error responses all name one schema).
        for (const ref of cache.refsIn(op, (o) => [...new Set(refsIn(o, []))])) {
          const model = byRef.get(ref);
          if (model) visitName(model.name);
        }
      }
    }
  } else {
    for (const ref of refsIn(paths, [])) {
      const model = byComponent.get(ref.slice(SCHEMAS.length));
      if (model) visitName(model.name);
    }
  }
  return [...seen.values()];
}

/**
 * Every `$ref` to a component schema anywhere in `value`, in document order, added to `out`. (for…in rather than
 * Object.entries: the walk visits every object of the document, and the entry arrays were most of its cost.)
 * An object the document holds in many places (SHARED: the error responses) is walked the first time only: its
 * refs are in `out` already.
 */
function refsIn(value: unknown, out: string[], walked = new Set<object>()): string[] {
  if (Array.isArray(value)) {
    for (const v of value) if (v !== null && typeof v === 'object') refsIn(v, out, walked);
  } else if (value !== null && typeof value === 'object') {
    if (SHARED.has(value)) {
      if (walked.has(value)) return out;
      walked.add(value);
    }
    const record = value as Record<string, unknown>;
    for (const key in record) {
      if (!Object.hasOwn(record, key)) continue;
      const v = record[key];
      if (key === '$ref' && typeof v === 'string') {
        if (v.startsWith(SCHEMAS)) out.push(v);
      } else if (v !== null && typeof v === 'object') refsIn(v, out, walked);
    }
  }
  return out;
}

/** `map` (keys sorted) with `key` (not one of them) added in its sorted place. */
function withEntry<T>(map: Record<string, T>, key: string, value: T): Record<string, T> {
  const out: Record<string, T> = {};
  let placed = false;
  for (const k of Object.keys(map)) {
    if (!placed && compareCodePoints(key, k) < 0) {
      setOwn(out, key, value);
      placed = true;
    }
    setOwn(out, k, map[k]!);
  }
  if (!placed) setOwn(out, key, value);
  return out;
}
