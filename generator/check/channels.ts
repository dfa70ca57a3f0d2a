/**
 * Whole-project checks that need services, models and channels together (CONTRACT §3). Every problem is
 * reported at the YAML position of the value that causes it.
 *
 * Diagnostic codes (checks):
 *   SG301 a channel's `service` names no service
 *   SG302 a gateway_service_list entry names no service
 *   SG303 a channel names an unknown security definition
 *   SG304 two channels with the same name
 *   SG305 two security definitions with the same name
 *   SG306 two channels (or a channel and a built-in route) answer the same path and method
 *   SG307 an invalid url_path
 *   SG308 a gateway url_path that does not end in exactly one `/{service}` segment
 *   SG309 a path parameter that the service's input model does not declare
 *   SG310 a gateway channel without security
 *   SG311 warning: a gateway channel with `security: none`
 *   SG312 a gateway channel with an empty gateway_service_list
 *   SG313 a gateway_service_list entry that is the gateway itself or a reserved `zato.`/`helpers.` name
 *   SG314 a channel whose service is a reserved name other than the gateway service
 *   SG315 warning: a GET (or other body-less) channel whose service needs an input field no query parameter can carry
 * (Duplicate gateway_service_list entries are reported by the reader, SG215, which sees them before sorting.)
 */
import { BODYLESS_METHODS, GATEWAY_SERVICE, compareCodePoints, isParameterType, type ChannelDecl, type Loc, type ModelDecl, type SecurityDecl, type ServiceDecl, type TypeRef } from '../ir.js';
import { didYouMean, error, sortDiagnostics, warning, type Diagnostic } from '../diagnostics.js';

export interface ChannelCheckInput {
  readonly services: readonly ServiceDecl[];
  readonly models: readonly ModelDecl[];
  readonly channels: readonly ChannelDecl[];
  readonly security: readonly SecurityDecl[];
}

const MAX_PATH_LENGTH = 200;
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Routes the runtime answers itself (CONTRACT §5.8). */
const BUILT_IN_ROUTES: readonly { readonly method: string; readonly path: string }[] = [{ method: 'GET', path: '/zato/ping' }];

const at = (c: ChannelDecl, key: string): Loc => c.keyLocs[key] ?? c.loc;
const where = (l: Loc): string => `${l.file}:${l.line}:${l.column}`;
const compareLocs = (a: Loc, b: Loc): number => compareCodePoints(a.file, b.file) || a.line - b.line || a.column - b.column;
const isReserved = (name: string): boolean => name.startsWith('zato.') || name.startsWith('helpers.');

/**
 * Checks channels and security definitions against each other and against the services and models.
 * Returns every problem found, sorted; never throws.
 */
export function checkChannels(p: ChannelCheckInput): Diagnostic[] {
  const out: Diagnostic[] = [];
  const services = new Map(p.services.map((s) => [s.name, s]));
  const securityNames = new Set(p.security.map((s) => s.name));
  const models = new Map(p.models.map((m) => [m.name, m]));
  checkDuplicates(p.channels, (c) => at(c, 'name'), 'SG304', 'channel', out);
  checkDuplicates(p.security, (s) => s.loc, 'SG305', 'security definition', out);
  const validPath = new Set<ChannelDecl>();
  for (const c of p.channels) {
    if (checkUrlPath(c, out)) validPath.add(c);
    if (c.kind === 'gateway') checkGateway(c, services, out);
    else checkRestService(c, services, models, validPath.has(c), out);
    checkSecurityRef(c, securityNames, out);
  }
  checkRoutes(p.channels.filter((c) => validPath.has(c)), out);
  return sortDiagnostics(out);
}

function checkDuplicates<T extends { readonly name: string }>(items: readonly T[], locOf: (t: T) => Loc, code: string, what: string, out: Diagnostic[]): void {
  const first = new Map<string, Loc>();
  for (const item of [...items].sort((a, b) => compareLocs(locOf(a), locOf(b)))) {
    const seen = first.get(item.name);
    if (seen) out.push(error(code, `duplicate ${what} name '${item.name}': already defined at ${where(seen)}; give each ${what} a unique name`, locOf(item)));
    else first.set(item.name, locOf(item));
  }
}

/** What is wrong with a url_path, or '' when it is well-formed. */
export function checkUrlPathSyntax(path: string): string {
  if (!path.startsWith('/')) return `must start with '/'`;
  if (path.length > MAX_PATH_LENGTH) return `is ${path.length} characters long; the limit is ${MAX_PATH_LENGTH}`;
  if (/[?#]/.test(path)) return `must not contain '?' or '#' (query parameters come from the input model, not the path)`;
  if (/[\s\u0000-\u001f\u007f]/.test(path)) return 'must not contain spaces or control characters';
  const seen = new Set<string>();
  for (let i = 0; i < path.length; i++) {
    if (path[i] === '}') return `has a '}' without a matching '{'`;
    if (path[i] !== '{') continue;
    const end = path.indexOf('}', i);
    if (end < 0) return `has a '{' without a closing '}'`;
    const name = path.slice(i + 1, end);
    if (!PARAM_NAME.test(name)) return `has an invalid parameter '{${name}}': write {name}, a letter or '_' followed by letters, digits or '_'`;
    if (seen.has(name)) return `uses the parameter {${name}} twice; give each parameter its own name`;
    seen.add(name);
    i = end;
  }
  return '';
}

function checkUrlPath(c: ChannelDecl, out: Diagnostic[]): boolean {
  const problem = checkUrlPathSyntax(c.urlPath);
  if (problem) {
    out.push(error('SG307', `url_path '${c.urlPath}' of channel '${c.name}' ${problem}`, at(c, 'url_path')));
    return false;
  }
  if (c.kind !== 'gateway') return true;
  const others = c.pathParams.filter((n) => n !== 'service');
  if (!c.urlPath.endsWith('/{service}') || others.length > 0) {
    const why = others.length > 0 ? `takes no parameters other than {service}` : `must end with the segment /{service}`;
    out.push(error('SG308', `url_path '${c.urlPath}' of gateway channel '${c.name}' ${why}, like /zato/gateway/{service}`, at(c, 'url_path')));
    return false;
  }
  return true;
}

function checkGateway(c: ChannelDecl, services: ReadonlyMap<string, ServiceDecl>, out: Diagnostic[]): void {
  if (c.security === null && c.securityNone) {
    out.push(warning('SG311', `gateway channel '${c.name}' lets anyone call ${c.gatewayServiceList.length} service(s) without authentication (security: none)`, at(c, 'security')));
  } else if (c.security === null) {
    out.push(error('SG310', `gateway channel '${c.name}' has no security: add security: <a definition name>, or security: none to expose its services without authentication on purpose`, at(c, 'name')));
  }
  if (c.gatewayServiceList.length === 0) {
    const loc = c.keyLocs.gateway_service_list ?? at(c, 'name');
    out.push(error('SG312', `gateway channel '${c.name}' allows no service: list the services it may call under gateway_service_list:`, loc));
  }
  for (const name of c.gatewayServiceList) {
    const loc = c.keyLocs[`gateway_service_list=${name}`] ?? at(c, 'gateway_service_list');
    if (name === GATEWAY_SERVICE || isReserved(name)) {
      out.push(error('SG313', `gateway channel '${c.name}' cannot call '${name}': names starting with 'zato.' or 'helpers.' are reserved; remove it from gateway_service_list`, loc));
    } else if (!services.has(name)) {
      const hint = didYouMean(name, services.keys()) || ` Remove it, or write the name of a service (its name = '…' field).`;
      out.push(error('SG302', `gateway_service_list of channel '${c.name}' names service '${name}', which does not exist.${hint}`, loc));
    }
  }
}

function checkRestService(c: ChannelDecl, services: ReadonlyMap<string, ServiceDecl>, models: ReadonlyMap<string, ModelDecl>, pathOk: boolean, out: Diagnostic[]): void {
  const loc = at(c, 'service');
  if (isReserved(c.service)) {
    const hint = didYouMean(c.service, [GATEWAY_SERVICE]) || ` Write ${GATEWAY_SERVICE} for a gateway channel, or one of the project's services.`;
    out.push(error('SG314', `channel '${c.name}' cannot call '${c.service}': names starting with 'zato.' or 'helpers.' are reserved.${hint}`, loc));
    return;
  }
  const service = services.get(c.service);
  if (!service) {
    const hint = didYouMean(c.service, services.keys()) || ` Write the name of a service (its name = '…' field).`;
    out.push(error('SG301', `channel '${c.name}' calls service '${c.service}', which does not exist.${hint}`, loc));
    return;
  }
  if (pathOk) checkPathParams(c, service, models, out);
  checkBodylessInput(c, service, models, out);
}

/**
 * A GET (DELETE, HEAD, …) request carries its input in the path and the query string: the OpenAPI document gives
 * the operation no body, and API gateways pass none on. A required field that a query parameter cannot hold (an
 * object, an array, a record, a nullable value) leaves the operation impossible to call as documented.
 */
function checkBodylessInput(c: ChannelDecl, service: ServiceDecl, models: ReadonlyMap<string, ModelDecl>, out: Diagnostic[]): void {
  if (c.method === null || !BODYLESS_METHODS.has(c.method.toLowerCase()) || !service.input) return;
  const input = models.get(service.input);
  if (input?.kind !== 'object') return;
  for (const f of input.fields) {
    if (f.optional || f.default !== undefined || c.pathParams.includes(f.name) || isParameterType(f.type, models)) continue;
    out.push(warning('SG315', `channel '${c.name}' (${c.method}) cannot carry field '${f.name}' of ${input.name}, the input of '${service.name}': a ${c.method} request sends its input as query parameters, which cannot hold ${typeWord(f.type)}, and gets no body in the OpenAPI document or through API gateways; use method: POST, or make '${f.name}' optional`, at(c, 'method')));
  }
}

function typeWord(type: TypeRef): string {
  switch (type.kind) {
    case 'array':
      return 'an array';
    case 'record':
      return 'a record';
    case 'nullable':
      return 'null';
    case 'ref':
      return 'an object';
    default:
      return 'any JSON value';
  }
}

/** Every `{param}` must reach the service through a declared input field (CONTRACT §5.6). */
function checkPathParams(c: ChannelDecl, service: ServiceDecl, models: ReadonlyMap<string, ModelDecl>, out: Diagnostic[]): void {
  if (c.pathParams.length === 0) return;
  const loc = at(c, 'url_path');
  if (!service.input) {
    for (const param of c.pathParams) {
      out.push(error('SG309', `path parameter {${param}} of channel '${c.name}' cannot reach service '${service.name}', which has no input model: add input = <a model with a field '${param}'> to ${service.className}, or remove {${param}} from url_path`, loc));
    }
    return;
  }
  const input = models.get(service.input);
  // A union input takes a path parameter only when every member declares it.
  const objects = input?.kind === 'object' ? [input] : input?.kind === 'union' ? input.members.map((m) => models.get(m.model)) : [];
  if (objects.length === 0) return; // an unresolved or non-object input is the model reader's error to report
  for (const param of c.pathParams) {
    const missing = objects.find((m) => m?.kind !== 'object' || !m.fields.some((f) => f.name === param));
    if (!missing) continue;
    const modelName = missing.kind === 'object' ? missing.name : service.input;
    out.push(error('SG309', `path parameter {${param}} of channel '${c.name}' is not a field of ${modelName}, the input of '${service.name}': add ${param}!: string (or Int) to ${modelName}, or remove {${param}} from url_path`, loc));
  }
}

function checkSecurityRef(c: ChannelDecl, names: ReadonlySet<string>, out: Diagnostic[]): void {
  if (c.security === null || names.has(c.security)) return;
  const hint = didYouMean(c.security, names) || ` Define it under security:, or write security: none.`;
  out.push(error('SG303', `channel '${c.name}' uses security definition '${c.security}', which is not defined.${hint}`, at(c, 'security')));
}

interface Route {
  readonly shape: string; // the path with every {param} as {}: /a/{x} and /a/{y} are the same route
  readonly path: string; // as written, for messages
  readonly method: string | null; // null: any method
  readonly channel?: ChannelDecl; // absent for built-in routes
  readonly loc: Loc;
}

function routesOf(c: ChannelDecl): Route[] {
  const shape = c.urlPath.replace(/\{[^{}]*\}/g, '{}');
  const loc = at(c, 'url_path');
  if (c.kind !== 'gateway') return [{ shape, path: c.urlPath, method: c.method, channel: c, loc }];
  // A gateway answers POST on its path and on {prefix}/invoke (CONTRACT §5.2).
  const invokeShape = `${shape.slice(0, -'/{}'.length)}/invoke`;
  const invokePath = `${c.urlPath.slice(0, -'/{service}'.length)}/invoke`;
  return [
    { shape, path: c.urlPath, method: 'POST', channel: c, loc },
    { shape: invokeShape, path: invokePath, method: 'POST', channel: c, loc },
  ];
}

function checkRoutes(channels: readonly ChannelDecl[], out: Diagnostic[]): void {
  const groups = new Map<string, Route[]>();
  const add = (r: Route) => {
    const group = groups.get(r.shape);
    if (group) group.push(r);
    else groups.set(r.shape, [r]);
  };
  for (const r of BUILT_IN_ROUTES) add({ shape: r.path, path: r.path, method: r.method, loc: { file: '', line: 0, column: 0 } });
  for (const c of [...channels].sort((a, b) => compareLocs(at(a, 'url_path'), at(b, 'url_path')))) routesOf(c).forEach(add);
  const reported = new Set<ChannelDecl>();
  for (const routes of groups.values()) {
    for (let j = 0; j < routes.length; j++) {
      const r = routes[j]!;
      if (!r.channel || reported.has(r.channel)) continue;
      const clash = routes.slice(0, j).find((q) => q.channel !== r.channel && (q.method === null || r.method === null || q.method === r.method));
      if (!clash) continue;
      reported.add(r.channel);
      const method = r.method ?? clash.method ?? 'any method';
      const other = clash.channel ? `channel '${clash.channel.name}' (${where(clash.loc)})` : `servicegate's built-in ${clash.method} ${clash.path}`;
      out.push(error('SG306', `channel '${r.channel.name}' answers ${method} ${r.path} like ${other}; change its url_path or method`, r.loc));
    }
  }
}
