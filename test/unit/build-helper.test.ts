/**
 * The build helper thread (generator/build-helper.ts): a build that reads the config and emits validators.ts on the
 * worker gives the same result as one without it: files, diagnostics, IR. Also when the worker cannot run, and when
 * the build fails before emitting (the helper is closed, nothing hangs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { generate, type BuildResult } from '../../generator/build.js';
import { BuildHelper } from '../../generator/build-helper.js';
import { resolveOptions } from '../../generator/options.js';
import { readServices } from '../../generator/read/services.js';
import { REPO, tempProject } from '../helpers/project.js';

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

test('the customers sample: same build with the helper, which read the config and emitted validators.ts', () => {
  const helper = compare(join(REPO, 'samples', 'customers'));
  assert.equal(helper.used, 3); // the service files' text, the config, validators.ts
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
    assert.equal(helper.used, 3);
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
