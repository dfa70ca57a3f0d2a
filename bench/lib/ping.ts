/** Free ports and `GET /zato/ping` polling, for servers that report nothing but their first answer. */
import http from 'node:http';
import net from 'node:net';

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** The status of one `GET /zato/ping`, or 0 when nothing answers. */
export function pingOnce(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/zato/ping', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
  });
}

/** Polls every 2 ms until a 200; rejects when `gone()` says the process died or after `timeoutMs`. */
export async function waitForPing(port: number, gone: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const start = performance.now();
  for (;;) {
    if (gone()) throw new Error(`${what} exited before answering`);
    if ((await pingOnce(port)) === 200) return;
    if (performance.now() - start > timeoutMs) throw new Error(`${what} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
