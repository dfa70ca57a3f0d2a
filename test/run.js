#!/usr/bin/env node
// Runs every test file under test/ (*.test.ts) with node's test runner, TypeScript loaded through tsx.
// Usage: node test/run.js [filter…]   — only files whose path contains one of the filters.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const filters = process.argv.slice(2);

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else if (name.endsWith('.test.ts')) out.push(relative(root, full));
  }
  return out;
}

const files = walk(join(root, 'test')).filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// gen serve's compiled validators (runtime/generated-cache.ts) of the many temporary projects the tests serve go to a
// folder of this run's, removed at the end, instead of piling up in the user's own cache.
const cache = mkdtempSync(join(tmpdir(), 'servicegate-test-cache-'));
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, SERVICEGATE_CACHE_DIR: join(cache, 'cache') },
});
rmSync(cache, { recursive: true, force: true });
process.exit(result.status ?? 1);
