/**
 * Correlation ids and the uniform error body (CONTRACT §5.6):
 * `{"result":"Error","cid":"…","details":"…","errors":[{"path":"/customer_id","message":"…"}]}`.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ValidationIssue } from './manifest.js';

const CID_BYTES = 12;
const CID_BATCH = 512;

/**
 * Hands out fresh random correlation ids (24 hex characters). One `randomBytes` call per 512 ids keeps this off the
 * profile; each server owns its own source, so two servers in one process share no state.
 */
export class CidSource {
  #pool = '';
  #next = 0;

  next(): string {
    if (this.#next >= this.#pool.length) {
      this.#pool = randomBytes(CID_BYTES * CID_BATCH).toString('hex');
      this.#next = 0;
    }
    const start = this.#next;
    this.#next = start + CID_BYTES * 2;
    return this.#pool.slice(start, this.#next);
  }
}

/** The details text of every 404 the runtime answers, so that "not allowlisted" and "no such service" look alike. */
export const NOT_FOUND_DETAILS = 'Not found';

/** The JSON error body of §5.6; `errors` only for validation failures. */
export function errorBody(cid: string, details: string, errors?: readonly ValidationIssue[]): string {
  if (errors === undefined) return JSON.stringify({ result: 'Error', cid, details });
  const list = errors.map((issue) => ({ path: issue.path, message: issue.message }));
  return JSON.stringify({ result: 'Error', cid, details, errors: list });
}

/** Extra response headers that every answer of a channel carries (e.g. deprecation headers). */
export type HeaderList = readonly (readonly [string, string])[];

/**
 * Writes a complete JSON (or empty) response with `X-Zato-CID`. `extra` come first so that nothing a service or
 * a channel sets can replace the cid, the content type or the length.
 */
export function sendBody(
  res: ServerResponse,
  status: number,
  cid: string,
  body: string,
  extra: HeaderList | null,
  closing: boolean,
): void {
  if (res.headersSent || res.destroyed) return;
  if (extra !== null) for (const [name, value] of extra) res.setHeader(name, value);
  const headers: Record<string, string | number> = { 'x-zato-cid': cid };
  if (body.length > 0) {
    headers['content-type'] = 'application/json; charset=utf-8';
    headers['content-length'] = Buffer.byteLength(body);
  } else {
    res.removeHeader('content-type');
    // A 204 must not carry a Content-Length; anything else says explicitly that there is no body.
    if (status !== 204) headers['content-length'] = 0;
  }
  if (closing) headers['connection'] = 'close';
  res.writeHead(status, headers);
  res.end(body.length > 0 ? body : undefined);
}

/** Shorthand for an error answer. */
export function sendError(
  res: ServerResponse,
  status: number,
  cid: string,
  details: string,
  extra: HeaderList | null,
  closing: boolean,
  errors?: readonly ValidationIssue[],
): void {
  sendBody(res, status, cid, errorBody(cid, details, errors), extra, closing);
}
