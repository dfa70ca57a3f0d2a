/**
 * One `rest_channel:` item → ChannelDecl (CONTRACT §3). Values are type-checked here; whole-project rules
 * (services exist, routes do not collide, url_path syntax) live in generator/check/channels.ts.
 */
import { isMap, type Node } from 'yaml';
import {
  DEFAULT_GATEWAY_PATH,
  DEFAULT_MAX_BODY_SIZE,
  DEFAULT_TIMEOUT_SECONDS,
  GATEWAY_SERVICE,
  compareCodePoints,
  type ChannelDecl,
  type Deprecation,
  type Loc,
} from '../ir.js';
import { error, warning } from '../diagnostics.js';
import { entriesOf, isNull, knownEntries, readBool, readNumber, readStr, readStrList, type Entry, type FileCtx } from './yaml-nodes.js';

const KEYS = [
  'name', 'url_path', 'service', 'method', 'data_format', 'security', 'gateway_service_list', 'timeout', 'max_body_size',
  'is_active', 'should_include_in_openapi', 'is_deprecated', 'deprecation_sunset', 'deprecation_successor',
];
/** An HTTP method token (RFC 9110 §9.1). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HTTP_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?)?$/;

/** The `{names}` in a url_path, in order (syntax is checked by checkChannels). */
export function readPathParams(urlPath: string): string[] {
  return [...urlPath.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]!);
}

/** Reads one channel; undefined when it lacks what a channel cannot do without (already reported). */
export function readChannelItem(ctx: FileCtx, node: Node | null, loc: Loc): ChannelDecl | undefined {
  const d = ctx.diagnostics;
  if (!isMap(node)) {
    d.push(error('SG208', `each channel must be a map with name, service and url_path, like '- name: Get customer'`, loc));
    return undefined;
  }
  const keys = knownEntries(ctx, entriesOf(ctx, node), KEYS, 'a channel');
  const keyLocs: Record<string, Loc> = {};
  const get = (k: string): Entry | undefined => {
    const e = keys.get(k);
    if (e) keyLocs[k] = e.valueLoc;
    return e && !isNull(e.value) ? e : undefined;
  };

  const nameEntry = get('name');
  const name = nameEntry ? readStr(ctx, nameEntry, 'Get customer') : undefined;
  if (!nameEntry) d.push(error('SG209', `a channel needs a name: add name: Get customer`, loc));
  if (name === undefined) return undefined;
  if (name.trim() === '') {
    d.push(error('SG213', `a channel's name must not be empty`, nameEntry!.valueLoc));
    return undefined;
  }
  const what = `channel '${name}'`;

  const serviceEntry = get('service');
  const service = serviceEntry ? readStr(ctx, serviceEntry, 'customer.get') : undefined;
  if (!serviceEntry) d.push(error('SG209', `${what} needs a service: add service: customer.get (or ${GATEWAY_SERVICE} for a gateway)`, loc));
  if (service === undefined) return undefined;
  const kind = service === GATEWAY_SERVICE ? 'gateway' : 'rest';

  const pathEntry = get('url_path');
  let urlPath = pathEntry ? readStr(ctx, pathEntry, '/api/customer/get') : undefined;
  if (!pathEntry && kind === 'rest') d.push(error('SG209', `${what} needs a url_path: add url_path: /api/...`, loc));
  if (urlPath === undefined) {
    if (kind === 'rest' || pathEntry) return undefined;
    urlPath = DEFAULT_GATEWAY_PATH;
  }

  let method: string | null = null;
  const methodEntry = get('method');
  const methodText = methodEntry ? readStr(ctx, methodEntry, 'POST') : undefined;
  if (methodText !== undefined && methodText !== '') {
    if (TOKEN.test(methodText)) method = methodText.toUpperCase();
    else d.push(error('SG213', `'${methodText}' is not an HTTP method in ${what}: write GET, POST, PUT, PATCH or DELETE, or leave method out for any method`, methodEntry!.valueLoc));
  }

  const formatEntry = get('data_format');
  const format = formatEntry ? readStr(ctx, formatEntry, 'json') : undefined;
  if (format !== undefined && format !== 'json') {
    d.push(error('SG213', `data_format '${format}' is not supported in ${what}: servicegate channels speak JSON; write data_format: json`, formatEntry!.valueLoc));
  }

  let security: string | null = null;
  let securityNone = false;
  const securityEntry = get('security');
  const securityText = securityEntry ? readStr(ctx, securityEntry, 'api.credentials') : undefined;
  if (securityText === 'none') securityNone = true;
  else if (securityText !== undefined) security = securityText;

  const gatewayServiceList = readGatewayList(ctx, get('gateway_service_list'), kind, what, keyLocs);

  const timeout = readPositive(ctx, get('timeout'), what, false) ?? DEFAULT_TIMEOUT_SECONDS;
  const maxBodySize = readPositive(ctx, get('max_body_size'), what, true) ?? DEFAULT_MAX_BODY_SIZE;
  const flag = (k: string, fallback: boolean) => {
    const e = get(k);
    return (e && readBool(ctx, e)) ?? fallback;
  };
  const isActive = flag('is_active', true);
  const includeInOpenapi = flag('should_include_in_openapi', true);
  const deprecated = flag('is_deprecated', false);
  const deprecation = readDeprecation(ctx, get('deprecation_sunset'), get('deprecation_successor'), what);

  return {
    name,
    kind,
    urlPath,
    pathParams: readPathParams(urlPath),
    method,
    service,
    dataFormat: 'json',
    security,
    ...(securityNone ? { securityNone } : {}),
    gatewayServiceList,
    timeout,
    maxBodySize,
    isActive,
    includeInOpenapi,
    deprecated,
    ...(deprecation ? { deprecation } : {}),
    loc,
    keyLocs,
  };
}

/**
 * The allowlist, sorted and without duplicates (a duplicate is a warning). Each entry's position is kept
 * under `gateway_service_list.N` (N = index in the file) and `gateway_service_list=NAME` (first occurrence),
 * the latter so checks can point at an entry of the sorted list.
 */
function readGatewayList(ctx: FileCtx, e: Entry | undefined, kind: string, what: string, keyLocs: Record<string, Loc>): string[] {
  if (!e) return [];
  if (kind !== 'gateway') {
    ctx.diagnostics.push(error('SG213', `gateway_service_list only applies to gateway channels (service: ${GATEWAY_SERVICE}); remove it from ${what}`, e.keyLoc));
    return [];
  }
  const entries = readStrList(ctx, e, 'customer.get');
  if (!entries) return [];
  const seen = new Set<string>();
  entries.forEach((entry, i) => {
    keyLocs[`gateway_service_list.${i}`] = entry.loc;
    if (seen.has(entry.value)) {
      const first = keyLocs[`gateway_service_list=${entry.value}`]!;
      ctx.diagnostics.push(warning('SG215', `'${entry.value}' is listed twice in the gateway_service_list of ${what} (first at ${first.line}:${first.column}); remove this entry`, entry.loc));
      return;
    }
    seen.add(entry.value);
    keyLocs[`gateway_service_list=${entry.value}`] = entry.loc;
  });
  return [...seen].sort(compareCodePoints);
}

function readPositive(ctx: FileCtx, e: Entry | undefined, what: string, integer: boolean): number | undefined {
  if (!e) return undefined;
  const n = readNumber(ctx, e, integer ? '1048576' : '30');
  if (n === undefined) return undefined;
  const ok = Number.isFinite(n) && n > 0 && (!integer || Number.isSafeInteger(n));
  if (!ok) {
    const want = integer ? 'a positive whole number of bytes, like 1048576' : 'a positive number of seconds, like 30';
    ctx.diagnostics.push(error('SG213', `'${e.key}' of ${what} must be ${want}`, e.valueLoc));
    return undefined;
  }
  return n;
}

function readDeprecation(ctx: FileCtx, sunsetEntry: Entry | undefined, successorEntry: Entry | undefined, what: string): Deprecation | undefined {
  const out: { sunset?: string; successor?: string } = {};
  const sunset = sunsetEntry ? readStr(ctx, sunsetEntry, '2026-12-31') : undefined;
  if (sunset !== undefined) {
    if ((HTTP_DATE.test(sunset) || ISO_DATE.test(sunset)) && !Number.isNaN(Date.parse(sunset))) out.sunset = sunset;
    else ctx.diagnostics.push(error('SG213', `deprecation_sunset '${sunset}' of ${what} is not a date: write an ISO date like 2026-12-31 or an HTTP date like Thu, 31 Dec 2026 23:59:59 GMT`, sunsetEntry!.valueLoc));
  }
  const successor = successorEntry ? readStr(ctx, successorEntry, '/api/v2/customer/get') : undefined;
  if (successor !== undefined) {
    if (isUrlOrPath(successor)) out.successor = successor;
    else ctx.diagnostics.push(error('SG213', `deprecation_successor '${successor}' of ${what} must be an http(s) URL or a path starting with '/', without spaces, quotes or '<>'`, successorEntry!.valueLoc));
  }
  return out.sunset !== undefined || out.successor !== undefined ? out : undefined;
}

/** The successor goes into a `Link: <…>` header, so it must be a clean URL or absolute path. */
function isUrlOrPath(text: string): boolean {
  if (/[\s"<>\\\u0000-\u001f\u007f]/.test(text)) return false;
  if (text.startsWith('/')) return !text.startsWith('//');
  try {
    const u = new URL(text);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
