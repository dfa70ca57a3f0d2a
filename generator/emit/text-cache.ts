/**
 * Serialised text of the parts of a large JSON document (the OpenAPI document: 2,000 path items and 2,000 schemas
 * at 1,000 services) kept from one build to the next, so that a watch rebuild re-serialises only the parts whose
 * content changed. A part is keyed by its compact JSON (computed once per build and shared by the JSON and YAML
 * writers): the text of plain JSON data depends on nothing else, so a reused text is the text it would get.
 */

/** Parts are the subtrees at this depth and below (the document is depth 0), unless they have many entries. */
const PART_DEPTH = 2;
const PART_MAX_ENTRIES = 64;

export class TextCache {
  private keys = new WeakMap<object, string>();
  // By compact JSON, then variant: the key strings are the ones kept in `keys`, whose hashes V8 keeps with them.
  private previous = new Map<string, Map<string, string>>();
  private current = new Map<string, Map<string, string>>();

  /**
   * Starts a build: texts not asked for by it are dropped at the next begin(). Keys are kept by object: the
   * documents given must not be changed after they were written (emitters build new objects each time, and
   * reuse only objects they never change, such as a component schema of an unchanged model).
   */
  begin(): void {
    this.previous = this.current;
    this.current = new Map();
  }

  /** Whether `node` at `depth` is served as one part (else its writer goes into its entries). */
  isPart(node: object, depth: number): boolean {
    if (depth < PART_DEPTH) return false;
    const n = Array.isArray(node) ? node.length : Object.keys(node).length;
    return n <= PART_MAX_ENTRIES;
  }

  /** The text of `node` in `variant` (writer and indentation), reused or made by `render`. */
  text(node: object, variant: string, render: () => string): string {
    let key = this.keys.get(node);
    if (key === undefined) {
      key = JSON.stringify(node);
      this.keys.set(node, key);
    }
    let now = this.current.get(key);
    let t = now?.get(variant) ?? this.previous.get(key)?.get(variant);
    if (t === undefined) t = render();
    if (now === undefined) this.current.set(key, (now = new Map()));
    now.set(variant, t);
    return t;
  }
}

/**
 * `JSON.stringify(value, null, 2)` for plain JSON data (no cycles), followed by `end`; with `cache`, the parts come
 * from it. Without a cache this is JSON.stringify itself. `end` is joined in rather than appended by the caller:
 * `text + '\n'` over megabytes makes a cons string that costs another full copy when it is compared or written.
 */
export function jsonText(value: unknown, cache?: TextCache, end = ''): string {
  if (!cache) return end === '' ? JSON.stringify(value, null, 2) : [JSON.stringify(value, null, 2), end].join('');
  return jsonTextParts(value, cache, end).join('');
}

/** jsonText in pieces (their concatenation is the text), for writing without joining (see OutputFile.parts). */
export function jsonTextParts(value: unknown, cache?: TextCache, end = ''): string[] {
  if (!cache) return [JSON.stringify(value, null, 2), end];
  if (isLeaf(value)) return [leafText(value, '') ?? 'undefined', end];
  const out: string[] = [];
  writeJson(out, value as object, '', 0, cache);
  out.push(end);
  return out;
}

/** What JSON.stringify writes itself: scalars, and objects with toJSON (Date). */
function isLeaf(value: unknown): boolean {
  return value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

/** The text of a leaf indented for `pad`; undefined where JSON.stringify leaves it out (undefined, functions). */
function leafText(value: unknown, pad: string): string | undefined {
  const s = JSON.stringify(value, null, 2) as string | undefined;
  return s === undefined || !s.includes('\n') ? s : indentLines(s, pad);
}

/**
 * `text` with `pad` after every line break. split/join rather than a global replace: V8 leaves the replace result
 * in a form that costs about ten times as much to copy into the joined document, every build.
 */
function indentLines(text: string, pad: string): string {
  return text.split('\n').join(`\n${pad}`);
}

/** Appends the text of an object or array (not a leaf) whose lines are indented by `pad` to `out`. */
function writeJson(out: string[], value: object, pad: string, depth: number, cache: TextCache): void {
  if (cache.isPart(value, depth)) {
    out.push(cache.text(value, `json${pad.length}`, () => indentLines(JSON.stringify(value, null, 2), pad)));
    return;
  }
  const inner = `${pad}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push('[]');
      return;
    }
    value.forEach((v: unknown, i) => {
      out.push(i === 0 ? `[\n${inner}` : `,\n${inner}`);
      if (isLeaf(v)) out.push(leafText(v, inner) ?? 'null');
      else writeJson(out, v as object, inner, depth + 1, cache);
    });
    out.push(`\n${pad}]`);
    return;
  }
  let first = true;
  for (const key of Object.keys(value)) {
    const v: unknown = (value as Record<string, unknown>)[key];
    const leaf = isLeaf(v) ? leafText(v, inner) : null;
    if (leaf === undefined) continue;
    out.push(first ? `{\n${inner}` : `,\n${inner}`, JSON.stringify(key), ': ');
    first = false;
    if (leaf !== null) out.push(leaf);
    else writeJson(out, v as object, inner, depth + 1, cache);
  }
  out.push(first ? '{}' : `\n${pad}}`);
}
