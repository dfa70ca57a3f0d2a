/**
 * runtime/generated-cache.ts: generated/validators.ts compiled once for `gen serve` and kept, one entry per source
 * file, replaced when the source changes; null (tsx takes the file) when the result would import anything.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cacheDir, compiledGenerated } from '../../runtime/generated-cache.js';

const SOURCE = [
  "import type { ValidationIssue } from 'servicegate';",
  'const $only = (issue: ValidationIssue): ValidationIssue[] => [issue];',
  'export const models = { one: $only({ path: "/a", message: "must be \\u2265 1" }) } as const;',
  '',
].join('\n');

/** Runs `body` with SERVICEGATE_CACHE_DIR set to a new folder, removed afterwards. */
async function withCache(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sg-cache-test-'));
  const before = process.env.SERVICEGATE_CACHE_DIR;
  process.env.SERVICEGATE_CACHE_DIR = join(dir, 'cache');
  try {
    await body(dir);
  } finally {
    if (before === undefined) delete process.env.SERVICEGATE_CACHE_DIR;
    else process.env.SERVICEGATE_CACHE_DIR = before;
    rmSync(dir, { recursive: true, force: true });
  }
}

async function importText(dir: string, text: string): Promise<Record<string, unknown>> {
  const file = join(dir, `m${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, text);
  return (await import(file)) as Record<string, unknown>;
}

describe('compiledGenerated', () => {
  it('compiles TypeScript to a module without types or source map, and keeps it in the cache folder', async () => {
    await withCache(async (dir) => {
      const file = join(dir, 'generated', 'validators.ts');
      const js = compiledGenerated(file, SOURCE, 'esm');
      assert.ok(js !== null);
      assert.doesNotMatch(js, /import|sourceMappingURL|ValidationIssue\[\]/);
      const mod = await importText(dir, js);
      assert.deepEqual(mod.models, { one: [{ path: '/a', message: 'must be \u2265 1' }] });
      const entries = readdirSync(cacheDir());
      assert.equal(entries.length, 1);
      assert.equal(readFileSync(join(cacheDir(), entries[0]!), 'utf8'), js);
    });
  });

  it('CommonJS for require(): an entry of its own next to the ES module one', async () => {
    await withCache(async (dir) => {
      const file = join(dir, 'generated', 'validators.ts');
      const esm = compiledGenerated(file, SOURCE, 'esm');
      const cjs = compiledGenerated(file, SOURCE, 'cjs');
      assert.ok(esm !== null && cjs !== null && esm !== cjs);
      assert.doesNotMatch(cjs, /^\s*(import|export)\s/m);
      const out = join(dir, 'validators.cjs');
      writeFileSync(out, cjs);
      assert.deepEqual(createRequire(import.meta.url)(out).models, { one: [{ path: '/a', message: 'must be \u2265 1' }] });
      assert.equal(readdirSync(cacheDir()).length, 2);
      assert.equal(compiledGenerated(file, SOURCE, 'cjs'), cjs);
    });
  });

  it('a second start gets the cached text; a changed source replaces the entry (one per file)', async () => {
    await withCache(async (dir) => {
      const file = join(dir, 'generated', 'validators.ts');
      compiledGenerated(file, SOURCE, 'esm');
      const [entry] = readdirSync(cacheDir());
      const path = join(cacheDir(), entry!);
      writeFileSync(path, `${readFileSync(path, 'utf8')}export const fromCache = true;\n`);
      const again = compiledGenerated(file, SOURCE, 'esm');
      assert.match(again!, /fromCache/);

      const changed = compiledGenerated(file, SOURCE.replace('"/a"', '"/b"'), 'esm');
      assert.match(changed!, /"\/b"/);
      assert.doesNotMatch(changed!, /fromCache/);
      assert.deepEqual(readdirSync(cacheDir()), [entry]);

      // Another file gets an entry of its own.
      compiledGenerated(join(dir, 'other', 'generated', 'validators.ts'), SOURCE, 'esm');
      assert.equal(readdirSync(cacheDir()).length, 2);
    });
  });

  it('null, and nothing cached, for a module that would import a value or does not compile', async () => {
    await withCache(async (dir) => {
      const file = join(dir, 'generated', 'validators.ts');
      assert.equal(compiledGenerated(file, "import { x } from './x.js';\nexport const y = x;\n", 'esm'), null);
      assert.equal(compiledGenerated(file, "export { x } from './x.js';\n", 'esm'), null);
      assert.equal(compiledGenerated(file, 'export const y = ;\n', 'esm'), null);
      assert.deepEqual(readdirSync(cacheDir()), []);
    });
  });

  it('entries nothing used for 30 days go when another is written; a start that uses one keeps it', async () => {
    await withCache(async (dir) => {
      const file = join(dir, 'generated', 'validators.ts');
      compiledGenerated(file, SOURCE, 'esm');
      const [entry] = readdirSync(cacheDir());
      const days = (n: number) => (Date.now() - n * 24 * 60 * 60 * 1000) / 1000;
      const plant = (name: string, age: number) => {
        writeFileSync(join(cacheDir(), name), 'x');
        utimesSync(join(cacheDir(), name), days(age), days(age));
      };
      plant(`${'a'.repeat(32)}.mjs`, 40); // served once, long ago: goes
      plant(`${'b'.repeat(32)}.cjs`, 10); // used ten days ago: stays
      plant(`${'c'.repeat(32)}.mjs.0123456789ab.part`, 40); // a write that died: goes
      plant('notes.txt', 40); // not the cache's: stays
      // A start that uses an entry last written two days ago marks it as used now.
      utimesSync(join(cacheDir(), entry!), days(2), days(2));
      compiledGenerated(file, SOURCE, 'esm');
      assert.ok(Date.now() - statSync(join(cacheDir(), entry!)).mtimeMs < 60_000);
      // Nothing is removed on a start that writes nothing; the next entry written removes what is unused.
      assert.equal(readdirSync(cacheDir()).length, 5);
      compiledGenerated(join(dir, 'other', 'generated', 'validators.ts'), SOURCE, 'esm');
      const left = readdirSync(cacheDir());
      assert.deepEqual(left.filter((n) => !/^[0-9a-f]{32}\.mjs$/.test(n) || n === `${'a'.repeat(32)}.mjs`).sort(), [`${'b'.repeat(32)}.cjs`, 'notes.txt']);
      assert.equal(left.filter((n) => /^[0-9a-f]{32}\.mjs$/.test(n)).length, 2); // this file's and the other's
      assert.ok(left.includes(entry!));
    });
  });

  it('is made private, and a folder others can write to is not trusted: its entries never run', async () => {
    await withCache(async (dir) => {
      const file = join(dir, 'generated', 'validators.ts');
      compiledGenerated(file, SOURCE, 'esm');
      assert.equal(statSync(cacheDir()).mode & 0o777, 0o700);
      const [entry] = readdirSync(cacheDir());
      const path = join(cacheDir(), entry!);
      assert.equal(statSync(path).mode & 0o077, 0);
      // As another user could have left it in a shared temporary folder: writable by all, an entry planted.
      writeFileSync(path, `${readFileSync(path, 'utf8')}export const planted = true;\n`);
      chmodSync(cacheDir(), 0o777);
      const js = compiledGenerated(file, SOURCE, 'esm');
      assert.ok(js !== null && js.includes('must be'));
      assert.doesNotMatch(js, /planted/);
    });
  });

  it('a cache folder that cannot be written still gives the compiled text', async () => {
    await withCache(async (dir) => {
      const blocker = join(dir, 'cache');
      writeFileSync(blocker, 'a file where the folder would be');
      const js = compiledGenerated(join(dir, 'generated', 'validators.ts'), SOURCE, 'esm');
      assert.ok(js !== null && js.includes('must be'));
      assert.deepEqual(readdirSync(dir).sort(), ['cache']);
    });
  });
});
