/**
 * Serialised text of the parts of a large JSON document (the OpenAPI document: 2,000 path items and 2,000 schemas
 * at 1,000 services) kept from one build to the next, so that a watch rebuild re-serialises only the parts whose
 * content changed. A part's texts are kept with the part object (emitters reuse the objects of what did not
 * change, and never change an object once made), and for a new object found by its compact JSON: the text of
 * plain JSON data depends on nothing else, so a reused text is the text it would get.
 */

import { Generations, sameItems } from '../generations.js';

/** Parts are the subtrees at this depth and below (the document is depth 0), unless they have many entries. */
const PART_DEPTH = 2;
const PART_MAX_ENTRIES = 64;
/** Entries of a larger object (paths, component schemas) are written in runs of this many parts, kept as one text. */
const RUN = 64;

/** A run's text and what it was made from: keys, and value objects by identity. */
interface Run {
  readonly keys: readonly string[];
  readonly values: readonly unknown[];
  readonly text: string;
}

/** What is known about one object: whether it is small enough to be a part, its compact JSON, its texts. */
interface Known {
  readonly small: boolean;
  json?: string;
  readonly texts: Map<string, string>;
}

export class TextCache {
  private objects = new WeakMap<object, Known>();
  // By compact JSON, then variant: texts of the objects that were new in the previous build and in this one.
  private previous = new Map<string, Map<string, string>>();
  private current = new Map<string, Map<string, string>>();

  /**
   * Starts a build: texts by JSON not asked for by it are dropped at the next begin(). The documents given must not
   * be changed after they were written (emitters build new objects each time, and reuse only objects they never
   * change, such as a component schema of an unchanged model).
   */
  begin(): void {
    this.previous = this.current;
    this.current = new Map();
    this.runs.begin();
  }

  private readonly runs = new Generations<string, Run>();

  /** How many entries of a large object go into one run. */
  get runLength(): number {
    return RUN;
  }

  /**
   * The text of a run of entries of a large object in `variant` (writer, indentation, first-entry lead): the kept
   * one while the keys and the value objects are the same (a value object's text never changes), else `render`'s.
   */
  run(variant: string, keys: readonly string[], values: readonly unknown[], render: () => string): string {
    const id = `${variant}\0${keys[0]}`;
    const old = this.runs.get(id);
    if (old !== undefined && sameItems(old.keys, keys) && sameItems(old.values, values)) return this.runs.keep(id, old).text;
    return this.runs.keep(id, { keys, values, text: render() }).text;
  }

  /** Whether every value is an object that this cache serves as a part at `depth` (what a run is made of). */
  allParts(values: readonly unknown[], depth: number): boolean {
    return values.every((v) => v !== null && typeof v === 'object' && !isLeaf(v) && this.isPart(v, depth));
  }

  private known(node: object): Known {
    let k = this.objects.get(node);
    if (k === undefined) {
      const n = Array.isArray(node) ? node.length : Object.keys(node).length;
      this.objects.set(node, (k = { small: n <= PART_MAX_ENTRIES, texts: new Map() }));
    }
    return k;
  }

  /** Whether `node` at `depth` is served as one part (else its writer goes into its entries). */
  isPart(node: object, depth: number): boolean {
    return depth >= PART_DEPTH && this.known(node).small;
  }

  /** The text of `node` in `variant` (writer and indentation), reused or made by `render`. */
  text(node: object, variant: string, render: () => string): string {
    const k = this.known(node);
    let t = k.texts.get(variant);
    if (t !== undefined) return t;
    const key = (k.json ??= JSON.stringify(node));
    let now = this.current.get(key);
    t = now?.get(variant) ?? this.previous.get(key)?.get(variant) ?? render();
    if (now === undefined) this.current.set(key, (now = new Map()));
    now.set(variant, t);
    k.texts.set(variant, t);
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
  const entry = (into: string[], key: string, v: unknown): void => {
    const leaf = isLeaf(v) ? leafText(v, inner) : null;
    if (leaf === undefined) return;
    into.push(first ? `{\n${inner}` : `,\n${inner}`, JSON.stringify(key), ': ');
    first = false;
    if (leaf !== null) into.push(leaf);
    else writeJson(into, v as object, inner, depth + 1, cache);
  };
  const keys = Object.keys(value);
  const step = keys.length > PART_MAX_ENTRIES ? cache.runLength : keys.length;
  for (let r = 0; r < keys.length; r += step) {
    const runKeys = step === keys.length ? keys : keys.slice(r, r + step);
    const values = runKeys.map((k) => (value as Record<string, unknown>)[k]);
    if (step < keys.length && cache.allParts(values, depth + 1)) {
      // A run of parts: one kept text while its keys and value objects are the same.
      out.push(cache.run(`json${inner.length}${first ? 'f' : ''}`, runKeys, values, () => {
        const text: string[] = [];
        runKeys.forEach((k, i) => entry(text, k, values[i]));
        return text.join('');
      }));
      first = false;
    } else runKeys.forEach((k, i) => entry(out, k, values[i]));
  }
  out.push(first ? '{}' : `\n${pad}}`);
}
