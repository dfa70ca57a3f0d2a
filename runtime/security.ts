/**
 * Channel security (CONTRACT §5.3): `basic_auth` and `apikey`, checked before the body is read.
 *
 * Secrets are resolved from the environment once, when the server is created; a missing one stops the server with
 * a StartupError. Comparisons use `timingSafeEqual` over values of the secret's length (or over SHA-256 digests of
 * both sides), so the time taken depends neither on where the first difference is nor on the length of what the
 * client sent.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { EnvRef, SecuritySpec } from './manifest.js';
import { readRawHeader } from './headers.js';

/** Raised by createServer when the manifest cannot be served as configured (e.g. a secret is not set). */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

/** A resolved security definition, ready to check requests. */
export interface Authenticator {
  readonly name: string;
  /** The username of the definition; what `this.channel.security.username` is on a direct channel. */
  readonly username: string;
  /** `WWW-Authenticate` value for a 401, or null (apikey sends none). */
  readonly challenge: string | null;
  /** Whether the request's headers carry valid credentials. */
  check(rawHeaders: readonly string[]): boolean;
}

function digest(value: string | Buffer): Buffer {
  return createHash('sha256').update(value).digest();
}

function resolveValue(spec: SecuritySpec, field: string, value: string | EnvRef, env: Record<string, string | undefined>): string {
  if (typeof value === 'string') return value;
  const found = env[value.env];
  if (found === undefined || found === '') {
    throw new StartupError(
      `security definition '${spec.name}': environment variable ${value.env} is not set ` +
        `(it provides the ${field}; set it before starting the server)`,
    );
  }
  return found;
}

/** A realm is a quoted-string: escape `\` and `"`, and drop control characters that would break the header. */
export function quoteRealm(realm: string): string {
  // eslint-disable-next-line no-control-regex
  return '"' + realm.replace(/[\u0000-\u001f\u007f]/g, '').replace(/[\\"]/g, '\\$&') + '"';
}

const BASIC = /^[Bb][Aa][Ss][Ii][Cc] +([A-Za-z0-9+/]+={0,2}) *$/;

/** The decoded bytes of `Authorization: Basic <base64>`, or null when the header is not of that form. */
function decodeBasicAuth(header: string | undefined): Buffer | null {
  if (header === undefined) return null;
  const match = BASIC.exec(header);
  return match === null ? null : Buffer.from(match[1]!, 'base64');
}

/**
 * Constant-time equality with a secret. `timingSafeEqual` needs equal lengths, so a value of another length is
 * compared as the secret with itself: the time taken depends only on the secret's length, never on what was sent.
 */
function equalSecret(given: Buffer, secret: Buffer): boolean {
  const sameLength = given.length === secret.length;
  return timingSafeEqual(sameLength ? given : secret, secret) && sameLength;
}

/**
 * Parses `Authorization: Basic <base64(user:pass)>`; null when malformed. The scheme is case-insensitive
 * (RFC 7617); the password may contain ':' (only the first one separates).
 */
export function parseBasicAuth(header: string | undefined): { username: Buffer; password: Buffer } | null {
  const decoded = decodeBasicAuth(header);
  if (decoded === null) return null;
  const colon = decoded.indexOf(0x3a);
  if (colon < 0) return null;
  return { username: decoded.subarray(0, colon), password: decoded.subarray(colon + 1) };
}

function basicAuth(spec: SecuritySpec, env: Record<string, string | undefined>): Authenticator {
  const username = resolveValue(spec, 'username', spec.username, env);
  const password = resolveValue(spec, 'password', spec.password, env);
  const wantUser = digest(username);
  const wantPassword = digest(password);
  // Without a ':' in the username, "the decoded credentials are exactly `username:password`" is the same test as
  // "both parts match" (the first ':' separates), and needs one comparison and no hashing on the request path.
  const wantPair = username.includes(':') ? null : Buffer.from(`${username}:${password}`);
  return {
    name: spec.name,
    username,
    challenge: `Basic realm=${quoteRealm(spec.realm || 'zato')}`,
    check(rawHeaders) {
      const header = readRawHeader(rawHeaders, 'authorization');
      if (wantPair !== null) {
        const decoded = decodeBasicAuth(header);
        return decoded !== null && equalSecret(decoded, wantPair);
      }
      const given = parseBasicAuth(header);
      if (given === null) return false;
      // Both comparisons always run before the results are combined, so a right username is not told apart by timing.
      const userOk = timingSafeEqual(digest(given.username), wantUser);
      const passwordOk = timingSafeEqual(digest(given.password), wantPassword);
      return userOk && passwordOk;
    },
  };
}

function apiKey(spec: SecuritySpec, env: Record<string, string | undefined>): Authenticator {
  const username = resolveValue(spec, 'username', spec.username, env);
  const key = resolveValue(spec, 'password', spec.password, env);
  const want = Buffer.from(key);
  const header = (spec.header || 'x-api-key').toLowerCase();
  return {
    name: spec.name,
    username,
    challenge: null,
    check(rawHeaders) {
      const given = readRawHeader(rawHeaders, header);
      if (given === undefined || given === '') return false;
      return equalSecret(Buffer.from(given), want);
    },
  };
}

/**
 * Resolves every security definition of the manifest; throws StartupError naming the definition and the
 * environment variable when a secret is unset or empty.
 */
export function readSecurity(
  specs: readonly SecuritySpec[],
  env: Record<string, string | undefined>,
): Map<string, Authenticator> {
  const out = new Map<string, Authenticator>();
  for (const spec of specs) {
    if (spec.type === 'basic_auth') out.set(spec.name, basicAuth(spec, env));
    else if (spec.type === 'apikey') out.set(spec.name, apiKey(spec, env));
    else throw new StartupError(`security definition '${spec.name}': unknown type '${String(spec.type)}'`);
  }
  return out;
}
