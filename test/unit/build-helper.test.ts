/**
 * The build helper thread (generator/build-helper.ts): a build that reads the config and emits validators.ts on the
 * worker gives the same result as one without it: files, diagnostics, IR. Also when the worker cannot run, and when
 * the build fails before emitting (the helper is closed, nothing hangs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { generate, type BuildResult } from '../../generator/build.js';
import { BuildHelper } from '../../generator/build-helper.js';
import { resolveOptions } from '../../generator/options.js';
import { readServices } from '../../generator/read/services.js';
import { writeOutput } from '../../generator/write.js';
import { GEN, REPO, tempProject } from '../helpers/project.js';

function withoutTimings(r: BuildResult) {
  // A file's text may come whole or in pieces (write.ts outputFile): compare the text.
  const files = r.files.map((f) => ({ path: f.path, content: f.content }));
  return { files, diagnostics: r.diagnostics, project: r.project, openapi: r.openapi };
}

function compare(dir: string, entry?: URL): BuildHelper {
  const plain = generate({ dir });
  const helper = BuildHelper.start(resolveOptions({ dir }), entry);
  assert.ok(helper, 'a helper starts on a machine with two CPUs');
  const helped = generate({ dir }, helper);
  assert.deepEqual(withoutTimings(helped), withoutTimings(plain));
  return helper;
}

test('the customers sample: same build with the helper, which read the config, fingerprinted the inputs and emitted validators.ts', () => {
  const helper = compare(join(REPO, 'samples', 'customers'));
  assert.equal(helper.used, 4); // the service files' bytes, the config, inputs.json's fingerprint, validators.ts
});

test('models imported from outside the service patterns: the build fingerprints its inputs itself, with the same result', () => {
  const p = tempProject({
    'services/items.ts': "import { Service } from 'servicegate';\nimport { Item } from '../lib/item';\nexport class Get extends Service {\n  name = 'items.get';\n  input = Item;\n  async handle() {}\n}\n",
    // Characters of two, three and four UTF-8 bytes, and a byte order mark: the files cross as one buffer of bytes.
    'services/a.ts': "\uFEFFimport { Service, Model } from 'servicegate';\n/** Café ☕ 𝄞 */\nexport class Note extends Model {\n  text!: string;\n}\nexport class Put extends Service {\n  name = 'notes.put';\n  input = Note;\n  async handle() {}\n}\n",
    'lib/item.ts': "import { Model } from 'servicegate';\nexport class Item extends Model {\n  name!: string;\n}\n",
    'config/channels.yaml': 'rest_channel:\n  - name: items\n    url_path: /items\n    service: items.get\n',
  });
  try {
    const helper = compare(p.dir);
    assert.equal(helper.used, 3); // its fingerprint left out lib/item.ts: not used
    const inputs = JSON.parse(generate({ dir: p.dir }).files.find((f) => f.path === 'inputs.json')!.content) as { files: string[] };
    assert.deepEqual(inputs.files, ['config/channels.yaml', 'lib/item.ts', 'services/a.ts', 'services/items.ts']);
    assert.equal(generate({ dir: p.dir }).project!.models.find((m) => m.name === 'Note')!.description, 'Café ☕ 𝄞');
  } finally {
    p.remove();
  }
});

const MODELS = `import { Service, Model } from 'servicegate';
export class Item extends Model {
  /** @minLength 1 */
  name!: string;
  meta: Record<string, string> = { __proto__: 'kept as a key', constructor: 'x' };
  tags: string[] = ['a', 'b'];
  /** @minimum 0 */
  n: number = -1;
}
export class Get extends Service {
  name = 'items.get';
  input = Item;
  output = Item;
  async handle() {}
}
`;

test('defaults with __proto__ keys cross the thread as plain keys; warnings come back the same', () => {
  const p = tempProject({
    'services/items.ts': MODELS,
    'config/channels.yaml': 'rest_channel:\n  - name: items\n    url_path: /items\n    service: items.get\nscheduler: []\n',
  });
  try {
    const helper = compare(p.dir);
    assert.equal(helper.used, 4);
    const files = generate({ dir: p.dir }).files;
    assert.match(files.find((f) => f.path === 'validators.ts')!.content, /__proto__/);
  } finally {
    p.remove();
  }
});

test('a build that fails in the config: same diagnostics, no files, the helper is closed', () => {
  const p = tempProject({
    'services/items.ts': MODELS,
    'config/channels.yaml': 'rest_channel:\n  - name: items\n    url_path: /items\n    service: items.missing\n  - [broken\n',
  });
  try {
    const helper = compare(p.dir);
    assert.equal(helper.used, 2); // the service files' text and the config; nothing was emitted
    assert.equal(helper.validators([])(), undefined); // closed: the caller would emit itself
  } finally {
    p.remove();
  }
});

test('a worker that cannot run: the build does the work itself, with the same result', () => {
  const p = tempProject({ 'services/items.ts': MODELS, 'config/channels.yaml': 'rest_channel: []\n' });
  try {
    const helper = compare(p.dir, new URL('data:text/javascript,throw new Error("no helper today")'));
    assert.equal(helper.used, 0);
  } finally {
    p.remove();
  }
});

test('readServices parses the texts it is handed (the helper read them) instead of reading those files again', () => {
  const p = tempProject({ 'services/items.ts': MODELS });
  try {
    const abs = join(p.dir, 'services', 'items.ts');
    const result = readServices(p.dir, undefined, new Map([[abs, MODELS.replace("'items.get'", "'items.other'")]]));
    assert.deepEqual(result.services.map((s) => s.name), ['items.other']);
    assert.deepEqual(readServices(p.dir).services.map((s) => s.name), ['items.get']);
  } finally {
    p.remove();
  }
});

test('writing ahead: the worker writes validators.ts next to the output dir, and writeOutput moves it into place', () => {
  const p = tempProject({ 'services/items.ts': MODELS, 'config/channels.yaml': 'rest_channel:\n  - name: items\n    url_path: /items\n    service: items.get\n' });
  try {
    const plain = generate({ dir: p.dir }).files.find((f) => f.path === 'validators.ts')!;
    const staged = () => readdirSync(p.dir).filter((n) => n.startsWith('.generated.'));
    const build = () => {
      const helper = BuildHelper.start(resolveOptions({ dir: p.dir }), undefined, true)!;
      const result = generate({ dir: p.dir }, helper);
      assert.equal(helper.used, 4);
      return result;
    };
    const first = build();
    const file = first.files.find((f) => f.path === 'validators.ts')!;
    assert.ok(file.written, 'the worker wrote the file');
    assert.deepEqual(staged(), [file.written!.slice(p.dir.length + 1)]);
    assert.equal(readFileSync(file.written!, 'utf8'), plain.content);
    assert.deepEqual(writeOutput(join(p.dir, 'generated'), first.files).written.includes('validators.ts'), true);
    assert.equal(readFileSync(join(p.dir, 'generated', 'validators.ts'), 'utf8'), plain.content);
    assert.deepEqual(staged(), []);
    // The same output again: the worker finds validators.ts as it would write it and writes nothing.
    const again = build();
    assert.equal(again.files.find((f) => f.path === 'validators.ts')!.written, undefined);
    assert.deepEqual(staged(), []);
    assert.deepEqual(writeOutput(join(p.dir, 'generated'), again.files).written, []);
    // Output that differs: written ahead again, and moved into place.
    writeFileSync(join(p.dir, 'generated', 'validators.ts'), '// edited by hand\n');
    const third = build();
    assert.ok(third.files.find((f) => f.path === 'validators.ts')!.written);
    assert.deepEqual(writeOutput(join(p.dir, 'generated'), third.files).written, ['validators.ts']);
    assert.equal(readFileSync(join(p.dir, 'generated', 'validators.ts'), 'utf8'), plain.content);
    assert.deepEqual(staged(), []);
    // Without writeAhead (gen check, gen publish) nothing is written ahead.
    const helper = BuildHelper.start(resolveOptions({ dir: p.dir }))!;
    assert.equal(generate({ dir: p.dir }, helper).files.find((f) => f.path === 'validators.ts')!.written, undefined);
    assert.deepEqual(staged(), []);
  } finally {
    p.remove();
  }
});

test('writing ahead where the output cannot go: no file is left, and the build says what failed', () => {
  const p = tempProject({ 'services/items.ts': MODELS, 'config/channels.yaml': 'rest_channel: []\n' });
  try {
    writeFileSync(join(p.dir, 'blocked'), 'a file where the output dir\'s parent should be\n');
    const helper = BuildHelper.start(resolveOptions({ dir: p.dir, out: 'blocked/generated' }), undefined, true)!;
    const file = generate({ dir: p.dir, out: 'blocked/generated' }, helper).files.find((f) => f.path === 'validators.ts')!;
    assert.equal(file.written, undefined);
    assert.ok(file.bytes && file.bytes.length > 0);
    // gen build and gen check through the CLI: the same message either way, and no staged file anywhere.
    const run = spawnSync(process.execPath, [GEN, 'build', p.dir, '--out', 'blocked/generated'], { encoding: 'utf8' });
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /blocked/);
    assert.deepEqual(readdirSync(p.dir).filter((n) => n.startsWith('.')), []);
  } finally {
    p.remove();
  }
});
