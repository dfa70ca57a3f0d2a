// CONTRACT §3 (secrets at startup), §1 (runtime imports), §5.8 (SIGTERM, workers), run as real child processes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createServer, StartupError } from '../../runtime/server.js';
import { createExpressMiddleware } from '../../runtime/express.js';
import { ENV, MANIFEST, basic } from '../helpers/manifest-fixture.js';
import { send } from '../helpers/runtime-harness.js';
import { GEN, gen, tempProject } from '../helpers/project.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const runner = join(root, 'test/fixtures/serve/run.ts');

describe('startup', () => {
  it('refuses to start when a ${VAR} secret is unset or empty, naming the variable and the definition', () => {
    for (const env of [{ ...ENV, GATEWAY_PASSWORD: undefined }, { ...ENV, GATEWAY_PASSWORD: '' }]) {
      for (const make of [() => createServer(MANIFEST, { env, logger: false }), () => createExpressMiddleware(MANIFEST, { env, logger: false })]) {
        assert.throws(make, (err: unknown) => {
          assert.ok(err instanceof StartupError);
          assert.equal(
            err.message,
            "security definition 'gateway.credentials': environment variable GATEWAY_PASSWORD is not set " +
              '(it provides the password; set it before starting the server)',
          );
          return true;
        });
      }
    }
  });

  it('refuses a channel that names a missing service', () => {
    const channels = [{ ...MANIFEST.channels[1]!, service: 'nope' }];
    assert.throws(() => createServer({ ...MANIFEST, channels }, { env: ENV, logger: false }), /channel 'Get customer' .*no service named 'nope'/);
  });

  it('runs two servers in one process without sharing state', async () => {
    const a = createServer(MANIFEST, { env: ENV, logger: false });
    const b = createServer(MANIFEST, { env: { ...ENV, GATEWAY_PASSWORD: 'other' }, logger: false });
    try {
      const [pa, pb] = [(await a.listen(0)).port, (await b.listen(0)).port];
      const call = (port: number, password: string) =>
        send({ mode: 'fast', port, logs: { requests: [], lines: [] }, close: async () => {} }, {
          path: '/zato/gateway/whoami', headers: { authorization: basic('gateway', password) }, body: {},
        });
      assert.equal((await call(pa, ENV.GATEWAY_PASSWORD)).status, 200);
      assert.equal((await call(pb, ENV.GATEWAY_PASSWORD)).status, 401);
      assert.equal((await call(pb, 'other')).status, 200);
    } finally {
      await Promise.all([a.close(1_000), b.close(1_000)]);
    }
  });

  it('keeps runtime/ free of generator, typescript, ts-morph and yaml imports', () => {
    const dir = join(root, 'runtime');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
        assert.doesNotMatch(m[1]!, /generator|^typescript$|^ts-morph|^yaml$/, `${file} imports ${m[1]}`);
      }
    }
  });
});

interface Child {
  proc: ChildProcess;
  port: Promise<number>;
  stdout: string[];
  waitFor(pattern: RegExp): Promise<void>;
  exit: Promise<number | null>;
}

function spawnServe(workers: number): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', runner], {
    cwd: root,
    env: { ...process.env, WORKERS: String(workers) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stdout: string[] = [];
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  let buffered = '';
  proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      stdout.push(line);
      for (const w of waiters.filter((x) => x.pattern.test(line))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  const waitFor = (pattern: RegExp) =>
    stdout.some((l) => pattern.test(l)) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ pattern, resolve }));
  // 'close', not 'exit': by then every line the child wrote has been read.
  const exit = new Promise<number | null>((resolve) => proc.on('close', (code) => resolve(code)));
  const port = waitFor(/^LISTENING /).then(() => JSON.parse(stdout.find((l) => l.startsWith('LISTENING '))!.slice(10)).port as number);
  return { proc, port, stdout, waitFor, exit };
}

function post(port: number, path: string): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serveProject', () => {
  it('on SIGTERM lets the in-flight request finish, then exits 0', async (t) => {
    const child = spawnServe(1);
    t.after(() => child.proc.kill('SIGKILL'));
    const port = await child.port;
    const inFlight = post(port, '/wait');
    await child.waitFor(/"msg":"started"/); // the service is running: the request is in flight
    child.proc.kill('SIGTERM');
    const reply = await inFlight;
    assert.equal(reply.status, 200);
    assert.equal(reply.json.done, true);
    assert.equal(await child.exit, 0);
    assert.ok(child.stdout.some((l) => /"msg":"request"/.test(l) && /"service":"wait"/.test(l)), 'a JSON request line was logged');
  });

  it('with workers: serves from several processes, replaces one that dies, exits 0 on SIGTERM', async (t) => {
    const child = spawnServe(2);
    t.after(() => child.proc.kill('SIGKILL'));
    const port = await child.port;
    const seen = new Set<number>();
    for (let i = 0; i < 20 && seen.size < 2; i++) seen.add((await post(port, '/pid')).json.pid);
    assert.equal(seen.size, 2, 'two worker processes answer');
    await post(port, '/die').catch(() => undefined); // the worker exits mid-request
    let replaced = false;
    for (let i = 0; i < 200 && !replaced; i++) {
      const pid = (await post(port, '/pid').catch(() => ({ json: { pid: 0 } }))).json.pid;
      replaced = pid !== 0 && !seen.has(pid);
      if (!replaced) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(replaced, 'a new worker took the dead one\'s place');
    child.proc.kill('SIGTERM');
    assert.equal(await child.exit, 0);
  });
});

/** `gen serve dir --port 0` as a child process (killed when the test ends), once it has printed where it listens. */
async function genServe(t: { after(fn: () => void): void }, dir: string, env: Record<string, string>, cwd?: string): Promise<{ proc: ChildProcess; port: number }> {
  const proc = spawn(process.execPath, [GEN, 'serve', dir, '--port', '0'], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => proc.kill('SIGKILL'));
  let output = '';
  proc.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
  const port = await new Promise<number>((resolve, reject) => {
    proc.stdout!.setEncoding('utf8').on('data', (c: string) => {
      output += c;
      const m = /on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (m) resolve(Number(m[1]));
    });
    proc.on('close', () => reject(new Error(`gen serve exited:\n${output}`)));
  });
  return { proc, port };
}

describe('gen serve loads generated code without source maps', () => {
  it('the files of generated/ have none (they cost time and memory), service files keep theirs', async () => {
    const sample = join(root, 'samples', 'customers');
    const url = (rel: string) => pathToFileURL(join(sample, rel)).href;
    const script = [
      `import { loadManifest } from ${JSON.stringify(pathToFileURL(join(root, 'dist', 'runtime', 'serve.js')).href)};`,
      "import { findSourceMap } from 'node:module';",
      `const m = await loadManifest(${JSON.stringify(join(sample, 'generated', 'index.ts'))});`,
      `const has = (u) => findSourceMap(u) !== undefined;`,
      `console.log(JSON.stringify({ services: Object.keys(m.services).length, validators: has(${JSON.stringify(url('generated/validators.ts'))}),`,
      `  index: has(${JSON.stringify(url('generated/index.ts'))}), service: has(${JSON.stringify(url('services/customer.ts'))}) }));`,
    ].join('\n');
    const out = await new Promise<string>((resolve, reject) => {
      const proc = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      proc.stdout!.setEncoding('utf8').on('data', (c: string) => (text += c));
      proc.stderr!.setEncoding('utf8').on('data', (c: string) => (text += c));
      proc.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(text))));
    });
    assert.deepEqual(JSON.parse(out), { services: 5, validators: false, index: false, service: true });
  });

  // An ES module project imports validators.ts through the module hook; a CommonJS one require()s it through tsx's
  // require hooks, wrapped by generated-require.ts.
  // Through a symlinked path too: Node sees the modules by their real paths.
  for (const [type, via] of [['module', 'path'], ['commonjs', 'path'], ['module', 'symlink'], ['commonjs', 'symlink']] as const) {
    it(`validators.ts is compiled once and kept: the next start runs the kept copy ("type": "${type}", served by its ${via})`, async (t) => {
      const p = tempProject({}, join(root, 'samples', 'customers'));
      const cache = mkdtempSync(join(tmpdir(), 'sg-serve-cache-'));
      const link = `${p.dir}-link`;
      if (via === 'symlink') symlinkSync(p.dir, link, 'dir');
      const served = via === 'symlink' ? link : p.dir;
      t.after(() => {
        rmSync(link, { force: true });
        p.remove();
        rmSync(cache, { recursive: true, force: true });
      });
      p.write('package.json', `${JSON.stringify({ name: 'cache-project', private: true, type })}\n`);
      const built = gen(['build', p.dir, '--quiet']);
      assert.equal(built.code, 0, built.stderr);
      const validators = join(p.dir, 'generated', 'validators.ts');
      const probe = type === 'module'
        ? `(await import(${JSON.stringify(pathToFileURL(validators).href)})).probe`
        : `createRequire(import.meta.url).cache[${JSON.stringify(validators)}]?.exports.probe`;
      const script = [
        "import { createRequire } from 'node:module';",
        `import { loadManifest } from ${JSON.stringify(pathToFileURL(join(root, 'dist', 'runtime', 'serve.js')).href)};`,
        `const m = await loadManifest(${JSON.stringify(join(served, 'generated', 'index.ts'))});`,
        "const input = m.services['customer.get'].input;",
        `console.log(JSON.stringify({ valid: input.validate({ customer_id: 1 }) === null, invalid: input.validate({ customer_id: 0 }).length, probe: ${probe} ?? null }));`,
      ].join('\n');
      const run = () => new Promise<unknown>((resolve, reject) => {
        const proc = spawn(process.execPath, ['--input-type=module', '-e', script], {
          cwd: p.dir,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, SERVICEGATE_CACHE_DIR: cache },
        });
        let text = '';
        proc.stdout!.setEncoding('utf8').on('data', (c: string) => (text += c));
        proc.stderr!.setEncoding('utf8').on('data', (c: string) => (text += c));
        proc.on('close', (code) => (code === 0 ? resolve(JSON.parse(text)) : reject(new Error(text))));
      });
      assert.deepEqual(await run(), { valid: true, invalid: 1, probe: null });
      const entries = readdirSync(cache);
      assert.deepEqual(entries.map((e) => e.replace(/^[0-9a-f]{32}/, '…')), [type === 'module' ? '….mjs' : '….cjs']);
      const entry = join(cache, entries[0]!);
      assert.match(readFileSync(entry, 'utf8'), /^\/\/ servicegate [0-9a-f]{64}\n/);
      // What the next start runs is the kept text, not a new compile.
      const tail = type === 'module' ? "export const probe = 'kept';\n" : "module.exports.probe = 'kept';\n";
      writeFileSync(entry, `${readFileSync(entry, 'utf8')}${tail}`);
      assert.deepEqual(await run(), { valid: true, invalid: 1, probe: 'kept' });
    });
  }
});

describe('gen serve in a CommonJS package', () => {
  // `npm init` writes "type": "commonjs", and a package.json without "type" means the same: Node then loads the
  // project's .ts files as CommonJS. gen serve failed there with "Cannot require() ES Module … in a cycle".
  for (const type of ['commonjs', undefined]) {
    it(`serves the customers sample where package.json has ${type === undefined ? 'no "type"' : `"type": "${type}"`}`, async (t) => {
      const p = tempProject({}, join(root, 'samples', 'customers'));
      t.after(() => p.remove());
      p.write('package.json', `${JSON.stringify({ name: 'cjs-project', private: true, ...(type ? { type } : {}) })}\n`);
      const { proc, port } = await genServe(t, p.dir, { GATEWAY_PASSWORD: 'gw-secret', API_PASSWORD: 'api-secret' });
      const call = (path: string, auth: string, body: unknown) => new Promise<{ status: number; json: any }>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent: false,
          headers: { authorization: `Basic ${Buffer.from(auth).toString('base64')}`, 'content-type': 'application/json', 'x-zato-username': 'ann' } }, (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
        });
        req.on('error', reject);
        req.end(JSON.stringify(body));
      });
      // Through the gateway, and a service that invokes another one.
      const got = await call('/zato/gateway/customer.get', 'gateway:gw-secret', { customer_id: 123 });
      assert.equal(got.status, 200, JSON.stringify(got.json));
      assert.equal(got.json.name, 'Jane Doe');
      const order = await call('/zato/gateway/orders.create', 'gateway:gw-secret', { customer_id: 123, items: [{ sku: 'SKU-1001', quantity: 1 }] });
      assert.equal(order.status, 201, JSON.stringify(order.json));
      const exited = new Promise<number | null>((resolve) => proc.on('close', (code) => resolve(code)));
      proc.kill('SIGTERM');
      assert.equal(await exited, 0);
    });
  }
});

describe('gen serve on a port it cannot open', () => {
  it('says the port is in use and what to do, and exits 1 (no stack trace)', async (t) => {
    const p = tempProject({}, join(root, 'samples', 'customers'));
    t.after(() => p.remove());
    const holder = http.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    t.after(() => holder.close());
    const port = (holder.address() as { port: number }).port;
    const proc = spawn(process.execPath, [GEN, 'serve', p.dir, '--port', String(port)], {
      env: { ...process.env, GATEWAY_PASSWORD: 'gw-secret', API_PASSWORD: 'api-secret' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    t.after(() => proc.kill('SIGKILL'));
    let stderr = '';
    proc.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const code = await new Promise<number | null>((resolve) => proc.on('close', resolve));
    assert.equal(code, 1);
    assert.equal(stderr, `gen serve: 127.0.0.1:${port} is already in use (another gen serve?): stop what listens there, or pick another port with --port (--port 0 picks a free one).\n`);
  });
});

describe('gen serve with tsconfig.json paths', () => {
  it('runs services that import values through an alias, started from another directory', async (t) => {
    const p = tempProject({
      'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true,
        noEmit: true, skipLibCheck: true, paths: { '@lib/*': ['./src/lib/*'] } }, include: ['services', 'src', 'generated'] }),
      'src/lib/country.ts': "export enum Country { PL = 'PL', DE = 'DE' }\nexport const HOME = Country.PL;\n",
      'services/move.ts': `import { Service, Model } from 'servicegate';
import { Country, HOME } from '@lib/country.js';
export class MoveRequest extends Model {
  to!: Country;
}
export class MoveResponse extends Model {
  home!: boolean;
}
export class Move extends Service {
  name = 'move.to';
  input = MoveRequest;
  output = MoveResponse;
  handle() { this.response.payload = { home: this.request.input.to === HOME }; }
}
`,
      'config/channels.yaml': 'rest_channel:\n  - name: Move\n    url_path: /move\n    service: move.to\n    method: POST\n',
    });
    t.after(() => p.remove());
    const { port } = await genServe(t, p.dir, {}, tmpdir());
    const reply = await fetch(`http://127.0.0.1:${port}/move`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"to":"PL"}' });
    assert.equal(reply.status, 200);
    assert.deepEqual(await reply.json(), { home: true });
  });
});

describe('gen serve --workers when the server cannot start', () => {
  it('says why once (not once per worker), as without workers, and exits 1', async (t) => {
    const p = tempProject({}, join(root, 'samples', 'customers'));
    t.after(() => p.remove());
    const run = async (extra: string[]) => {
      const env = { ...process.env };
      delete env.GATEWAY_PASSWORD;
      delete env.API_PASSWORD;
      const proc = spawn(process.execPath, [GEN, 'serve', p.dir, '--port', '0', '--quiet', ...extra], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      t.after(() => proc.kill('SIGKILL'));
      let stderr = '';
      proc.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      const code = await new Promise<number | null>((resolve) => proc.on('close', resolve));
      return { code, stderr };
    };
    const alone = await run([]);
    assert.equal(alone.code, 1);
    assert.match(alone.stderr, /^gen serve: security definition '[^']+': environment variable \w+ is not set .*\n$/);
    const workers = await run(['--workers', '3']);
    assert.deepEqual(workers, alone);
  });
});
