/**
 * The two faces of a gateway channel. Backend-facing: servicegate's own document (`/zato/gateway/<service>`,
 * the channel's Basic/API-key credentials, the `x-zato-username` header the gateway sets). Client-facing: what
 * the external gateway publishes to ITS callers — `<prefix>/<service>`, the gateway's own authentication, and no
 * trace of the backend credentials or of `x-zato-username` (callers cannot set it; the gateway does).
 */
import type { OpenAPIObject, OperationObject, ParameterObject, SecuritySchemeObject } from 'openapi3-ts/oas31';
import type { ServiceDecl } from '../ir.js';
import { error, warning } from '../diagnostics.js';
import { encodePathSegment } from '../../runtime/path-segment.js';
import { SAFE_NAME } from './context.js';
import type { TargetContext } from './context.js';

const SCHEMAS = '#/components/schemas/';

/** Request headers only the gateway may set: a client-sent value must never reach the backend. */
export const GATEWAY_OWNED_HEADERS = ['x-zato-username', 'authorization'];

export interface GatewayOperation {
  readonly service: ServiceDecl;
  /** The path servicegate serves, e.g. '/zato/gateway/customer.get'. */
  readonly backendPath: string;
  /** The path the gateway's callers use, e.g. '/api/customer.get'. */
  readonly clientPath: string;
  /** The backend-facing operation from the 3.1 document (not a copy: do not mutate). */
  readonly operation: OperationObject;
}

/**
 * The allowlisted services of the chosen channel that `target` can carry, in allowlist (code-point) order.
 * A name outside RFC 3986 unreserved characters is an error (SG503) at the service's name, and left out.
 */
export function gatewayOperations(ctx: TargetContext, target: string): GatewayOperation[] {
  const { channel, project, doc } = ctx;
  if (!channel.isActive || !channel.includeInOpenapi) {
    const why = channel.isActive ? 'has should_include_in_openapi: false' : 'has is_active: false';
    ctx.diagnostics.push(error('SG502', `gateway channel ${JSON.stringify(channel.name)} ${why}, so the OpenAPI document has none of its operations to publish: set it to true, or pass another --channel.`, channel.loc));
    return [];
  }
  const services = new Map(project.services.map((s) => [s.name, s] as const));
  const out: GatewayOperation[] = [];
  for (const name of channel.gatewayServiceList) {
    const service = services.get(name);
    if (service === undefined) continue; // reported by the build's checks
    if (!SAFE_NAME.test(name)) {
      ctx.diagnostics.push(error('SG503', `service name ${JSON.stringify(name)} cannot be published to ${target}: its paths and names allow only letters, digits and . _ ~ -. Rename the service (e.g. name = ${JSON.stringify(suggestName(name))}) or take it off the gateway_service_list of ${JSON.stringify(channel.name)}.`, service.nameLoc));
      continue;
    }
    const backendPath = channel.urlPath.split('{service}').join(encodePathSegment(name));
    const operation = doc.paths?.[backendPath]?.post;
    if (operation === undefined) {
      ctx.diagnostics.push(error('SG502', `the OpenAPI document has no POST ${backendPath} for service ${JSON.stringify(name)}: publish from the document \`gen build\` wrote for this project.`, service.nameLoc));
      continue;
    }
    out.push({ service, backendPath, clientPath: `${ctx.options.pathPrefix}/${name}`, operation });
  }
  return out;
}

function suggestName(name: string): string {
  return name.replace(/[^A-Za-z0-9._~-]+/g, '-').replace(/^-+|-+$/g, '') || 'service';
}

export interface ClientFacingOptions {
  /** The gateway's own security scheme, keyed by name. */
  readonly scheme: { readonly name: string; readonly object: SecuritySchemeObject };
  /** The path of each operation in this document. */
  readonly pathOf: (op: GatewayOperation) => string;
  /** Whether to state `servers: [{url: '/'}]` (relative: the gateway's own address). */
  readonly servers: boolean;
}

/** The client-facing OpenAPI 3.1 document of the chosen channel: only its operations, only what they use. */
export function clientFacingDoc(ctx: TargetContext, ops: readonly GatewayOperation[], options: ClientFacingOptions): OpenAPIObject {
  const tag = ctx.channel.name;
  const paths: Record<string, Record<string, OperationObject>> = {};
  for (const op of ops) {
    const operation = structuredClone(op.operation);
    operation.tags = [tag];
    operation.security = [{ [options.scheme.name]: [] }];
    const params = (operation.parameters ?? []) as ParameterObject[];
    const kept = params.filter((p) => !(p.in === 'header' && GATEWAY_OWNED_HEADERS.includes(String(p.name).toLowerCase())));
    if (kept.length > 0) operation.parameters = kept;
    else delete operation.parameters;
    Object.defineProperty(paths, options.pathOf(op), { value: { post: operation }, enumerable: true, writable: true, configurable: true });
  }
  const doc: OpenAPIObject = {
    openapi: '3.1.0',
    info: {
      title: ctx.options.title,
      description: `The services of servicegate channel ${JSON.stringify(tag)}, published through the API gateway.`,
      version: ctx.options.version,
    },
  };
  if (options.servers) doc.servers = [{ url: '/' }];
  doc.tags = [{ name: tag, description: 'Each operation runs one servicegate service.' }];
  doc.paths = paths;
  doc.components = {
    schemas: usedSchemas((ctx.doc.components?.schemas ?? {}) as Record<string, unknown>, paths) as NonNullable<OpenAPIObject['components']>['schemas'],
    securitySchemes: { [options.scheme.name]: options.scheme.object },
  };
  return doc;
}

/** The schemas of `all` that `root` refers to, transitively, copied in the order of `all` (sorted). */
export function usedSchemas(all: Record<string, unknown>, root: unknown): Record<string, unknown> {
  const used = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if (key === '$ref' && typeof v === 'string' && v.startsWith(SCHEMAS)) {
          const name = v.slice(SCHEMAS.length);
          if (!used.has(name) && Object.hasOwn(all, name)) {
            used.add(name);
            walk(all[name]);
          }
        } else if (key !== 'mapping') walk(v);
      }
    }
  };
  walk(root);
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(all)) {
    if (used.has(name)) Object.defineProperty(out, name, { value: structuredClone(all[name]), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * The header through which the gateway authenticates to servicegate: 'Authorization' (basic_auth), the
 * definition's header (apikey), or null when the channel has no security (SG510: anyone who reaches the
 * backend can call it, bypassing the gateway).
 */
export function backendHeader(ctx: TargetContext): string | null {
  const def = ctx.backendSecurity;
  if (def === undefined) {
    ctx.diagnostics.push(warning('SG510', `gateway channel ${JSON.stringify(ctx.channel.name)} has no security: anyone who can reach ${ctx.options.backendUrl} bypasses the gateway's authentication. Add security: <a basic_auth definition> to the channel.`, ctx.channel.keyLocs.security ?? ctx.channel.loc));
    return null;
  }
  if (def.type === 'basic_auth') return 'Authorization';
  if (!/^[A-Za-z0-9-]+$/.test(def.header)) {
    ctx.diagnostics.push(error('SG507', `API key header ${JSON.stringify(def.header)} of ${JSON.stringify(def.name)} cannot be set by a gateway safely: use letters, digits and - only, e.g. X-API-Key.`, def.loc));
    return null;
  }
  return def.header;
}

/** A JSON file: 2-space indent, LF, final newline. */
export function jsonFile(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
