/**
 * JSDoc comments → descriptions and constraints. Parsed from the comment's raw text rather than through
 * ts-morph's tag API, because users write several tags on one line (`/** @minLength 1 @maxLength 200 *\/`)
 * and every tag needs its own source position for diagnostics.
 */
import { STRING_FORMATS } from '../ir.js';
import type { Constraints, JsonValue, StringFormat } from '../ir.js';
import { didYouMean, nearest } from '../diagnostics.js';

export interface JsDocTag {
  readonly name: string; // without '@'
  readonly value: string; // trimmed text up to the next tag
  readonly offset: number; // absolute offset of the '@' in the source file
}

export interface JsDoc {
  readonly description?: string;
  readonly tags: readonly JsDocTag[];
}

/** A problem with a tag, at an absolute source offset (the caller turns it into a Diagnostic). */
export interface TagProblem {
  readonly code: 'SG103' | 'SG112';
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly offset: number;
}

/** What a tag may apply to: the field's type with `| null` removed. */
export type TagTarget = 'string' | 'number' | 'array' | 'other' | 'any';

export interface FieldDoc {
  readonly description?: string;
  readonly constraints: Constraints;
  readonly example?: JsonValue;
  readonly deprecated?: boolean;
}

/**
 * Splits a `/** … *\/` comment that starts at absolute offset `start` into its description (the text
 * before the first tag; lines trimmed, paragraphs kept) and its tags.
 */
export function readJsDoc(text: string, start: number): JsDoc {
  // `clean` is the comment without its `/**`, `*/` and leading ` * `; `map[i]` is the source offset of clean[i].
  let clean = '';
  const map: number[] = [];
  const bodyStart = text.startsWith('/**') ? 3 : 0;
  const bodyEnd = text.endsWith('*/') ? text.length - 2 : text.length;
  let lineStart = true;
  for (let i = bodyStart; i < bodyEnd; i++) {
    const ch = text[i]!;
    if (lineStart) {
      if (ch === ' ' || ch === '\t') continue;
      lineStart = false;
      if (ch === '*' && text[i + 1] !== '/') {
        if (text[i + 1] === ' ') i++;
        continue;
      }
    }
    if (ch === '\r') continue;
    if (ch === '\n') lineStart = true;
    clean += ch;
    map.push(start + i);
  }
  const tagRe = /(^|\s)@([A-Za-z][\w-]*)/g;
  const heads: { name: string; at: number; valueAt: number }[] = [];
  for (let m = tagRe.exec(clean); m; m = tagRe.exec(clean)) {
    const at = m.index + m[1]!.length;
    heads.push({ name: m[2]!, at, valueAt: at + 1 + m[2]!.length });
  }
  const tags = heads.map((h, i) => ({
    name: h.name,
    value: clean.slice(h.valueAt, i + 1 < heads.length ? heads[i + 1]!.at : clean.length).trim(),
    offset: map[h.at]!,
  }));
  const description = (heads.length ? clean.slice(0, heads[0]!.at) : clean)
    .split('\n')
    .map((l) => l.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return description ? { description, tags } : { tags };
}

const NUMBER_TAGS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'] as const;
const LENGTH_TAGS = ['minLength', 'maxLength'] as const;
const ITEMS_TAGS = ['minItems', 'maxItems'] as const;
const KNOWN_TAGS = [...NUMBER_TAGS, ...LENGTH_TAGS, ...ITEMS_TAGS, 'pattern', 'format', 'uniqueItems', 'example', 'deprecated'];
const NUMBER_RE = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

const TARGET_WORDS: Record<TagTarget, string> = {
  string: 'a string',
  number: 'a number',
  array: 'an array',
  other: 'of another type',
  any: 'of any type',
};

/**
 * Turns a field's JSDoc into its description and constraints. `target` is what the field holds, so that a
 * tag on the wrong kind of field (`@minLength` on a number) is reported. Problems are returned, not thrown.
 */
export function readFieldDoc(doc: JsDoc, target: TagTarget, problems: TagProblem[]): FieldDoc {
  const constraints: Record<string, unknown> = {};
  let example: JsonValue | undefined;
  let deprecated: boolean | undefined;
  const fail = (tag: JsDocTag, message: string): void => {
    problems.push({ code: 'SG103', severity: 'error', message, offset: tag.offset });
  };
  const wrongTarget = (tag: JsDocTag, wants: TagTarget): boolean => {
    if (target === wants || target === 'any') return false;
    fail(tag, `@${tag.name} only applies to ${wants} fields, and this field is ${TARGET_WORDS[target]}; remove the tag or change the field's type.`);
    return true;
  };
  for (const tag of doc.tags) {
    const name = tag.name;
    if ((NUMBER_TAGS as readonly string[]).includes(name)) {
      if (wrongTarget(tag, 'number')) continue;
      if (!NUMBER_RE.test(tag.value)) {
        fail(tag, `@${name} needs a number, got '${tag.value}'; write e.g. '@${name} 1'.`);
        continue;
      }
      const n = Number(tag.value);
      if (name === 'multipleOf' && n <= 0) fail(tag, `@multipleOf must be greater than 0, got ${tag.value}.`);
      else constraints[name] = n;
    } else if ((LENGTH_TAGS as readonly string[]).includes(name) || (ITEMS_TAGS as readonly string[]).includes(name)) {
      if (wrongTarget(tag, name.endsWith('Items') ? 'array' : 'string')) continue;
      if (!/^\d+$/.test(tag.value)) fail(tag, `@${name} needs a non-negative integer, got '${tag.value}'; write e.g. '@${name} 1'.`);
      else constraints[name] = Number(tag.value);
    } else if (name === 'pattern') {
      if (wrongTarget(tag, 'string')) continue;
      try {
        if (tag.value === '') throw new Error('empty pattern');
        new RegExp(tag.value, 'u');
        constraints.pattern = tag.value;
      } catch (e) {
        fail(tag, `@pattern is not a valid regular expression (${(e as Error).message}); write a JavaScript RegExp body without slashes, e.g. '@pattern ^[a-z]+$'.`);
      }
    } else if (name === 'format') {
      if (wrongTarget(tag, 'string')) continue;
      if ((STRING_FORMATS as readonly string[]).includes(tag.value)) constraints.format = tag.value as StringFormat;
      else {
        const hint = didYouMean(tag.value, STRING_FORMATS) || ` Use one of: ${STRING_FORMATS.join(', ')}.`;
        fail(tag, `@format '${tag.value}' is not a known format.${hint}`);
      }
    } else if (name === 'uniqueItems') {
      if (wrongTarget(tag, 'array')) continue;
      if (tag.value === '' || tag.value === 'true') constraints.uniqueItems = true;
      else if (tag.value === 'false') constraints.uniqueItems = false;
      else fail(tag, `@uniqueItems takes no value (or true/false), got '${tag.value}'.`);
    } else if (name === 'example') {
      if (tag.value === '') fail(tag, `@example needs a value; write e.g. '@example "abc"' or '@example 42'.`);
      else example = readExample(tag.value);
    } else if (name === 'deprecated') {
      deprecated = true;
    } else {
      const near = nearest(name, KNOWN_TAGS);
      // Other tools' tags (@remarks, @see, @default…) are fine; only a likely typo of ours is worth a warning.
      if (near && near !== name) {
        problems.push({ code: 'SG112', severity: 'warning', message: `Unknown tag @${name} is ignored. Did you mean '@${near}'?`, offset: tag.offset });
      }
    }
  }
  checkRanges(doc, constraints, problems);
  return {
    ...(doc.description !== undefined ? { description: doc.description } : {}),
    constraints: constraints as Constraints,
    ...(example !== undefined ? { example } : {}),
    ...(deprecated ? { deprecated } : {}),
  };
}

function checkRanges(doc: JsDoc, c: Record<string, unknown>, problems: TagProblem[]): void {
  for (const [lo, hi] of [['minimum', 'maximum'], ['minLength', 'maxLength'], ['minItems', 'maxItems']] as const) {
    if (typeof c[lo] === 'number' && typeof c[hi] === 'number' && (c[lo] as number) > (c[hi] as number)) {
      const tag = doc.tags.find((t) => t.name === lo)!;
      problems.push({ code: 'SG103', severity: 'error', message: `@${lo} ${String(c[lo])} is greater than @${hi} ${String(c[hi])}; no value could pass.`, offset: tag.offset });
    }
  }
}

/** `@example` takes a JSON value; anything that is not JSON (a bare word, a sentence) is a string. */
function readExample(value: string): JsonValue {
  try {
    return JSON.parse(value) as JsonValue;
  } catch {
    return value;
  }
}

/** Constraint tags on a model (rather than a field) mean nothing: report them so they are not silently lost. */
export function readModelDoc(doc: JsDoc, problems: TagProblem[]): { description?: string; deprecated?: boolean } {
  let deprecated: boolean | undefined;
  for (const tag of doc.tags) {
    if (tag.name === 'deprecated') deprecated = true;
    else if (KNOWN_TAGS.includes(tag.name) && tag.name !== 'example') {
      problems.push({ code: 'SG103', severity: 'error', message: `@${tag.name} applies to fields, not to a whole model; move it to the field's comment.`, offset: tag.offset });
    }
  }
  return {
    ...(doc.description !== undefined ? { description: doc.description } : {}),
    ...(deprecated ? { deprecated } : {}),
  };
}
