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
 * `JSON.stringify(value, null, 2)` for plain JSON data (no toJSON, no cycles); with `cache`, the parts come from
 * it. Without a cache this is JSON.stringify itself.
 */
export function jsonText(value: unknown, cache?: TextCache): string {
  if (!cache) return JSON.stringify(value, null, 2);
  return pretty(value, '', 0, cache) ?? 'undefined';
}

function skipped(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

function pretty(value: unknown, pad: string, depth: number, cache: TextCache): string | undefined {
  if (value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    const s = JSON.stringify(value, null, 2) as string | undefined;
    return s === undefined ? undefined : s.replace(/\n/g, `\n${pad}`);
  }
  if (cache.isPart(value, depth)) {
    return cache.text(value, `json${pad.length}`, () => JSON.stringify(value, null, 2).replace(/\n/g, `\n${pad}`));
  }
  const inner = `${pad}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((v) => (skipped(v) ? 'null' : pretty(v, inner, depth + 1, cache)!));
    return `[\n${inner}${items.join(`,\n${inner}`)}\n${pad}]`;
  }
  const entries: string[] = [];
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (skipped(v)) continue;
    entries.push(`${JSON.stringify(key)}: ${pretty(v, inner, depth + 1, cache)!}`);
  }
  return entries.length === 0 ? '{}' : `{\n${inner}${entries.join(`,\n${inner}`)}\n${pad}}`;
}
