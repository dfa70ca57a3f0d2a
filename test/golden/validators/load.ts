// Emits validators for IR models into a temp .ts file and imports it (the test runner loads TypeScript via tsx).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ModelDecl } from '../../../generator/ir.js';
import type { CompiledModel } from '../../../runtime/manifest.js';
import { emitValidators } from '../../../generator/emit/validators.js';

export type Models = { readonly [name: string]: CompiledModel };

/** The `models` table compiled from `decls`; the temp file is removed once imported. */
export async function loadModels(decls: readonly ModelDecl[]): Promise<Models> {
  const dir = mkdtempSync(join(tmpdir(), 'sg-validators-'));
  try {
    const file = join(dir, 'validators.ts');
    writeFileSync(file, emitValidators(decls));
    const mod = (await import(pathToFileURL(file).href)) as { models: Models };
    return mod.models;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs validate and returns the issues (an empty list when valid); validate returns null, never [], when valid. */
export function issuesOf(model: CompiledModel, value: unknown): { path: string; message: string }[] {
  const issues = model.validate(value);
  if (issues !== null && issues.length === 0) throw new Error('validate returned an empty issue list instead of null');
  return issues === null ? [] : [...issues];
}
