/**
 * HTTP/1.1 over a bare socket (node:net): request targets and headers go out byte for byte as written, so `..`,
 * `%2e`, `//`, raw UTF-8 and CR/LF tricks reach the server unnormalised (fetch and node:http would clean them up
 * or refuse to send them). One request per connection (`Connection: close`).
 */
import net from 'node:net';

export interface RawReply {
  /** 0 when the server closed the connection without answering. */
  readonly status: number;
  /** Lower-case names; a repeated header keeps its last value. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly json: any;
}

export interface RawRequest {
  readonly method: string;
  /** The request-target exactly as sent (a JS string written as UTF-8). */
  readonly target: string;
  /** Name/value pairs written as `name: value\r\n`, in order; nothing is checked or escaped. */
  readonly headers?: readonly (readonly [string, string])[];
  readonly body?: string | Buffer;
}

/** Serialises a request; Host, Connection: close and (with a body) Content-Length are added unless given. */
export function rawBytes(req: RawRequest): Buffer {
  const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
  const headers = [...(req.headers ?? [])];
  const has = (name: string) => headers.some(([n]) => n.toLowerCase() === name);
  if (!has('host')) headers.unshift(['Host', '127.0.0.1']);
  if (!has('connection')) headers.push(['Connection', 'close']);
  if (body !== undefined && !has('content-length') && !has('transfer-encoding')) headers.push(['Content-Length', String(body.length)]);
  const head = `${req.method} ${req.target} HTTP/1.1\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
  return body === undefined ? Buffer.from(head, 'utf8') : Buffer.concat([Buffer.from(head, 'utf8'), body]);
}

/** Parses the first response in `data` (HEAD responses: headers only). */
export function parseReply(data: Buffer, head: boolean): RawReply {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return { status: 0, headers: {}, body: '', json: undefined };
  const lines = data.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0]!)?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = data.subarray(end + 4);
  if (head) body = Buffer.alloc(0);
  else if (headers['content-length'] !== undefined) body = body.subarray(0, Number(headers['content-length']));
  const text = body.toString('utf8');
  let json: unknown;
  try {
    json = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status, headers, body: text, json };
}

/**
 * Sends one request and resolves with the answer once the server closes the connection. Rejects if nothing
 * closes it within `timeoutMs` (a hung connection is a failure, not something to wait out).
 */
export function rawRequest(port: number, req: RawRequest | Buffer, timeoutMs = 10_000): Promise<RawReply> {
  const bytes = Buffer.isBuffer(req) ? req : rawBytes(req);
  const head = !Buffer.isBuffer(req) && req.method === 'HEAD';
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1', () => socket.end(bytes));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    // A reset after the answer (the server closing while we still write) is not an error: the answer counts.
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parseReply(Buffer.concat(chunks), head));
    });
  });
}

/**
 * Writes `parts` one after another with `gapMs` between them, then waits for the server to close the connection.
 * Resolves with what came back and how long after the first byte the server closed. Never rejects.
 */
export function trickle(port: number, parts: readonly Buffer[], gapMs: number, giveUpMs: number): Promise<{ reply: RawReply; closedAfterMs: number; sent: number }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    const started = performance.now();
    const socket = net.connect(port, '127.0.0.1', () => {
      const next = (): void => {
        if (socket.destroyed || sent >= parts.length) return;
        socket.write(parts[sent++]!);
        timer = setTimeout(next, gapMs);
      };
      next();
    });
    const giveUp = setTimeout(() => socket.destroy(), giveUpMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      clearTimeout(giveUp);
      resolve({ reply: parseReply(Buffer.concat(chunks), false), closedAfterMs: performance.now() - started, sent });
    });
  });
}

/**
 * Writes `head`, then `chunk` again and again (with backpressure) until `total` bytes of body went out or the
 * server answered, whichever comes first; resolves with the answer once the connection closes. What an endless
 * upload looks like to the server.
 */
export function streamBody(port: number, head: Buffer, chunk: Buffer, total: number, timeoutMs = 10_000): Promise<RawReply & { bodySent: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let sent = 0;
    let answered = false;
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(head);
      const pump = (): void => {
        while (!answered && !socket.destroyed && sent < total) {
          sent += chunk.length;
          if (!socket.write(chunk)) {
            socket.once('drain', pump);
            return;
          }
        }
      };
      pump();
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms (${sent} bytes of body sent)`));
    }, timeoutMs);
    socket.on('data', (c: Buffer) => {
      answered = true;
      chunks.push(c);
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ ...parseReply(Buffer.concat(chunks), false), bodySent: sent });
    });
  });
}
