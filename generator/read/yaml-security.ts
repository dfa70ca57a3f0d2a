/**
 * One `security:` item → SecurityDecl (CONTRACT §3). Secrets stay in the environment: a password must be
 * `${VAR}` or `Zato_Enmasse_Env.VAR`, and a literal one is an error, so no literal can reach generated files.
 */
import { isMap, type Node } from 'yaml';
import type { EnvRef, Loc, SecurityDecl, SecurityType } from '../ir.js';
import { didYouMean, error, warning } from '../diagnostics.js';
import { entriesOf, isNull, knownEntries, readBool, readStr, type Entry, type FileCtx } from './yaml-nodes.js';

const KEYS = ['name', 'type', 'username', 'password', 'realm', 'header', 'is_active'];
const TYPES: readonly SecurityType[] = ['apikey', 'basic_auth'];
/** Zato definition types servicegate cannot serve: skipped with a warning so a full export still reads. */
const ZATO_TYPES = new Set([
  'aws', 'bearer_token', 'jwt', 'ntlm', 'oauth', 'openstack', 'tls_channel_sec', 'tls_key_cert', 'vault_conn_sec', 'wss', 'xpath_sec',
]);
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** An HTTP field-name token (RFC 9110 §5.1). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** `${VAR}` or `Zato_Enmasse_Env.VAR` → { env: 'VAR' }; anything else → undefined. */
export function readEnvRef(text: string): EnvRef | undefined {
  const m = /^\$\{([^}]*)\}$/.exec(text) ?? /^Zato_Enmasse_Env\.(.*)$/.exec(text);
  return m && ENV_NAME.test(m[1]!) ? { env: m[1]! } : undefined;
}

/** Looks like an attempt at an env reference that went wrong (so the message can say so). */
function looksLikeEnvRef(text: string): boolean {
  return text.includes('${') || text.startsWith('Zato_Enmasse_Env');
}

/** A suggested variable name for a definition: `gateway.credentials` → GATEWAY_CREDENTIALS_PASSWORD. */
function envNameFor(name: string): string {
  const base = name.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return `${/^[0-9]/.test(base) ? '_' : ''}${base || 'API'}_PASSWORD`;
}

/** Reads one definition; undefined when it cannot be used at all (errors or a warning already reported). */
export function readSecurityItem(ctx: FileCtx, node: Node | null, loc: Loc): SecurityDecl | undefined {
  const d = ctx.diagnostics;
  if (!isMap(node)) {
    d.push(error('SG208', `each security definition must be a map with name, type and password, like '- name: api.credentials'`, loc));
    return undefined;
  }
  const keys = knownEntries(ctx, entriesOf(ctx, node), KEYS, 'a security definition');
  const get = (k: string) => {
    const e = keys.get(k);
    return e && !isNull(e.value) ? e : undefined;
  };

  const nameEntry = get('name');
  const name = nameEntry ? readStr(ctx, nameEntry, 'api.credentials') : undefined;
  if (!nameEntry) d.push(error('SG209', `a security definition needs a name: add name: api.credentials`, loc));
  if (name === undefined) return undefined;
  if (name.trim() === '') {
    d.push(error('SG213', `a security definition's name must not be empty`, nameEntry!.valueLoc));
    return undefined;
  }
  const what = `security definition '${name}'`;

  const typeEntry = get('type');
  const typeText = typeEntry ? readStr(ctx, typeEntry, 'basic_auth') : undefined;
  if (!typeEntry) d.push(error('SG209', `${what} needs a type: add type: basic_auth (or apikey)`, loc));
  if (typeText === undefined) return undefined;
  if (ZATO_TYPES.has(typeText)) {
    d.push(warning('SG212', `servicegate ignores ${what}: type '${typeText}' is not supported (use basic_auth or apikey)`, typeEntry!.valueLoc));
    return undefined;
  }
  if (!(TYPES as readonly string[]).includes(typeText)) {
    const hint = didYouMean(typeText, TYPES) || ` Write basic_auth or apikey.`;
    d.push(error('SG211', `unknown security type '${typeText}' in ${what}.${hint}`, typeEntry!.valueLoc));
    return undefined;
  }
  const type = typeText as SecurityType;

  const active = get('is_active');
  if (active && readBool(ctx, active) === false) {
    d.push(warning('SG207', `servicegate ignores 'is_active: false' in ${what}: it still protects every channel that names it`, active.valueLoc));
  }
  for (const [key, only] of [['realm', 'basic_auth'], ['header', 'apikey']] as const) {
    const e = get(key);
    if (e && type !== only) d.push(warning('SG207', `servicegate ignores '${key}' in ${what}: it applies to ${only} definitions only`, e.keyLoc));
  }

  const password = readPassword(ctx, get('password'), what, name, loc);
  const username = readUsername(ctx, get('username'), what, type, name, loc);
  const realm = type === 'basic_auth' ? readRealm(ctx, get('realm'), what) : 'zato';
  let header = 'X-API-Key';
  const headerEntry = type === 'apikey' ? get('header') : undefined;
  if (headerEntry) {
    const h = readStr(ctx, headerEntry, 'X-API-Key');
    if (h !== undefined && !TOKEN.test(h)) {
      d.push(error('SG213', `'${h}' is not a valid HTTP header name in ${what}: use letters, digits and '-', like header: X-API-Key`, headerEntry.valueLoc));
    } else if (h !== undefined) header = h;
  }
  // An unusable password is already an error; the definition stays listed so channels naming it do not
  // also get a misleading "unknown definition" error. Nothing is emitted from a build with errors.
  return { name, type, username: username ?? name, password: password ?? { env: '' }, realm, header, loc };
}

function readPassword(ctx: FileCtx, e: Entry | undefined, what: string, name: string, loc: Loc): EnvRef | undefined {
  const env = envNameFor(name);
  const fix = `write password: \${${env}} and set ${env} in the environment`;
  if (!e) {
    ctx.diagnostics.push(error('SG209', `${what} has no password: ${fix}`, loc));
    return undefined;
  }
  const text = readStr(ctx, e, `\${${env}}`);
  if (text === undefined) return undefined;
  const ref = readEnvRef(text);
  if (ref) return ref;
  if (text.trim() === '' || text.trim().toLowerCase() === 'none') {
    ctx.diagnostics.push(error('SG210', `${what} needs a password ('${text}' is not one): ${fix}`, e.valueLoc));
  } else if (looksLikeEnvRef(text)) {
    ctx.diagnostics.push(error('SG210', `'${text}' is not a valid environment variable reference in ${what}: write \${NAME} or Zato_Enmasse_Env.NAME, NAME made of letters, digits and '_'`, e.valueLoc));
  } else {
    ctx.diagnostics.push(error('SG210', `secrets are never copied into generated files: ${fix}`, e.valueLoc));
  }
  return undefined;
}

function readUsername(ctx: FileCtx, e: Entry | undefined, what: string, type: SecurityType, name: string, loc: Loc): string | EnvRef | undefined {
  if (!e) {
    if (type === 'basic_auth') ctx.diagnostics.push(error('SG209', `${what} needs a username: add username: <the name callers log in with>`, loc));
    return undefined;
  }
  const text = readStr(ctx, e, 'api');
  if (text === undefined) return undefined;
  if (text === '') {
    ctx.diagnostics.push(error('SG213', `the username of ${what} must not be empty`, e.valueLoc));
    return undefined;
  }
  const ref = readEnvRef(text);
  if (!ref && looksLikeEnvRef(text)) {
    ctx.diagnostics.push(error('SG213', `'${text}' is not a valid environment variable reference in ${what}: write \${NAME} or Zato_Enmasse_Env.NAME`, e.valueLoc));
    return undefined;
  }
  if (!ref && type === 'basic_auth' && text.includes(':')) {
    ctx.diagnostics.push(error('SG213', `a Basic auth username cannot contain ':' (${what})`, e.valueLoc));
    return undefined;
  }
  return ref ?? text;
}

function readRealm(ctx: FileCtx, e: Entry | undefined, what: string): string {
  if (!e) return 'zato';
  const text = readStr(ctx, e, 'API');
  if (text === undefined) return 'zato';
  // The realm is sent inside a quoted WWW-Authenticate parameter.
  if (/["\\\u0000-\u001f\u007f]/.test(text) || text === '') {
    ctx.diagnostics.push(error('SG213', `the realm of ${what} must be non-empty text without quotes, backslashes or control characters`, e.valueLoc));
    return 'zato';
  }
  return text;
}
