// CONTRACT §6 (nginx target), issue 4 item 6: the server block `gen publish --target nginx` writes, loaded by a
// real nginx in front of the real servicegate server, with a real htpasswd file and the operator's include.
// Skipped, with a message, on a machine without nginx (CI installs Debian's nginx-light through .ci/run).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { delimiter, join } from 'node:path';
import type { ServicegateServer } from 'servicegate';
import { REPO, gen, serveBuilt, tempProject, type TempProject } from '../helpers/project.js';

const GATEWAY_PASSWORD = 'gw-secret-for-nginx-e2e';
const API_PASSWORD = 'api-secret-for-nginx-e2e';
const ALICE = { user: 'alice', password: 'alice-pw' };

/** nginx from $NGINX, $PATH, or the sbin dirs a non-root PATH often lacks. */
function findNginx(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const candidate of [process.env.NGINX, ...dirs.filter(Boolean).map((d) => join(d, 'nginx'))]) {
    if (candidate === undefined) continue;
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const NGINX = findNginx();
const SKIP = NGINX === undefined ? 'nginx not found (PATH, /usr/sbin, $NGINX): install nginx-light to run the nginx end-to-end test' : false;

/** Echoes who servicegate says is calling, and the tenant header: what a service behind nginx would see. */
const PROBE = `import { Service, Model } from 'servicegate';

export class Seen extends Model {
  username!: string;
  tenant!: string;
  channel!: string;
}

export class WhoAmI extends Service {
  name = 'probe.whoami';
  output = Seen;

  handle() {
    this.response.payload = {
      username: this.channel.security.username,
      tenant: this.request.http.headers.get('x-zato-tenant') ?? '',
      channel: this.channel.name,
    };
  }
}
`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** Raw node:http (no fetch): header names are sent exactly as written, underscores included. */
function post(port: number, path: string, headers: Record<string, string>, body = '{}'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent: false,
      headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** What `nginx -V` says about this build: its version and its configure arguments. */
function nginxBuild(nginx: string): { version: number[]; configure: string } {
  const text = spawnSync(nginx, ['-V'], { encoding: 'utf8' }).stderr;
  return { version: (/nginx\/(\d+)\.(\d+)\.(\d+)/.exec(text) ?? []).slice(1).map(Number), configure: text };
}

/** The temp-path directives this nginx build knows, pointed into `dir` (its compiled-in ones are root-owned). */
function tempPaths(configure: string, dir: string): string[] {
  const out: string[] = [];
  for (const m of configure.matchAll(/--http-([a-z-]+)-temp-path=/g)) {
    const kind = m[1]!.replace(/-/g, '_');
    mkdirSync(join(dir, kind), { recursive: true });
    out.push(`    ${kind}_temp_path ${join(dir, kind)};`);
  }
  return out;
}

/** Waits until nginx answers on `port`, or fails with its error log when it exits first. */
async function waitForNginx(proc: ChildProcess, port: number, errorLog: string): Promise<void> {
  let exited = false;
  proc.once('exit', () => (exited = true));
  for (let attempt = 0; attempt < 200; attempt++) {
    if (exited) break;
    try {
      await post(port, '/', {});
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  let log = '';
  try {
    log = readFileSync(errorLog, 'utf8');
  } catch {
    // nginx never got as far as opening it
  }
  assert.fail(`nginx did not start (${exited ? 'it exited' : 'no answer'}):\n${log}`);
}

function stopNginx(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => proc.kill('SIGKILL'), 5_000);
    proc.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    proc.kill('SIGQUIT');
  });
}

describe('nginx in front of gen serve', { skip: SKIP }, () => {
  let project: TempProject;
  let server: ServicegateServer | undefined;
  let nginx: ChildProcess | undefined;
  let port = 0;

  before(async () => {
    project = tempProject({ 'services/probe.ts': PROBE }, join(REPO, 'samples/customers'));
    const yaml = join(project.dir, 'config/channels.yaml');
    const config = readFileSync(yaml, 'utf8');
    assert.ok(config.includes('      - orders.list\n'));
    assert.ok(config.includes('    service: helpers.service-gateway\n'));
    writeFileSync(yaml, config.replace('      - orders.list\n', '      - orders.list\n      - probe.whoami\n')
      .replace('    service: helpers.service-gateway\n', '    service: helpers.service-gateway\n    max_body_size: 2097152\n'));
    const built = gen(['build', project.dir]);
    assert.equal(built.code, 0, built.stderr);

    let backend: { port: number };
    ({ server, ...backend } = await serveBuilt(project.dir, { GATEWAY_PASSWORD, API_PASSWORD }));

    const tmp = join(project.dir, 'nginx');
    mkdirSync(join(tmp, 'logs'), { recursive: true });
    port = await freePort();
    const published = gen(['publish', project.dir, '--target', 'nginx', '--out', join(tmp, 'out'),
      '--listen', `127.0.0.1:${port}`, '--htpasswd', join(tmp, 'htpasswd'),
      '--backend-auth-include', join(tmp, 'backend-auth.conf'), '--backend-url', `http://127.0.0.1:${backend.port}`]);
    assert.equal(published.code, 0, published.stderr);
    // What the operator does: the callers' htpasswd ({SHA} = base64 of SHA-1) and servicegate's credentials.
    const sha = createHash('sha1').update(ALICE.password).digest('base64');
    writeFileSync(join(tmp, 'htpasswd'), `${ALICE.user}:{SHA}${sha}\n`);
    writeFileSync(join(tmp, 'backend-auth.conf'), `proxy_set_header Authorization "${basic('gateway', GATEWAY_PASSWORD)}";\n`, { mode: 0o600 });
    const errorLog = join(tmp, 'logs/error.log');
    const build = nginxBuild(NGINX!);
    writeFileSync(join(tmp, 'nginx.conf'), [
      // Workers of a root master would run as nobody, who cannot read this mode-0700 temp dir.
      ...(process.getuid?.() === 0 ? ['user root;'] : []),
      'daemon off;',
      'worker_processes 1;',
      `pid ${join(tmp, 'nginx.pid')};`,
      `error_log ${errorLog} warn;`,
      'events { worker_connections 64; }',
      'http {',
      `    access_log ${join(tmp, 'logs/access.log')};`,
      ...tempPaths(build.configure, join(tmp, 'temp')),
      `    include ${join(tmp, 'out/servicegate.conf')};`,
      '}',
      '',
    ].join('\n'));
    // -e (nginx 1.19.5+) keeps nginx from opening its compiled-in error log before it reads the config.
    const [major = 0, minor = 0, patch = 0] = build.version;
    const hasE = major > 1 || (major === 1 && (minor > 19 || (minor === 19 && patch >= 5)));
    nginx = spawn(NGINX!, ['-p', tmp, '-c', join(tmp, 'nginx.conf'), ...(hasE ? ['-e', errorLog] : [])], { stdio: 'ignore' });
    await waitForNginx(nginx, port, errorLog);
  });

  after(async () => {
    try {
      if (nginx !== undefined) await stopNginx(nginx);
    } finally {
      await server?.close(1_000);
      project?.remove();
    }
  });

  const alice = () => basic(ALICE.user, ALICE.password);

  it('(a) the service sees the nginx-authenticated user in this.channel.security.username', async () => {
    const r = await post(port, '/api/probe.whoami', { authorization: alice() });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(JSON.parse(r.text), { username: 'alice', tenant: '', channel: 'Gateway' });
    assert.match(String(r.headers['x-zato-cid']), /.+/, 'the answer comes from servicegate');
  });

  it('(b) a client-sent x-zato-username is replaced, in any spelling', async () => {
    for (const name of ['x-zato-username', 'X-Zato-Username', 'X-ZATO-USERNAME', 'x_zato_username', 'X_Zato_Username']) {
      const r = await post(port, '/api/probe.whoami', { authorization: alice(), [name]: 'mallory' });
      assert.equal(r.status, 200, `${name}: ${r.text}`);
      assert.equal(JSON.parse(r.text).username, 'alice', name);
    }
  });

  it('(c) a service that is not allowlisted, or a path around the allowlist, is refused', async () => {
    for (const path of ['/api/customer.get-details', '/api/customer.get/../customer.get-details', '/api/customer.get-details/',
      '/api/probe.whoami/', '/api/PROBE.WHOAMI', '/zato/gateway/customer.get', '/api/customer%2eget-details']) {
      const r = await post(port, path, { authorization: alice() }, '{"customer_id":123}');
      assert.equal(r.status, 404, path);
      assert.equal(r.headers['x-zato-cid'], undefined, `${path} must not reach servicegate`);
    }
    const get = await new Promise<number>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path: '/api/probe.whoami', agent: false, headers: { authorization: alice() } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject);
    });
    assert.equal(get, 403, 'only POST reaches a service');
  });

  it('(d) extra headers such as x-zato-tenant reach the service, and allowlisted services run', async () => {
    const r = await post(port, '/api/probe.whoami', { authorization: alice(), 'x-zato-tenant': 'acme' });
    assert.equal(JSON.parse(r.text).tenant, 'acme');
    const same = await post(port, '/api/customer.get', { authorization: alice(), 'x-zato-tenant': 'acme' }, '{"customer_id":123}');
    assert.equal(same.status, 200, same.text);
    assert.equal(JSON.parse(same.text).name, 'Jane Doe');
    const other = await post(port, '/api/customer.get', { authorization: alice(), 'x-zato-tenant': 'globex' }, '{"customer_id":123}');
    assert.equal(other.status, 404, 'the tenant header decided the lookup');
    assert.equal(JSON.parse(other.text).result, 'Error');
  });

  it("passes bodies up to the channel's max_body_size (2 MiB here; nginx's own default is 1 MiB)", async () => {
    const body = JSON.stringify({ customer_id: 123, padding: 'x'.repeat(1_500_000) });
    const r = await post(port, '/api/customer.get', { authorization: alice() }, body);
    assert.equal(r.status, 200, r.text.slice(0, 200));
    assert.equal(JSON.parse(r.text).name, 'Jane Doe');
  });

  it('(e) missing or wrong nginx credentials are answered 401 by nginx, before servicegate', async () => {
    for (const headers of [{}, { authorization: basic(ALICE.user, 'wrong') }, { authorization: basic('mallory', ALICE.password) },
      // The backend's own credentials are not a caller's.
      { authorization: basic('gateway', GATEWAY_PASSWORD) }] as Record<string, string>[]) {
      const r = await post(port, '/api/probe.whoami', headers);
      assert.equal(r.status, 401, JSON.stringify(headers));
      assert.equal(r.headers['www-authenticate'], 'Basic realm="servicegate"');
      assert.equal(r.headers['x-zato-cid'], undefined);
    }
  });
});
