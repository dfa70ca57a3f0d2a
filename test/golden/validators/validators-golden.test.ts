/**
 * Golden files for generated/validators.ts: small IR fixtures → the exact emitted text, so a change in the
 * generated code shows up as a reviewable diff. UPDATE_GOLDEN=1 rewrites the files; review the diff.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import ts from 'typescript';
import type { ModelDecl } from '../../../generator/ir.js';
import { emitValidators } from '../../../generator/emit/validators.js';
import { customers, hostile, kitchen } from './fixtures.js';

const pick = (decls: ModelDecl[], names: string[]) => decls.filter((d) => names.includes(d.name));

const cases: [string, () => ModelDecl[]][] = [
  ['customer-get', () => pick(customers(), ['GetCustomerRequest', 'GetCustomerResponse'])],
  ['union-recursive', () => pick(kitchen(), ['Circle', 'Square', 'Shape', 'Tree'])],
  ['hostile', hostile],
];

for (const [name, fixture] of cases) {
  test(`${name}: validators.ts matches its golden file and transpiles cleanly`, () => {
    const code = emitValidators(fixture());
    const file = new URL(`./${name}.ts.golden`, import.meta.url);
    if (process.env.UPDATE_GOLDEN) writeFileSync(file, code);
    assert.equal(code, readFileSync(file, 'utf8'));
    const out = ts.transpileModule(code, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext } });
    assert.deepEqual(out.diagnostics?.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), []);
  });
}
