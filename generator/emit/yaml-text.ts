/**
 * JSON data as block-style YAML, for generated/openapi.yaml. The yaml package's stringify builds a node tree and
 * styles every scalar, which took seconds for a 1,000-service document; this writes the text in one pass.
 *
 * Safe by construction: a string is written plain only when it is printable ASCII that no YAML 1.1 or 1.2 parser
 * can read as anything but that string (no indicator first, no `: ` or ` #`, not a number, boolean, null or
 * merge key); every other string is a double-quoted scalar with JSON's escapes (a subset of YAML's) plus `\u`
 * escapes for what YAML does not allow raw. test/unit/yaml-text.test.ts parses the output back.
 */
import { Chunks } from './chunks.js';
import type { TextCache } from './text-cache.js';

const PLAIN = /^[A-Za-z_/$(^\\;][\x20-\x7e]*$/;
// Booleans and null in YAML 1.1 or 1.2, and 'e5', which YAML 1.1's float pattern (empty mantissa) reads as a number.
const RESERVED = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|[eE][-+]?[0-9_]*)$/;
// What JSON.stringify leaves raw but YAML does not accept raw in a double-quoted scalar (non-printable).
const NON_PRINTABLE = /[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/g;

function styleString(s: string): string {
  if (PLAIN.test(s) && !RESERVED.test(s) && !s.includes(': ') && !s.includes(' #') && !s.endsWith(':') && !s.endsWith(' ')) return s;
  return JSON.stringify(s).replace(NON_PRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Where the text goes: lines are joined into chunks as they come (see Chunks), kept texts from a TextCache pass
 * through as they are. Scalar styling is remembered per document: keys and many values repeat (`type`, `$ref`s…).
 */
class Out {
  private readonly chunks = new Chunks('');
  private readonly styled = new Map<string, string>();
  /** Text of objects in `shared`, by object and lead: written once, however often the document holds them. */
  readonly memo = new Map<object, Map<string, string>>();

  constructor(head: string, readonly shared?: WeakSet<object>) {
    if (head !== '') this.chunks.push(head);
  }

  get parts(): string[] {
    return this.chunks.flush();
  }

  line(text: string): void {
    this.chunks.push(text);
  }

  /** A kept text, not copied into a chunk. */
  kept(text: string): void {
    this.chunks.pass(text);
  }

  string(s: string): string {
    let t = this.styled.get(s);
    if (t === undefined) this.styled.set(s, (t = styleString(s)));
    return t;
  }

  /** Everything as one string (for a part that a TextCache keeps). */
  text(): string {
    return this.parts.join('');
  }
}

/** Whether a JSON.stringify of `value` would write no entry (`{}`): every own value undefined or a function. */
function noEntries(value: object): boolean {
  for (const k in value) {
    if (!Object.hasOwn(value, k)) continue;
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined && typeof v !== 'function') return false;
  }
  return true;
}

/** A value written on its key's line, or null for a non-empty array or object (written below it). */
function scalar(out: Out, value: unknown): string | null {
  if (value === null) return 'null';
  if (typeof value === 'string') return out.string(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null'; // as JSON.stringify
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return value.length === 0 ? '[]' : null;
  if (typeof value === 'object') return noEntries(value) ? '{}' : null;
  return null;
}

/** One `key: value` entry of an object, with `lead` before the key. */
function writeEntry(out: Out, lead: string, pad: string, key: string, v: unknown, depth: number, cache: TextCache | undefined): void {
  const k = out.string(key);
  const s = scalar(out, v);
  if (s !== null) out.line(`${lead}${k}: ${s}\n`);
  else {
    out.line(`${lead}${k}:\n`);
    writeValue(out, v as object, `${pad}  `, `${pad}  `, depth + 1, cache);
  }
}

/**
 * Writes a non-empty array or object whose lines are indented by `pad`; its first line starts with `first`
 * instead (`pad` for a value under a key, `…- ` for an array item, so `- - x` and `- key: v` need no re-indenting).
 */
function writeValue(out: Out, value: object, pad: string, first: string, depth: number, cache: TextCache | undefined): void {
  if (cache?.isPart(value, depth)) {
    out.kept(cache.text(value, `yaml${pad.length}:${first}`, () => {
      const part = new Out('');
      writeValue(part, value, pad, first, 0, undefined);
      return part.text();
    }));
    return;
  }
  if (out.shared?.has(value)) {
    const variant = `${pad.length}\0${first}`;
    let texts = out.memo.get(value);
    if (texts === undefined) out.memo.set(value, (texts = new Map()));
    let text = texts.get(variant);
    if (text === undefined) {
      const part = new Out('');
      writeValue(part, value, pad, first, depth, undefined);
      texts.set(variant, (text = part.text()));
    }
    out.line(text);
    return;
  }
  let lead = first;
  if (Array.isArray(value)) {
    for (const item of value) {
      const s = scalar(out, item);
      if (s !== null) out.line(`${lead}- ${s}\n`);
      else writeValue(out, item as object, `${pad}  `, `${lead}- `, depth + 1, cache);
      lead = pad;
    }
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (!cache || keys.length <= cache.runLength) {
    for (const key of keys) {
      const v = record[key];
      if (v === undefined || typeof v === 'function') continue; // as JSON.stringify
      writeEntry(out, lead, pad, key, v, depth, cache);
      lead = pad;
    }
    return;
  }
  const step = cache.runLength;
  for (let r = 0; r < keys.length; r += step) {
    const runKeys = keys.slice(r, r + step);
    const values = runKeys.map((k) => record[k]);
    if (cache.allParts(values, depth + 1)) {
      // A run of parts (see TextCache.run): the lead of its first entry is part of its variant.
      out.kept(cache.run(`yaml${pad.length}:${lead}`, runKeys, values, () => {
        const part = new Out('');
        let runLead = lead;
        runKeys.forEach((k, i) => {
          writeEntry(part, runLead, pad, k, values[i], depth, cache);
          runLead = pad;
        });
        return part.text();
      }));
      lead = pad;
    } else {
      runKeys.forEach((k, i) => {
        const v = values[i];
        if (v === undefined || typeof v === 'function') return;
        writeEntry(out, lead, pad, k, v, depth, cache);
        lead = pad;
      });
    }
  }
}

/**
 * Block-style YAML for a JSON value (an object or array at the top; what JSON.stringify would keep, in the same
 * key order), after `head` (say, a comment line). Pure; the result ends with a newline. With `cache` (kept across
 * builds) unchanged parts of the document are not written again; the text is the same. `head` is joined in rather
 * than prepended by the caller, which would make a cons string that costs another full copy later. An object in
 * `shared` (one the document holds in many places) is written once per indentation and lead, then repeated.
 */
export function emitYamlText(value: object, cache?: TextCache, head = '', shared?: WeakSet<object>): string {
  return emitYamlParts(value, cache, head, shared).join('');
}

/** emitYamlText in pieces (their concatenation is the text), for writing without joining (see OutputFile.parts). */
export function emitYamlParts(value: object, cache?: TextCache, head = '', shared?: WeakSet<object>): string[] {
  const out = new Out(head, shared);
  const top = scalar(out, value);
  if (top !== null) out.line(`${top}\n`);
  else writeValue(out, value, '', '', 0, cache);
  return out.parts;
}
