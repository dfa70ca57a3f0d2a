/**
 * Which operations the OpenAPI document has: one per included direct channel, one per allowlisted service of an
 * included gateway channel; their paths, methods and unique operationIds.
 */
import { encodePathSegment } from '../../runtime/path-segment.js';
import { compareCodePoints } from '../ir.js';
import type { ChannelDecl, Project, ServiceDecl } from '../ir.js';

/** The methods OpenAPI can describe, in the order of the Path Item Object's fields. */
export const OPENAPI_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type OpenApiMethod = (typeof OPENAPI_METHODS)[number];


export interface PlannedOperation {
  readonly channel: ChannelDecl;
  readonly service: ServiceDecl;
  readonly path: string; // the Paths Object key
  readonly method: OpenApiMethod;
  /** Path template parameters still in `path` (a gateway's `{service}` has been filled in). */
  readonly pathParams: readonly string[];
  readonly operationId: string;
}

/**
 * The operations of every active channel with should_include_in_openapi, sorted by path then method.
 *
 * What the checks (check/) report as errors is skipped here rather than emitted as an invalid document: a channel
 * naming no service, a method OpenAPI cannot express, and a second operation on a path and method (or on a path
 * that differs only in its parameter names, which OpenAPI treats as the same path) — the first channel by name wins.
 */
export function planOperations(project: Project): PlannedOperation[] {
  const services = new Map(project.services.map((s) => [s.name, s]));
  const channels = [...project.channels].sort((a, b) => compareCodePoints(a.name, b.name));
  const drafts: Omit<PlannedOperation, 'operationId'>[] = [];
  const pathByShape = new Map<string, string>();
  const taken = new Set<string>();

  const add = (channel: ChannelDecl, service: ServiceDecl | undefined, path: string, method: string | null) => {
    const m = (method ?? 'POST').toLowerCase() as OpenApiMethod;
    if (!service || !OPENAPI_METHODS.includes(m) || !path.startsWith('/')) return;
    const shape = path.replace(/\{[^}]*\}/g, '{}');
    const existing = pathByShape.get(shape);
    if ((existing !== undefined && existing !== path) || taken.has(`${m} ${path}`)) return;
    pathByShape.set(shape, path);
    taken.add(`${m} ${path}`);
    const pathParams = [...path.matchAll(/\{([^}]*)\}/g)].map((x) => x[1]!);
    drafts.push({ channel, service, path, method: m, pathParams });
  };

  for (const channel of channels) {
    if (!channel.isActive || !channel.includeInOpenapi) continue;
    if (channel.kind === 'rest') {
      add(channel, services.get(channel.service), channel.urlPath, channel.method);
    } else if (channel.urlPath.includes('{service}')) {
      for (const name of [...channel.gatewayServiceList].sort(compareCodePoints)) {
        // split/join rather than String#replace, which would interpret `$&` and friends in the name.
        add(channel, services.get(name), channel.urlPath.split('{service}').join(encodePathSegment(name)), 'POST');
      }
    }
  }

  const ids = assignOperationIds(drafts);
  const ops = drafts.map((d, i) => ({ ...d, operationId: ids[i]! }));
  const methodOrder = (op: PlannedOperation) => OPENAPI_METHODS.indexOf(op.method);
  return ops.sort((a, b) => compareCodePoints(a.path, b.path) || methodOrder(a) - methodOrder(b));
}

/** `customer.get-details` → `customer_get_details`: every character outside [A-Za-z0-9_] becomes `_`. */
export function sanitizeOperationId(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/gu, '_');
}

/**
 * operationIds, aligned with `ops`. The rule:
 * 1. A service with one operation gets the plain id (the sanitised service name).
 * 2. A service with several: its primary operation gets the plain id — the one on the gateway channel named
 *    'Gateway', else on the first gateway channel by name, else on the first channel by name; every other
 *    operation gets `<plain id>_<sanitised channel name>`.
 * 3. Ids are handed out to all primaries (by service name) before the others (by service, then channel name);
 *    an id already taken gets the first free suffix `_2`, `_3`, … (sanitising can make distinct names equal).
 * So adding a direct channel for a service never renames its existing gateway operation.
 */
export function assignOperationIds(ops: readonly Omit<PlannedOperation, 'operationId'>[]): string[] {
  const byService = new Map<string, number[]>();
  ops.forEach((op, i) => byService.set(op.service.name, [...(byService.get(op.service.name) ?? []), i]));

  const primaries: { index: number; wanted: string; service: string; channel: string }[] = [];
  const others: typeof primaries = [];
  for (const [service, indexes] of byService) {
    const sorted = [...indexes].sort((a, b) => compareCodePoints(ops[a]!.channel.name, ops[b]!.channel.name));
    const primary =
      sorted.find((i) => ops[i]!.channel.kind === 'gateway' && ops[i]!.channel.name === 'Gateway') ??
      sorted.find((i) => ops[i]!.channel.kind === 'gateway') ??
      sorted[0]!;
    const plain = sanitizeOperationId(service);
    for (const i of sorted) {
      const channel = ops[i]!.channel.name;
      if (i === primary) primaries.push({ index: i, wanted: plain, service, channel });
      else others.push({ index: i, wanted: `${plain}_${sanitizeOperationId(channel)}`, service, channel });
    }
  }
  const order = (a: (typeof primaries)[number], b: (typeof primaries)[number]) =>
    compareCodePoints(a.service, b.service) || compareCodePoints(a.channel, b.channel);

  const used = new Set<string>();
  const ids: string[] = new Array(ops.length);
  for (const entry of [...primaries.sort(order), ...others.sort(order)]) {
    let id = entry.wanted;
    for (let n = 2; used.has(id); n++) id = `${entry.wanted}_${n}`;
    used.add(id);
    ids[entry.index] = id;
  }
  return ids;
}
