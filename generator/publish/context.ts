/**
 * What every publish target shares: the options, the chosen gateway channel, and the checks of option values.
 * Diagnostics about command-line options have no YAML position: their `loc.file` names the flag
 * (`--backend-url:1:1: error SG506: …`), which reads naturally in the CLI's `path:line:column` format.
 */
import type { OpenAPIObject } from 'openapi3-ts/oas31';
import type { ChannelDecl, Loc, Project, SecurityDecl } from '../ir.js';
import { didYouMean, error, warning } from '../diagnostics.js';
import type { Diagnostic } from '../diagnostics.js';

export type PublishTarget = 'openapi' | 'kong' | 'aws' | 'azure' | 'nginx';

export interface PublishOptions {
  /** Gateway channel name; default: the first active gateway channel by name. */
  channel?: string;
  /** Where the external gateway reaches servicegate; default 'http://127.0.0.1:17010'. */
  backendUrl?: string;
  title: string;
  version: string;
  /** Client-facing path prefix of every service (`<prefix>/<service>`); default '/api', '' for none. */
  pathPrefix?: string;
  /** nginx: the `listen` address; default '127.0.0.1:8080'. */
  listen?: string;
  /** nginx: the htpasswd file of the callers; default '/etc/nginx/servicegate.htpasswd'. */
  htpasswdPath?: string;
  /** nginx: the file the operator writes with the backend's credentials; default '/etc/nginx/servicegate-backend-auth.conf'. */
  backendAuthInclude?: string;
  /** kong: how callers authenticate; default 'basic-auth'. */
  kongAuth?: 'basic-auth' | 'key-auth';
  /** azure: the JWT claim whose value becomes x-zato-username; default 'sub'. */
  jwtClaim?: string;
}

export interface PublishResult {
  files: { path: string; content: string }[];
  diagnostics: Diagnostic[];
}

export const DEFAULT_BACKEND_URL = 'http://127.0.0.1:17010';

export interface ResolvedOptions {
  readonly title: string;
  readonly version: string;
  readonly backendUrl: string; // no trailing '/'
  readonly pathPrefix: string; // '' or '/a/b'
  readonly listen: string;
  readonly htpasswdPath: string;
  readonly backendAuthInclude: string;
  readonly kongAuth: 'basic-auth' | 'key-auth';
  readonly jwtClaim: string;
}

/** Everything a gateway target needs; `diagnostics` is appended to. */
export interface TargetContext {
  readonly project: Project;
  readonly doc: OpenAPIObject;
  readonly channel: ChannelDecl;
  /** The channel's security definition: what the backend expects from the gateway. */
  readonly backendSecurity: SecurityDecl | undefined;
  readonly options: ResolvedOptions;
  readonly diagnostics: Diagnostic[];
}

/** Where a diagnostic about a command-line option points: the flag itself, as a pseudo-file. */
export const optionLoc = (flag: string): Loc => ({ file: flag, line: 1, column: 1 });

/** Characters every gateway accepts in a path segment and a Kong entity name: RFC 3986 unreserved. */
export const SAFE_NAME = /^[A-Za-z0-9._~-]+$/;

/** A value that goes into a config file verbatim (a file path, a listen address): no quoting needed anywhere. */
const PLAIN_VALUE = /^[A-Za-z0-9._~\/:\[\]@+=,-]+$/;

/** Options with defaults filled in; bad values are reported and replaced by their defaults. */
export function resolveOptions(options: PublishOptions, diagnostics: Diagnostic[]): ResolvedOptions {
  const plain = (flag: string, value: string | undefined, fallback: string): string => {
    if (value === undefined) return fallback;
    if (PLAIN_VALUE.test(value)) return value;
    diagnostics.push(error('SG507', `${JSON.stringify(value)} cannot be written into the target's configuration safely: use letters, digits and . _ ~ / : [ ] @ + = , - only.`, optionLoc(flag)));
    return fallback;
  };
  let pathPrefix = options.pathPrefix ?? '/api';
  if (pathPrefix !== '' && !/^(\/[A-Za-z0-9._~-]+)+$/.test(pathPrefix)) {
    diagnostics.push(error('SG507', `path prefix ${JSON.stringify(pathPrefix)} must be '' or like '/api' or '/v1/api' (segments of letters, digits and . _ ~ -).`, optionLoc('--path-prefix')));
    pathPrefix = '/api';
  }
  let jwtClaim = options.jwtClaim ?? 'sub';
  if (!/^[A-Za-z0-9_.:\/-]+$/.test(jwtClaim)) {
    diagnostics.push(error('SG507', `JWT claim ${JSON.stringify(jwtClaim)} is not a plain claim name: use letters, digits and _ . : / -, e.g. 'sub' or 'preferred_username'.`, optionLoc('--jwt-claim')));
    jwtClaim = 'sub';
  }
  return {
    title: options.title,
    version: options.version,
    backendUrl: checkBackendUrl(options.backendUrl ?? DEFAULT_BACKEND_URL, diagnostics),
    pathPrefix,
    listen: plain('--listen', options.listen, '127.0.0.1:8080'),
    htpasswdPath: plain('--htpasswd', options.htpasswdPath, '/etc/nginx/servicegate.htpasswd'),
    backendAuthInclude: plain('--backend-auth-include', options.backendAuthInclude, '/etc/nginx/servicegate-backend-auth.conf'),
    kongAuth: options.kongAuth === 'key-auth' ? 'key-auth' : 'basic-auth',
    jwtClaim,
  };
}

/** An http(s) URL with no query, fragment or credentials, and nothing a config file would need to quote. */
function checkBackendUrl(raw: string, diagnostics: Diagnostic[]): string {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  const ok = url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:') && url.search === '' &&
    url.hash === '' && url.username === '' && url.password === '' && PLAIN_VALUE.test(raw);
  if (!ok) {
    diagnostics.push(error('SG506', `backend URL ${JSON.stringify(raw)} is not a plain http(s) URL: write e.g. 'https://zato.internal:17010' (no credentials, query or fragment; credentials go in the gateway's secret store).`, optionLoc('--backend-url')));
    return DEFAULT_BACKEND_URL;
  }
  return raw.replace(/\/+$/, '');
}

/**
 * The gateway channel to publish: `--channel` when given (it must be a gateway channel), else the first active
 * gateway channel by name. Undefined after reporting SG501.
 */
export function resolveChannel(project: Project, name: string | undefined, diagnostics: Diagnostic[]): ChannelDecl | undefined {
  const gateways = project.channels.filter((c) => c.kind === 'gateway');
  if (name !== undefined) {
    const found = project.channels.find((c) => c.name === name);
    if (found?.kind === 'gateway') return found;
    const what = found ? `is a direct channel, not a gateway channel` : 'does not exist';
    diagnostics.push(error('SG501', `channel ${JSON.stringify(name)} ${what}; gateway targets publish a gateway channel (service: helpers.service-gateway).${didYouMean(name, gateways.map((c) => c.name))}`, optionLoc('--channel')));
    return undefined;
  }
  const chosen = gateways.find((c) => c.isActive) ?? gateways[0];
  if (chosen === undefined) {
    // Where to add one: the top of the file that holds the first channel (or of the first config file).
    const file = project.channels[0]?.loc.file ?? project.inputs.find((f) => /\.ya?ml$/.test(f));
    const loc = file !== undefined ? { file, line: 1, column: 1 } : optionLoc('--channel');
    diagnostics.push(error('SG501', 'the project has no gateway channel to publish: add a rest_channel with service: helpers.service-gateway and a gateway_service_list.', loc));
  }
  return chosen;
}

/** Whether `url` points at this machine: a cloud gateway cannot reach it. */
export function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host.startsWith('127.') || host === '[::1]';
}

/** SG508 for cloud targets that were left with a loopback backend URL. */
export function checkReachable(ctx: TargetContext, target: string): void {
  if (isLoopback(ctx.options.backendUrl)) {
    ctx.diagnostics.push(warning('SG508', `${target} cannot reach ${ctx.options.backendUrl} (this machine): pass --backend-url with an address the gateway can reach.`, optionLoc('--backend-url')));
  }
}
