/**
 * `gen build --watch` on a copy of the customers sample: it builds, rebuilds when a model or the config changes,
 * reports a broken edit and keeps the previous output, builds again once the edit is fixed, and stops with exit 0
 * on SIGTERM. Waits have generous limits only so that a hang fails the test; nothing asserts how fast it was.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GEN, REPO, tempProject, type TempProject } from '../helpers/project.js';

let project: TempProject;
let child: ChildProcess;
let stdout = '';
let stderr = '';
let exited: Promise<number | null>;

/** Resolves once stdout has a line matching `pattern` after offset `from`; returns that line. */
function waitFor(pattern: RegExp, from: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no ${pattern} in:\n${stdout.slice(from)}\nstderr:\n${stderr}`));
    }, 60_000);
    const check = (): void => {
      const line = stdout.slice(from).split('\n').find((l) => pattern.test(l));
      if (line !== undefined) {
        cleanup();
        resolve(line);
      }
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stdout!.off('data', check);
    };
    child.stdout!.on('data', check);
    check();
  });
}

const generated = (file: string) => readFileSync(join(project.dir, 'generated', file), 'utf8');
const source = (file: string) => readFileSync(join(project.dir, file), 'utf8');

before(async () => {
  project = tempProject({}, join(REPO, 'samples', 'customers'));
  child = spawn(process.execPath, [GEN, 'build', '--watch', project.dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SERVICEGATE_TIMINGS: '1' },
  });
  child.stdout!.on('data', (c) => (stdout += String(c)));
  child.stderr!.on('data', (c) => (stderr += String(c)));
  exited = new Promise((done) => child.on('exit', (code) => done(code)));
  await waitFor(/^watching /, 0);
});

after(async () => {
  if (child.exitCode === null) child.kill('SIGKILL');
  project.remove();
});

test('the first build writes every artefact', () => {
  assert.match(stdout, /\] built in \d+ ms: 9 files written/);
  assert.match(generated('validators.ts'), /const validate_GetCustomerRequest = function /);
});

test('SERVICEGATE_TIMINGS=1 prints the time of each phase after a build line', () => {
  assert.match(stdout, /\] built in \d+ ms: .*\n {2}timings \(ms\): read services [\d.]+, read config [\d.]+, check [\d.]+, .*emit validators\.ts [\d.]+, write [\d.]+\n/);
});

test('a new field in a model is in the rebuilt output', async () => {
  const from = stdout.length;
  project.write('services/customer.ts', source('services/customer.ts').replace(
    '  customer_id!: Int;\n}\n\nexport class GetCustomerResponse',
    '  customer_id!: Int;\n  /** @maxLength 3 */\n  watch_marker?: string;\n}\n\nexport class GetCustomerResponse',
  ));
  const line = await waitFor(/\] built in /, from);
  assert.match(line, /validators\.ts/);
  assert.match(generated('validators.ts'), /watch_marker/);
  assert.match(generated('openapi.json'), /watch_marker/);
});

test('a broken edit is reported with its position and leaves the previous output', async () => {
  const before = generated('validators.ts');
  const from = stdout.length;
  const errFrom = stderr.length;
  project.write('services/orders.ts', `${source('services/orders.ts')}\nexport const broken: Int = ;\n`);
  const line = await waitFor(/build failed/, from);
  assert.match(line, /1 error; the previous output in generated\/ is kept/);
  assert.match(stderr.slice(errFrom), /^services\/orders\.ts:\d+:\d+: error SG\d+: /m);
  assert.equal(generated('validators.ts'), before);
});

test('fixing the edit builds again', async () => {
  const from = stdout.length;
  project.write('services/orders.ts', source('services/orders.ts').replace('\nexport const broken: Int = ;\n', ''));
  await waitFor(/\] built in /, from);
  assert.match(generated('validators.ts'), /watch_marker/);
});

test('a config change rebuilds the route table', async () => {
  const from = stdout.length;
  project.write('config/channels.yaml', source('config/channels.yaml').replace('url_path: /api/customer/get', 'url_path: /api/customer/fetch'));
  const line = await waitFor(/\] built in /, from);
  assert.match(line, /routes\.ts/);
  assert.match(generated('routes.ts'), /\/api\/customer\/fetch/);
});

test('SIGTERM stops the watcher with exit code 0', async () => {
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});
