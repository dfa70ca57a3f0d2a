import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServicesReader, kebabCase, readServices } from '../../generator/read/services.js';
import { checkServices } from '../../generator/check/services.js';
import { formatDiagnostic } from '../../generator/diagnostics.js';
import type { ObjectModel } from '../../generator/ir.js';
import { withProject, writeProject } from '../fixtures/read-services/project.js';

const SAMPLE = fileURLToPath(new URL('../../samples/customers', import.meta.url));
const HEAD = "import { Service, Model } from 'servicegate';\n";

describe('the customers sample', () => {
  const r = readServices(SAMPLE);

  it('reads with no diagnostics, and checks clean', () => {
    assert.deepEqual(r.diagnostics.map(formatDiagnostic), []);
    assert.deepEqual(checkServices(r.services, r.models).map(formatDiagnostic), []);
  });

  it('finds the five services with their models', () => {
    assert.deepEqual(
      r.services.map((s) => [s.name, s.className, s.file, s.input, s.output]),
      [
        ['customer.get', 'GetCustomer', 'services/customer.ts', 'GetCustomerRequest', 'GetCustomerResponse'],
        ['customer.get-details', 'GetDetails', 'services/customer.ts', 'GetDetailsRequest', 'CustomerDetails'],
        ['customer.update', 'UpdateCustomer', 'services/customer.ts', 'UpdateCustomerRequest', 'UpdateCustomerResponse'],
        ['orders.create', 'CreateOrder', 'services/orders.ts', 'CreateOrderRequest', 'Order'],
        ['orders.list', 'ListOrders', 'services/orders.ts', 'ListOrdersRequest', 'OrderList'],
      ],
    );
  });

  it('points loc at the class name and nameLoc at the name literal (or the class name when derived)', () => {
    const get = r.services.find((s) => s.name === 'customer.get')!;
    assert.deepEqual([get.loc, get.nameLoc], [
      { file: 'services/customer.ts', line: 20, column: 14 },
      { file: 'services/customer.ts', line: 21, column: 10 },
    ]);
    const details = r.services.find((s) => s.name === 'customer.get-details')!;
    assert.deepEqual(details.nameLoc, details.loc);
    assert.equal(get.description, "Returns a customer's public profile; the caller's tenant comes from the `x-zato-tenant` header.");
  });

  it('reads exactly the models the services reach, with their fields', () => {
    assert.deepEqual(r.models.map((m) => m.name), [
      'CreateOrderRequest', 'CustomerDetails', 'GetCustomerRequest', 'GetCustomerResponse', 'GetDetailsRequest',
      'ListOrdersRequest', 'Order', 'OrderItem', 'OrderList', 'UpdateCustomerRequest', 'UpdateCustomerResponse',
    ]);
    const order = r.models.find((m) => m.name === 'Order') as ObjectModel;
    assert.deepEqual(order.fields.map((f) => [f.name, f.type, f.optional, f.default]), [
      ['order_id', { kind: 'integer' }, false, undefined],
      ['customer_id', { kind: 'integer' }, false, undefined],
      ['items', { kind: 'array', items: { kind: 'ref', name: 'OrderItem' } }, false, undefined],
      ['created_at', { kind: 'date' }, false, undefined],
      ['status', { kind: 'literal', values: ['new', 'shipped'] }, true, 'new'],
    ]);
    const item = r.models.find((m) => m.name === 'OrderItem') as ObjectModel;
    assert.deepEqual(item.fields[0]!.constraints, { pattern: '^[A-Z0-9-]{3,32}$' });
    assert.equal(item.fields[0]!.example, 'SKU-1001');
    const tier = (r.models.find((m) => m.name === 'GetCustomerResponse') as ObjectModel).fields.find((f) => f.name === 'tier')!;
    assert.deepEqual(tier.type, { kind: 'literal', values: ['basic', 'gold', 'platinum'] });
  });

  it('lists every file read, relative and sorted; the IR holds no absolute paths and is the same on every read', () => {
    assert.deepEqual(r.files, ['services/customer.ts', 'services/orders.ts', 'services/store.ts']);
    const json = JSON.stringify(r);
    assert.ok(!json.includes(SAMPLE), 'no absolute path in the result');
    assert.equal(JSON.stringify(readServices(SAMPLE)), json);
  });
});

describe('default service names', () => {
  const cases: [string, { file: string; className: string; want: string }][] = [
    ['file stem and kebab-case class', { file: 'services/customer.ts', className: 'GetDetails', want: 'customer.get-details' }],
    ['an acronym', { file: 'services/net.ts', className: 'HTTPServer', want: 'net.http-server' }],
    ['the file stem, not the folder', { file: 'services/admin/users.ts', className: 'ListAll', want: 'users.list-all' }],
    ['only the last extension is dropped', { file: 'services/billing.v2.ts', className: 'Pay', want: 'billing.v2.pay' }],
  ];
  for (const [name, c] of cases) {
    it(name, () => {
      const r = withProject({ [c.file]: `${HEAD}export class ${c.className} extends Service { handle() {} }\n` }, (dir) => readServices(dir));
      assert.deepEqual(r.services.map((s) => s.name), [c.want]);
    });
  }

  it('an explicit name wins; a template literal without substitutions and `as const` are literals too', () => {
    const files = { 'services/a.ts': `${HEAD}export class A extends Service { name = \`x.y\`; handle() {} }\nexport class B extends Service { readonly name = ('p.q' as const); handle() {} }\n` };
    const r = withProject(files, (dir) => readServices(dir));
    assert.deepEqual([r.diagnostics, r.services.map((s) => s.name)], [[], ['p.q', 'x.y']]);
  });

  it('kebab-cases class names', () => {
    const table: [string, string][] = [['GetDetails', 'get-details'], ['HTTPServer', 'http-server'], ['GetV2Items', 'get-v2-items'], ['Ping', 'ping'], ['getURL', 'get-url']];
    for (const [given, want] of table) assert.equal(kebabCase(given), want, given);
  });
});

describe('finding services', () => {
  it('follows abstract bases across files; skips abstract, unexported and non-service classes', () => {
    const r = withProject(
      {
        'services/base/core.ts': `${HEAD}export abstract class Core extends Service {}\n`,
        'services/base/index.ts': "export * from './audited.js';\n",
        'services/base/audited.ts': "import { Core } from './core';\nexport abstract class Audited extends Core { audit() {} }\n",
        'services/users.ts': [
          HEAD,
          "import { Audited } from './base/index.js';",
          "import * as sg from 'servicegate';",
          'export class Create extends Audited { handle() {} }',
          'export class Remove extends sg.Service { handle() {} }',
          'class Hidden extends Service { handle() {} }',
          'export abstract class Partial extends Service {}',
          'export class Data extends Model {}',
          'export class Plain {}',
          'export { Hidden as Visible };',
        ].join('\n'),
      },
      (dir) => readServices(dir),
    );
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.services.map((s) => [s.name, s.className]), [['users.create', 'Create'], ['users.hidden', 'Visible'], ['users.remove', 'Remove']]);
  });

  it('resolves imported models through .js, .ts, extensionless, folder index and renamed re-exports', () => {
    const r = withProject(
      {
        'services/models/a.ts': "import { Model } from 'servicegate';\nexport class A extends Model { x!: string; }\n",
        'services/models/b.ts': "import { Model } from 'servicegate';\nexport class B extends Model { y!: string; }\n",
        'services/models/index.ts': "export { A as RenamedA } from './a.js';\nexport * from './b';\n",
        'services/api.ts': [
          HEAD,
          "import { RenamedA, B } from './models';",
          "import { A } from './models/a.ts';",
          'export class In extends Model { a!: RenamedA; b!: B; again!: A; }',
          'export class Api extends Service { input = In; output = B; handle() {} }',
        ].join('\n'),
      },
      (dir) => readServices(dir),
    );
    assert.deepEqual(r.diagnostics, []);
    const input = r.models.find((m) => m.name === 'In') as ObjectModel;
    assert.deepEqual(input.fields.map((f) => f.type), [{ kind: 'ref', name: 'A' }, { kind: 'ref', name: 'B' }, { kind: 'ref', name: 'A' }]);
    assert.deepEqual(r.services[0]!.output, 'B');
  });

  it('reads models imported from outside the patterns and lists their files', () => {
    const r = withProject(
      {
        'lib/money.ts': "import { Model } from 'servicegate';\nexport class Money extends Model { amount!: number; }\n",
        'services/pay.ts': `${HEAD}import { Money } from '../lib/money.js';\nexport class Pay extends Service { input = Money; handle() {} }\n`,
      },
      (dir) => readServices(dir),
    );
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.models.map((m) => [m.name, m.loc.file]), [['Money', 'lib/money.ts']]);
    assert.deepEqual(r.files, ['lib/money.ts', 'services/pay.ts']);
  });

  it('inherits input and output from a base class, but never the name', () => {
    const r = withProject(
      {
        'services/crud.ts': `${HEAD}export class Out extends Model { ok!: boolean; }\nexport class In extends Model { id!: string; }\nexport abstract class Base extends Service { name = 'base.x'; output = Out; }\nexport class Get extends Base { input = In; handle() {} }\n`,
      },
      (dir) => readServices(dir),
    );
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.services.map((s) => [s.name, s.input, s.output]), [['crud.get', 'In', 'Out']]);
  });

  it('honours custom patterns and never reads node_modules or .d.ts files', () => {
    const r = withProject(
      {
        'src/api/a.ts': `${HEAD}export class A extends Service { handle() {} }\n`,
        'src/api/b.d.ts': 'export declare class B {}\n',
        'src/api/node_modules/x/c.ts': `${HEAD}export class C extends Service { handle() {} }\n`,
        'services/ignored.ts': `${HEAD}export class D extends Service { handle() {} }\n`,
      },
      (dir) => readServices(dir, ['src/**/*.ts']),
    );
    assert.deepEqual(r.services.map((s) => s.name), ['a.a']);
    assert.deepEqual(r.files, ['src/api/a.ts']);
  });
});

describe('the watch-mode reader', () => {
  it('re-reads changed, added and removed files', () => {
    withProject({ 'services/a.ts': `${HEAD}export class A extends Service { name = 'one'; handle() {} }\n` }, (dir) => {
      const reader = createServicesReader(dir);
      assert.deepEqual(reader.read().services.map((s) => s.name), ['one']);
      const a = join(dir, 'services/a.ts');
      writeFileSync(a, `${HEAD}export class A extends Service { name = 'two'; handle() {} }\n`);
      assert.deepEqual(reader.update([a]).services.map((s) => s.name), ['two']);
      writeProject(dir, { 'services/b.ts': `${HEAD}export class B extends Service { handle() {} }\n` });
      const added = reader.update([join(dir, 'services/b.ts')]);
      assert.deepEqual([added.services.map((s) => s.name), added.files], [['b.b', 'two'], ['services/a.ts', 'services/b.ts']]);
      rmSync(a);
      const removed = reader.update([a]);
      assert.deepEqual([removed.services.map((s) => s.name), removed.files], [['b.b'], ['services/b.ts']]);
    });
  });

  it('drops a file outside the patterns from the inputs once nothing imports it', () => {
    const pay = `${HEAD}import { Money } from '../lib/money.js';\nexport class Pay extends Service { input = Money; handle() {} }\n`;
    withProject({ 'lib/money.ts': "import { Model } from 'servicegate';\nexport class Money extends Model { amount!: number; }\n", 'services/pay.ts': pay }, (dir) => {
      const reader = createServicesReader(dir);
      assert.deepEqual(reader.read().files, ['lib/money.ts', 'services/pay.ts']);
      writeFileSync(join(dir, 'services/pay.ts'), `${HEAD}export class Pay extends Service { handle() {} }\n`);
      assert.deepEqual(reader.update([join(dir, 'services/pay.ts')]).files, ['services/pay.ts']);
    });
  });

  it('gives the same result as a fresh read after an update', () => {
    withProject({ 'services/a.ts': `${HEAD}export class In extends Model { x!: string; }\nexport class A extends Service { input = In; handle() {} }\n` }, (dir) => {
      const reader = createServicesReader(dir);
      reader.read();
      const a = join(dir, 'services/a.ts');
      writeFileSync(a, `${HEAD}export class In extends Model { y!: number; }\nexport class A extends Service { input = In; handle() {} }\n`);
      assert.deepEqual(reader.update([a]), readServices(dir));
    });
  });
});

describe('checkServices', () => {
  const loc = { file: 'services/a.ts', line: 1, column: 1 };
  const service = { name: 'a.b', className: 'B', file: 'services/a.ts', loc, nameLoc: loc };

  it('reports an input or output model that was not read, or is not an object model', () => {
    const got = checkServices([{ ...service, input: 'Nope', output: 'Color' }], [{ kind: 'enum', name: 'Color', values: ['red'], loc }]);
    assert.deepEqual(got.map(formatDiagnostic), [
      "services/a.ts:1:1: error SG113: The input model 'Nope' of service 'a.b' was not read; fix the errors reported for it.",
      "services/a.ts:1:1: error SG113: The output of service 'a.b' must be a model class, but 'Color' is an enum.",
    ]);
  });

  it('accepts services without models and distinct names', () => {
    assert.deepEqual(checkServices([service, { ...service, name: 'a.c' }], []), []);
  });
});
