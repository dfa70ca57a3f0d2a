/**
 * A watch rebuild gives exactly what a cold `gen build` gives: after each edit of a copy of the customers sample,
 * the whole output tree of the watcher is compared byte for byte with a cold `gen build` of a second copy of the
 * same inputs, and the watcher's diagnostics with those of a cold build. The edits are the ones that caches in the
 * read and emit phases could get wrong: a new field, a changed constraint, a renamed service, a broken and fixed
 * file, a new file that imports a model from another file and from outside the service folder, an edit of those
 * imported models, and removing the new file again. Nothing here asserts how fast a rebuild was.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gen, REPO, tempProject, type TempProject } from '../helpers/project.js';
import { watchBuild, type BuildWatcher } from '../../generator/watch.js';
import { generate } from '../../generator/build.js';
import type { Diagnostic } from '../../generator/diagnostics.js';

let project: TempProject;
let cold: TempProject;
let watcher: BuildWatcher;
let lines: string[] = [];
let diagnostics: readonly Diagnostic[] = [];

/** Every file under `dir` (relative path → content). */
function tree(dir: string, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) for (const [k, v] of tree(full, `${prefix}${name}/`)) out.set(k, v);
    else out.set(`${prefix}${name}`, readFileSync(full, 'utf8'));
  }
  return out;
}

/** Resolves once the watcher has logged a build and then stayed quiet for a while (file events come in bursts). */
async function settled(from: number): Promise<string> {
  const deadline = Date.now() + 60_000;
  while (lines.length === from || !/\] (built in|build failed)/.test(lines[lines.length - 1]!)) {
    if (Date.now() > deadline) throw new Error(`no build after the edit; log:\n${lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  for (let n = lines.length; ; n = lines.length) {
    await new Promise((r) => setTimeout(r, 300));
    if (lines.length === n) return lines[n - 1]!;
  }
}

/** Applies `edit` to the watched project, waits for the rebuild, and compares it with a cold build of a copy. */
async function editAndCompare(edit: (p: TempProject) => void): Promise<string> {
  const from = lines.length;
  edit(project);
  const line = await settled(from);
  for (const sub of ['services', 'lib', 'config']) {
    rmSync(join(cold.dir, sub), { recursive: true, force: true });
    if (existsSync(join(project.dir, sub))) cpSync(join(project.dir, sub), join(cold.dir, sub), { recursive: true });
  }
  const coldResult = generate({ dir: cold.dir });
  assert.deepEqual(diagnostics, coldResult.diagnostics, 'watch diagnostics = cold build diagnostics');
  const coldRun = gen(['build', cold.dir, '--quiet']);
  if (coldResult.files.length > 0) {
    assert.equal(coldRun.code, 0, coldRun.stderr);
    const want = tree(join(cold.dir, 'generated'));
    const got = tree(join(project.dir, 'generated'));
    assert.deepEqual([...got.keys()], [...want.keys()]);
    for (const [path, content] of want) assert.ok(got.get(path) === content, `generated/${path} differs from a cold build after: ${line}`);
  } else {
    assert.notEqual(coldRun.code, 0);
    assert.match(line, /build failed/);
  }
  return line;
}

const source = (file: string) => readFileSync(join(project.dir, file), 'utf8');
const replace = (file: string, from: string, to: string) => (p: TempProject) => {
  const text = source(file);
  assert.ok(text.includes(from), `${file} has ${from}`);
  p.write(file, text.replace(from, to));
};

before(async () => {
  project = tempProject({}, join(REPO, 'samples', 'customers'));
  cold = tempProject({}, join(REPO, 'samples', 'customers'));
  watcher = watchBuild({ dir: project.dir }, {
    log: (line) => lines.push(line),
    diagnostics: (_dir, d) => (diagnostics = d),
  });
  await watcher.ready;
  lines = lines.filter((l) => !l.startsWith('watching '));
});

after(() => {
  watcher.close();
  project.remove();
  cold.remove();
});

test('a new field', async () => {
  const line = await editAndCompare(replace('services/customer.ts', '  customer_id!: Int;\n}\n', '  customer_id!: Int;\n  note?: string;\n}\n'));
  assert.match(line, /validators\.ts/);
});

test('a changed constraint', async () => {
  await editAndCompare(replace('services/orders.ts', '@minimum 1 @maximum 1000', '@minimum 2 @maximum 999'));
});

test('a changed type alias that models in two files use', async () => {
  await editAndCompare((p) => {
    p.write('services/tier-info.ts', [
      "import { Service, Model } from 'servicegate';",
      "import type { Tier } from './customer.js';",
      '',
      'export class TierInfo extends Model {',
      '  tier!: Tier;',
      '}',
      '',
      'export class GetTierInfo extends Service {',
      "  name = 'customer.tier-info';",
      '  input = TierInfo;',
      '  output = TierInfo;',
      '',
      '  handle() {}',
      '}',
      '',
    ].join('\n'));
  });
  await editAndCompare(replace('services/customer.ts', "'basic' | 'gold' | 'platinum'", "'basic' | 'silver' | 'gold' | 'platinum'"));
});

test('an import of a module that does not exist yet, then the module', async () => {
  await editAndCompare(replace('services/tier-info.ts', "  tier!: Tier;\n}", "  tier!: Tier;\n  badge?: Badge;\n}").bind(null));
  await editAndCompare((p) => {
    p.write('services/tier-info.ts', source('services/tier-info.ts').replace("import type { Tier } from './customer.js';", "import type { Tier } from './customer.js';\nimport { Badge } from './badge.js';"));
  });
  await editAndCompare((p) => p.write('services/badge.ts', "import { Model } from 'servicegate';\n\nexport class Badge extends Model {\n  label!: string;\n}\n"));
  await editAndCompare((p) => rmSync(join(p.dir, 'services', 'tier-info.ts')));
});

test('a service whose input comes from a base class in another file, and an edit of that base class', async () => {
  await editAndCompare((p) => {
    p.write('services/ping-base.ts', [
      "import { Service, Model } from 'servicegate';",
      '',
      'export class Ping extends Model {',
      '  at!: string;',
      '}',
      '',
      'export class Pong extends Model {',
      '  ok!: boolean;',
      '}',
      '',
      'export abstract class PingBase extends Service {',
      '  input = Ping;',
      '}',
      '',
    ].join('\n'));
    p.write('services/ping.ts', "import { PingBase } from './ping-base.js';\n\nexport class PingIt extends PingBase {\n  name = 'ping.it';\n\n  handle() {}\n}\n");
  });
  await editAndCompare(replace('services/ping-base.ts', '  input = Ping;', '  input = Pong;'));
});

test('a renamed service', async () => {
  await editAndCompare(replace('services/customer.ts', "name = 'customer.get';", "name = 'customer.fetch';"));
});

test('a broken file, then fixed', async () => {
  const line = await editAndCompare(replace('services/orders.ts', '  sku!: string;', '  sku!: string = ;'));
  assert.match(line, /build failed/);
  assert.ok(diagnostics.some((d) => d.loc?.file === 'services/orders.ts' && d.loc.line > 0 && d.loc.column > 0));
  await editAndCompare(replace('services/orders.ts', '  sku!: string = ;', '  sku!: string;'));
});

test('a new file that imports shared models, edits of those models, and removing the file', async () => {
  await editAndCompare((p) => {
    p.write('lib/money.ts', "import { Model } from 'servicegate';\n\nexport class Money extends Model {\n  amount!: number;\n  currency!: string;\n}\n");
    p.write('services/refund.ts', [
      "import { Service, Model } from 'servicegate';",
      "import { OrderItem } from './orders.js';",
      "import { Money } from '../lib/money.js';",
      '',
      'export class RefundRequest extends Model {',
      '  items!: OrderItem[];',
      '  total!: Money;',
      '}',
      '',
      'export class Refund extends Service {',
      "  name = 'orders.refund';",
      '  input = RefundRequest;',
      '  output = Money;',
      '',
      '  handle() {}',
      '}',
      '',
    ].join('\n'));
  });
  await editAndCompare(replace('services/orders.ts', '  quantity!: Int;', '  quantity!: Int;\n  /** @maxLength 20 */\n  batch?: string;'));
  await editAndCompare(replace('lib/money.ts', '  currency!: string;', '  /** @pattern ^[A-Z]{3}$ */\n  currency!: string;'));
  // Tags on a type alias in a third file reach the fields typed with it; editing only the alias's comment rebuilds them.
  await editAndCompare((p) => {
    p.write('lib/units.ts', '/** @minimum 0 */\nexport type Amount = number;\n');
    replace('lib/money.ts', '  amount!: number;', '  amount!: Amount;')(p);
    replace('lib/money.ts', "import { Model } from 'servicegate';", "import { Model } from 'servicegate';\nimport type { Amount } from './units.js';")(p);
  });
  await editAndCompare(replace('lib/units.ts', '@minimum 0', '@minimum 1 @maximum 1000000'));
  await editAndCompare((p) => rmSync(join(p.dir, 'services', 'refund.ts')));
});
