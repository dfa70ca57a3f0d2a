/**
 * The curl lines `gen serve` prints: one per direct channel and one per allowlisted service of each gateway channel,
 * with a request body built from the input schema in openapi.json (examples first, then small values that meet the
 * constraints) and checked with the service's compiled validator, so that the line answers rather than 400.
 */
import { createRequire } from 'node:module';
import type { CompiledModel, Manifest, SecuritySpec } from '../runtime/manifest.js';
import { encodePathSegment } from '../runtime/path-segment.js';

// randexp is CommonJS with `module.exports = RandExp` (its typings describe `exports.default`): required as it is.
const RandExp = createRequire(import.meta.url)('randexp') as typeof import('randexp').default;

type Schema = Record<string, any>;

/** Which candidate each value takes, by JSON Pointer (0 when not set): moved on where the validator objects. */
type Picks = ReadonlyMap<string, number>;

const FORMATS: Record<string, readonly string[]> = {
  email: ['user@example.com', 'a@b.io'],
  uuid: ['00000000-0000-4000-8000-000000000000'],
  uri: ['https://example.com/', 'a:b'],
  date: ['2026-01-01'],
  'date-time': ['2026-01-01T00:00:00Z'],
  ipv4: ['192.0.2.1'],
  ipv6: ['2001:db8::1', '::1'],
};

/**
 * A value for `schema` (its @example, else a small value that meets its constraints). `picks` chooses among the
 * candidates of each value by its pointer (see exampleBody); `offset` moves every choice below (the items of an
 * array with uniqueItems take different ones).
 */
export function exampleValue(schema: Schema, components: Record<string, Schema>, depth = 0, picks: Picks = new Map(), path = '', offset = 0): unknown {
  if (schema.$ref) {
    if (depth > 16) return null; // a model that must hold itself: no finite example
    return exampleValue(components[String(schema.$ref).split('/').pop()!] ?? {}, components, depth + 1, picks, path, offset);
  }
  const at = (picks.get(path) ?? 0) + offset; // which candidate this value takes
  const choose = <T>(candidates: readonly T[]): T => candidates[Math.min(at, candidates.length - 1)]!;
  const given = [...(schema.examples ?? []), ...(schema.example !== undefined ? [schema.example] : []), ...(schema.default !== undefined ? [schema.default] : [])];
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return choose([...given, ...schema.enum]);
  const members = schema.anyOf ?? schema.oneOf;
  if (members?.length) {
    // Deep in a recursive model, a nullable reference ends the recursion.
    if (depth > 4 && members.some((m: Schema) => m.type === 'null')) return null;
    if (at < given.length) return choose(given);
    const member = members[(at - given.length) % members.length];
    return exampleValue(member, components, depth + 1, picks, path, offset);
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      if (given.length > 0 && at === 0) return given[0];
      const out: Record<string, unknown> = {};
      for (const name of schema.required ?? []) {
        const below = `${path}/${String(name).replace(/~/g, '~0').replace(/\//g, '~1')}`;
        const value = exampleValue(schema.properties?.[name] ?? {}, components, depth + 1, picks, below, offset);
        Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true }); // `__proto__` too
      }
      return out;
    }
    case 'array': {
      if (given.length > 0 && at === 0) return given[0];
      const n = schema.minItems ?? 0;
      const distinct = schema.uniqueItems === true;
      return Array.from({ length: n }, (_, i) => exampleValue(schema.items ?? {}, components, depth + 1, picks, `${path}/${i}`, distinct ? offset + i : offset));
    }
    case 'integer':
    case 'number':
      return choose([...given, ...numbers(schema, type === 'integer')]);
    case 'boolean':
      return choose([...given, true, false]);
    case 'string':
      return choose([...given, ...strings(schema)]);
    default:
      return given.length > 0 ? choose(given) : null;
  }
}

/**
 * Small numbers on multipleOf's steps: from the lower bound up; without one, from 1 up, or from the upper bound down
 * when 1 is above it.
 */
function numbers(schema: Schema, integer: boolean): number[] {
  const step: number = schema.multipleOf ?? 1;
  const lower = Math.max(schema.minimum ?? -Infinity, schema.exclusiveMinimum ?? -Infinity);
  const upper = Math.min(schema.maximum ?? Infinity, schema.exclusiveMaximum ?? Infinity);
  const above = (v: number) => v > lower || (v === lower && schema.exclusiveMinimum !== lower);
  const below = (v: number) => v < upper || (v === upper && schema.exclusiveMaximum !== upper);
  let k: number;
  let direction = 1;
  // A few steps at most: past 2**53, k + 1 can be k.
  if (lower > -Infinity) {
    k = Math.ceil(lower / step);
    for (let n = 0; n < 3 && !above(k * step); n++) k++;
  } else {
    k = Math.ceil(1 / step);
    if (upper < Infinity && !below(k * step)) {
      k = Math.floor(upper / step);
      for (let n = 0; n < 3 && !below(k * step); n++) k--;
      direction = -1;
    }
  }
  const out: number[] = [];
  for (let j = 0; j < 4; j++) {
    const v = (k + direction * j) * step;
    out.push(v, Number(v.toPrecision(12)));
    if (integer && !Number.isInteger(v)) out.push(Math.ceil(v));
  }
  // Just inside a bound where whole steps no longer move a number (1e300 exclusive, say).
  if (lower > -Infinity) out.push(lower + Math.max(step, Math.abs(lower) * 2 ** -50));
  if (upper < Infinity) out.push(upper - Math.max(step, Math.abs(upper) * 2 ** -50));
  // A range narrower than a step from its lower end (exclusiveMaximum 2e-323, say): its middle.
  if (lower > -Infinity && upper < Infinity) {
    const middle = lower + (upper - lower) / 2;
    out.push(middle, Math.round(middle / step) * step, Math.ceil(middle));
  }
  const inside = (v: number) => above(v) && below(v) && (!integer || Number.isInteger(v));
  return [...out.filter(inside), ...out.filter((v) => !inside(v))];
}

/** Strings for a format, a pattern (made by randexp, smallest first), and plain letters of an allowed length. */
function strings(schema: Schema): string[] {
  const min: number = schema.minLength ?? 0;
  const max: number = schema.maxLength ?? Infinity;
  const out = [...(FORMATS[schema.format] ?? [])];
  if (typeof schema.pattern === 'string') out.push(...fromPattern(schema.pattern, max));
  const length = Math.min(Math.max(1, min), max);
  for (const c of ['x', 'y', 'z', 'a', 'A', '0', '1']) out.push(c.repeat(length));
  // Those that fit first (lengths in code points, as validators count them).
  let re: RegExp | undefined;
  try {
    re = typeof schema.pattern === 'string' ? new RegExp(schema.pattern, 'u') : undefined;
  } catch {
    re = undefined;
  }
  const fits = (v: string) => [...v].length >= min && [...v].length <= max && (re === undefined || re.test(v));
  return [...out.filter(fits), ...out.filter((v) => !fits(v))];
}

/** Characters for the Unicode properties patterns use most (randexp reads `\p{…}` as the letters p, {, …). */
const PROPERTIES: Record<string, string> = {
  Lu: 'A-Z', Uppercase_Letter: 'A-Z', Ll: 'a-z', Lowercase_Letter: 'a-z', L: 'A-Za-z', Letter: 'A-Za-z',
  Alphabetic: 'A-Za-z', Alpha: 'A-Za-z', N: '0-9', Nd: '0-9', Number: '0-9', Decimal_Number: '0-9',
  'Script=Latin': 'A-Za-z', 'sc=Latin': 'A-Za-z', 'Script=Greek': 'α-ω', 'sc=Greek': 'α-ω', 'Script=Cyrillic': 'а-я', 'sc=Cyrillic': 'а-я',
};

/**
 * Up to three code points that `\p{name}` (or `\P{name}` when `negated`) matches, printable ASCII first, then the
 * rest of the BMP, then the other planes; none for a property JavaScript does not know. Kept per property: a scan
 * that finds nothing early walks the code points once.
 */
const found = new Map<string, readonly number[]>();
const CLASS_SYNTAX = new Set([...'\\[]^-'].map((c) => c.charCodeAt(0)));
function propertyCodePoints(name: string, negated: boolean): readonly number[] {
  const key = `${negated ? 'P' : 'p'}{${name}}`;
  let out = found.get(key);
  if (out !== undefined) return out;
  const picked: number[] = [];
  try {
    const re = new RegExp(`^\\${key}$`, 'u');
    for (const [from, to] of [[0x21, 0x7e], [0xa1, 0xffff], [0x10000, 0x10ffff]] as const) {
      for (let cp = from; cp <= to && picked.length < 3; cp++) {
        if (cp >= 0xd800 && cp <= 0xf8ff) continue; // surrogates, and the private-use area stand-ins come from
        if (CLASS_SYNTAX.has(cp)) continue; // written into a class as they are (randexp reads no \u escape there)
        if (re.test(String.fromCodePoint(cp))) picked.push(cp);
      }
    }
  } catch {
    // a property JavaScript does not know: the pattern does not compile either, nothing to match
  }
  out = picked;
  found.set(key, out);
  return out;
}

/**
 * `pattern` as randexp can read it: the `\p{…}` of PROPERTIES as character ranges (inside a class) or classes
 * (outside one), any other `\p{…}` or `\P{…}` as a few characters it matches (propertyCodePoints), and every
 * character outside the BMP (written, or as `\u{…}`) as a private-use stand-in, which `astral` maps back: randexp
 * reads a pattern in UTF-16 code units, so `[😀-🙏]` was two surrogates and a range between them. A range with an end
 * outside the BMP stands for its first character (one that the range holds). `extra`: the BMP characters put in for
 * properties, which randexp must be told it may produce (it keeps a class to its default range).
 */
function forRandexp(pattern: string): { source: string; astral: Map<string, string>; extra: number[] } {
  const extra: number[] = [];
  const astral = new Map<string, string>(); // stand-in → character
  const standIns = new Map<number, string>(); // code point → stand-in
  let next = 0xe000;
  const standIn = (cp: number): string => {
    let c = standIns.get(cp);
    if (c === undefined) {
      while (pattern.includes(String.fromCharCode(next))) next++;
      c = String.fromCharCode(next++);
      standIns.set(cp, c);
      astral.set(c, String.fromCodePoint(cp));
    }
    return c;
  };
  // One code point at `i`: written, `\u{…}`, or none (an escape of something else); with its length in the text.
  const codePointAt = (i: number): { cp: number; length: number } | undefined => {
    const braced = /^\\u\{([0-9a-fA-F]{1,6})\}/.exec(pattern.slice(i, i + 10));
    if (braced) return { cp: parseInt(braced[1]!, 16), length: braced[0].length };
    if (pattern[i] === '\\') return undefined;
    const cp = pattern.codePointAt(i)!;
    return { cp, length: cp > 0xffff ? 2 : 1 };
  };
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; ) {
    const here = codePointAt(i);
    if (here !== undefined && here.cp > 0xffff) {
      out += standIn(here.cp);
      i += here.length;
      const dash = inClass && pattern[i] === '-' ? codePointAt(i + 1) : undefined;
      if (dash !== undefined && pattern[i + 1] !== ']') i += 1 + dash.length; // the range's end: its start stands for it
      continue;
    }
    if (here !== undefined && here.length > 2) {
      out += `\\u${here.cp.toString(16).padStart(4, '0')}`; // `\u{41}`: randexp reads only `\u0041`
      i += here.length;
      continue;
    }
    if (inClass && here !== undefined && pattern[i + here.length] === '-') {
      const end = codePointAt(i + here.length + 1);
      if (end !== undefined && end.cp > 0xffff && pattern[i + here.length + 1] !== ']') {
        out += pattern.slice(i, i + here.length); // a BMP start and an astral end: the start stands for the range
        i += here.length + 1 + end.length;
        continue;
      }
    }
    const c = pattern[i]!;
    if (c === '\\') {
      const m = /^\\([pP])\{([\w=]+)\}/.exec(pattern.slice(i));
      const known = m && m[1] === 'p' ? PROPERTIES[m[2]!] : undefined;
      const points = m && known === undefined ? propertyCodePoints(m[2]!, m[1] === 'P') : [];
      if (m && (known !== undefined || points.length > 0)) {
        let chars = known ?? '';
        for (const cp of points) {
          if (cp > 0xffff) chars += standIn(cp);
          else {
            chars += String.fromCharCode(cp);
            extra.push(cp);
          }
        }
        out += inClass ? chars : `[${chars}]`;
        i += m[0].length;
      } else {
        out += pattern.slice(i, i + 2);
        i += 2;
      }
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    out += c;
    i++;
  }
  return { source: out, astral, extra };
}

function fromPattern(pattern: string, max: number): string[] {
  const out: string[] = [];
  const { source, astral, extra } = forRandexp(pattern);
  for (const choose of [(a: number) => a, (a: number, b: number) => Math.floor((a + b) / 2), (_: number, b: number) => b]) {
    try {
      const r = new RandExp(source);
      r.max = Math.max(1, Math.min(max, 8)); // `*` and `+` repeat at most this often
      r.defaultRange.add(0x3b1, 0x3c9).add(0x430, 0x44f); // printable ASCII, and the letters PROPERTIES name
      for (const c of astral.keys()) r.defaultRange.add(c.charCodeAt(0)); // a class holds only what the range has
      for (const cp of extra) r.defaultRange.add(cp);
      r.randInt = choose;
      const made = r.gen();
      out.push(astral.size === 0 ? made : [...made].map((c) => astral.get(c) ?? c).join(''));
    } catch {
      // a pattern randexp cannot read: the plain candidates remain
    }
  }
  return out;
}

/**
 * A request body for an input model: exampleValue, checked with the model's compiled validator; where it objects
 * (by pointer), those values take their next candidates, a few rounds at most. The last try when none passes.
 */
export function exampleBody(schema: Schema, components: Record<string, Schema>, model: Pick<CompiledModel, 'validate'> | null): unknown {
  const picks = new Map<string, number>();
  let value = exampleValue(schema, components, 0, picks);
  if (model === null) return value;
  for (let round = 0; round < 24; round++) {
    const issues = model.validate(value);
    if (issues === null) return value;
    for (const pointer of new Set(issues.map((i) => i.path))) picks.set(pointer, (picks.get(pointer) ?? 0) + 1);
    value = exampleValue(schema, components, 0, picks);
  }
  return value;
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `s` as one shell word: as it is when nothing in it is special to the shell (a plain URL), else quoted. */
function shellWord(s: string): string {
  return /^[\w.:/%@+=,~-]+$/.test(s) ? s : shellQuote(s);
}

function credentials(def: SecuritySpec | undefined, env: Record<string, string | undefined>, reveal: boolean): string {
  if (!def) return '';
  const value = (v: string | { env: string }) =>
    typeof v === 'string' ? v : reveal && env[v.env] ? env[v.env]! : `$${v.env}`;
  // Unrevealed values stay shell variable references ("$VAR"), so the line works in a shell that exported them.
  if (def.type === 'basic_auth') {
    const user = value(def.username);
    const pass = value(def.password);
    return user.startsWith('$') || pass.startsWith('$') ? ` -u "${user}:${pass}"` : ` -u ${shellQuote(`${user}:${pass}`)}`;
  }
  const key = value(def.password);
  return key.startsWith('$') ? ` -H "${def.header}: ${key}"` : ` -H ${shellQuote(`${def.header}: ${key}`)}`;
}

/**
 * A direct channel's example request: one example input (from the request body's schema, or else from the
 * parameters'), its path parameters put into the path, and the rest in the JSON body — or, for an operation without
 * one (GET), in the query string.
 */
function directRequest(op: Schema | undefined, template: string, components: Record<string, Schema>, model: Pick<CompiledModel, 'validate'> | null): { path: string; body?: string } {
  const params: Schema[] = op?.parameters ?? [];
  const bodySchema = op?.requestBody?.content?.['application/json']?.schema;
  // The whole input: the body's object schema (without the fields that travel as parameters) and the parameters'.
  const resolved = bodySchema?.$ref ? components[String(bodySchema.$ref).split('/').pop()!] : bodySchema;
  const schema = params.length === 0 && bodySchema !== undefined ? bodySchema : {
    type: 'object',
    properties: { ...(resolved?.properties ?? {}), ...Object.fromEntries(params.map((p) => [p.name, p.schema ?? {}])) },
    required: [...new Set([...(resolved?.required ?? []), ...params.filter((p) => p.required === true).map((p) => p.name)])],
  };
  const input = { ...(exampleBody(schema, components, model) as Record<string, unknown>) };
  const text = (v: unknown) => encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v));
  let path = template;
  for (const p of params.filter((p) => p.in === 'path')) {
    path = path.replace(`{${p.name}}`, text(input[p.name] ?? 1));
    delete input[p.name];
  }
  if (op === undefined || bodySchema !== undefined) return { path, body: JSON.stringify(input) };
  const query = Object.entries(input).map(([k, v]) => `${encodeURIComponent(k)}=${text(v)}`).join('&');
  return { path: query === '' ? path : `${path}?${query}` };
}

export interface ExampleOptions {
  readonly baseUrl: string;
  readonly env: Record<string, string | undefined>;
  readonly reveal: boolean; // print secret values from env (the demo); otherwise $VAR references
  /** At most this many examples (a line naming the channel and service, then the curl line); the rest are counted. */
  readonly limit?: number;
  /** Where every operation is listed, for the line about the examples left out. */
  readonly document?: string;
}

export function curlLines(manifest: Manifest, openapi: Schema, options: ExampleOptions): string[] {
  const components: Record<string, Schema> = openapi.components?.schemas ?? {};
  const security = new Map(manifest.security.map((s) => [s.name, s]));
  const body = (path: string, method: string, service: string) => {
    const op = openapi.paths?.[path]?.[method.toLowerCase()];
    const schema = op?.requestBody?.content?.['application/json']?.schema;
    return schema ? JSON.stringify(exampleBody(schema, components, manifest.services[service]?.input ?? null)) : '{}';
  };
  const lines: string[] = [];
  const limit = options.limit ?? Infinity;
  let shown = 0; // examples (a line naming the channel and service, then the curl line)
  let skipped = 0;
  for (const c of manifest.channels) {
    if (!c.isActive) continue;
    const room = limit - shown;
    if (room < 1) {
      skipped += c.type === 'gateway' ? c.allowlist.length : 1;
      continue;
    }
    const auth = credentials(c.security ? security.get(c.security) : undefined, options.env, options.reveal);
    if (c.type === 'gateway') {
      skipped += Math.max(0, c.allowlist.length - room);
      for (const name of c.allowlist.slice(0, room)) {
        shown++;
        // The one spelling the runtime routes (and openapi.json lists): `zażółć.get` percent-encoded, `o'brien.get` not.
        const path = c.path.replace('{service}', encodePathSegment(name));
        const user = " -H 'x-zato-username: jane'";
        lines.push(`# ${c.name} → ${name}`);
        lines.push(`curl -s${auth}${user} -H 'content-type: application/json' -d ${shellQuote(body(path, 'post', name))} ${shellWord(`${options.baseUrl}${path}`)}`);
      }
    } else {
      const method = c.method ?? 'POST';
      const request = directRequest(openapi.paths?.[c.path]?.[method.toLowerCase()], c.path, components, manifest.services[c.service!]?.input ?? null);
      const url = shellWord(`${options.baseUrl}${request.path}`);
      shown++;
      lines.push(`# ${c.name} → ${c.service}`);
      lines.push(request.body === undefined
        ? `curl -s${auth}${method === 'GET' ? '' : ` -X ${method}`} ${url}`
        : `curl -s${auth} -X ${method} -H 'content-type: application/json' -d ${shellQuote(request.body)} ${url}`);
    }
  }
  if (skipped > 0) lines.push(`# ${skipped.toLocaleString('en-US')} more not shown (one per channel and allowlisted service); every operation is in ${options.document ?? 'openapi.yaml'}`);
  return lines;
}
