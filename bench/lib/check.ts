/** One request before a load run, so that a misconfigured server is reported instead of measured. */
import http from 'node:http';
import { isDeepStrictEqual } from 'node:util';

export interface Probe {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface ProbeReply {
  readonly status: number;
  readonly cid: string | undefined;
  readonly text: string;
}

/** Sends the probe to 127.0.0.1:port and collects the answer. */
export function sendProbe(port: number, probe: Probe): Promise<ProbeReply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...probe.headers };
    if (probe.body !== undefined) headers['content-length'] = Buffer.byteLength(probe.body);
    const req = http.request({ host: '127.0.0.1', port, method: probe.method, path: probe.path, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        const cid = res.headers['x-zato-cid'];
        resolve({ status: res.statusCode ?? 0, cid: typeof cid === 'string' ? cid : undefined, text });
      });
    });
    req.on('error', reject);
    req.end(probe.body);
  });
}

/** '' when the reply has the wanted status, a cid, and (if given) exactly the wanted JSON body; else what is off. */
export function checkProbe(reply: ProbeReply, status: number, body?: unknown): string {
  if (reply.status !== status) return `answered ${reply.status} instead of ${status}: ${reply.text.slice(0, 200)}`;
  if (reply.cid === undefined || reply.cid === '') return 'no X-Zato-CID header';
  if (body === undefined) return '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(reply.text);
  } catch {
    parsed = undefined;
  }
  return isDeepStrictEqual(parsed, body) ? '' : `unexpected body ${reply.text.slice(0, 200)}`;
}
