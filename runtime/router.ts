/**
 * The channel router (CONTRACT §5.1–5.2), built once per server from `manifest.channels`.
 *
 * Paths are matched on the RAW request path: no percent-decoding, no case folding, no `.`/`..` or trailing-slash
 * normalisation, so what is matched is exactly what was configured. Fully static paths live in a Map; paths with
 * `{param}`s live in a segment tree (static children first, then a `{param}` child, then mixed segments such as
 * `{name}.json`), so the cost of a lookup depends on the depth of the path, not on the number of channels.
 */
import type { ChannelSpec } from './manifest.js';

/** What a matched endpoint does. `paramNames` pairs with the captured raw segments, in order. */
export type RouteTarget =
  | { readonly kind: 'rest'; readonly channel: ChannelSpec; readonly paramNames: readonly string[] }
  | { readonly kind: 'gateway-path'; readonly channel: ChannelSpec; readonly paramNames: readonly string[] }
  | { readonly kind: 'gateway-query'; readonly channel: ChannelSpec; readonly paramNames: readonly string[] }
  | { readonly kind: 'inactive'; readonly channel: ChannelSpec; readonly paramNames: readonly string[] };

export type RouteMatch =
  | { readonly kind: 'found'; readonly target: RouteTarget; readonly values: readonly string[] }
  | { readonly kind: 'method'; readonly allow: string } // the path exists, with other methods only → 405
  | { readonly kind: 'inactive'; readonly target: RouteTarget } // only a disabled channel has this path → 404
  | { readonly kind: 'none' }; // no channel: fall through to the host app

interface Endpoint {
  readonly byMethod: Map<string, RouteTarget>;
  any: RouteTarget | null;
}

interface PatternChild {
  readonly source: string;
  readonly re: RegExp;
  readonly node: Node;
}

interface Node {
  readonly statics: Map<string, Node>;
  param: Node | null;
  readonly patterns: PatternChild[];
  endpoint: Endpoint | null;
}

export interface Router {
  /** `path` is the raw path (no query string). */
  match(method: string, path: string): RouteMatch;
}

const PARAM = /^\{([A-Za-z_$][\w$]*)\}$/;
const PARAM_ANYWHERE = /\{([A-Za-z_$][\w$]*)\}/g;

const newNode = (): Node => ({ statics: new Map(), param: null, patterns: [], endpoint: null });
const NONE: RouteMatch = { kind: 'none' };

/** The gateway's query-string form lives at the channel's prefix + `/invoke`. */
export function gatewayPrefix(template: string): string {
  const segments = template.split('/');
  const at = segments.indexOf('{service}');
  if (at >= 0) segments.splice(at, 1);
  const prefix = segments.join('/');
  return prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `{name}.json` → /^([^/]+?)\.json$/ with the names in order. */
function compileSegment(segment: string, names: string[]): RegExp {
  let source = '';
  let last = 0;
  for (const m of segment.matchAll(PARAM_ANYWHERE)) {
    source += escapeRegExp(segment.slice(last, m.index)) + '(.+?)';
    names.push(m[1]!);
    last = m.index! + m[0].length;
  }
  return new RegExp('^' + source + escapeRegExp(segment.slice(last)) + '$');
}

function addEndpoint(node: Node, method: string | null, target: RouteTarget): void {
  const endpoint = (node.endpoint ??= { byMethod: new Map(), any: null });
  // First channel wins on a duplicate: `gen build` reports duplicates, the runtime only has to stay deterministic.
  if (method === null) endpoint.any ??= target;
  else if (!endpoint.byMethod.has(method)) endpoint.byMethod.set(method, target);
}

/** Builds the router; every channel is registered (inactive ones answer 404, never fall through). */
export function buildRouter(channels: readonly ChannelSpec[], options: { trailingParams?: boolean } = {}): Router {
  const statics = new Map<string, Node>();
  const root = newNode();
  let hasDynamic = false;
  // The nodes of templates that are static but for one whole `{param}` last segment (`/zato/gateway/{service}`,
  // `/api/customer/{id}`), by their prefix up to that segment: one Map lookup instead of splitting the path and
  // walking the tree. The walk goes statics first, and the only tree node a static path can end on that has an
  // endpoint is such a param node (fully static templates live in `statics`, looked up before), so the first
  // endpoint it tries for a path with that prefix is this node's: a hit whose endpoint takes the method is what
  // the walk would find, and anything else walks the tree. `trailingParams: false` turns this off (tests compare).
  const trailing = new Map<string, Node>();

  const add = (template: string, method: string | null, make: (names: string[]) => RouteTarget): void => {
    if (!template.includes('{')) {
      let node = statics.get(template);
      if (node === undefined) statics.set(template, (node = newNode()));
      addEndpoint(node, method, make([]));
      return;
    }
    hasDynamic = true;
    const names: string[] = [];
    let node = root;
    const segments = template.split('/');
    for (const segment of segments) {
      const whole = PARAM.exec(segment);
      if (whole !== null) {
        names.push(whole[1]!);
        node = node.param ??= newNode();
      } else if (segment.includes('{')) {
        let child = node.patterns.find((p) => p.source === segment);
        if (child === undefined) {
          child = { source: segment, re: compileSegment(segment, names), node: newNode() };
          node.patterns.push(child);
        } else compileSegment(segment, names);
        node = child.node;
      } else {
        let next = node.statics.get(segment);
        if (next === undefined) node.statics.set(segment, (next = newNode()));
        node = next;
      }
    }
    addEndpoint(node, method, make(names));
    const slash = template.lastIndexOf('/');
    if (options.trailingParams !== false && PARAM.test(segments.at(-1)!) && !template.slice(0, slash).includes('{')) {
      trailing.set(template.slice(0, slash + 1), node);
    }
  };

  for (const channel of channels) {
    const method = channel.method === null ? null : channel.method.toUpperCase();
    if (!channel.isActive) {
      add(channel.path, method, (paramNames) => ({ kind: 'inactive', channel, paramNames }));
      if (channel.type === 'gateway') add(gatewayPrefix(channel.path) + '/invoke', 'POST', (paramNames) => ({ kind: 'inactive', channel, paramNames }));
    } else if (channel.type === 'gateway') {
      add(channel.path, 'POST', (paramNames) => ({ kind: 'gateway-path', channel, paramNames }));
      add(gatewayPrefix(channel.path) + '/invoke', 'POST', (paramNames) => ({ kind: 'gateway-query', channel, paramNames }));
    } else {
      add(channel.path, method, (paramNames) => ({ kind: 'rest', channel, paramNames }));
    }
  }

  return {
    match(method: string, path: string): RouteMatch {
      const state: SearchState = { method, allow: null, inactive: null };
      const node = statics.get(path);
      if (node !== undefined) {
        const target = pick(node.endpoint!, state);
        if (target !== null) return { kind: 'found', target, values: [] };
      }
      if (hasDynamic) {
        if (trailing.size > 0) {
          const slash = path.lastIndexOf('/');
          const last = trailing.get(path.slice(0, slash + 1));
          if (last !== undefined && slash < path.length - 1) {
            const target = pick(last.endpoint!, state);
            if (target !== null) return { kind: 'found', target, values: [path.slice(slash + 1)] };
          }
        }
        const values: string[] = [];
        const target = search(root, path.split('/'), 0, values, state);
        if (target !== null) return { kind: 'found', target, values };
      }
      if (state.allow !== null) return { kind: 'method', allow: [...state.allow].sort().join(', ') };
      if (state.inactive !== null) return { kind: 'inactive', target: state.inactive };
      return NONE;
    },
  };
}

interface SearchState {
  readonly method: string;
  allow: Set<string> | null;
  inactive: RouteTarget | null;
}

/** The endpoint's target for the method, or null after noting what the path does allow. */
function pick(endpoint: Endpoint, state: SearchState): RouteTarget | null {
  const exact = endpoint.byMethod.get(state.method) ?? (state.method === 'HEAD' ? endpoint.byMethod.get('GET') : undefined);
  if (exact !== undefined && exact.kind !== 'inactive') return exact;
  if (endpoint.any !== null && endpoint.any.kind !== 'inactive') return endpoint.any;
  let disabled = exact ?? endpoint.any;
  for (const [method, other] of endpoint.byMethod) {
    if (other.kind !== 'inactive') {
      const allow = (state.allow ??= new Set());
      allow.add(method);
      // A GET channel answers HEAD too (as Express and HTTP do): the same status and headers, no body.
      if (method === 'GET') allow.add('HEAD');
    } else disabled ??= other;
  }
  // A disabled channel claims its path for every method (404), unless an active one there makes it a 405.
  if (disabled !== null) state.inactive ??= disabled;
  return null;
}

function search(node: Node, segments: string[], at: number, values: string[], state: SearchState): RouteTarget | null {
  if (at === segments.length) return node.endpoint === null ? null : pick(node.endpoint, state);
  const segment = segments[at]!;
  const next = node.statics.get(segment);
  if (next !== undefined) {
    const found = search(next, segments, at + 1, values, state);
    if (found !== null) return found;
  }
  if (node.param !== null && segment.length > 0) {
    values.push(segment);
    const found = search(node.param, segments, at + 1, values, state);
    if (found !== null) return found;
    values.pop();
  }
  for (const pattern of node.patterns) {
    const m = pattern.re.exec(segment);
    if (m === null) continue;
    const mark = values.length;
    for (let i = 1; i < m.length; i++) values.push(m[i]!);
    const found = search(pattern.node, segments, at + 1, values, state);
    if (found !== null) return found;
    values.length = mark;
  }
  return null;
}
