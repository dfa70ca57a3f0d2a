/**
 * Temporary user projects for the benchmarks, built with `gen build`: a copy of the customers sample, and a
 * synthetic project with N direct channels (path parameters and static paths). Each lives under the OS temp dir
 * with a node_modules/servicegate symlink to this repository, like a project that installed the package.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './load.js';

export const GEN = join(REPO, 'bin', 'gen.js');
export const BENCH_ENV = { GATEWAY_PASSWORD: 'bench-gateway-password', API_PASSWORD: 'bench-api-password' } as const;

export interface BenchProject {
  readonly dir: string;
  remove(): void;
}

function emptyProject(prefix: string): BenchProject {
  const dir = mkdtempSync(join(tmpdir(), `servicegate-bench-${prefix}-`));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO, join(dir, 'node_modules', 'servicegate'), 'dir');
  writeFileSync(join(dir, 'package.json'), `{ "name": "bench-${prefix}", "private": true, "type": "module" }\n`);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `gen build` of the project in a child process (async, so that several projects can build at once). */
async function build(project: BenchProject): Promise<void> {
  const child = spawn(process.execPath, [GEN, 'build', project.dir, '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c) => (output += String(c)));
  child.stderr.on('data', (c) => (output += String(c)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', (status) => resolve(status)));
  clearTimeout(timer);
  if (code !== 0) {
    project.remove();
    throw new Error(`gen build failed for ${project.dir}:\n${output}`);
  }
}

/** A built copy of samples/customers (services, config, tsconfig). */
export async function prepareSample(): Promise<BenchProject> {
  const project = emptyProject('customers');
  const sample = join(REPO, 'samples', 'customers');
  for (const sub of ['services', 'config']) cpSync(join(sample, sub), join(project.dir, sub), { recursive: true });
  cpSync(join(sample, 'tsconfig.json'), join(project.dir, 'tsconfig.json'));
  await build(project);
  return project;
}

const ITEMS_SERVICE = `import { Service, Model, type Int } from 'servicegate';

export class ItemRequest extends Model {
  /** @minimum 1 */
  id!: Int;
  /** @minimum 1 */
  customer_id!: Int;
}

export class Item extends Model {
  id!: Int;
  customer_id!: Int;
  name!: string;
}

export class GetItem extends Service {
  name = 'items.get';
  input = ItemRequest;
  output = Item;

  handle() {
    const { id, customer_id } = this.request.input;
    this.response.payload = { id, customer_id, name: 'Item ' + id };
  }
}

export class Status extends Service {
  name = 'items.status';

  handle() {}
}
`;

/** The path the synthetic project's load hits: a parameterised channel near the end of the table. */
export function manyChannelsPath(channels: number): string {
  return `/api/v1/res${Math.max(0, channels / 2 - 2)}/items/42`;
}

/** `channels` direct channels: half `POST /api/v1/res{i}/items/{id}`, half `GET /api/v1/res{i}/status`. */
export async function prepareManyChannels(channels: number): Promise<BenchProject> {
  const project = emptyProject(`channels-${channels}`);
  mkdirSync(join(project.dir, 'services'));
  mkdirSync(join(project.dir, 'config'));
  writeFileSync(join(project.dir, 'services', 'items.ts'), ITEMS_SERVICE);
  const lines = [
    'security:',
    '  - name: api.credentials',
    '    type: basic_auth',
    '    username: gateway',
    '    password: ${GATEWAY_PASSWORD}',
    '',
    'rest_channel:',
  ];
  for (let i = 0; i < channels / 2; i++) {
    lines.push(`  - name: Item ${i}`, `    url_path: /api/v1/res${i}/items/{id}`, '    service: items.get', '    method: POST',
      '    data_format: json', '    security: api.credentials');
    lines.push(`  - name: Status ${i}`, `    url_path: /api/v1/res${i}/status`, '    service: items.status', '    method: GET',
      '    data_format: json', '    security: api.credentials');
  }
  writeFileSync(join(project.dir, 'config', 'channels.yaml'), lines.join('\n') + '\n');
  await build(project);
  return project;
}

/** Source files of runtime/ that are newer than their compiled dist/ copy ('' when dist/ is current). */
export function staleDist(): string {
  const stale: string[] = [];
  for (const name of readdirSync(join(REPO, 'runtime'))) {
    if (!name.endsWith('.ts')) continue;
    const built = join(REPO, 'dist', 'runtime', name.replace(/\.ts$/, '.js'));
    try {
      if (statSync(join(REPO, 'runtime', name)).mtimeMs > statSync(built).mtimeMs) stale.push(name);
    } catch {
      stale.push(name);
    }
  }
  return stale.join(', ');
}
