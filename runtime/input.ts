/**
 * Building a service's input (CONTRACT §5.6): the JSON body, merged at the top level with the query and path
 * parameters that the input model declares (path and query win), coerced from strings to the declared type, then
 * validated and parsed by the model's compiled functions.
 */
import type { CompiledModel, ParamType, ValidationIssue } from './manifest.js';
import { copyOwn, putOwn } from './objects.js';

export type InputResult =
  | { readonly ok: true; readonly input: unknown }
  | { readonly ok: false; readonly details: string; readonly errors?: readonly ValidationIssue[] };

/** A fresh object without a prototype, so that keys such as `__proto__` are plain data. */
export function emptyRecord(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}

function decodeQueryComponent(text: string): string {
  const spaced = text.includes('+') ? text.replaceAll('+', ' ') : text;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced; // a malformed escape is kept as written rather than failing the request
  }
}

/**
 * Parses a raw query string (`a=1&b=x+y`) into decoded names and values; a repeated name keeps its last value,
 * like a repeated header does.
 */
export function parseQuery(raw: string): Record<string, string> {
  const out = emptyRecord();
  if (raw.length === 0) return out;
  for (const part of raw.split('&')) {
    if (part.length === 0) continue;
    const eq = part.indexOf('=');
    const name = decodeQueryComponent(eq < 0 ? part : part.slice(0, eq));
    out[name] = eq < 0 ? '' : decodeQueryComponent(part.slice(eq + 1));
  }
  return out;
}

/**
 * The gateway's `?service=NAME`: the raw, undecoded value of the one `service` parameter, or null when there is
 * none or more than one (a parameter whose name only decodes to `service`, e.g. `s%65rvice`, counts as another).
 */
export function readGatewayServiceParam(raw: string): string | null {
  let found: string | null = null;
  let count = 0;
  for (const part of raw.split('&')) {
    const eq = part.indexOf('=');
    const rawName = eq < 0 ? part : part.slice(0, eq);
    if (rawName === 'service') {
      count++;
      found = eq < 0 ? '' : part.slice(eq + 1);
    } else if (rawName.length > 0 && decodeQueryComponent(rawName) === 'service') count++;
  }
  return count === 1 ? found : null;
}

/** Decodes `{param}` values of a direct channel; null when a value has a malformed %-escape. */
export function decodePathParams(names: readonly string[], values: readonly string[]): Record<string, string> | null {
  const out = emptyRecord();
  for (let i = 0; i < names.length; i++) {
    const value = values[i]!;
    if (!value.includes('%')) out[names[i]!] = value;
    else {
      try {
        out[names[i]!] = decodeURIComponent(value);
      } catch {
        return null;
      }
    }
  }
  return out;
}

/** At most this many validation problems are sent back in one error body. */
export const MAX_REPORTED_ISSUES = 100;

const INTEGER = /^-?\d+$/;
const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A parameter string turned into its declared type; a string that does not fit stays a string, so the validator
 * reports the type error at the field's path. `date` stays a string: the validator checks its format.
 */
export function coerceParam(value: string, type: ParamType): unknown {
  switch (type) {
    case 'integer':
      return INTEGER.test(value) ? Number(value) : value;
    case 'number':
      return NUMBER.test(value) ? Number(value) : value;
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : value;
    default:
      return value;
  }
}

/** `/customer_id must be >= 1; /items/0/sku is required` — for messages that have no `errors` array. */
export function describeIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((issue) => `${issue.path || '(root)'} ${issue.message}`).join('; ');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Merges, validates and parses. `body` is the parsed JSON body, or undefined when the request had none.
 * Never throws on user input.
 */
export function buildInput(
  model: CompiledModel,
  body: unknown,
  query: Readonly<Record<string, string>>,
  params: Readonly<Record<string, string>>,
): InputResult {
  if (body !== undefined && !isPlainObject(body)) {
    return { ok: false, details: 'The request body must be a JSON object', errors: [{ path: '', message: 'must be object' }] };
  }
  let merged: Record<string, unknown> = (body as Record<string, unknown> | undefined) ?? {};
  let copied = false;
  for (const name of Object.keys(model.params)) {
    const raw = Object.hasOwn(params, name) ? params[name] : Object.hasOwn(query, name) ? query[name] : undefined;
    if (raw === undefined) continue;
    if (!copied) {
      // Not `{ ...merged }`: the parameters are added next (see objects.ts).
      merged = copyOwn(merged);
      copied = true;
    }
    putOwn(merged, name, coerceParam(raw, model.params[name]!));
  }
  const issues = model.validate(merged);
  if (issues !== null) {
    // A 1 MiB array of wrong items holds ~500,000 mistakes: listing them all would answer a small request with tens
    // of megabytes. The first MAX_REPORTED_ISSUES are enough to fix the request.
    const shown = issues.length > MAX_REPORTED_ISSUES ? issues.slice(0, MAX_REPORTED_ISSUES) : issues;
    const more = issues.length > shown.length ? `; and ${issues.length - shown.length} more` : '';
    return { ok: false, details: `Invalid input: ${describeIssues(shown)}${more}`, errors: shown };
  }
  return { ok: true, input: model.parse(merged) };
}
