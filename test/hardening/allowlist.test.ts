// Issue 6, item 2: the gateway allowlist of the REAL customers sample cannot be bypassed. Every crafted request is
// sent over a raw socket; what counts is which services actually ran (an instrumented hook), not only the statuses.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildCorpus, type Attempt } from './allowlist-corpus.js';
import { rawRequest, type RawReply } from './raw-http.js';
import {
  SAMPLE_ALLOWLIST, SAMPLE_API_AUTH, SAMPLE_ENV, SAMPLE_GATEWAY_AUTH, buildSampleProject, instrument, loadManifest, startSample,
  type Execution, type SampleServer,
} from './sample-project.js';
import type { TempProject } from '../helpers/project.js';
import { createServer } from '../../runtime/server.js';

const BODY = '{"customer_id":123}';

function send(port: number, a: Pick<Attempt, 'method' | 'target' | 'headers' | 'body'>): Promise<RawReply> {
  return rawRequest(port, {
    method: a.method,
    target: a.target,
    headers: [
      ['Authorization', SAMPLE_GATEWAY_AUTH],
      ['Content-Type', 'application/json'],
      ['X-Zato-Username', 'mallory'],
      ...(a.headers ?? []),
    ],
    body: a.body ?? BODY,
  });
}

/** What must be identical between two refusals: everything but the cid and the date. */
function shape(r: RawReply): unknown {
  const names = Object.keys(r.headers).filter((n) => n !== 'date').sort();
  return { status: r.status, names, type: r.headers['content-type'], length: r.headers['content-length'], body: r.json && { ...r.json, cid: '-' } };
}

/** Why a reply is not the refusal the attempt expects, or null. */
function checkRefusal(a: Attempt, r: RawReply): string | null {
  if (r.status !== a.expect) return `status ${r.status}, expected ${a.expect}: ${r.body.slice(0, 120)}`;
  // node's parser refused it before any channel ran: createServer() answers that with this one text.
  if (a.expect === 400) return r.json?.details === 'Bad request: the HTTP request is malformed' ? null : 'a parser-level 400 reached the runtime';
  const cid = r.headers['x-zato-cid'];
  if (!/^[0-9a-f]{24}$/.test(cid ?? '')) return `no X-Zato-CID (${cid})`;
  if (a.expect === 405 && r.headers.allow !== 'POST') return `405 with Allow ${r.headers.allow}`;
  if (a.method === 'HEAD') return r.body === '' ? null : 'a body on HEAD';
  const body = r.json as Record<string, unknown> | undefined;
  if (body === undefined) return `not a JSON body: ${r.body.slice(0, 120)}`;
  const keys = Object.keys(body).join(',');
  if (keys !== 'result,cid,details' || body.result !== 'Error' || body.cid !== cid) return `not the §5.6 error body: ${r.body}`;
  if (a.expect === 404 && body.details !== 'Not found') return `404 details ${JSON.stringify(body.details)}`;
  return null;
}

/** Sends the corpus, a few requests at a time (the server sees concurrent hostile requests, as in the wild). */
async function sendCorpus(port: number, corpus: readonly Attempt[]): Promise<[Attempt, RawReply][]> {
  const replies: [Attempt, RawReply][] = [];
  for (let i = 0; i < corpus.length; i += 8) {
    const batch = corpus.slice(i, i + 8);
    const answers = await Promise.all(batch.map((a) => send(port, a)));
    batch.forEach((a, j) => replies.push([a, answers[j]!]));
  }
  return replies;
}

const tryDecode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** Allowlist checks that are wrong in the ways the corpus is about; each must let at least one attempt through. */
const LAX: readonly (readonly [string, (name: string) => string])[] = [
  ['case folding', (s) => s.toLowerCase()],
  ['percent-decoding', tryDecode],
  ['percent-decoding then NFKC', (s) => tryDecode(s).normalize('NFKC')],
  ['trimming a trailing dot', (s) => s.replace(/\.$/, '')],
];

describe('allowlist corpus against the generated customers sample', () => {
  let project: TempProject;
  let server: SampleServer;
  before(async () => {
    project = buildSampleProject();
    server = await startSample(project.dir);
  });
  after(async () => {
    await server?.close();
    project?.remove();
  });

  it('sees executions: the controls run, through the gateway and directly', async () => {
    const byPath = await send(server.port, { method: 'POST', target: '/zato/gateway/customer.get' });
    const byQuery = await send(server.port, { method: 'POST', target: '/zato/gateway/invoke?service=customer.get' });
    const direct = await rawRequest(server.port, {
      method: 'POST', target: '/api/customer/get', body: BODY,
      headers: [['Authorization', SAMPLE_API_AUTH], ['Content-Type', 'application/json']],
    });
    for (const r of [byPath, byQuery, direct]) assert.equal(r.status, 200, r.body);
    assert.deepEqual(server.executions, [
      { service: 'customer.get', channelType: 'gateway' },
      { service: 'customer.get-details', channelType: 'invoke' },
      { service: 'customer.get', channelType: 'gateway' },
      { service: 'customer.get-details', channelType: 'invoke' },
      { service: 'customer.get', channelType: 'rest' },
      { service: 'customer.get-details', channelType: 'invoke' },
    ]);
    assert.equal(server.logs.requests.filter((e) => e.service === 'customer.get').length, 3);
    server.executions.length = 0;
    server.logs.requests.length = 0;
  });

  it('refuses every crafted request, runs no service, and every refusal looks the same', async (t) => {
    const corpus = buildCorpus();
    assert.ok(corpus.length >= 150, `corpus has ${corpus.length} requests`);
      // (buildCorpus drops duplicates, so the count is of distinct requests)
    const baseline = await send(server.port, { method: 'POST', target: '/zato/gateway/no.such.service' });
    const wrong: string[] = [];
    const replies = await sendCorpus(server.port, corpus);
    for (const [a, r] of replies) {
      const problem = checkRefusal(a, r);
      if (problem !== null) wrong.push(`${a.method} ${JSON.stringify(a.target)} (${a.why}): ${problem}`);
    }
    // A bypass: a service outside the allowlist entered from the channel (not invoked by an allowlisted service).
    const outside = server.executions.filter((e) => e.channelType !== 'invoke' && !SAMPLE_ALLOWLIST.includes(e.service));
    const logged = server.logs.requests.filter((e) => e.service !== null);
    t.diagnostic(`${corpus.length} crafted requests; ${outside.length} reached a service outside the allowlist; ` +
      `${server.executions.length} service executions in all; ${wrong.length} answers not the expected refusal`);
    assert.deepEqual(wrong, []);
    assert.deepEqual(outside, [], 'no service outside the allowlist ran');
    assert.deepEqual(server.executions, [], 'no service ran at all');
    assert.deepEqual(logged.map((e) => `${e.path} → ${e.service}`), [], 'no request log line names a service');

    // "Not allowlisted", "does not exist" and every disguise of a name get byte-for-byte the same answer.
    const gatewayRefusals = replies.filter(([a, r]) => a.method === 'POST' && r.status === 404 && !r.headers['x-powered-by']);
    assert.ok(gatewayRefusals.length > 100);
    t.diagnostic(`${gatewayRefusals.length} gateway refusals identical to the answer for a service that does not exist; ` +
      `${replies.filter(([, r]) => r.headers['x-powered-by']).length} refused by the host app (no channel path)`);
    for (const [a, r] of gatewayRefusals) assert.deepEqual(shape(r), shape(baseline), `${a.target} (${a.why})`);
  });

  // The corpus is only worth something if it catches a broken check: serve the same generated project with the
  // channel's allowlist check made lax, and the corpus must make a decoy service run.
  for (const [label, lax] of LAX) {
    it(`would catch an allowlist check with ${label}`, async () => {
      const executions: Execution[] = [];
      const manifest = instrument(await loadManifest(project.dir), executions);
      const channels = manifest.channels.map((c) => (c.allows === null ? c : { ...c, allows: (name: string) => c.allows!(lax(name)) }));
      const sg = createServer({ ...manifest, channels }, { env: SAMPLE_ENV, logger: false });
      try {
        const { port } = await sg.listen(0, '127.0.0.1');
        await sendCorpus(port, buildCorpus());
      } finally {
        await sg.close(1_000);
      }
      const outside = executions.filter((e) => e.channelType !== 'invoke' && !SAMPLE_ALLOWLIST.includes(e.service));
      assert.ok(outside.length > 0, 'the corpus found no bypass in a lax check');
    });
  }
});
