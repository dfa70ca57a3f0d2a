/**
 * JSON data as block-style YAML, for generated/openapi.yaml. The yaml package's stringify builds a node tree and
 * styles every scalar, which took seconds for a 1,000-service document; this writes the text in one pass.
 *
 * Safe by construction: a string is written plain only when it is printable ASCII that no YAML 1.1 or 1.2 parser
 * can read as anything but that string (no indicator first, no `: ` or ` #`, not a number, boolean, null or
 * merge key); every other string is a double-quoted scalar with JSON's escapes (a subset of YAML's) plus `\u`
 * escapes for what YAML does not allow raw. test/unit/yaml-text.test.ts parses the output back.
 */
import type { TextCache } from './text-cache.js';

const PLAIN = /^[A-Za-z_/$(^\\;][\x20-\x7e]*$/;
// Booleans and null in YAML 1.1 or 1.2, and 'e5', which YAML 1.1's float pattern (empty mantissa) reads as a number.
const RESERVED = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|[eE][-+]?[0-9_]*)$/;
// What JSON.stringify leaves raw but YAML does not accept raw in a double-quoted scalar (non-printable).
const NON_PRINTABLE = /[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/g;

function scalarString(s: string): string {
  if (PLAIN.test(s) && !RESERVED.test(s) && !s.includes(': ') && !s.includes(' #') && !s.endsWith(':') && !s.endsWith(' ')) return s;
  return JSON.stringify(s).replace(NON_PRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function scalar(value: unknown): string | null {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null'; // as JSON.stringify
  if (typeof value === 'string') return scalarString(value);
  if (Array.isArray(value)) return value.length === 0 ? '[]' : null;
  if (typeof value === 'object') {
    const kept = Object.values(value).some((v) => v !== undefined && typeof v !== 'function');
    return kept ? null : '{}';
  }
  return null;
}

/**
 * Writes a non-empty array or object whose lines are indented by `pad`; its first line starts with `first`
 * instead (`pad` for a value under a key, `…- ` for an array item, so `- - x` and `- key: v` need no re-indenting).
 */
function writeValue(out: string[], value: unknown, pad: string, first: string, depth = 0, cache?: TextCache): void {
  if (cache?.isPart(value as object, depth)) {
    out.push(cache.text(value as object, `yaml${pad.length}:${first}`, () => {
      const part: string[] = [];
      writeValue(part, value, pad, first);
      return part.join('');
    }));
    return;
  }
  let lead = first;
  if (Array.isArray(value)) {
    for (const item of value) {
      const s = scalar(item);
      if (s !== null) out.push(`${lead}- ${s}\n`);
      else writeValue(out, item, `${pad}  `, `${lead}- `, depth + 1, cache);
      lead = pad;
    }
    return;
  }
  const entry = (into: string[], key: string, v: unknown): void => {
    if (v === undefined || typeof v === 'function') return; // as JSON.stringify
    const k = scalarString(key);
    const s = scalar(v);
    if (s !== null) into.push(`${lead}${k}: ${s}\n`);
    else {
      into.push(`${lead}${k}:\n`);
      writeValue(into, v, `${pad}  `, `${pad}  `, depth + 1, cache);
    }
    lead = pad;
  };
  const keys = Object.keys(value as object);
  const step = cache && keys.length > cache.runLength ? cache.runLength : keys.length;
  for (let r = 0; r < keys.length; r += step) {
    const runKeys = step === keys.length ? keys : keys.slice(r, r + step);
    const values = runKeys.map((k) => (value as Record<string, unknown>)[k]);
    if (cache && step < keys.length && cache.allParts(values, depth + 1)) {
      // A run of parts (see TextCache.run): the lead of its first entry is part of its variant.
      out.push(cache.run(`yaml${pad.length}:${lead}`, runKeys, values, () => {
        const text: string[] = [];
        runKeys.forEach((k, i) => entry(text, k, values[i]));
        return text.join('');
      }));
      lead = pad;
    } else runKeys.forEach((k, i) => entry(out, k, values[i]));
  }
}

/**
 * Block-style YAML for a JSON value (an object or array at the top; what JSON.stringify would keep, in the same
 * key order), after `head` (say, a comment line). Pure; the result ends with a newline. With `cache` (kept across
 * builds) unchanged parts of the document are not written again; the text is the same. `head` is joined in rather
 * than prepended by the caller, which would make a cons string that costs another full copy later.
 */
export function emitYamlText(value: object, cache?: TextCache, head = ''): string {
  return emitYamlParts(value, cache, head).join('');
}

/** emitYamlText in pieces (their concatenation is the text), for writing without joining (see OutputFile.parts). */
export function emitYamlParts(value: object, cache?: TextCache, head = ''): string[] {
  const top = scalar(value);
  if (top !== null) return [head, `${top}\n`];
  const out: string[] = [head];
  writeValue(out, value, '', '', 0, cache);
  return out;
}
