import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readServices } from '../../generator/read/services.js';
import { formatDiagnostic } from '../../generator/diagnostics.js';
import type { Field, ModelDecl, ObjectModel, TypeRef } from '../../generator/ir.js';
import { modelProject, withProject } from '../fixtures/read-services/project.js';

function readModel(model: string, extra = ''): { models: ModelDecl[]; diagnostics: string[] } {
  return withProject(modelProject(model, extra), (dir) => {
    const r = readServices(dir);
    return { models: r.models, diagnostics: r.diagnostics.map(formatDiagnostic) };
  });
}

function field(model: string, extra = ''): Field {
  const r = readModel(model, extra);
  assert.deepEqual(r.diagnostics, []);
  const input = r.models.find((m) => m.name === 'In') as ObjectModel;
  assert.equal(input.fields.length, 1);
  return input.fields[0]!;
}

const S: TypeRef = { kind: 'string' };
const I: TypeRef = { kind: 'integer' };

describe('field types', () => {
  const cases: [string, { given: string; extra?: string; want: TypeRef; optional?: boolean }][] = [
    ['string', { given: 'a!: string;', want: S }],
    ['number', { given: 'a!: number;', want: { kind: 'number' } }],
    ['Int from servicegate', { given: 'a!: Int;', want: I }],
    ['Int through a namespace import', { given: 'a!: sg.Int;', extra: "import * as sg from 'servicegate';", want: I }],
    ['boolean', { given: 'a!: boolean;', want: { kind: 'boolean' } }],
    ['Date', { given: 'a!: Date;', want: { kind: 'date' } }],
    ['unknown', { given: 'a!: unknown;', want: { kind: 'unknown' } }],
    ['any', { given: 'a!: any;', want: { kind: 'unknown' } }],
    ['string literal union', { given: "a!: 'x' | 'y';", want: { kind: 'literal', values: ['x', 'y'] } }],
    ['number literal union', { given: 'a!: 1 | 2 | -3;', want: { kind: 'literal', values: [1, 2, -3] } }],
    ['true | false is boolean', { given: 'a!: true | false;', want: { kind: 'boolean' } }],
    ['a single literal', { given: 'a!: true;', want: { kind: 'literal', values: [true] } }],
    ['alias of a literal union', { given: 'a!: Tier;', extra: "export type Tier = 'basic' | 'gold';", want: { kind: 'literal', values: ['basic', 'gold'] } }],
    ['alias of an alias', { given: 'a!: B;', extra: 'type A = Int; type B = A[];', want: { kind: 'array', items: I } }],
    ['alias union merged with a literal', { given: "a!: Tier | 'none';", extra: "type Tier = 'basic' | 'gold';", want: { kind: 'literal', values: ['basic', 'gold', 'none'] } }],
    ['T[]', { given: 'a!: string[];', want: { kind: 'array', items: S } }],
    ['Array<T>', { given: 'a!: Array<Int>;', want: { kind: 'array', items: I } }],
    ['readonly T[]', { given: 'a!: readonly string[];', want: { kind: 'array', items: S } }],
    ['ReadonlyArray<T>', { given: 'a!: ReadonlyArray<string>;', want: { kind: 'array', items: S } }],
    ['nested arrays', { given: 'a!: string[][];', want: { kind: 'array', items: { kind: 'array', items: S } } }],
    ['Record<string, T>', { given: 'a!: Record<string, Int>;', want: { kind: 'record', values: I } }],
    ['index signature', { given: 'a!: { [key: string]: boolean };', want: { kind: 'record', values: { kind: 'boolean' } } }],
    ['nullable', { given: 'a!: string | null;', want: { kind: 'nullable', inner: S } }],
    ['nullable literals', { given: "a!: null | 'x' | 'y';", want: { kind: 'nullable', inner: { kind: 'literal', values: ['x', 'y'] } } }],
    ['parenthesised nullable array', { given: 'a!: (string | null)[];', want: { kind: 'array', items: { kind: 'nullable', inner: S } } }],
    ['| undefined is optional', { given: 'a!: string | undefined;', want: S, optional: true }],
    ['? is optional', { given: 'a?: Date;', want: { kind: 'date' }, optional: true }],
    ['a nested model', { given: 'a!: Other;', extra: 'export class Other extends Model { b!: string; }', want: { kind: 'ref', name: 'Other' } }],
    ['an interface', { given: 'a!: Shape[];', extra: 'export interface Shape { b: string }', want: { kind: 'array', items: { kind: 'ref', name: 'Shape' } } }],
    ['an enum', { given: 'a!: Color;', extra: "export enum Color { Red = 'red' }", want: { kind: 'ref', name: 'Color' } }],
    ['an enum member', { given: 'a!: Color.Red;', extra: "export enum Color { Red = 'red' }", want: { kind: 'literal', values: ['red'] } }],
  ];
  for (const [name, c] of cases) {
    it(name, () => {
      const f = field(c.given, c.extra);
      assert.deepEqual(f.type, c.want);
      assert.equal(f.optional, c.optional ?? false);
    });
  }
});

describe('defaults', () => {
  const cases: [string, { given: string; extra?: string; type: TypeRef; value: unknown }][] = [
    ['string, type inferred', { given: "tier = 'basic';", type: S, value: 'basic' }],
    ['number, type inferred', { given: 'limit = 20;', type: { kind: 'number' }, value: 20 }],
    ['negative Int', { given: 'n: Int = -1;', type: I, value: -1 }],
    ['boolean', { given: 'on = false;', type: { kind: 'boolean' }, value: false }],
    ['null', { given: 'note: string | null = null;', type: { kind: 'nullable', inner: S }, value: null }],
    ['literal union', { given: "status: 'new' | 'old' = 'new';", type: { kind: 'literal', values: ['new', 'old'] }, value: 'new' }],
    ['array', { given: "tags: string[] = ['a', 'b'];", type: { kind: 'array', items: S }, value: ['a', 'b'] }],
    ['object', { given: "meta: Record<string, unknown> = { a: 1, 'b-c': [true, null] };", type: { kind: 'record', values: { kind: 'unknown' } }, value: { a: 1, 'b-c': [true, null] } }],
    ['as const', { given: "tags: readonly string[] = ['x'] as const;", type: { kind: 'array', items: S }, value: ['x'] }],
    ['enum member', { given: 'c: Color = Color.Blue;', extra: 'export enum Color { Red, Blue }', type: { kind: 'ref', name: 'Color' }, value: 1 }],
  ];
  for (const [name, c] of cases) {
    it(name, () => {
      const f = field(c.given, c.extra);
      assert.deepEqual(f.type, c.type);
      assert.deepEqual(f.default, c.value);
      assert.equal(f.optional, true);
    });
  }

  it('keeps a __proto__ key as data', () => {
    const f = field("meta: Record<string, Int> = { '__proto__': 1 };");
    assert.deepEqual(Object.keys(f.default as object), ['__proto__']);
    assert.equal(Object.getPrototypeOf(f.default), Object.prototype);
  });
});

describe('JSDoc', () => {
  const cases: [string, { given: string; want: Partial<Field> }][] = [
    ['several tags on one line', { given: '/** @minLength 1 @maxLength 200 */ a!: string;', want: { constraints: { minLength: 1, maxLength: 200 } } }],
    ['text then a tag', { given: "/** The customer's id. @minimum 1 */ a!: Int;", want: { description: "The customer's id.", constraints: { minimum: 1 } } }],
    ['multi-line with a pattern and a JSON example', { given: '/**\n   * Stock unit.\n   * More text.\n   * @pattern ^[A-Z0-9-]{3,32}$\n   * @example "SKU-1"\n   */\n  a!: string;', want: { description: 'Stock unit.\nMore text.', constraints: { pattern: '^[A-Z0-9-]{3,32}$' }, example: 'SKU-1' } }],
    ['a bare-word example is a string', { given: '/** @example hello */ a!: string;', want: { example: 'hello' } }],
    ['an object example', { given: '/** @example {"a": [1, 2]} */ a!: unknown;', want: { example: { a: [1, 2] } } }],
    ['numeric tags', { given: '/** @exclusiveMinimum 0 @exclusiveMaximum 1.5 @multipleOf 0.5 */ a!: number;', want: { constraints: { exclusiveMinimum: 0, exclusiveMaximum: 1.5, multipleOf: 0.5 } } }],
    ['array tags on a nullable array', { given: '/** @minItems 1 @maxItems 3 @uniqueItems */ a!: string[] | null;', want: { constraints: { minItems: 1, maxItems: 3, uniqueItems: true } } }],
    ['format', { given: '/** @format date-time */ a!: string;', want: { constraints: { format: 'date-time' } } }],
    ['an email in the text is not a tag', { given: '/** Write to ops@example.com. @deprecated */ a!: string;', want: { description: 'Write to ops@example.com.', deprecated: true } }],
    ['other tools\u2019 tags are ignored', { given: '/** Text. @remarks more @see elsewhere */ a!: string;', want: { description: 'Text.', constraints: {} } }],
  ];
  for (const [name, c] of cases) {
    it(name, () => {
      const f = field(c.given) as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(c.want)) assert.deepEqual(f[key], value, key);
    });
  }
});

describe('models', () => {
  it('puts inherited fields first and lets a redeclared field replace the inherited one in place', () => {
    const r2 = withProject(
      {
        'services/api.ts': `import { Service, Model, type Int } from 'servicegate';
export abstract class Base extends Model { a!: string; b!: Int; }
export class Mid extends Base { c!: boolean; }
export class In extends Mid { d!: string; a!: 'x'; }
export class Api extends Service { input = In; handle() {} }
`,
      },
      (dir) => readServices(dir),
    );
    assert.deepEqual(r2.diagnostics, []);
    const input = r2.models.find((m) => m.name === 'In') as ObjectModel;
    assert.deepEqual(input.fields.map((f) => [f.name, f.type.kind]), [['a', 'literal'], ['b', 'integer'], ['c', 'boolean'], ['d', 'string']]);
    assert.deepEqual(r2.models.map((m) => m.name), ['In'], 'a base class is not a component of its own');
  });

  it('reads interfaces (with extends) and object type aliases as object models', () => {
    const r = readModel('a!: Person;\n  b!: Point;', 'export interface Named { name: string }\nexport interface Person extends Named { age?: Int }\nexport type Point = { x: number; y: number };');
    assert.deepEqual(r.diagnostics, []);
    const byName = Object.fromEntries(r.models.map((m) => [m.name, m]));
    assert.deepEqual((byName.Person as ObjectModel).fields.map((f) => [f.name, f.optional]), [['name', false], ['age', true]]);
    assert.deepEqual((byName.Point as ObjectModel).fields.map((f) => f.name), ['x', 'y']);
  });

  it('reads enums: string, numeric with implicit values, and descriptions', () => {
    const r = readModel('a!: Color;\n  b!: Level;', "/** Paint. */\nexport enum Color { Red = 'red', Green = 'green' }\nexport enum Level { Low = 1, Mid, High = 10 }");
    assert.deepEqual(r.diagnostics, []);
    const byName = Object.fromEntries(r.models.map((m) => [m.name, m]));
    assert.deepEqual(byName.Color, { kind: 'enum', name: 'Color', description: 'Paint.', values: ['red', 'green'], loc: byName.Color!.loc });
    assert.deepEqual(byName.Level && 'values' in byName.Level ? byName.Level.values : [], [1, 2, 10]);
  });

  it('finds the discriminant of a union of models automatically', () => {
    const r = readModel(
      'pet!: Pet;',
      "export class Dog extends Model { name!: string; kind!: 'dog'; }\nexport class Cat extends Model { name!: string; kind!: 'cat'; lives!: Int; }\n/** A pet. */\nexport type Pet = Dog | Cat;",
    );
    assert.deepEqual(r.diagnostics, []);
    const pet = r.models.find((m) => m.name === 'Pet');
    assert.deepEqual(pet && { ...pet, loc: undefined }, {
      kind: 'union',
      name: 'Pet',
      description: 'A pet.',
      discriminator: 'kind',
      members: [{ value: 'cat', model: 'Cat' }, { value: 'dog', model: 'Dog' }],
      loc: undefined,
    });
    assert.deepEqual(r.models.map((m) => m.name), ['Cat', 'Dog', 'In', 'Pet']);
  });

  it('takes enum members as discriminant values, and interfaces as union members', () => {
    const r = readModel(
      'shape!: Shape;',
      "export enum Kind { Circle = 'circle', Square = 'square' }\nexport interface Circle { kind: Kind.Circle; r: number }\nexport interface Square { kind: Kind.Square; side: number }\nexport type Shape = Square | Circle;",
    );
    assert.deepEqual(r.diagnostics, []);
    const shape = r.models.find((m) => m.name === 'Shape');
    assert.deepEqual(shape?.kind === 'union' && [shape.discriminator, shape.members], ['kind', [{ value: 'circle', model: 'Circle' }, { value: 'square', model: 'Square' }]]);
  });

  it('keeps quoted and unusual field names as written', () => {
    const r = readModel(`'content-type'!: string;\n  "it's \\"x\\" \${y} */"?: Int;\n  0!: boolean;`);
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual((r.models.find((m) => m.name === 'In') as ObjectModel).fields.map((f) => f.name), ['content-type', 'it\'s "x" ${y} */', '0']);
  });

  it('reads recursive models through refs', () => {
    const r = readModel('root!: Node;', 'export class Node extends Model { children!: Node[]; parent?: Node | null; }');
    assert.deepEqual(r.diagnostics, []);
    const node = r.models.find((m) => m.name === 'Node') as ObjectModel;
    assert.deepEqual(node.fields.map((f) => f.type), [
      { kind: 'array', items: { kind: 'ref', name: 'Node' } },
      { kind: 'nullable', inner: { kind: 'ref', name: 'Node' } },
    ]);
  });

  it('reads a model shared by services in different files once, and only reachable models', () => {
    const r = withProject(
      {
        'services/shared/models.ts': "import { Model } from 'servicegate';\nexport class Money extends Model { amount!: number; }\nexport class Unused extends Model { x!: Map<string, string>; }\n",
        'services/a.ts': "import { Service, Model } from 'servicegate';\nimport { Money } from './shared/models.js';\nexport class AIn extends Model { price!: Money; }\nexport class A extends Service { input = AIn; handle() {} }\n",
        'services/b.ts': "import { Service } from 'servicegate';\nimport { Money } from './shared/models';\nexport class B extends Service { output = Money; handle() {} }\n",
      },
      (dir) => readServices(dir),
    );
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.models.map((m) => [m.name, m.loc.file]), [['AIn', 'services/a.ts'], ['Money', 'services/shared/models.ts']]);
  });

  it('reads descriptions and @deprecated of a model class', () => {
    const r = readModel('a!: Old;', '/**\n * An old shape.\n *\n * Second paragraph.\n * @deprecated\n */\nexport class Old extends Model { x!: string; }');
    const old = r.models.find((m) => m.name === 'Old') as ObjectModel;
    assert.equal(old.description, 'An old shape.\n\nSecond paragraph.');
    assert.equal(old.deprecated, true);
  });
});

describe('JSDoc tags on type aliases', () => {
  it('applies an alias\'s tags and description to the fields typed with it; the field\'s own tags win', () => {
    const extra = [
      '/** A stock-keeping unit. @pattern ^[A-Z]{3}$ @maxLength 3 @example "ABC" */',
      'export type Sku = string;',
      '/** @minLength 2 @maxLength 5 */',
      'export type Code = Sku;',
    ].join('\n');
    const sku = field('sku!: Sku;', extra);
    assert.deepEqual(sku.constraints, { pattern: '^[A-Z]{3}$', maxLength: 3 });
    assert.equal(sku.description, 'A stock-keeping unit.');
    assert.equal(sku.example, 'ABC');
    const code = field('/** The code. @maxLength 10 */ code!: Code;', extra);
    // The nearer alias (Code) wins over the one it names (Sku); the field's own tag over both.
    assert.deepEqual(code.constraints, { pattern: '^[A-Z]{3}$', maxLength: 10, minLength: 2 });
    assert.equal(code.description, 'The code.');
    assert.equal(field('/** @example "XYZ" */ code!: Code;', extra).example, 'XYZ');
    // Only a plain reference carries them: an array of the alias is an array field.
    assert.deepEqual(field('skus!: Sku[];', extra).constraints, {});
  });

  it('reports a wrong tag on an alias once, at the alias, however many fields use it', () => {
    const r = readModel('a!: Bad;\n  b!: Bad;', '/** @minLength 1 */\nexport type Bad = number;');
    assert.equal(r.diagnostics.length, 1, r.diagnostics.join('\n'));
    assert.match(r.diagnostics[0]!, /error SG103: @minLength only applies to string fields/);
  });
});
