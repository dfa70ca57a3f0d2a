/**
 * Reading a request body under a size limit (CONTRACT §5.6): a Content-Length over the limit is refused before a
 * byte is read; a chunked body is counted as it arrives and reading stops as soon as it passes the limit.
 */
import type { IncomingMessage } from 'node:http';

export type BodyResult =
  | { readonly kind: 'buffer'; readonly buffer: Buffer }
  | { readonly kind: 'parsed'; readonly value: unknown } // an Express body parser got there first
  | { readonly kind: 'too-large' }
  | { readonly kind: 'aborted' };

const JSON_TYPE = /^application\/(?:[\w.!#$&^-]+\+)?json[\t ]*(?:;.*)?$/i;

/** `application/json`, `application/json; charset=utf-8`, `application/problem+json`, … */
export function isJsonContentType(value: string | undefined): boolean {
  return value !== undefined && JSON_TYPE.test(value);
}

/** Whether the request announces a body (a non-zero Content-Length, or Transfer-Encoding). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}

/** Unread bodies up to this size are discarded by node and the connection stays open. */
const DISCARDABLE = 64 * 1024;

/**
 * Whether answering before the body was read must close the connection. Otherwise node reads and discards whatever
 * the client still sends: cheaper than a reconnect for a small declared body (a gateway in front keeps its
 * connections alive, and refusals are common), not worth it for a large, chunked or unending one.
 */
export function mustCloseUnread(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return length !== '0' && !(Number(length) <= DISCARDABLE);
  return req.headers['transfer-encoding'] !== undefined;
}

const EMPTY = Buffer.alloc(0);

/** Reads the whole body, or stops at `limit` bytes. Never rejects. */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return Promise.resolve({ kind: 'too-large' });
  const preParsed = (req as { _body?: unknown; body?: unknown })._body === true;
  if (preParsed) return Promise.resolve({ kind: 'parsed', value: (req as { body?: unknown }).body });
  if (req.readableEnded) return Promise.resolve({ kind: 'buffer', buffer: EMPTY });

  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyResult): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        // Stop taking data; the 413 goes out with `Connection: close`, so the rest is never read.
        req.pause();
        finish({ kind: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      finish({ kind: 'buffer', buffer: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
    };
    const onAbort = (): void => finish({ kind: 'aborted' });
    const onClose = (): void => {
      if (!req.complete) finish({ kind: 'aborted' });
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('close', onClose);
  });
}
