/**
 * readServices reads once and lets go of each service file once read (unless another file imported from it);
 * the watch mode's reader keeps every file. Both must give the same result, whatever the order of imports.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createServicesReader, readServices } from '../../generator/read/services.js';
import { formatDiagnostic } from '../../generator/diagnostics.js';
import { withProject } from '../fixtures/read-services/project.js';

const SAMPLE = fileURLToPath(new URL('../../samples/customers', import.meta.url));
const HEAD = "import { Service, Model } from 'servicegate';\n";

function same(dir: string): ReturnType<typeof readServices> {
  const once = readServices(dir);
  const kept = createServicesReader(dir).read();
  assert.equal(JSON.stringify(once), JSON.stringify(kept));
  return once;
}

describe('reading once (readServices) and keeping every file (the watch reader) agree', () => {
  it('on the customers sample', () => {
    assert.equal(same(SAMPLE).services.length, 5);
  });

  it('when a later file imports models from files already read and let go of', () => {
    const files = {
      // a.ts is read first and let go of; m.ts, z.ts import its models afterwards (so it is parsed again).
      'services/a.ts': `${HEAD}/** Address. */\nexport class Address extends Model { street!: string; }\nexport class Base extends Model { id!: number; }\nexport class A extends Service { input = Address; handle() {} }\n`,
      'services/m.ts': `${HEAD}import { Base } from './a.js';\nexport class Mid extends Base { label?: string; }\nexport class M extends Service { input = Mid; handle() {} }\n`,
      'services/z.ts': `${HEAD}import { Address, Base } from './a.js';\nimport type { Shape } from './shapes.js';\nexport class Order extends Base { ship!: Address; shape?: Shape; }\nexport class Z extends Service { input = Order; output = Address; handle() {} }\n`,
      // shapes.ts comes after z.ts in the list but is imported (and so kept) before its turn.
      'services/shapes.ts': "import { Model } from 'servicegate';\nexport class Circle extends Model { kind!: 'circle'; r!: number; }\nexport class Square extends Model { kind!: 'square'; side!: number; }\nexport type Shape = Circle | Square;\n",
      'lib/unused.ts': "export const x = 1;\n",
    };
    withProject(files, (dir) => {
      const r = same(dir);
      assert.deepEqual(r.models.map((m) => m.name), ['Address', 'Circle', 'Mid', 'Order', 'Shape', 'Square']);
      assert.deepEqual(r.files, ['services/a.ts', 'services/m.ts', 'services/shapes.ts', 'services/z.ts']);
      assert.deepEqual(r.diagnostics.map(formatDiagnostic), []);
      const order = r.models.find((m) => m.name === 'Order');
      assert.deepEqual(order?.kind === 'object' && order.fields.map((f) => f.name), ['id', 'ship', 'shape']);
      assert.deepEqual(r.models.find((m) => m.name === 'Address')?.loc, { file: 'services/a.ts', line: 3, column: 14 });
    });
  });

  it('with syntax errors in a file let go of and in one imported later: each reported once', () => {
    const files = {
      'services/a.ts': `${HEAD}export class In extends Model { x!: string; }\nexport class A extends Service { input = In; handle() { ) } }\n`,
      'services/b.ts': `${HEAD}export class B extends Service { handle() { ) } }\n`,
      'services/c.ts': `${HEAD}import { In } from './a.js';\nexport class C extends Service { input = In; handle() {} }\n`,
    };
    withProject(files, (dir) => {
      const r = same(dir);
      const codes = r.diagnostics.map((d) => `${d.code} ${d.loc?.file}`);
      assert.equal(codes.filter((c) => c === 'SG115 services/a.ts').length, 1, codes.join('\n'));
      assert.equal(codes.filter((c) => c === 'SG115 services/b.ts').length, 1, codes.join('\n'));
      assert.deepEqual(r.files, ['services/a.ts', 'services/b.ts', 'services/c.ts']);
    });
  });

  it('with two models of one name in two files, one of them let go of', () => {
    const files = {
      'services/a.ts': `${HEAD}export class Item extends Model { a!: string; }\nexport class A extends Service { input = Item; handle() {} }\n`,
      'services/b.ts': `${HEAD}export class Item extends Model { b!: number; }\nexport class B extends Service { input = Item; handle() {} }\n`,
    };
    withProject(files, (dir) => {
      const r = same(dir);
      assert.deepEqual(r.diagnostics.map(formatDiagnostic), [
        "services/a.ts:2:14: error SG104: Two different models are named 'Item' (the other is at services/b.ts:2:14); component names must be unique: rename one.",
        "services/b.ts:2:14: error SG104: Two different models are named 'Item' (the other is at services/a.ts:2:14); component names must be unique: rename one.",
      ]);
    });
  });

  it('with models kept outside the patterns and a missing import', () => {
    const files = {
      'lib/money.ts': "import { Model } from 'servicegate';\nexport class Money extends Model { amount!: number; }\n",
      'services/pay.ts': `${HEAD}import { Money } from '../lib/money.js';\nexport class Pay extends Service { input = Money; handle() {} }\n`,
      'services/refund.ts': `${HEAD}import { Money } from '../lib/money.js';\nimport { Gone } from './gone.js';\nexport class R extends Model { m!: Money; g!: Gone; }\nexport class Refund extends Service { input = R; handle() {} }\n`,
    };
    withProject(files, (dir) => {
      const r = same(dir);
      assert.deepEqual(r.files, ['lib/money.ts', 'services/pay.ts', 'services/refund.ts']);
      assert.deepEqual(r.diagnostics.map((d) => d.code), ['SG102']);
    });
  });
});
