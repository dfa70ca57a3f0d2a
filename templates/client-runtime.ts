/**
 * The fixed part of generated/client.ts: `ApiError`, `createClient` and their helpers. It holds no user strings;
 * emit/client.ts puts the project's types and route tables (`GATEWAYS`, `DIRECT`, `DEFAULT_CHANNEL`) above it.
 * Written against structural types only (no DOM `Response`/`RequestInit` names), so the file compiles with
 * either `lib: dom` or `@types/node`, and a test can pass its own `fetch`.
 */
export const CLIENT_RUNTIME = `/** A non-2xx answer. \`body\` is the parsed JSON error body (or the text when it is not JSON). */
export class ApiError extends Error {
  readonly status: number;
  /** The correlation id of the failed call (\`X-Zato-CID\`), '' when the server sent none. */
  readonly cid: string;
  readonly body: unknown;
  /** \`details\` of a servicegate error body, or the raw text. */
  readonly details: string;
  /** Validation problems (JSON Pointer paths into the input), when the server reported any. */
  readonly errors: readonly { readonly path: string; readonly message: string }[];

  constructor(status: number, cid: string, body: unknown) {
    const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const details = typeof record.details === 'string' ? record.details : typeof body === 'string' ? body : '';
    super(details === '' ? \`HTTP \${status}\` : \`HTTP \${status}: \${details}\`);
    this.name = 'ApiError';
    this.status = status;
    this.cid = cid;
    this.body = body;
    this.details = details;
    this.errors = Array.isArray(record.errors) ? (record.errors as ApiError['errors']) : [];
  }
}

/** The subset of \`fetch\` the client uses; the global \`fetch\` fits. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<{ readonly status: number; readonly ok: boolean; readonly headers: { get(name: string): string | null }; text(): Promise<string> }>;

/** Basic credentials, or an API key sent in \`header\` (default: the channel's security definition's header). */
export type ClientAuth = { username: string; password: string } | { apiKey: string; header?: string };

export interface ClientOptions<C extends ChannelName = DefaultChannel> {
  /** e.g. 'http://127.0.0.1:17010' (a path prefix is kept). */
  baseUrl: string;
  auth?: ClientAuth;
  /** Sent with every call, e.g. { 'x-zato-tenant': 'acme' }. */
  headers?: Record<string, string>;
  /** A gateway channel's name, or 'direct' to call services through their own channels. */
  channel?: C;
  fetch?: FetchLike;
}

export interface CallOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

type InputArgs<K extends ServiceName> = {} extends ServiceTypes[K]['input']
  ? [input?: ServiceTypes[K]['input'], options?: CallOptions]
  : [input: ServiceTypes[K]['input'], options?: CallOptions];

export interface Client<C extends ChannelName> {
  readonly channel: C;
  /** Calls service \`name\`; resolves to its output (undefined for 204), rejects with \`ApiError\` on non-2xx. */
  invoke<K extends ChannelServices[C] & ServiceName>(name: K, ...args: InputArgs<K>): Promise<ServiceTypes[K]['output']>;
}

interface Route {
  readonly method: string;
  readonly path: string;
  readonly params: readonly string[];
  readonly apiKeyHeader: string | null;
}

const QUERY_METHODS = new Set(['GET', 'DELETE', 'HEAD']);

/** A client for one channel: the default gateway channel unless \`options.channel\` says otherwise. */
export function createClient<C extends ChannelName = DefaultChannel>(options: ClientOptions<C>): Client<C> {
  const channel = (options.channel ?? DEFAULT_CHANNEL) as C;
  const fetchFn: FetchLike = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const base = options.baseUrl.replace(/\\/+$/, '');
  const invoke = async (name: string, input?: unknown, call?: CallOptions): Promise<unknown> => {
    const route = channel === 'direct' ? DIRECT.get(name) : GATEWAYS.get(channel);
    if (route === undefined) throw new TypeError(\`No route to service \${JSON.stringify(name)} on channel \${JSON.stringify(channel)}\`);
    const rest: Record<string, unknown> = { ...(input as Record<string, unknown> | undefined) };
    let path = route.path;
    if (channel !== 'direct') path = path.split('{service}').join(segment(name));
    for (const param of route.params) {
      if (rest[param] === undefined || rest[param] === null) throw new TypeError(\`Missing path parameter \${JSON.stringify(param)}\`);
      path = path.split(\`{\${param}}\`).join(encodeURIComponent(scalar(rest[param])));
      delete rest[param];
    }
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers, ...call?.headers };
    const auth = options.auth;
    if (auth !== undefined && 'apiKey' in auth) headers[auth.header ?? route.apiKeyHeader ?? 'X-API-Key'] = auth.apiKey;
    else if (auth !== undefined) headers.authorization = \`Basic \${base64(\`\${auth.username}:\${auth.password}\`)}\`;
    const init: Parameters<FetchLike>[1] = { method: route.method, headers };
    if (call?.signal !== undefined) init.signal = call.signal;
    if (QUERY_METHODS.has(route.method)) path += query(rest);
    else {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(rest);
    }
    const res = await fetchFn(base + path, init);
    const text = await res.text();
    if (!res.ok) throw new ApiError(res.status, res.headers.get('x-zato-cid') ?? '', parseBody(text));
    return res.status === 204 || text === '' ? undefined : JSON.parse(text);
  };
  return { channel, invoke: invoke as Client<C>['invoke'] };
}

function scalar(value: unknown): string {
  if (value instanceof globalThis.Date) return value.toISOString();
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function query(values: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== undefined && value !== null) params.append(key, scalar(value));
  const text = params.toString();
  return text === '' ? '' : \`?\${text}\`;
}

/** A service name as one path segment, spelt as the server expects: RFC 3986 pchar kept, the rest %XX (UTF-8). */
function segment(name: string): string {
  let out = '';
  for (const ch of name) {
    if (/^[A-Za-z0-9\\-._~!$&'()*+,;=:@]$/.test(ch)) out += ch;
    else for (const byte of new TextEncoder().encode(ch)) out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
`;
