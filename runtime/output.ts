/**
 * Checks on what a service puts into `this.response.headers` before any of it reaches the wire: a CR or LF in a
 * value would let data from a request split the response, so such a header fails the call (500, logged).
 */
import type { HeaderList } from './respond.js';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// What node:http itself refuses (CR, LF, other control characters, anything beyond latin-1); checked here first so
// the service gets a clear log line instead of an exception in the middle of writing the response.
// eslint-disable-next-line no-control-regex
const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
// Headers the runtime owns: a service cannot replace the cid or describe a body it did not write.
const RESERVED = new Set(['x-zato-cid', 'content-length', 'transfer-encoding', 'connection']);

const NONE: HeaderList = Object.freeze([]);

/** The headers as a list, or a message saying which one is invalid. */
export function checkResponseHeaders(headers: unknown): HeaderList | string {
  if (headers === undefined || headers === null) return NONE;
  if (typeof headers !== 'object') return 'response.headers must be an object of strings';
  const names = Object.keys(headers);
  // Most services set no header: answer them without allocating a list per request.
  if (names.length === 0) return NONE;
  const out: [string, string][] = [];
  for (const name of names) {
    const value: unknown = (headers as Record<string, unknown>)[name];
    if (value === undefined) continue;
    if (!TOKEN.test(name)) return `response header name ${JSON.stringify(name)} is not a valid HTTP token`;
    if (typeof value !== 'string' && typeof value !== 'number') {
      return `response header ${JSON.stringify(name)} must be a string, not ${typeof value}`;
    }
    const text = String(value);
    if (BAD_VALUE.test(text)) return `response header ${JSON.stringify(name)} contains CR, LF or another character not allowed in a header`;
    if (RESERVED.has(name.toLowerCase())) continue;
    out.push([name, text]);
  }
  return out;
}
