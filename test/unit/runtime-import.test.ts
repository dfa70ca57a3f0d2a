/** Importing 'servicegate' must stay cheap: nothing from generator/, typescript, ts-morph or yaml is reachable. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO } from '../helpers/project.js';

const FORBIDDEN = /^(typescript|ts-morph|@ts-morph\/.*|yaml|tsx|tinyglobby|commander|openapi3-ts)(\/.*)?$/;

/** Every module reachable from `entry` by static and dynamic imports with literal specifiers. */
function reachable(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s*['"]([^'"]+)['"]/gm)) {
      const spec = (m[1] ?? m[2] ?? m[3])!;
      if (spec.startsWith('.')) queue.push(resolve(dirname(file), spec));
      else packages.add(spec);
    }
  }
  return { files: [...files], packages: [...packages] };
}

test('the runtime entry point reaches no generator code and no build-time package', () => {
  const entry = join(REPO, 'dist', 'runtime', 'index.js');
  const { files, packages } = reachable(entry);
  assert.ok(files.length > 1);
  for (const f of files) assert.ok(!f.includes(`${join(REPO, 'dist', 'generator')}`), `${f} is generator code`);
  const bad = packages.filter((p) => FORBIDDEN.test(p));
  assert.deepEqual(bad, []);
});

test("import('servicegate') in a fresh process loads none of typescript, ts-morph or yaml", () => {
  const script = `
    await import('servicegate');
    const { createRequire } = await import('node:module');
    const require = createRequire(import.meta.url);
    const loaded = Object.keys(require.cache).filter((k) => /node_modules\\/(typescript|ts-morph|@ts-morph|yaml)\\//.test(k));
    console.log(JSON.stringify(loaded));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout.trim()), []);
});
