/**
 * generated/client.ts: the typed client of CONTRACT §7, self-contained (global `fetch` only).
 *
 * The client declares its own model types instead of importing the server's service files, in two namespaces:
 * `Input` (what a caller sends: `Date` fields take a Date or an ISO string) and `Output` (what comes back as JSON:
 * date-times are strings). Namespaces keep user model names (`ApiError`, `Client`, …) from clashing with the
 * client's own exports. Optional fields follow the OpenAPI `required` rule (`?` or a default → optional).
 */
import { GATEWAY_SERVICE, compareCodePoints } from '../ir.js';
import type { ChannelDecl, ModelDecl, Project, ServiceDecl, TypeRef } from '../ir.js';
import { HEADER } from '../../templates/header.js';
import { CLIENT_RUNTIME } from '../../templates/client-runtime.js';
import { commentText, identifier, lit, where } from '../../templates/ts.js';
import { isRequired } from './json-schema.js';
import { block, BlockCache } from './block-cache.js';

type Side = 'input' | 'output';

/**
 * What emitClient keeps from one emit to the next (a watch mode keeps one): each model's declaration text by model
 * object (IR objects are immutable), side, and which of the names it refers to are models; and the service and
 * channel tables while what they are made from is the same.
 */
export class ClientCache {
  readonly models = new WeakMap<ModelDecl, { readonly refs: readonly string[]; readonly texts: Map<string, string> }>();
  readonly blocks = new BlockCache();
}

/** The contents of generated/client.ts for `project` (pure: same IR in, same bytes out; `cache` changes no byte). */
export function emitClient(project: Project, cache?: ClientCache): string {
  cache?.blocks.begin();
  const models = new Map(project.models.map((m) => [m.name, m] as const));
  const out: string[] = [HEADER, ''];
  out.push(...emitNamespace('Input', 'What a caller sends: `Date` fields take a Date or an ISO 8601 string.', project, models, cache));
  out.push(...emitNamespace('Output', 'What the server answers (JSON: date-times are ISO 8601 strings).', project, models, cache));
  out.push(...emitServiceTypes(project.services, models, cache?.blocks));
  // The channel tables read the channels, the security definitions and which services exist.
  const channelDeps = () => [...project.channels, null, ...project.security, null, ...project.services.map((s) => s.name)];
  out.push(block(cache?.blocks, 'channels', channelDeps, () => emitChannels(project).join('\n')));
  out.push(CLIENT_RUNTIME);
  return out.join('\n');
}

function emitNamespace(name: string, doc: string, project: Project, models: ReadonlyMap<string, ModelDecl>, cache?: ClientCache): string[] {
  const side: Side = name === 'Input' ? 'input' : 'output';
  const roots = project.services.map((s) => (side === 'input' ? s.input : s.output));
  const reachable = reachableModels(roots, models);
  const out = [`/** ${doc} */`, `export namespace ${name} {`];
  const block = (m: ModelDecl): string => emitModel(m, side, models).map((line) => `  ${line}`).join('\n');
  const blocks = project.models.filter((m) => reachable.has(m.name)).map((m) => (cache ? cachedBlock(cache, m, side, models, block) : block(m)));
  blocks.forEach((b, i) => out.push(...(i > 0 ? [''] : []), b));
  out.push('}', '');
  return out;
}

function cachedBlock(cache: ClientCache, m: ModelDecl, side: Side, models: ReadonlyMap<string, ModelDecl>, block: (m: ModelDecl) => string): string {
  let kept = cache.models.get(m);
  if (kept === undefined) {
    const refs = m.kind === 'object' ? m.fields.flatMap((f) => refsOf(f.type)) : m.kind === 'union' ? m.members.map((x) => x.model) : [];
    cache.models.set(m, (kept = { refs, texts: new Map() }));
  }
  let key: string = side;
  for (const n of kept.refs) key += models.has(n) ? '1' : '0';
  let text = kept.texts.get(key);
  if (text === undefined) kept.texts.set(key, (text = block(m)));
  return text;
}

/** Every model reachable from `roots` through fields, array items, record values and union members. */
function reachableModels(roots: readonly (string | undefined)[], models: ReadonlyMap<string, ModelDecl>): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string | undefined): void => {
    if (name === undefined || seen.has(name)) return;
    const model = models.get(name);
    if (model === undefined) return;
    seen.add(name);
    if (model.kind === 'object') for (const f of model.fields) refsOf(f.type).forEach(visit);
    if (model.kind === 'union') model.members.forEach((m) => visit(m.model));
  };
  roots.forEach(visit);
  return seen;
}

function refsOf(t: TypeRef): string[] {
  switch (t.kind) {
    case 'ref':
      return [t.name];
    case 'array':
      return refsOf(t.items);
    case 'record':
      return refsOf(t.values);
    case 'nullable':
      return refsOf(t.inner);
    default:
      return [];
  }
}

function emitModel(model: ModelDecl, side: Side, models: ReadonlyMap<string, ModelDecl>): string[] {
  const out = [`// ${commentText(where(model.loc))}`, ...docComment(model.description)];
  switch (model.kind) {
    case 'enum':
      out.push(`export type ${typeName(model.name)} = ${model.values.map(literal).join(' | ') || 'never'};`);
      break;
    case 'union':
      out.push(`export type ${typeName(model.name)} = ${model.members.map((m) => refName(m.model, models)).join(' | ') || 'never'};`);
      break;
    case 'object':
      out.push(`export interface ${typeName(model.name)} {`);
      for (const f of model.fields) {
        out.push(...docComment(f.description, f.deprecated ? '@deprecated' : undefined).map((l) => `  ${l}`));
        const optional = isRequired(f) ? '' : '?';
        out.push(`  ${propertyKey(f.name)}${optional}: ${typeText(f.type, side, models)};`);
      }
      out.push('}');
      break;
  }
  return out;
}

/** A TypeScript type for `t`. Global names are written so that no user model can shadow them. */
function typeText(t: TypeRef, side: Side, models: ReadonlyMap<string, ModelDecl>): string {
  switch (t.kind) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      return side === 'input' ? 'string | globalThis.Date' : 'string';
    case 'unknown':
      return 'unknown';
    case 'literal':
      return t.values.map(literal).join(' | ') || 'never';
    case 'ref':
      return refName(t.name, models);
    case 'array': {
      const inner = typeText(t.items, side, models);
      return /^[\w.$]+$/.test(inner) ? `${inner}[]` : `(${inner})[]`;
    }
    case 'record':
      return `{ [key: string]: ${typeText(t.values, side, models)} }`;
    case 'nullable':
      return `${typeText(t.inner, side, models)} | null`;
  }
}

/** A model reference; an unknown name (only possible in an IR that failed its checks) degrades to `unknown`. */
function refName(name: string, models: ReadonlyMap<string, ModelDecl>): string {
  return models.has(name) ? typeName(name) : 'unknown';
}

/** Model names are TypeScript identifiers already; anything else (a hand-made IR) is made one. */
function typeName(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : identifier(name);
}

function literal(value: string | number | boolean): string {
  return typeof value === 'string' ? lit(value) : String(value);
}

function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : lit(name);
}

/** A JSDoc block: any text is safe inside it once `*\/` is broken up. */
function docComment(text: string | undefined, extra?: string): string[] {
  const lines = (text ?? '').split(/\r\n|[\n\r\u2028\u2029]/).filter((l, i, all) => l !== '' || (i > 0 && i < all.length - 1));
  if (extra !== undefined) lines.push(extra);
  if (lines.length === 0) return [];
  const safe = lines.map((l) => l.replace(/\*\//g, '*\\/').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ''));
  return safe.length === 1 ? [`/** ${safe[0]} */`] : ['/**', ...safe.map((l) => ` * ${l}`.trimEnd()), ' */'];
}

function emitServiceTypes(services: readonly ServiceDecl[], models: ReadonlyMap<string, ModelDecl>, cache?: BlockCache): string[] {
  const out = ['/** Every service of the project: what it takes and what it answers (undefined: 204, no body). */'];
  out.push('export interface ServiceTypes {');
  for (const s of services) {
    const hasInput = s.input !== undefined && models.has(s.input);
    const hasOutput = s.output !== undefined && models.has(s.output);
    out.push(block(cache, `service ${s.name}`, () => [s, hasInput, hasOutput], () => {
      const input = s.input === undefined ? 'Record<string, never>' : hasInput ? `Input.${typeName(s.input)}` : 'unknown';
      const output = s.output === undefined ? 'undefined' : hasOutput ? `Output.${typeName(s.output)}` : 'unknown';
      return `  // ${commentText(where(s.loc))}\n  ${lit(s.name)}: { input: ${input}; output: ${output} };`;
    }));
  }
  out.push('}', '', 'export type ServiceName = keyof ServiceTypes & string;', '');
  return out;
}

/** Active channels only: an inactive channel answers 404, so a client must not offer it. */
function emitChannels(project: Project): string[] {
  const gateways = project.channels.filter((c) => c.kind === 'gateway' && c.isActive);
  const known = new Set(project.services.map((s) => s.name));
  const direct = new Map<string, ChannelDecl>();
  for (const c of project.channels) {
    // The first direct channel by name wins when a service has several.
    if (c.kind === 'rest' && c.isActive && c.service !== GATEWAY_SERVICE && known.has(c.service) && !direct.has(c.service)) {
      direct.set(c.service, c);
    }
  }
  const security = new Map(project.security.map((d) => [d.name, d] as const));
  const apiKeyHeader = (c: ChannelDecl): string => {
    const def = c.security === null ? undefined : security.get(c.security);
    return def?.type === 'apikey' ? lit(def.header) : 'null';
  };
  const union = (names: readonly string[]): string => names.map(lit).join(' | ') || 'never';

  const out = ["/** The services each channel can call: a gateway channel's allowlist; 'direct': services with a direct channel. */"];
  out.push('export interface ChannelServices {');
  // A gateway channel literally named 'direct' is shadowed by the direct mode, which the contract names 'direct'.
  for (const c of gateways) {
    if (c.name === 'direct') continue;
    out.push(`  // ${commentText(where(c.loc))}`);
    out.push(`  ${lit(c.name)}: ${union(c.gatewayServiceList.filter((n) => known.has(n)))};`);
  }
  out.push(`  direct: ${union([...direct.keys()].sort(compareCodePoints))};`);
  out.push('}', '', 'export type ChannelName = keyof ChannelServices & string;');
  const first = gateways.find((c) => c.name !== 'direct');
  const defaultChannel = first === undefined ? "'direct'" : lit(first.name);
  out.push(`export type DefaultChannel = ${defaultChannel};`, `const DEFAULT_CHANNEL: DefaultChannel = ${defaultChannel};`, '');

  out.push('const GATEWAYS: ReadonlyMap<string, Route> = new Map<string, Route>([');
  for (const c of gateways) {
    out.push(`  [${lit(c.name)}, { method: 'POST', path: ${lit(c.urlPath)}, params: [], apiKeyHeader: ${apiKeyHeader(c)} }],`);
  }
  out.push(']);', '', 'const DIRECT: ReadonlyMap<string, Route> = new Map<string, Route>([');
  for (const name of [...direct.keys()].sort(compareCodePoints)) {
    const c = direct.get(name)!;
    const method = lit(c.method ?? 'POST');
    const params = `[${c.pathParams.map(lit).join(', ')}]`;
    out.push(`  // ${commentText(`${c.name} ${where(c.loc)}`)}`);
    out.push(`  [${lit(name)}, { method: ${method}, path: ${lit(c.urlPath)}, params: ${params}, apiKeyHeader: ${apiKeyHeader(c)} }],`);
  }
  out.push(']);', '');
  return out;
}
