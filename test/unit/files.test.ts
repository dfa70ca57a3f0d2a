/** Input file listing (--services / --config globs): shell-like globs over real folders. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { listFiles } from '../../generator/read/files.js';

const FILES = [
  'services/a.ts', 'services/b.ts', 'services/ab.ts', 'services/x/y/c.ts', 'services/types.d.ts', 'services/.hidden/h.ts',
  'services/node_modules/m.ts', 'other/o.ts', 'config/a.yaml', 'config/a.yml', 'config/x/y/b.yaml', 'configx/z.yaml', 'a.b/c.ts', 'axb/c.ts',
];

const cases: [string[], string[]][] = [
  [['services/**/*.ts'], ['services/a.ts', 'services/ab.ts', 'services/b.ts', 'services/x/y/c.ts']],
  [['services/*.ts'], ['services/a.ts', 'services/ab.ts', 'services/b.ts']],
  [['services/{a,b}.ts'], ['services/a.ts', 'services/b.ts']],
  [['services/?.ts'], ['services/a.ts', 'services/b.ts']],
  [['services/[ab].ts'], ['services/a.ts', 'services/b.ts']],
  [['a.b/*.ts'], ['a.b/c.ts']],
  [['config/**/*.yaml'], ['config/a.yaml', 'config/x/y/b.yaml']],
  [['config/*.{yaml,yml}'], ['config/a.yaml', 'config/a.yml']],
  [['config/**/*.yaml', 'other/o.ts', 'missing.yaml'], ['config/a.yaml', 'config/x/y/b.yaml', 'other/o.ts']],
];

test('globs match like a shell; node_modules, dot folders and .d.ts files are never inputs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'servicegate-files-'));
  try {
    for (const f of FILES) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      writeFileSync(join(dir, f), '');
    }
    for (const [patterns, want] of cases) assert.deepEqual(listFiles(dir, patterns), want, patterns.join(' '));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
