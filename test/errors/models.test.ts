import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readServices } from '../../generator/read/services.js';
import { checkServices } from '../../generator/check/services.js';
import { formatDiagnostic, sortDiagnostics } from '../../generator/diagnostics.js';
import { modelProject, withProject } from '../fixtures/read-services/project.js';

/** Every diagnostic of reading and checking the project, as the CLI prints it, in stable order. */
function diagnose(files: Record<string, string>): string[] {
  return withProject(files, (dir) => {
    const r = readServices(dir);
    return sortDiagnostics([...r.diagnostics, ...checkServices(r.services, r.models)]).map(formatDiagnostic);
  });
}

// In modelProject() the field under test is on line 4 (or later when `extra` adds lines), column 1.
const FIELD_CASES: [string, { model: string; extra?: string; want: string }][] = [
  ['a function', { model: 'a!: () => void;', want: "services/api.ts:4:5: error SG101: Functions are not data; remove the field or move it out of the model." }],
  ['a tuple', { model: 'a!: [string, Int];', want: "services/api.ts:4:5: error SG101: Tuples cannot be mapped ('[string, Int]'); use an array (T[]) or a model class with named fields." }],
  ['a Map', { model: 'a!: Map<string, Int>;', want: "services/api.ts:4:5: error SG101: Cannot map 'Map<string, Int>': Map has no JSON form; use Record<string, T>." }],
  ['a Set', { model: 'a!: Set<string>;', want: "services/api.ts:4:5: error SG101: Cannot map 'Set<string>': Set has no JSON form; use T[] with '@uniqueItems'." }],
  ['bigint', { model: 'a!: bigint;', want: "services/api.ts:4:5: error SG101: Cannot map 'bigint': bigint has no JSON form; use number, Int, or string with '@pattern ^-?[0-9]+$'." }],
  ['symbol', { model: 'a!: symbol;', want: "services/api.ts:4:5: error SG101: Cannot map 'symbol': symbol has no JSON form; use string." }],
  ['a generic model', { model: 'a!: Box<string>;', extra: 'export class Box<T> extends Model { v!: T; }', want: "services/api.ts:4:5: error SG101: Generic models cannot be mapped ('Box<string>'); declare a named model class for this use." }],
  ['an intersection', { model: 'a!: A & B;', extra: 'export interface A { a: string }\nexport interface B { b: string }', want: "services/api.ts:5:5: error SG101: Intersections cannot be mapped ('A & B'); declare a model class that extends the other one (class B extends A)." }],
  ['an inline object type', { model: 'a!: { x: string };', want: 'services/api.ts:4:5: error SG101: Inline object types cannot be named in the API; declare a named model class (class X extends Model) and use it here.' }],
  ['a union of unrelated types', { model: 'a!: string | number;', want: "services/api.ts:4:5: error SG101: This union mixes unrelated types (string, number); servicegate maps unions of literals, 'T | null' and discriminated unions of models. Use one type, or a named union of model classes." }],
  ['an unnamed union of models', { model: 'a!: A | B;', extra: "export class A extends Model { k!: 'a'; }\nexport class B extends Model { k!: 'b'; }", want: "services/api.ts:5:5: error SG110: A union of models must be a named type alias with a literal discriminant field: declare 'export type X = A | B' and use X here." }],
  ['a union of models without a discriminant', { model: 'a!: AB;', extra: 'export class A extends Model { k!: string; }\nexport class B extends Model { k!: string; }\nexport type AB = A | B;', want: "services/api.ts:4:13: error SG110: Union 'AB' has no discriminant: give every member (A, B) a field with its own literal value, e.g. kind: 'a' in one and kind: 'b' in another." }],
  ['an undeclared type', { model: 'a!: Missing;', want: "services/api.ts:4:5: error SG102: Cannot resolve 'Missing': it is neither declared in services/api.ts nor imported; declare it or import it from the file that declares it." }],
  ['an import of a missing module', { model: 'a!: Foo;', extra: "import { Foo } from './nope.js';", want: "services/api.ts:4:5: error SG102: Cannot resolve 'Foo': the module './nope.js' was not found (looked for services/nope.ts). Declare the model in a service file or import it from one." }],
  ['an import from a package', { model: 'a!: Foo;', extra: "import { Foo } from 'some-lib';", want: "services/api.ts:4:5: error SG102: Cannot resolve 'Foo': it comes from the package 'some-lib', and servicegate reads models only from the project's own files. Declare the model in a service file or import it from one." }],
  ['a class that is not a model', { model: 'a!: Plain;', extra: 'export class Plain { x!: string; }', want: "services/api.ts:4:5: error SG101: 'Plain' is a class that does not extend Model; write 'class Plain extends Model' (imported from 'servicegate')." }],
  ['a default that is not a literal', { model: 'a: Date = new Date();', want: "services/api.ts:4:11: error SG109: The default of 'a' must be a literal (a string, number, boolean, null, or an array or object of those), not 'new Date()'; write a literal, or make the field optional and set it in handle()." }],
  ['a field without a type', { model: 'a = [];', want: "services/api.ts:4:1: error SG101: Field 'a' has no type servicegate can read; add a type annotation ('a: T = …')." }],
  ['a method in a model', { model: 'a!: string;\n  go() {}', want: "services/api.ts:5:3: error SG101: Models are data: a plain object must be assignable to 'In'; move this method out of the model (into a function or the service)." }],
  ['a private field', { model: 'private a!: string;', want: "services/api.ts:4:9: error SG101: Model fields are public data; make 'a' public or move it out of the model." }],
  ['a number tag without a number', { model: '/** @minimum one */ a!: Int;', want: "services/api.ts:4:5: error SG103: @minimum needs a number, got 'one'; write e.g. '@minimum 1'." }],
  ['an invalid @pattern', { model: '/** @pattern ([a-z */ a!: string;', want: "services/api.ts:4:5: error SG103: @pattern is not a valid regular expression (Invalid regular expression: /([a-z/u: Unterminated character class); write a JavaScript RegExp body without slashes, e.g. '@pattern ^[a-z]+$'." }],
  ['an unknown @format', { model: '/** @format emial */ a!: string;', want: "services/api.ts:4:5: error SG103: @format 'emial' is not a known format. Did you mean 'email'?" }],
  ['a string tag on a number', { model: '/** @minLength 1 */ a!: Int;', want: "services/api.ts:4:5: error SG103: @minLength only applies to string fields, and this field is a number; remove the tag or change the field's type." }],
  ['an items tag on a string', { model: '/** text @minItems 1 */ a!: string;', want: "services/api.ts:4:10: error SG103: @minItems only applies to array fields, and this field is a string; remove the tag or change the field's type." }],
  ['a misspelt tag (warning)', { model: '/** @maximun 3 */ a!: Int;', want: "services/api.ts:4:5: warning SG112: Unknown tag @maximun is ignored. Did you mean '@maximum'?" }],
  ['@minimum above @maximum', { model: '/** @minimum 3 @maximum 1 */ a!: Int;', want: 'services/api.ts:4:5: error SG103: @minimum 3 is greater than @maximum 1; no value could pass.' }],
  ['a computed enum member', { model: 'a!: E;', extra: "export enum E { A = 'a'.length }", want: "services/api.ts:2:21: error SG101: Enum members of 'E' need string or number literal values (computed values cannot be read at build time); write e.g. Red = 'red'." }],
  ['Record with number keys', { model: 'a!: Record<number, string>;', want: "services/api.ts:4:5: error SG101: Cannot map 'Record<number, string>': JSON object keys are strings; write 'Record<string, T>' (list fixed keys as fields of a model class)." }],
];

describe('model errors', () => {
  for (const [name, c] of FIELD_CASES) {
    it(name, () => assert.deepEqual(diagnose(modelProject(c.model, c.extra)), [c.want]));
  }

  it('Int used without importing it', () => {
    const files = modelProject('a!: Int;');
    files['services/api.ts'] = files['services/api.ts']!.replace(', type Int', '');
    assert.deepEqual(diagnose(files), ["services/api.ts:4:5: error SG102: Cannot resolve 'Int'; import it: import type { Int } from 'servicegate'."]);
  });

  it('reports every problem, not just the first', () => {
    const got = diagnose(modelProject('a!: bigint;\n  /** @format nope */ b!: string;\n  c!: Missing;'));
    assert.deepEqual(got.map((l) => l.split(': error ')[1]!.slice(0, 5)), ['SG101', 'SG103', 'SG102']);
  });

  it('two different models with the same name: an error at both, each naming the other', () => {
    assert.deepEqual(
      diagnose({
        'services/a.ts': "import { Service, Model } from 'servicegate';\nexport class M extends Model { a!: string; }\nexport class A extends Service { input = M; handle() {} }\n",
        'services/b.ts': "import { Service, Model } from 'servicegate';\n\nexport class M extends Model { b!: string; }\nexport class B extends Service { input = M; handle() {} }\n",
      }),
      [
        "services/a.ts:2:14: error SG104: Two different models are named 'M' (the other is at services/b.ts:3:14); component names must be unique: rename one.",
        "services/b.ts:3:14: error SG104: Two different models are named 'M' (the other is at services/a.ts:2:14); component names must be unique: rename one.",
      ],
    );
  });
});

const svc = (body: string): Record<string, string> => ({ 'services/api.ts': `import { Service, Model } from 'servicegate';\n${body}\n` });

const SERVICE_CASES: [string, { files: Record<string, string>; want: string[] }][] = [
  ['a name that is not a literal', { files: svc("const N = 'x';\nexport class A extends Service { name = N; handle() {} }"), want: ["services/api.ts:3:41: error SG105: The service name must be a string literal so it can be read at build time; write name = 'api.a' (or remove the field to use that default name)."] }],
  ['a template name with a substitution', { files: svc('export class A extends Service { name = `a.${1}`; handle() {} }'), want: ["services/api.ts:2:41: error SG105: The service name must be a string literal so it can be read at build time; write name = 'api.a' (or remove the field to use that default name)."] }],
  ['input that is not a model class', { files: svc('export class Thing {}\nexport class A extends Service { input = Thing; handle() {} }'), want: ["services/api.ts:3:42: error SG111: 'Thing' is not a model class; write 'input = SomeModel' where SomeModel is an exported class that extends Model."] }],
  ['input that is an expression', { files: svc('export class A extends Service { input = 42 as any; handle() {} }'), want: ["services/api.ts:2:42: error SG111: 'input' must name a model class; write 'input = SomeModel' where SomeModel is an exported class that extends Model."] }],
  ['input that is an interface', { files: svc('export interface I { a: string }\nexport class A extends Service { input = I; handle() {} }'), want: ["services/api.ts:3:42: error SG111: 'I' is an interface, not a value; write 'input = SomeModel' where SomeModel is an exported class that extends Model."] }],
  ['output that is not declared', { files: svc('export class A extends Service { output = Nope; handle() {} }'), want: ["services/api.ts:2:43: error SG102: Cannot resolve 'Nope': it is neither declared in services/api.ts nor imported; write 'output = SomeModel' where SomeModel is an exported class that extends Model."] }],
  ['a service exported only as the default', { files: svc('export default class A extends Service { handle() {} }'), want: ["services/api.ts:2:22: error SG114: Export the service class by name ('export class A extends …'), not as the default export: the generated service map imports it by name."] }],
  ['a model class that is not exported', { files: svc('class M extends Model {}\nexport class A extends Service { input = M; handle() {} }'), want: ["services/api.ts:3:42: error SG111: Model 'M' must be exported (the generated service map imports it); write 'export class M extends Model'."] }],
  [
    'two services with the same name',
    {
      files: {
        'services/a.ts': "import { Service } from 'servicegate';\nexport class A extends Service { name = 'x.y'; handle() {} }\n",
        'services/b.ts': "import { Service } from 'servicegate';\nexport class B extends Service {\n  name = 'x.y';\n  handle() {}\n}\n",
      },
      want: [
        "services/a.ts:2:41: error SG106: Service name 'x.y' is also used by B at services/b.ts:3:10; service names must be unique: rename one (name = '…').",
        "services/b.ts:3:10: error SG106: Service name 'x.y' is also used by A at services/a.ts:2:41; service names must be unique: rename one (name = '…').",
      ],
    },
  ],
  [
    'a derived name that collides with an explicit one',
    {
      files: svc("export class GetThing extends Service { handle() {} }\nexport class Other extends Service { name = 'api.get-thing'; handle() {} }"),
      want: [
        "services/api.ts:2:14: error SG106: Service name 'api.get-thing' is also used by Other at services/api.ts:3:45; service names must be unique: rename one (name = '…').",
        "services/api.ts:3:45: error SG106: Service name 'api.get-thing' is also used by GetThing at services/api.ts:2:14; service names must be unique: rename one (name = '…').",
      ],
    },
  ],
  [
    'reserved, empty and unroutable names',
    {
      files: svc(
        [
          "export class A extends Service { name = 'zato.ping'; handle() {} }",
          "export class B extends Service { name = 'helpers.x'; handle() {} }",
          "export class C extends Service { name = ''; handle() {} }",
          "export class D extends Service { name = 'a/b'; handle() {} }",
          "export class E extends Service { name = 'a b'; handle() {} }",
          "export class F extends Service { name = 'a\\nb'; handle() {} }",
        ].join('\n'),
      ),
      want: [
        "services/api.ts:2:41: error SG107: Service names starting with 'zato.' are reserved for built-in services; choose another prefix, e.g. 'app.ping'.",
        "services/api.ts:3:41: error SG107: Service names starting with 'helpers.' are reserved for built-in services; choose another prefix, e.g. 'app.x'.",
        "services/api.ts:4:41: error SG108: A service name cannot be empty; write a name such as 'customer.get', or remove the field to use the default name.",
        `services/api.ts:5:41: error SG108: Service name "a/b" contains '/', which cannot be carried in a URL path segment (/zato/gateway/{service}); use letters, digits, '.', '-' or '_'.`,
        `services/api.ts:6:41: error SG108: Service name "a b" contains whitespace (U+0020), which cannot be carried in a URL path segment (/zato/gateway/{service}); use letters, digits, '.', '-' or '_'.`,
        `services/api.ts:7:41: error SG108: Service name "a\\nb" contains a control character (U+000A), which cannot be carried in a URL path segment (/zato/gateway/{service}); use letters, digits, '.', '-' or '_'.`,
      ],
    },
  ],
  // No '*/' here: its '/' is what SG108 rejects.
  ['hostile but routable names are allowed', { files: svc("export class A extends Service { name = 'it\\'s\"${x}\"*\\\\`ok`\u00e9\u{1F600}'; handle() {} }"), want: [] }],
];

describe('service errors', () => {
  for (const [name, c] of SERVICE_CASES) {
    it(name, () => assert.deepEqual(diagnose(c.files), c.want));
  }
});

describe('a file that does not parse', () => {
  it('reports the parser errors at their positions (SG115), not only their consequences', () => {
    const got = diagnose({
      'services/api.ts': "import { Service } from 'servicegate';\n/** A stray */ end of comment. */\nexport class A extends Service { name = 'a'; handle() {} }\n",
    });
    assert.ok(got.length > 0);
    assert.match(got[0]!, /^services\/api\.ts:2:\d+: error SG115: TypeScript syntax error: .*\(TS\d+\); fix the file so that it parses\.$/);
  });
});
