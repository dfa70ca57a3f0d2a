/**
 * Typed access to yaml nodes with positions. Every reader reports a wrong type as a diagnostic at the
 * value and returns undefined, so callers can fall back to a default and keep going.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { Loc } from '../ir.js';
import { didYouMean, error, warning, type Diagnostic } from '../diagnostics.js';

/** One YAML file being read: where positions come from and where diagnostics go. */
export interface FileCtx {
  readonly file: string; // relative to the project dir
  readonly doc: Document;
  readonly lc: LineCounter;
  readonly diagnostics: Diagnostic[];
}

/** A map entry with its key text and positions. */
export interface Entry {
  readonly key: string;
  readonly keyLoc: Loc;
  readonly value: Node | null; // aliases resolved; null for `key:` with nothing after it
  readonly valueLoc: Loc; // the key's position when there is no value
}

export function locAt(ctx: FileCtx, offset: number): Loc {
  const { line, col } = ctx.lc.linePos(offset);
  return { file: ctx.file, line, column: col };
}

export function locOf(ctx: FileCtx, node: Node | null | undefined, fallback?: Loc): Loc {
  const start = node?.range?.[0];
  return start === undefined ? (fallback ?? { file: ctx.file, line: 1, column: 1 }) : locAt(ctx, start);
}

/** Follows aliases to the anchored node (alias bombs are refused before any reader runs). */
export function deref(ctx: FileCtx, node: unknown): Node | null {
  let n = node;
  for (let i = 0; i < 8 && isAlias(n); i++) n = n.resolve(ctx.doc) ?? null;
  if (isAlias(n)) return null;
  return (n as Node | null | undefined) ?? null;
}

/** A YAML `null` (`key:`, `~`, `null`) counts as "not given" for optional keys. */
export function isNull(node: Node | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

/** What a node is, in words a user knows, for type errors. */
export function describe(node: Node | null): string {
  if (isNull(node)) return 'nothing';
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    return typeof v === 'string' ? 'a string' : typeof v === 'number' ? 'a number' : typeof v === 'boolean' ? 'a boolean' : 'a value';
  }
  return 'a value';
}

/** The entries of a map, in source order; a non-string key is reported and skipped. */
export function entriesOf(ctx: FileCtx, node: Node): Entry[] {
  const out: Entry[] = [];
  if (!isMap(node)) return out;
  for (const pair of node.items) {
    if (!isPair(pair)) continue;
    const keyNode = deref(ctx, pair.key);
    const keyLoc = locOf(ctx, keyNode, locOf(ctx, node));
    if (!isScalar(keyNode) || (typeof keyNode.value !== 'string' && typeof keyNode.value !== 'number')) {
      ctx.diagnostics.push(error('SG208', `a key must be a plain word, not ${describe(keyNode)}`, keyLoc));
      continue;
    }
    const value = deref(ctx, pair.value);
    out.push({ key: String(keyNode.value), keyLoc, value, valueLoc: locOf(ctx, value, keyLoc) });
  }
  return out;
}

function typeError(ctx: FileCtx, e: Entry, want: string, example: string): undefined {
  ctx.diagnostics.push(error('SG208', `'${e.key}' must be ${want}, not ${describe(e.value)}; write ${e.key}: ${example}`, e.valueLoc));
  return undefined;
}

/** A string value; `undefined` (reported) for anything else. Numbers are refused, not stringified. */
export function readStr(ctx: FileCtx, e: Entry, example: string): string | undefined {
  if (isScalar(e.value) && typeof e.value.value === 'string') return e.value.value;
  return typeError(ctx, e, 'a string', example);
}

export function readBool(ctx: FileCtx, e: Entry): boolean | undefined {
  if (isScalar(e.value) && typeof e.value.value === 'boolean') return e.value.value;
  return typeError(ctx, e, 'true or false', 'true');
}

export function readNumber(ctx: FileCtx, e: Entry, example: string): number | undefined {
  if (isScalar(e.value) && typeof e.value.value === 'number') return e.value.value;
  return typeError(ctx, e, 'a number', example);
}

/** A list of strings with the position of each entry; wrong entries are reported and skipped. */
export function readStrList(ctx: FileCtx, e: Entry, example: string): { value: string; loc: Loc }[] | undefined {
  if (!isSeq(e.value)) return typeError(ctx, e, 'a list', `[${example}]`);
  const out: { value: string; loc: Loc }[] = [];
  for (const raw of e.value.items) {
    const item = deref(ctx, raw);
    const loc = locOf(ctx, item, e.valueLoc);
    if (isScalar(item) && typeof item.value === 'string') out.push({ value: item.value, loc });
    else ctx.diagnostics.push(error('SG208', `each entry of '${e.key}' must be a string, not ${describe(item)}`, loc));
  }
  return out;
}

/** The items of a top-level list (security, rest_channel, include); a non-list is reported. */
export function listItems(ctx: FileCtx, e: Entry, what: string): { node: Node | null; loc: Loc }[] {
  if (isNull(e.value)) return [];
  if (!isSeq(e.value)) {
    ctx.diagnostics.push(error('SG208', `'${e.key}' must be a list of ${what} (lines starting with '- '), not ${describe(e.value)}`, e.valueLoc));
    return [];
  }
  return e.value.items.map((raw) => {
    const node = deref(ctx, raw);
    return { node, loc: locOf(ctx, node, e.valueLoc) };
  });
}

/** Keys a Zato enmasse export carries inside channels and definitions that servicegate does not act on. */
const ZATO_ITEM_KEYS = new Set([
  'groups', 'merge_url_params_req', 'params_pri', 'content_type', 'content_encoding', 'is_internal', 'transport',
  'connection', 'url_params_pri', 'match_slash', 'http_accept', 'sec_use_rbac', 'is_rate_limit_active',
  'rate_limit_def', 'rate_limit_type', 'rate_limit_check_parent_def', 'is_audit_log_sent_active',
  'is_audit_log_received_active', 'max_len_messages_sent', 'max_len_messages_received',
  'max_bytes_per_message_sent', 'max_bytes_per_message_received', 'soap_action', 'soap_version', 'id',
  'service_id', 'service_name', 'security_id', 'sec_type', 'host', 'ping_method', 'pool_size', 'tls_verify',
]);

/** Keys of older Zato exports that mean something servicegate spells differently. */
const RENAMED_ITEM_KEYS: Readonly<Record<string, string>> = { sec_def: 'security', security_name: 'security' };

/**
 * Splits an item's entries into known ones (returned by key) and the rest: Zato's extras are a warning,
 * anything else an error with a "did you mean".
 */
export function knownEntries(
  ctx: FileCtx,
  entries: readonly Entry[],
  known: readonly string[],
  what: string,
): Map<string, Entry> {
  const out = new Map<string, Entry>();
  for (const e of entries) {
    if (known.includes(e.key)) out.set(e.key, e);
    else if (RENAMED_ITEM_KEYS[e.key]) {
      const to = RENAMED_ITEM_KEYS[e.key]!;
      ctx.diagnostics.push(error('SG206', `unknown key '${e.key}' in ${what}: servicegate reads this from '${to}'; write ${to}: instead`, e.keyLoc));
    } else if (ZATO_ITEM_KEYS.has(e.key) || e.key.startsWith('rate_limit') || e.key.startsWith('cache_')) {
      ctx.diagnostics.push(warning('SG207', `servicegate ignores '${e.key}' in ${what}; remove it to silence this warning`, e.keyLoc));
    } else {
      ctx.diagnostics.push(error('SG206', `unknown key '${e.key}' in ${what}.${didYouMean(e.key, known) || ` Known keys: ${known.join(', ')}.`}`, e.keyLoc));
    }
  }
  return out;
}
