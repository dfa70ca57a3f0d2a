/**
 * Issue 6 item 7, the build side: hostile config files are refused quickly with a clear diagnostic (a YAML alias
 * bomb, a 50 MB file, a 100,000-deep flow sequence), a build killed at any moment leaves generated/ as the complete
 * old or the complete new output and the next build cleans up after it, and no secret from the environment reaches
 * any generated or published file. (Hostile names: test/sanitize/hostile-names.test.ts.)
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GEN, REPO, gen, tempProject } from '../helpers/project.js';
import { recoverOutput } from '../../generator/write.js';

const SAMPLE = join(REPO, 'samples', 'customers');

/** Every file under `dir` (relative path → content), or null when `dir` does not exist. */
function snapshot(dir: string): Record<string, string> | null {
  if (!existsSync(dir)) return null;
  const out: Record<string, string> = {};
  const walk = (sub: string) => {
    for (const name of readdirSync(join(dir, sub)).sort()) {
      const rel = sub ? `${sub}/${name}` : name;
      if (statSync(join(dir, rel)).isDirectory()) walk(rel);
      else out[rel] = readFileSync(join(dir, rel), 'utf8');
    }
  };
  walk('');
  return out;
}

/** What a build leaves next to generated/ (staging and backup dirs). */
function leftovers(projectDir: string): string[] {
  return readdirSync(projectDir).filter((n) => n.startsWith('.generated.'));
}

/** The pid of a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

describe('hostile config files are refused with a clear error', () => {
  const cases: [string, () => string, RegExp][] = [
    [
      'a YAML alias bomb (billion laughs)',
      () => {
        const lines = ['rest_channel:', '  - name: bomb', '    url_path: /bomb', '    service: customer.get', '    x0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
        for (let i = 1; i <= 9; i++) lines.push(`    x${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]`);
        return `${lines.join('\n')}\n`;
      },
      /^config\/bomb\.yaml:\d+:\d+: error SG214: YAML aliases in config\/bomb\.yaml expand to too many nodes/m,
    ],
    [
      'a 50 MB config file',
      () => `# padding\n${`# ${'x'.repeat(1021)}\n`.repeat(50 * 1024)}`,
      /^config\/bomb\.yaml:1:1: error SG202: config\/bomb\.yaml is 50\.0 MB; config files are limited to 10 MB/m,
    ],
    [
      'a flow sequence nested 100,000 deep',
      () => `security: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
      /^config\/bomb\.yaml:\d+:\d+: error SG201: /m,
    ],
  ];
  for (const [name, content, expected] of cases) {
    test(`${name}: gen build exits 1 with the diagnostic line and writes nothing`, () => {
      const p = tempProject({ 'config/bomb.yaml': content() }, SAMPLE);
      try {
        const started = performance.now();
        const r = gen(['build', p.dir]);
        const ms = Math.round(performance.now() - started);
        assert.equal(r.code, 1, r.stdout + r.stderr.slice(0, 2000));
        assert.match(r.stderr, expected);
        assert.ok(r.stderr.length < 20_000, 'the error is short, not a dump of the file');
        assert.ok(!existsSync(join(p.dir, 'generated')));
        console.log(`${name}: refused in ${ms} ms (whole gen build process)`);
      } finally {
        p.remove();
      }
    });
  }

  test('a 50 MB file reached through include: is refused the same way', () => {
    const p = tempProject({ 'config/more.yaml': 'include:\n  - ../data/huge.yaml\n' }, SAMPLE);
    try {
      mkdirSync(join(p.dir, 'data'));
      writeFileSync(join(p.dir, 'data/huge.yaml'), `# ${'x'.repeat(1021)}\n`.repeat(50 * 1024));
      const r = gen(['build', p.dir]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^data\/huge\.yaml:1:1: error SG202: data\/huge\.yaml is 50\.0 MB/m);
    } finally {
      p.remove();
    }
  });
});

/** A project big enough that a build takes a while: `n` services, each with its own models. */
function bigProject(n: number, version: number): Record<string, string> {
  const files: Record<string, string> = {};
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    names.push(`svc.n${i}`);
    files[`services/s${i}.ts`] = `import { Service, Model, type Int } from 'servicegate';
export class In${i} extends Model {
  /** @minimum 1 */
  id!: Int;
  /** @maxLength 20 */
  name_v${version}?: string;
  tags: string[] = [];
}
export class Out${i} extends Model {
  id!: Int;
  when!: Date;
  nested!: In${i};
}
export class Svc${i} extends Service {
  name = 'svc.n${i}';
  input = In${i};
  output = Out${i};
  async handle() {
    this.response.payload = { id: this.request.input.id, when: new Date(), nested: this.request.input };
  }
}
`;
  }
  files['config/channels.yaml'] = [
    'security:', '  - name: gw', '    type: basic_auth', '    username: gateway', '    password: ${GW_PASSWORD}',
    'rest_channel:', '  - name: Gateway', '    service: helpers.service-gateway', '    security: gw', '    gateway_service_list:',
    ...names.map((s) => `      - ${s}`), '',
  ].join('\n');
  return files;
}

describe('an interrupted build', () => {
  test('a build SIGKILLed at any point leaves generated/ complete (old or new); the next build succeeds and cleans up', async () => {
    const p = tempProject(bigProject(40, 1));
    const out = join(p.dir, 'generated');
    try {
      assert.equal(gen(['build', p.dir]).code, 0);
      const before = snapshot(out)!;
      for (const [path, content] of Object.entries(bigProject(40, 2))) p.write(path, content);
      let started = performance.now();
      assert.equal(gen(['build', p.dir]).code, 0);
      const duration = performance.now() - started;
      const after = snapshot(out)!;
      assert.notDeepEqual(after, before);

      // Kill points: fractions of a full build's time, and the moments the staging and backup dirs appear.
      const points: (number | 'staging' | 'backup')[] = [0.5, 0.9, 'staging', 'backup', 'backup'];
      const outcomes: string[] = [];
      for (const point of points) {
        rmSync(out, { recursive: true, force: true });
        for (const [path, content] of Object.entries(before)) p.write(`generated/${path}`, content);
        const child = spawn(process.execPath, [GEN, 'build', p.dir], { stdio: 'ignore' });
        const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
        const watcher = typeof point === 'string'
          ? watch(p.dir, (_event, name) => {
            if (name?.startsWith(point === 'staging' ? '.generated.tmp-' : '.generated.old-')) child.kill('SIGKILL');
          })
          : null;
        const timer = typeof point === 'number' ? setTimeout(() => child.kill('SIGKILL'), duration * point) : null;
        started = performance.now();
        const { code, signal } = await exited;
        watcher?.close();
        if (timer) clearTimeout(timer);
        let now = snapshot(out);
        let note = leftovers(p.dir).length > 0 ? ' + leftovers' : '';
        if (now === null) {
          // Killed between `generated → .old` and `.tmp → generated` (POSIX cannot swap two directories in one
          // step): the backup is the complete previous output, and every gen command puts it back first.
          assert.ok(leftovers(p.dir).some((n) => n.startsWith('.generated.old-')), `killed at ${point}: generated/ and its backup are missing`);
          recoverOutput(out);
          now = snapshot(out);
          note = ' (between the renames: backup put back)';
        }
        const which = JSON.stringify(now) === JSON.stringify(before) ? 'old' : JSON.stringify(now) === JSON.stringify(after) ? 'new' : 'neither';
        outcomes.push(`${point}: ${signal ?? `exit ${code}`} → ${which} output${note}`);
        assert.notEqual(which, 'neither', `killed at ${point}: generated/ is a mix of old and new files`);
      }
      console.log(`kill points: ${outcomes.join('; ')}`);
      assert.ok(outcomes.some((o) => o.includes('SIGKILL')), 'at least one build was really killed');

      const r = gen(['build', p.dir]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(snapshot(out), after);
      assert.deepEqual(leftovers(p.dir), []);
    } finally {
      p.remove();
    }
  });

  test('after a kill between the two renames, the next build puts the previous output back first; live builds are left alone', () => {
    const p = tempProject({}, SAMPLE);
    const out = join(p.dir, 'generated');
    try {
      assert.equal(gen(['build', p.dir]).code, 0);
      const previous = snapshot(out)!;
      const dead = deadPid();
      // What a build killed after `generated → .old` and before `.tmp → generated` leaves behind.
      cpSync(out, join(p.dir, `.generated.old-${dead}-zzzz1`), { recursive: true });
      cpSync(out, join(p.dir, `.generated.tmp-${dead}-zzzz1`), { recursive: true });
      rmSync(join(p.dir, `.generated.tmp-${dead}-zzzz1/validators.ts`));
      rmSync(out, { recursive: true });
      mkdirSync(join(p.dir, `.generated.tmp-${process.pid}-zzzz2`)); // a build that is still running (this process)

      const touched = recoverOutput(out);
      assert.deepEqual(touched.sort(), [`.generated.old-${dead}-zzzz1`, `.generated.tmp-${dead}-zzzz1`]);
      assert.deepEqual(snapshot(out), previous);
      assert.deepEqual(leftovers(p.dir), [`.generated.tmp-${process.pid}-zzzz2`]);

      // The same state reached through the CLI: gen build recovers, writes, and leaves only the live dir.
      cpSync(out, join(p.dir, `.generated.old-${dead}-zzzz3`), { recursive: true });
      rmSync(out, { recursive: true });
      p.write('services/extra.ts', "import { Service } from 'servicegate';\nexport class Extra extends Service {\n  async handle() {}\n}\n");
      const r = gen(['build', p.dir]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(readFileSync(join(out, 'index.ts'), 'utf8'), /extra\.extra/);
      assert.deepEqual(leftovers(p.dir), [`.generated.tmp-${process.pid}-zzzz2`]);
    } finally {
      p.remove();
    }
  });
});

describe('secrets never reach generated or published files', () => {
  const CANARY: Record<string, string> = {
    GATEWAY_PASSWORD: 'canaryGwPw7f3a',
    API_PASSWORD: 'canaryApiPw91c2',
    PARTNER_API_KEY: 'canaryPartnerKey5d8e',
    OPS_USER: 'canaryOpsUser44b1',
    OPS_PASSWORD: 'canaryOpsPw0a6f',
  };
  const PARTNERS = `security:
  - name: partners.key
    type: apikey
    header: X-Partner-Key
    password: \${PARTNER_API_KEY}
  - name: ops.basic
    type: basic_auth
    username: \${OPS_USER}
    password: Zato_Enmasse_Env.OPS_PASSWORD
    realm: Ops
rest_channel:
  - name: Partners
    url_path: /partners/gateway/{service}
    service: helpers.service-gateway
    security: partners.key
    gateway_service_list: [customer.get, orders.list]
  - name: Ops orders
    url_path: /ops/orders
    service: orders.list
    method: POST
    security: ops.basic
`;

  /** Every spelling of a secret that could leak: as is, base64 of it, and of each `user:password` pair. */
  function needles(): string[] {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const out = Object.values(CANARY).flatMap((v) => [v, b64(v).replace(/=+$/, '')]);
    for (const [user, pw] of [['gateway', CANARY.GATEWAY_PASSWORD], ['api', CANARY.API_PASSWORD], [CANARY.OPS_USER, CANARY.OPS_PASSWORD]]) {
      out.push(b64(`${user}:${pw}`).replace(/=+$/, ''));
    }
    return out;
  }

  function filesUnder(dir: string): string[] {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)).filter((f) => statSync(f).isFile());
  }

  test('gen build, gen client and gen publish for all 5 targets and both gateway channels', () => {
    const p = tempProject({ 'config/partners.yaml': PARTNERS }, SAMPLE);
    try {
      const env = CANARY;
      const runs = [gen(['build', p.dir], { env }), gen(['client', p.dir, '--out', join(p.dir, 'published/client.ts')], { env })];
      for (const target of ['openapi', 'kong', 'aws', 'azure', 'nginx']) {
        for (const channel of ['Gateway', 'Partners']) {
          const args = ['publish', p.dir, '--target', target, '--out', join(p.dir, 'published', target, channel), '--backend-url', 'https://backend.example.com'];
          runs.push(gen(target === 'openapi' ? args : [...args, '--channel', channel], { env }));
        }
      }
      for (const r of runs) assert.equal(r.code, 0, r.stderr);
      const files = [...filesUnder(join(p.dir, 'generated')), ...filesUnder(join(p.dir, 'published'))];
      assert.ok(files.length >= 9 + 1 + 5, `${files.length} files`);
      const targets = new Set(files.map((f) => f.split('/published/')[1]?.split('/')[0]).filter(Boolean));
      assert.deepEqual([...targets].sort(), ['aws', 'azure', 'client.ts', 'kong', 'nginx', 'openapi']);
      const secrets = needles();
      for (const file of files) {
        const bytes = readFileSync(file).toString('latin1');
        for (const s of secrets) assert.ok(!bytes.includes(s), `${file} contains a secret (${s})`);
      }
      for (const r of runs) for (const s of secrets) assert.ok(!(r.stdout + r.stderr).includes(s), 'printed output holds a secret');
      // The env variables are referenced by name, which is what the operator needs to see.
      assert.match(readFileSync(join(p.dir, 'generated/routes.ts'), 'utf8'), /PARTNER_API_KEY/);
    } finally {
      p.remove();
    }
  });
});
