/**
 * tsconfig.json `paths` in the services reader (generator/read/ts-paths.ts): imports through an alias read the
 * project's own files as TypeScript resolves them — with and without baseUrl, through `extends`, exact keys and the
 * longest prefix — and the config files become inputs of the build.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServicesReader, readServices } from '../../generator/read/services.js';
import type { ObjectModel } from '../../generator/ir.js';
import { formatDiagnostic } from '../../generator/diagnostics.js';
import { withProject } from '../fixtures/read-services/project.js';

const SERVICE = (imports: string) => `import { Service, Model } from 'servicegate';
${imports}
export class In extends Model {
  to!: Address;
}
export class Api extends Service {
  name = 'api.move';
  input = In;
  handle() {}
}
`;
const ADDRESS = `import { Model } from 'servicegate';
export class Address extends Model {
  /** @minLength 2 */
  street!: string;
}
`;

function read(files: Record<string, string>) {
  return withProject(files, (dir) => {
    const r = readServices(dir);
    return { diagnostics: r.diagnostics.map(formatDiagnostic), models: r.models.map((m) => m.name), files: r.files };
  });
}

describe('tsconfig.json paths', () => {
  it('maps a * pattern relative to baseUrl; tsconfig.json (comments and trailing commas allowed) is an input', () => {
    const r = read({
      'tsconfig.json': '{\n  // aliases\n  "compilerOptions": { "baseUrl": "src", "paths": { "@models/*": ["models/*"], }, },\n}\n',
      'src/models/address.ts': ADDRESS,
      'services/api.ts': SERVICE("import { Address } from '@models/address.js';"),
    });
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.models, ['Address', 'In']);
    assert.deepEqual(r.files, ['services/api.ts', 'src/models/address.ts', 'tsconfig.json']);
  });

  it('without baseUrl, from the config that declares them — here one it extends, in a parent folder', () => {
    withProject({
      'tsconfig.base.json': '{ "compilerOptions": { "paths": { "@shared/*": ["./libs/shared/*", "./libs/other/*"] } } }\n',
      'app/tsconfig.json': '{ "extends": "../tsconfig.base.json", "compilerOptions": { "strict": true } }\n',
      'libs/other/address/index.ts': ADDRESS, // the second target, a folder with index.ts
      'app/services/api.ts': SERVICE("import { Address } from '@shared/address';"),
    }, (root) => {
      const r = readServices(`${root}/app`);
      assert.deepEqual(r.diagnostics.map(formatDiagnostic), []);
      assert.deepEqual(r.models.map((m) => m.name), ['Address', 'In']);
      assert.deepEqual(r.files, ['../libs/other/address/index.ts', '../tsconfig.base.json', 'services/api.ts', 'tsconfig.json']);
    });
  });

  it('an exact key wins over a pattern, and the pattern with the longest prefix over a shorter one', () => {
    const r = read({
      'tsconfig.json': JSON.stringify({ compilerOptions: { paths: {
        '@/*': ['./wrong/*'],
        '@/models/*': ['./src/models/*'],
        '*': ['./nowhere/*'],
        '#address': ['./src/exact.ts'],
      } } }),
      'src/models/address.ts': ADDRESS,
      'src/exact.ts': ADDRESS.replace('Address', 'Place'),
      'services/api.ts': SERVICE("import { Address } from '@/models/address.js';\nimport { Place } from '#address';\nexport class Other extends Model { p!: Place; }"),
    });
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.models, ['Address', 'In']);
  });

  it('an alias to no file of the project says where it looked; a package stays a package; no paths: nothing read', () => {
    const r = read({
      'tsconfig.json': JSON.stringify({ compilerOptions: { paths: { '@models/*': ['./src/models/*'] } } }),
      'services/api.ts': SERVICE("import { Address } from '@models/adress.js';"),
    });
    assert.deepEqual(r.diagnostics, [
      "services/api.ts:4:8: error SG102: Cannot resolve 'Address': '@models/adress.js' matches '@models/*' in the paths of tsconfig.json, but no file of the project is there (looked for src/models/adress.ts). Declare the model in a service file or import it from one.",
    ]);
    const pkg = read({
      'tsconfig.json': JSON.stringify({ compilerOptions: { paths: { '@models/*': ['./src/models/*'] } } }),
      'services/api.ts': SERVICE("import { Address } from 'some-lib';"),
    });
    assert.match(pkg.diagnostics[0]!, /it comes from the package 'some-lib'/);
    const none = read({ 'tsconfig.json': '{ "compilerOptions": { "strict": true } }', 'src/models/address.ts': ADDRESS, 'services/api.ts': SERVICE("import { Address } from '@models/address.js';") });
    assert.match(none.diagnostics[0]!, /it comes from the package '@models\/address.js'/);
    assert.deepEqual(none.files, ['services/api.ts']);
  });
});

describe('tsconfig.json paths in a reader that is kept (gen build --watch)', () => {
  it('a changed tsconfig.json is read again, and aliased imports lead where it now says', () => {
    withProject({
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true } }),
      'a/address.ts': ADDRESS,
      'b/address.ts': ADDRESS.replace('@minLength 2', '@minLength 5'),
      'services/api.ts': SERVICE("import { Address } from '@m/address.js';"),
    }, (dir) => {
      const reader = createServicesReader(dir);
      const minLength = (r: ReturnType<typeof reader.read>) =>
        (r.models.find((m) => m.name === 'Address') as ObjectModel | undefined)?.fields[0]!.constraints.minLength;
      const first = reader.read();
      assert.match(first.diagnostics.map(formatDiagnostic).join('\n'), /it comes from the package '@m\/address.js'/);
      const tsconfig = join(dir, 'tsconfig.json');
      writeFileSync(tsconfig, JSON.stringify({ compilerOptions: { paths: { '@m/*': ['./a/*'] } } }));
      const second = reader.update([tsconfig]);
      assert.deepEqual(second.diagnostics, []);
      assert.equal(minLength(second), 2);
      writeFileSync(tsconfig, JSON.stringify({ compilerOptions: { paths: { '@m/*': ['./b/*'] } } }));
      const third = reader.update([tsconfig]);
      assert.equal(minLength(third), 5);
      assert.deepEqual(third.files, ['b/address.ts', 'services/api.ts', 'tsconfig.json']);
      // An unrelated change keeps what was read.
      assert.equal(minLength(reader.update([join(dir, 'services', 'api.ts')])), 5);
    });
  });
});
