/**
 * Temporary user projects for tests: a folder under the OS temp dir with the given files and a
 * node_modules/servicegate symlink to this repository (what `npm install <path>` gives a user).
 */
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const GEN = join(REPO, 'bin', 'gen.js');
export const TSC = join(REPO, 'node_modules', '.bin', 'tsc');

export interface TempProject {
  readonly dir: string;
  write(path: string, content: string): void;
  remove(): void;
}

/** A temp project with `files` (path → content); `copyFrom` copies a sample's services/ and config/ first. */
export function tempProject(files: Record<string, string> = {}, copyFrom?: string): TempProject {
  const dir = mkdtempSync(join(tmpdir(), 'servicegate-'));
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(REPO, join(dir, 'node_modules', 'servicegate'), 'dir');
  writeFileSync(join(dir, 'package.json'), '{ "name": "test-project", "private": true, "type": "module" }\n');
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2023', 'DOM'],
        strict: true, noEmit: true, skipLibCheck: true, types: [] },
      include: ['services', 'generated'],
    }, null, 2),
  );
  if (copyFrom) {
    for (const sub of ['services', 'config']) cpSync(join(copyFrom, sub), join(dir, sub), { recursive: true });
  }
  const write = (path: string, content: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  for (const [path, content] of Object.entries(files)) write(path, content);
  return { dir, write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `gen …` in a child process (no TTY: no code frames, no colours). */
export function gen(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): RunResult {
  const r = spawnSync(process.execPath, [GEN, ...args], {
    cwd: options.cwd ?? REPO,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Type-checks a project with its tsconfig.json; returns tsc's output ('' when clean) and exit code. */
export function typecheck(dir: string): RunResult {
  const r = spawnSync(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Serves a built project in this process: loads its generated/index.ts (the test runner runs under tsx) and
 * starts createServer on 127.0.0.1, a free port. The caller closes the server.
 */
export async function serveBuilt(
  dir: string,
  env: Record<string, string>,
): Promise<{ server: import('servicegate').ServicegateServer; baseUrl: string; port: number }> {
  const { createServer } = await import('servicegate');
  const { pathToFileURL } = await import('node:url');
  const { manifest } = (await import(pathToFileURL(join(dir, 'generated', 'index.ts')).href)) as { manifest: import('servicegate').Manifest };
  const server = createServer(manifest, { env, logger: false });
  const { port } = await server.listen(0, '127.0.0.1');
  return { server, baseUrl: `http://127.0.0.1:${port}`, port };
}
