// CONTRACT §6 and §1 (`gen publish`), issue 4 items 2 and "nothing a target writes contains a secret": the command
// as a user runs it on the customers sample, for every target, with its exit codes and messages.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GEN, REPO, type RunResult } from '../helpers/project.js';

const SAMPLE = join(REPO, 'samples/customers');
const SECRETS = { GATEWAY_PASSWORD: 'gw-Secret-4f1c9a', API_PASSWORD: 'api-Secret-77d02e' };
const BACKEND = 'https://zato.internal:17010';
/** Each target's files, as the summary lists them (relative to --out). */
const TARGETS: Record<string, string[]> = {
  aws: ['openapi-aws.json'],
  azure: ['main.bicep', 'openapi.json', 'policy.xml'],
  kong: ['kong.yaml'],
  nginx: ['servicegate.conf'],
  openapi: ['openapi-3.0.json', 'openapi.json'],
};

const tmp = mkdtempSync(join(tmpdir(), 'sg-publish-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** `gen publish SAMPLE …args`, at most three at a time: each run is a whole build (ts-morph) on 2 shared cores. */
const publish = (() => {
  let running = 0;
  const queue: (() => void)[] = [];
  return async (args: string[]): Promise<RunResult> => {
    if (running >= 3) await new Promise<void>((resolve) => queue.push(resolve));
    running++;
    try {
      return await new Promise<RunResult>((resolve) => {
        execFile(process.execPath, [GEN, 'publish', SAMPLE, ...args], { env: { ...process.env, ...SECRETS }, encoding: 'utf8' },
          (err, stdout, stderr) => resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr }));
      });
    } finally {
      running--;
      queue.shift()?.();
    }
  };
})();

/** Every way a client-facing document could ask its callers for something only the gateway may send. */
function gatewayOwnedInputs(doc: any): string[] {
  const found: string[] = [];
  const owned = (name: unknown) => /^(x-zato-username|x_zato_username|authorization)$/i.test(String(name));
  const params = [...Object.values(doc.components?.parameters ?? {})];
  for (const [path, item] of Object.entries<any>(doc.paths ?? {})) {
    params.push(...(item.parameters ?? []));
    for (const op of Object.values<any>(item)) if (typeof op === 'object' && op !== null) params.push(...(op.parameters ?? []));
    if (owned(path)) found.push(path);
  }
  for (const p of params as any[]) if (owned(p.name)) found.push(`parameter ${p.in} ${p.name}`);
  return found;
}

const FAILURES: [string, string[], number, RegExp][] = [
  ['a misspelt --channel', ['--target', 'nginx', '--channel', 'Gatewy'], 1,
    /^--channel:1:1: error SG501: channel "Gatewy" does not exist; gateway targets publish a gateway channel .* Did you mean 'Gateway'\?$/m],
  ['a direct channel as --channel', ['--target', 'kong', '--channel', 'Get customer'], 1,
    /^--channel:1:1: error SG501: channel "Get customer" is a direct channel, not a gateway channel/m],
  ['a --backend-url with credentials', ['--target', 'aws', '--backend-url', 'https://u:p@zato.internal'], 1,
    /^--backend-url:1:1: error SG506: backend URL "https:\/\/u:p@zato\.internal" is not a plain http\(s\) URL/m],
  ['an unknown --target', ['--target', 'apigee'], 2, /argument 'apigee' is invalid\. Allowed choices are openapi, kong, aws, azure, nginx/],
  ['no --target', [], 2, /required option '--target <target>' not specified/],
];

describe('gen publish on the customers sample', () => {
  const out = Object.fromEntries(Object.keys(TARGETS).map((t) => [t, join(tmp, t)]));
  const failDir = (what: string) => join(tmp, `fail-${what.replace(/\W+/g, '-')}`);
  const runs = new Map<string, Promise<RunResult>>();
  before(() => {
    // Started together, awaited by the tests below.
    for (const target of Object.keys(TARGETS)) runs.set(target, publish(['--target', target, '--out', out[target]!, '--backend-url', BACKEND]));
    runs.set('json', publish(['--target', 'aws', '--out', join(tmp, 'json'), '--json']));
    for (const [what, args] of FAILURES) runs.set(what, publish([...args, '--out', failDir(what)]));
  });

  for (const [target, files] of Object.entries(TARGETS)) {
    it(`--target ${target}: exit 0, and the summary lists exactly the files written`, async () => {
      const r = await runs.get(target)!;
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '', 'no warning for a reachable backend URL');
      const listed = r.stdout.split('\n').filter((l) => l.startsWith('  ')).map((l) => l.trim());
      assert.deepEqual(listed, files.map((f) => join(out[target]!, f)));
      assert.match(r.stdout, new RegExp(`^gen publish --target ${target}: ${files.length} ${files.length === 1 ? 'file' : 'files'} in `));
      for (const file of listed) assert.ok(existsSync(file), file);
    });
  }

  it('writes no secret: not the passwords from the environment, nor their Basic encodings', async () => {
    await Promise.all(Object.keys(TARGETS).map((t) => runs.get(t)));
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const forbidden = [SECRETS.GATEWAY_PASSWORD, SECRETS.API_PASSWORD, b64(`gateway:${SECRETS.GATEWAY_PASSWORD}`), b64(`api:${SECRETS.API_PASSWORD}`)];
    let checked = 0;
    for (const [target, files] of Object.entries(TARGETS)) {
      for (const f of files) {
        const text = readFileSync(join(out[target]!, f), 'utf8');
        for (const s of forbidden) assert.ok(!text.includes(s), `${target}/${f} contains ${s}`);
        checked++;
      }
    }
    assert.equal(checked, 8);
  });

  it('client-facing documents (aws, azure) show the gateway\'s own auth, never x-zato-username or the backend credentials', async () => {
    await Promise.all([runs.get('aws'), runs.get('azure')]);
    for (const file of [join(out.aws!, 'openapi-aws.json'), join(out.azure!, 'openapi.json')]) {
      const doc = JSON.parse(readFileSync(file, 'utf8'));
      assert.deepEqual(gatewayOwnedInputs(doc), [], file);
      const schemes = Object.keys(doc.components.securitySchemes);
      assert.equal(schemes.length, 1, file);
      assert.ok(!schemes.some((s) => s === 'gateway.credentials' || s === 'api.credentials'), `${file}: ${schemes}`);
      assert.doesNotMatch(readFileSync(file, 'utf8'), /gateway\.credentials|api\.credentials/, file);
      for (const [path, item] of Object.entries<any>(doc.paths)) {
        assert.ok(!path.includes('/zato/gateway/'), `${file}: ${path} is a backend path`);
        assert.deepEqual(item.post.security, [{ [schemes[0]!]: [] }], `${file} ${path}`);
      }
      assert.deepEqual(Object.keys(doc.paths).map((p) => p.split('/').pop()), ['customer.get', 'customer.update', 'orders.create', 'orders.list']);
    }
  });

  it('the backend-facing document (openapi) shows the gateway channel with Basic Auth', async () => {
    await runs.get('openapi');
    const doc = JSON.parse(readFileSync(join(out.openapi!, 'openapi.json'), 'utf8'));
    assert.equal(doc.openapi, '3.1.0');
    assert.deepEqual(doc.components.securitySchemes['gateway.credentials'], {
      type: 'http', scheme: 'basic', description: 'HTTP Basic authentication, realm "Gateway".',
    });
    assert.deepEqual(doc.paths['/zato/gateway/customer.get'].post.security, [{ 'gateway.credentials': [] }]);
    assert.equal(doc.paths['/zato/gateway/customer.get-details'], undefined, 'not allowlisted: not published');
    assert.equal(JSON.parse(readFileSync(join(out.openapi!, 'openapi-3.0.json'), 'utf8')).openapi, '3.0.3');
  });

  it('--json lists the written files and the diagnostics', async () => {
    const dir = join(tmp, 'json');
    const r = await runs.get('json')!;
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout);
    assert.equal(result.ok, true);
    assert.deepEqual(result.files, [join(dir, 'openapi-aws.json')]);
    // The default backend URL is this machine, which AWS cannot reach: a warning, not a failure.
    assert.deepEqual(result.diagnostics.map((d: { code: string }) => d.code), ['SG508']);
  });

  for (const [what, , code, message] of FAILURES) {
    it(`${what}: exit ${code}, a message saying what to write, nothing written`, async () => {
      const r = await runs.get(what)!;
      assert.equal(r.code, code, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(existsSync(failDir(what)), false);
    });
  }
});
