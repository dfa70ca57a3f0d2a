/**
 * The enmasse-style YAML reader (CONTRACT §3): config/**\/*.yaml → ChannelDecl[] + SecurityDecl[], with a
 * position for every value so checks can point at the exact line.
 *
 * Diagnostic codes (reading):
 *   SG201 YAML syntax error (also duplicate keys, several documents in one file)
 *   SG202 a config file cannot be read, or is larger than 10 MB
 *   SG203 an `include:` entry names no file, or is not a relative path
 *   SG204 an include cycle
 *   SG205 warning: a top-level key servicegate ignores (`groups`, `scheduler`, … of a Zato export)
 *   SG206 unknown key (a typo: "did you mean"), or a key of older Zato exports spelt differently here
 *   SG207 warning: a key of a Zato export inside a channel or definition that servicegate does not act on
 *   SG208 a value of the wrong type (a number where a string is needed, a map where a list is needed, …)
 *   SG209 a required key is missing (name, service, url_path, type, username, password)
 *   SG210 a password that is not an environment reference (literal secrets, `none`, empty)
 *   SG211 unknown security type
 *   SG212 warning: a Zato security type servicegate cannot serve; the definition is skipped
 *   SG213 an invalid value (HTTP method, data_format, header name, timeout, sizes, dates, URLs, …)
 *   SG214 YAML aliases that expand too far (a resource exhaustion attempt)
 *   SG215 warning: an entry listed twice in a gateway_service_list
 *
 * ChannelDecl.keyLocs holds the position of each key's value ('name', 'service', 'url_path', 'security', …),
 * 'gateway_service_list.N' per entry (N = index in the file) and 'gateway_service_list=NAME' per distinct entry.
 */
import { readFileSync, statSync } from 'node:fs';
import { posix, relative, resolve, sep } from 'node:path';
import { LineCounter, isMap, parseDocument, visit, type Document } from 'yaml';
import { compareCodePoints, type ChannelDecl, type Loc, type SecurityDecl } from '../ir.js';
import { editDistance, error, sortDiagnostics, warning, type Diagnostic } from '../diagnostics.js';
import { listFiles } from './files.js';
import { entriesOf, isNull, listItems, locAt, locOf, readStrList, type FileCtx } from './yaml-nodes.js';
import { readSecurityItem } from './yaml-security.js';
import { readChannelItem } from './yaml-channel.js';

export interface ConfigReadResult {
  channels: ChannelDecl[]; // sorted by name
  security: SecurityDecl[]; // sorted by name
  diagnostics: Diagnostic[];
  files: string[]; // every YAML file read incl. includes, relative to dir, '/' separators, sorted
}

export const DEFAULT_CONFIG_PATTERNS: readonly string[] = ['config/**/*.yaml', 'config/**/*.yml'];
const MAX_FILE_BYTES = 10 * 1024 * 1024;
const MAX_ALIAS_COUNT = 100;
const MAX_SYNTAX_ERRORS = 20;
const TOP_KEYS = ['security', 'rest_channel', 'channel_rest', 'include'];
/** Top-level sections of Zato enmasse exports; listed so that none is mistaken for a typo of ours. */
const ZATO_TOP_KEYS = new Set([
  'cache', 'channel_amqp', 'channel_jms_wmq', 'channel_soap', 'channel_web_socket', 'channel_zmq', 'confluence',
  'def_amqp', 'def_jms_wmq', 'def_kafka', 'elastic_search', 'email_imap', 'email_smtp', 'groups', 'jira', 'jwt',
  'ldap', 'microsoft_365', 'mongodb', 'odoo', 'outconn_redis', 'outgoing_amqp', 'outgoing_ftp', 'outgoing_ldap',
  'outgoing_mongodb', 'outgoing_odoo', 'outgoing_rest', 'outgoing_sap', 'outgoing_soap', 'outgoing_sql',
  'outgoing_wsx', 'pubsub_endpoint', 'pubsub_subscription', 'pubsub_topic', 'rate_limiting', 'response_cache',
  'sap', 'scheduler', 'search_es', 'search_solr', 'sql', 'web_socket',
]);
const RENAMED_TOP_KEYS: Readonly<Record<string, string>> = { channel_plain_http: 'rest_channel', def_sec: 'security' };

interface State {
  readonly dir: string;
  readonly diagnostics: Diagnostic[];
  readonly channels: ChannelDecl[];
  readonly security: SecurityDecl[];
  readonly files: Set<string>;
  readonly stack: string[]; // files being read, outermost first: an include of one of them is a cycle
}

/**
 * Reads every config file matching `patterns` (globs relative to `dir`) and the files they include.
 * Never throws on user mistakes: every problem is a diagnostic, and all of them are reported.
 *
 * @param dir the project directory (absolute)
 * @param patterns default `config/**\/*.yaml` and `config/**\/*.yml`
 */
export function readConfig(dir: string, patterns: readonly string[] = DEFAULT_CONFIG_PATTERNS): ConfigReadResult {
  const state: State = { dir, diagnostics: [], channels: [], security: [], files: new Set(), stack: [] };
  for (const rel of listFiles(dir, patterns)) readFile(state, rel);
  const byNameThenLoc = <T extends { name: string; loc: Loc }>(a: T, b: T) =>
    compareCodePoints(a.name, b.name) || compareCodePoints(a.loc.file, b.loc.file) || a.loc.line - b.loc.line || a.loc.column - b.loc.column;
  return {
    channels: state.channels.sort(byNameThenLoc),
    security: state.security.sort(byNameThenLoc),
    diagnostics: sortDiagnostics(state.diagnostics),
    files: [...state.files].sort(compareCodePoints),
  };
}

function readFile(state: State, rel: string): void {
  if (state.files.has(rel)) return;
  state.files.add(rel);
  const start: Loc = { file: rel, line: 1, column: 1 };
  const abs = resolve(state.dir, rel);
  let text: string;
  try {
    const size = statSync(abs).size;
    if (size > MAX_FILE_BYTES) {
      const mb = (size / 1024 / 1024).toFixed(1);
      state.diagnostics.push(error('SG202', `${rel} is ${mb} MB; config files are limited to 10 MB: split it into smaller files`, start));
      return;
    }
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    state.diagnostics.push(error('SG202', `cannot read ${rel}: ${(e as NodeJS.ErrnoException).code ?? 'I/O error'}`, start));
    return;
  }
  const ctx = parseFile(state, rel, text.replace(/^\uFEFF/, ''));
  if (!ctx) return;
  state.stack.push(rel);
  try {
    readTopLevel(state, ctx);
  } finally {
    state.stack.pop();
  }
}

/** Parses one file; undefined (after reporting) when it is not safe or not possible to read further. */
function parseFile(state: State, rel: string, text: string): FileCtx | undefined {
  const lc = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  } catch (e) {
    state.diagnostics.push(error('SG201', `cannot parse ${rel}: ${(e as Error).message}`, { file: rel, line: 1, column: 1 }));
    return undefined;
  }
  const ctx: FileCtx = { file: rel, doc, lc, diagnostics: state.diagnostics };
  for (const w of doc.warnings) state.diagnostics.push(warning('SG201', w.message, locAt(ctx, w.pos[0])));
  if (doc.errors.length > 0) {
    // A broken file can repeat one error hundreds of times at one place: report each distinct one once.
    const distinct = new Map<string, Diagnostic>();
    for (const e of doc.errors) {
      const text = /call stack/i.test(e.message) ? 'the file is nested too deeply to read' : e.message.replace(/\s+/g, ' ').trim();
      const d = error('SG201', `YAML syntax error: ${text}`, locAt(ctx, e.pos[0]));
      distinct.set(`${d.loc.line}:${d.loc.column}:${d.message}`, d);
    }
    const all = [...distinct.values()];
    state.diagnostics.push(...all.slice(0, MAX_SYNTAX_ERRORS));
    if (all.length > MAX_SYNTAX_ERRORS) {
      state.diagnostics.push(error('SG201', `${all.length - MAX_SYNTAX_ERRORS} more YAML syntax errors in ${rel} not shown`, all[MAX_SYNTAX_ERRORS]!.loc));
    }
    return undefined;
  }
  // The readers resolve aliases one at a time, but an alias bomb must be refused before anything walks it.
  try {
    doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const message = (e as Error).message;
    const alias = /alias/i.test(message);
    state.diagnostics.push(
      alias
        ? error('SG214', `YAML aliases in ${rel} expand to too many nodes (more than ${MAX_ALIAS_COUNT}): write the values out instead of using anchors`, firstAliasLoc(ctx))
        : error('SG201', `cannot read ${rel}: ${message}`, { file: rel, line: 1, column: 1 }),
    );
    return undefined;
  }
  return ctx;
}

function firstAliasLoc(ctx: FileCtx): Loc {
  let found: Loc = { file: ctx.file, line: 1, column: 1 };
  try {
    visit(ctx.doc, {
      Alias(_, node) {
        found = locOf(ctx, node);
        return visit.BREAK;
      },
    });
  } catch {
    // a document too deep to visit keeps the file's first line as the position
  }
  return found;
}

function readTopLevel(state: State, ctx: FileCtx): void {
  const root = ctx.doc.contents;
  if (isNull(root)) return; // an empty file, or one with only comments
  if (!isMap(root)) {
    ctx.diagnostics.push(error('SG208', `a config file must be a map with 'security:', 'rest_channel:' and 'include:' sections`, locOf(ctx, root)));
    return;
  }
  const entries = entriesOf(ctx, root);
  for (const e of entries) {
    if (e.key === 'security') {
      for (const item of listItems(ctx, e, 'security definitions')) {
        const decl = readSecurityItem(ctx, item.node, item.loc);
        if (decl) state.security.push(decl);
      }
    } else if (e.key === 'rest_channel' || e.key === 'channel_rest') {
      for (const item of listItems(ctx, e, 'channels')) {
        const decl = readChannelItem(ctx, item.node, item.loc);
        if (decl) state.channels.push(decl);
      }
    } else if (e.key === 'include') {
      if (isNull(e.value)) continue;
      for (const inc of readStrList(ctx, e, 'partners.yaml') ?? []) readInclude(state, ctx, inc.value, inc.loc);
    } else if (RENAMED_TOP_KEYS[e.key]) {
      const to = RENAMED_TOP_KEYS[e.key]!;
      ctx.diagnostics.push(error('SG206', `servicegate reads '${to}:', not '${e.key}:'; rename the section to ${to}:`, e.keyLoc));
    } else {
      const near = ZATO_TOP_KEYS.has(e.key) ? undefined : TOP_KEYS.find((k) => editDistance(e.key, k) <= 2);
      if (near) ctx.diagnostics.push(error('SG206', `unknown section '${e.key}'. Did you mean '${near}'?`, e.keyLoc));
      else ctx.diagnostics.push(warning('SG205', `servicegate ignores '${e.key}'; it reads only security, rest_channel (or channel_rest) and include`, e.keyLoc));
    }
  }
}

function readInclude(state: State, ctx: FileCtx, entry: string, loc: Loc): void {
  if (entry.trim() === '' || posix.isAbsolute(entry) || /^[A-Za-z]:[\\/]/.test(entry)) {
    ctx.diagnostics.push(error('SG203', `include '${entry}' must be a path relative to ${ctx.file}, like partners.yaml`, loc));
    return;
  }
  const joined = posix.join(posix.dirname(ctx.file), entry.split('\\').join('/'));
  const target = relative(state.dir, resolve(state.dir, joined)).split(sep).join('/');
  const cycleAt = state.stack.indexOf(target);
  if (cycleAt >= 0) {
    const cycle = [...state.stack.slice(cycleAt), target].join(' → ');
    ctx.diagnostics.push(error('SG204', `include cycle: ${cycle}; remove one of these includes`, loc));
    return;
  }
  let isFile = false;
  try {
    isFile = statSync(resolve(state.dir, target)).isFile();
  } catch {
    // reported below
  }
  if (!isFile) {
    ctx.diagnostics.push(error('SG203', `included file '${entry}' does not exist (looked for ${target}); fix the path or remove the entry`, loc));
    return;
  }
  readFile(state, target);
}
