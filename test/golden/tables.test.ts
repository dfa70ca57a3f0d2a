/**
 * Golden files for the table emitters (routes, allowlist, service map, manifest) on a small project whose names
 * are hostile on purpose. UPDATE_GOLDEN=1 rewrites the files; review the diff.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import ts from 'typescript';
import { emitRoutes } from '../../generator/emit/routes.js';
import { emitAllowlist } from '../../generator/emit/allowlist.js';
import { emitServiceMap } from '../../generator/emit/service-map.js';
import { emitManifest } from '../../generator/emit/manifest.js';
import type { Project } from '../../generator/ir.js';
import { basic, apikey, field, gateway, object, project, rest, service, t } from './openapi/fixtures.js';

const HOSTILE = 'it\'s "q" `b` ${x} */ \n \u2028 ü';

function fixture(): Project {
  const base = project({
    security: [basic('gateway.credentials', 'Real"m'), apikey(`key ${HOSTILE}`, 'X-Key')],
    models: [object('In', [field('id', t.integer)]), object('Out', [field('name', t.string)])],
    services: [
      { ...service('customer.get', 'In', 'Out'), className: 'GetCustomer', file: 'services/customer.ts' },
      { ...service(`odd.${HOSTILE}`), className: 'Odd', file: 'services/odd.ts' },
      { ...service('__proto__', 'In'), className: 'GetCustomer', file: 'services/other.ts' },
    ],
    channels: [
      gateway('Gateway', ['customer.get', `odd.${HOSTILE}`, '__proto__'], 'gateway.credentials'),
      gateway(`Gate ${HOSTILE}`, ['customer.get'], `key ${HOSTILE}`, { urlPath: '/x/{service}' }),
      rest('Get customer', '/api/customer/{id}', 'customer.get', 'GET', null, { deprecated: true, deprecation: { sunset: '2027-01-01', successor: '/api/v2' } }),
    ],
  });
  return base;
}

const cases: [string, (p: Project) => string][] = [
  ['routes.ts', emitRoutes],
  ['allowlist.ts', emitAllowlist],
  ['service-map.ts', (p) => emitServiceMap(p, 'generated')],
  ['index.ts', (p) => emitManifest(p, 'generated')],
];

for (const [name, emit] of cases) {
  test(`${name} matches its golden file and is valid TypeScript`, () => {
    const code = emit(fixture());
    const file = new URL(`./tables/${name}.golden`, import.meta.url);
    if (process.env.UPDATE_GOLDEN) writeFileSync(file, code);
    assert.equal(code, readFileSync(file, 'utf8'));
    const out = ts.transpileModule(code, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext } });
    assert.deepEqual(out.diagnostics?.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), []);
    assert.equal(emit(fixture()), code, 'deterministic');
  });
}

test('the allowlist matches exactly and nothing inherited', async () => {
  const code = ts.transpileModule(emitAllowlist(fixture()), { compilerOptions: { module: ts.ModuleKind.ESNext } }).outputText;
  const mod = await import(`data:text/javascript,${encodeURIComponent(code)}`);
  const allows = mod.allows_Gateway as (s: string) => boolean;
  assert.equal(allows('customer.get'), true);
  assert.equal(allows(`odd.${HOSTILE}`), true);
  assert.equal(allows('__proto__'), true);
  for (const bad of ['Customer.get', 'customer.get ', 'customer.get/', 'customer%2Eget', 'customer.ge', 'constructor', 'toString', 'hasOwnProperty', '']) {
    assert.equal(allows(bad), false, bad);
  }
  assert.equal(mod[Object.keys(mod).find((k) => k !== 'allows_Gateway')!]('__proto__'), false, 'the second channel has its own list');
});
