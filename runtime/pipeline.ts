/**
 * The request path shared by createServer and createExpressMiddleware (CONTRACT §5): route → security → gateway
 * name check → content type → body → input → service → output, with `X-Zato-CID` and one log line per request.
 * `handle()` decides synchronously whether a request is a channel's; if not, the host (Express) gets it untouched.
 */
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ChannelSpec, Manifest, ServiceSpec } from './manifest.js';
import type { ChannelInfo, HttpRequest, Response } from './service.js';
import { ServiceError } from './errors.js';
import { encodedSpellings } from './path-segment.js';
import { buildRouter, type RouteTarget } from './router.js';
import { readSecurity, StartupError, type Authenticator } from './security.js';
import { LazyRequestHeaders, readRawHeader } from './headers.js';
import { hasBody, isJsonContentType, mustCloseUnread, readBody } from './body.js';
import { buildInput, decodePathParams, emptyRecord, parseQuery, readGatewayServiceParam } from './input.js';
import { Deadlines, Dispatcher, type CallContext } from './dispatch.js';
import { CidSource, NOT_FOUND_DETAILS, errorBody, sendBody, sendError, type HeaderList } from './respond.js';
import { createDefaultLogger, silentLogger, type RequestLogger } from './logger.js';
import { checkResponseHeaders } from './output.js';

export interface PipelineOptions {
  env?: Record<string, string | undefined>;
  logger?: RequestLogger | false;
  invokeDepthLimit?: number;
}

export interface Pipeline {
  /** True when the runtime answers this request (a channel or /zato/ping); false: not ours, pass it on. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  readonly cids: CidSource;
  readonly logger: RequestLogger;
  /** Set while shutting down: every answer then carries `Connection: close`. */
  closing: boolean;
}

interface PreparedChannel {
  readonly auth: Authenticator | null;
  readonly extra: HeaderList | null; // deprecation headers
  readonly service: ServiceSpec | null; // rest channels
  /** Gateway: the canonical percent-encoded spellings of allowlisted names that need encoding (path-segment.ts). */
  readonly spellings: ReadonlyMap<string, string> | null;
}

const SERVICE_ERROR_BRAND = Symbol.for('servicegate.ServiceError');

/** `instanceof`, or the brand of runtime/errors.ts when the service reached another copy of that module. */
function isServiceError(err: unknown): err is ServiceError {
  return err instanceof ServiceError || (err instanceof Error && (err as unknown as Record<symbol, unknown>)[SERVICE_ERROR_BRAND] === true);
}

function deprecationHeaders(channel: ChannelSpec): HeaderList | null {
  if (channel.deprecation === null) return null;
  const out: [string, string][] = [['deprecation', 'true']];
  if (channel.deprecation.sunset) out.push(['sunset', channel.deprecation.sunset]);
  if (channel.deprecation.successor) out.push(['link', `<${channel.deprecation.successor}>; rel="successor-version"`]);
  return out;
}

function prepareChannels(manifest: Manifest, auths: Map<string, Authenticator>): Map<ChannelSpec, PreparedChannel> {
  const out = new Map<ChannelSpec, PreparedChannel>();
  for (const channel of manifest.channels) {
    const auth = channel.security === null ? null : auths.get(channel.security);
    if (auth === undefined) {
      throw new StartupError(`channel '${channel.name}' (${channel.source}): no security definition named '${channel.security}'`);
    }
    let service: ServiceSpec | null = null;
    if (channel.type === 'rest') {
      if (channel.service === null || !Object.hasOwn(manifest.services, channel.service)) {
        throw new StartupError(`channel '${channel.name}' (${channel.source}): no service named '${channel.service}'`);
      }
      service = manifest.services[channel.service]!;
    } else if (channel.allows === null) {
      throw new StartupError(`gateway channel '${channel.name}' (${channel.source}) has no allowlist check`);
    }
    const spellings = channel.type === 'gateway' ? encodedSpellings(channel.allowlist) : null;
    out.set(channel, { auth, extra: deprecationHeaders(channel), service, spellings });
  }
  return out;
}

/** Builds the request path for a manifest; throws StartupError when it cannot be served. */
export function createPipeline(manifest: Manifest, options: PipelineOptions = {}): Pipeline {
  const env = options.env ?? process.env;
  const logger = options.logger === false ? silentLogger : (options.logger ?? createDefaultLogger());
  const auths = readSecurity(manifest.security, env);
  const prepared = prepareChannels(manifest, auths);
  const router = buildRouter(manifest.channels);
  const dispatcher = new Dispatcher(manifest.services, logger, options.invokeDepthLimit ?? 32);
  const deadlines = new Deadlines(manifest.channels.reduce((min, c) => Math.min(min, c.timeoutMs), Infinity));
  const cids = new CidSource();
  const services = manifest.services;

  const pipeline: Pipeline = {
    cids,
    logger,
    closing: false,
    handle(req, res) {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const path = q < 0 ? url : url.slice(0, q);
      const method = req.method ?? 'GET';
      if (path === '/zato/ping') {
        const cid = cids.next();
        const start = performance.now();
        if (method === 'GET' || method === 'HEAD') sendBody(res, 200, cid, JSON.stringify({ result: 'Ok', cid }), null, pipeline.closing);
        else sendError(res, 405, cid, `Method ${method} is not allowed; use GET`, [['allow', 'GET, HEAD']], pipeline.closing || mustCloseUnread(req));
        log(cid, null, null, method, path, res.statusCode, start);
        return true;
      }
      const match = router.match(method, path);
      if (match.kind === 'none') return false;
      const cid = cids.next();
      const start = performance.now();
      if (match.kind === 'found') {
        const rawQuery = q < 0 ? '' : url.slice(q + 1);
        run(req, res, match.target, match.values, method, path, rawQuery, cid, start).catch((err: unknown) => {
          logger.log('error', 'unexpected runtime error', { cid, err });
          sendError(res, 500, cid, 'Internal error', null, true);
          log(cid, match.target.channel.name, null, method, path, 500, start);
        });
      } else if (match.kind === 'method') {
        sendError(res, 405, cid, `Method ${method} is not allowed; use ${match.allow}`, [['allow', match.allow]], pipeline.closing || mustCloseUnread(req));
        log(cid, null, null, method, path, 405, start);
      } else {
        sendError(res, 404, cid, NOT_FOUND_DETAILS, null, pipeline.closing || mustCloseUnread(req));
        log(cid, match.target.channel.name, null, method, path, 404, start);
      }
      return true;
    },
  };

  function log(cid: string, channel: string | null, service: string | null, method: string, path: string, status: number, start: number): void {
    const duration_ms = Math.round((performance.now() - start) * 1000) / 1000;
    logger.request({ cid, channel, service, method, path, status, duration_ms });
  }

  async function run(
    req: IncomingMessage,
    res: ServerResponse,
    target: RouteTarget,
    values: readonly string[],
    method: string,
    path: string,
    rawQuery: string,
    cid: string,
    start: number,
  ): Promise<void> {
    const channel = target.channel;
    const prep = prepared.get(channel)!;
    let serviceName: string | null = channel.service;
    let bodyRead = false;
    const fail = (status: number, details: string, extra?: HeaderList, errors?: Parameters<typeof sendError>[6]): void => {
      const headers = extra === undefined ? prep.extra : prep.extra === null ? extra : [...prep.extra, ...extra];
      const closing = pipeline.closing || status === 413 || (!bodyRead && mustCloseUnread(req));
      sendError(res, status, cid, details, headers, closing, errors);
      log(cid, channel.name, serviceName, method, path, status, start);
    };

    // Security comes first: before the gateway name check (the allowlist must not be probed anonymously) and
    // before a byte of the body is read.
    if (prep.auth !== null && !prep.auth.check(req.rawHeaders)) {
      return fail(401, 'Unauthorized', prep.auth.challenge === null ? [] : [['www-authenticate', prep.auth.challenge]]);
    }

    let query = parseQuery(rawQuery);
    let params = emptyRecord();
    let username: string;
    let spec: ServiceSpec;
    if (target.kind === 'rest') {
      spec = prep.service!;
      username = prep.auth === null ? '' : prep.auth.username;
      const decoded = decodePathParams(target.paramNames, values);
      if (decoded === null) return fail(400, 'Malformed percent-encoding in the request path');
      params = decoded;
    } else {
      // Gateway: the RAW name (never percent-decoded; only the canonical spelling of an allowlisted name is mapped
      // back) must be allowlisted AND exist; both failures look the same.
      let name: string | null;
      if (target.kind === 'gateway-path') {
        name = values[target.paramNames.indexOf('service')] ?? null;
        // A name with characters outside pchar travels in its one canonical percent-encoded spelling.
        if (name !== null && prep.spellings !== null) name = prep.spellings.get(name) ?? name;
        // A `service` parameter next to a name in the path is ambiguous: refuse it rather than pick one.
        if (Object.hasOwn(query, 'service')) name = null;
      } else {
        name = readGatewayServiceParam(rawQuery);
        const rest = emptyRecord();
        for (const key of Object.keys(query)) if (key !== 'service') rest[key] = query[key]!;
        query = rest;
      }
      if (name === null || name === '' || !channel.allows!(name) || !Object.hasOwn(services, name)) {
        return fail(404, NOT_FOUND_DETAILS);
      }
      serviceName = name;
      spec = services[name]!;
      username = readRawHeader(req.rawHeaders, 'x-zato-username') ?? '';
    }

    let body: unknown;
    if (hasBody(req)) {
      if (!isJsonContentType(req.headers['content-type'])) {
        return fail(415, 'Unsupported content type: send the body as application/json');
      }
      const read = await readBody(req, channel.maxBodySize);
      if (read.kind === 'aborted') return;
      if (read.kind === 'too-large') return fail(413, `The request body is larger than ${channel.maxBodySize} bytes`);
      bodyRead = true;
      if (read.kind === 'parsed') body = read.value;
      else if (read.buffer.length > 0) {
        // Parsed for a service without an input model too (its input is {}): malformed JSON is a 400 either way.
        // JSON text is UTF-8 (RFC 8259 §8.1); decoding would silently turn bad bytes into U+FFFD and store them.
        if (!isUtf8(read.buffer)) return fail(400, 'The request body is not valid UTF-8');
        try {
          body = JSON.parse(read.buffer.toString('utf8'));
        } catch {
          return fail(400, 'Malformed JSON in the request body');
        }
      }
    } else bodyRead = true;

    let input: unknown = {};
    if (spec.input !== null) {
      const built = buildInput(spec.input, body, query, params);
      if (!built.ok) return fail(400, built.details, undefined, built.errors);
      input = built.input;
    }

    const http: HttpRequest = { method, path, query, params, headers: new LazyRequestHeaders(req.rawHeaders) };
    const info: ChannelInfo = { name: channel.name, type: channel.type, security: { username } };
    const call: CallContext = { cid, username, channelName: channel.name, http, chain: [spec.name] };

    // At the deadline the 504 goes out; the service keeps running in the background and whatever it does later is
    // ignored (cancel then tells that the answer has gone).
    const deadline = deadlines.set(channel.timeoutMs, () => {
      try {
        logger.log('warn', `service ${spec.name} timed out after ${channel.timeoutMs} ms`, { cid, service: spec.name });
        fail(504, `The service did not answer within ${channel.timeoutMs} ms`);
      } catch (err) {
        logger.log('error', 'unexpected runtime error', { cid, err });
      }
    });
    let response: Response;
    try {
      response = await dispatcher.execute(spec, input, info, call);
    } catch (err) {
      if (!deadlines.cancel(deadline)) return;
      if (isServiceError(err) && Number.isInteger(err.status) && err.status >= 400 && err.status <= 599) {
        return fail(err.status, err.message);
      }
      logger.log('error', `service ${spec.name} failed: ${err instanceof Error ? err.message : String(err)}`, { cid, service: spec.name, err });
      return fail(500, 'Internal error');
    }
    if (!deadlines.cancel(deadline)) return;
    respond(res, response, spec, cid, prep.extra, channel.name, method, path, start);
  }

  function respond(
    res: ServerResponse,
    response: Response,
    spec: ServiceSpec,
    cid: string,
    extra: HeaderList | null,
    channelName: string,
    method: string,
    path: string,
    start: number,
  ): void {
    const problem = (message: string, err?: unknown): void => {
      logger.log('error', message, { cid, service: spec.name, err });
      sendBody(res, 500, cid, errorBody(cid, 'Internal error'), extra, true);
      log(cid, channelName, spec.name, method, path, 500, start);
    };
    const status = response.statusCode ?? (spec.output === null ? 204 : 200);
    if (!Number.isInteger(status) || status < 200 || status > 599) {
      return problem(`service ${spec.name} set an invalid status code ${JSON.stringify(status)}`);
    }
    let body = '';
    if (spec.output !== null && status !== 204 && status !== 304) {
      try {
        body = spec.output.serialize(response.payload);
      } catch (err) {
        return problem(`service ${spec.name}: its payload could not be serialised`, err);
      }
    }
    const checked = checkResponseHeaders(response.headers);
    if (typeof checked === 'string') return problem(`service ${spec.name}: ${checked}`);
    const headers = extra === null ? checked : checked.length === 0 ? extra : [...extra, ...checked];
    sendBody(res, status, cid, body, headers.length === 0 ? null : headers, pipeline.closing);
    log(cid, channelName, spec.name, method, path, status, start);
  }

  return pipeline;
}
