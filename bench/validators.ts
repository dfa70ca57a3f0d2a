/**
 * Validators benchmark (issue 5, target 2): the compiled validators that `gen build` emits for the customers
 * sample's request models and for a 6-field model (nested object, array, enum, email format, integer bounds),
 * against ajv 8 compiled on the same JSON Schema (emit/json-schema.ts standaloneSchema, draft 2020-12,
 * ajv-formats full mode). Valid inputs: ours ≥ 2 × ajv (default options). Invalid inputs: ours reporting every
 * issue ≥ 3 × ajv with allErrors: true.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import type { ModelDecl } from '../generator/ir.js';
import type { CompiledModel } from '../runtime/manifest.js';
import { readServices } from '../generator/read/services.js';
import { emitValidators } from '../generator/emit/validators.js';
import { standaloneSchema } from '../generator/emit/json-schema.js';
import type { BenchModule, Figure } from './lib/result.js';
import { INPUT_SETS, SIGNUP_SOURCE } from './fixtures/validator-inputs.js';
import { freshFunction, measurePair, sinkValue, type MicroOptions } from './fixtures/micro.js';

const require = createRequire(import.meta.url);
const REPO = fileURLToPath(new URL('..', import.meta.url));

interface AjvValidate {
  (value: unknown): boolean;
  errors?: unknown[] | null;
}

function newAjv(allErrors: boolean): { compile(schema: object): AjvValidate } {
  const Ajv2020 = require('ajv/dist/2020').default;
  const addFormats = require('ajv-formats').default;
  const ajv = new Ajv2020({ allErrors, strictTypes: false });
  addFormats(ajv);
  return ajv;
}

/** The models of the customers sample and of the signup project, read by the real services reader. */
function readModels(tmp: string): ModelDecl[] {
  const signup = join(tmp, 'signup');
  mkdirSync(join(signup, 'services'), { recursive: true });
  writeFileSync(join(signup, 'services', 'signup.ts'), SIGNUP_SOURCE);
  const out: ModelDecl[] = [];
  for (const dir of [join(REPO, 'samples', 'customers'), signup]) {
    const read = readServices(dir);
    const errors = read.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) throw new Error(`bench models do not read cleanly: ${JSON.stringify(errors[0])}`);
    out.push(...read.models);
  }
  return out;
}

/** generated/validators.ts for `models`, transpiled to JavaScript and imported (what tsx does for `gen serve`). */
async function compileModels(tmp: string, models: readonly ModelDecl[]): Promise<Record<string, CompiledModel>> {
  const source = emitValidators(models);
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
  }).outputText;
  const file = join(tmp, 'validators.mjs');
  writeFileSync(file, js);
  return ((await import(pathToFileURL(file).href)) as { models: Record<string, CompiledModel> }).models;
}

// Each case calls its validator from a call site of its own, compiled afresh as fixtures/micro.ts compiles the
// loop: closures made by one function share V8's call feedback, so the first model measured would be called
// monomorphically (inlined) and every later one megamorphically, on both sides, and a figure would depend on the
// order of the cases. (Bench code only.)
const OURS_SOURCE = 'return (input) => { const issues = model.validate(input); return issues === null ? 1 : issues.length + 2; };';
const THEIRS_SOURCE = 'return (input) => (validate(input) ? 1 : (validate.errors?.length ?? 0) + 2);';

/** As runtime/input.ts calls it: null for a valid value, else every issue. */
function ours(model: Pick<CompiledModel, 'validate'>): (input: unknown) => number {
  return (freshFunction(['model'], OURS_SOURCE) as (m: typeof model) => (input: unknown) => number)(model);
}

function theirs(validate: AjvValidate): (input: unknown) => number {
  return (freshFunction(['validate'], THEIRS_SOURCE) as (v: AjvValidate) => (input: unknown) => number)(validate);
}

/**
 * Floors: for a model that takes a few nanoseconds, a stand-in that checks less than any correct validator of it
 * must, measured the same way, bounds the ratio to ajv that any validator could reach.
 */
const FLOORS: Record<string, Pick<CompiledModel, 'validate'> & { readonly what: string }> = {
  GetCustomerRequest: {
    what: 'an object whose customer_id is a number',
    validate: (v: unknown) => (typeof v === 'object' && v !== null && typeof (v as { customer_id?: unknown }).customer_id === 'number' ? null : [{ path: '', message: 'floor' }]),
  },
};

/** Both validators must agree on every input, and each set must be what it says, or the figures mean nothing. */
function checkInputs(model: CompiledModel, ajv: AjvValidate, name: string, inputs: readonly unknown[], valid: boolean): void {
  for (const input of inputs) {
    const a = model.validate(input) === null;
    if (a !== valid || ajv(input) !== valid) throw new Error(`bench input of ${name} is not ${valid ? 'valid' : 'invalid'}: ${JSON.stringify(input)}`);
  }
}

export const bench: BenchModule = {
  async run({ quick }) {
    const options: MicroOptions = quick ? { warmupMs: 100, rounds: 5, roundMs: 80 } : { warmupMs: 250, rounds: 7, roundMs: 250 };
    const tmp = mkdtempSync(join(tmpdir(), 'sg-bench-validators-'));
    const figures: Figure[] = [];
    try {
      const models = readModels(tmp);
      const compiled = await compileModels(tmp, models);
      for (const given of INPUT_SETS) {
        // Inputs as the runtime sees them: fresh from JSON.parse (flat strings, parser-made object shapes).
        const set = { ...given, valid: JSON.parse(JSON.stringify(given.valid)), invalid: JSON.parse(JSON.stringify(given.invalid)) };
        const model = compiled[set.model];
        if (!model) throw new Error(`no compiled model ${set.model}`);
        const schema = standaloneSchema(models, set.model);
        const ajvFirst = newAjv(false).compile(schema);
        const ajvAll = newAjv(true).compile(schema);
        checkInputs(model, ajvFirst, set.model, set.valid, true);
        checkInputs(model, ajvAll, set.model, set.invalid, false);
        const issues = set.invalid.map((v: unknown) => {
          const e = model.validate(v) ?? [];
          ajvAll(v);
          return `${e.length}/${ajvAll.errors?.length ?? 0}`;
        });

        const valid = measurePair(ours(model), theirs(ajvFirst), set.valid, options);
        figures.push({
          group: 'validators',
          name: `${set.model}, valid inputs`,
          unit: 'ops/s',
          value: Math.round(valid.ours),
          baseline: { name: 'ajv 8 compiled', value: Math.round(valid.baseline) },
          target: { ratio: 2, higherIsBetter: true },
        });
        const floor = FLOORS[set.model];
        if (floor !== undefined) {
          const f = measurePair(ours(floor), theirs(ajvFirst), set.valid, options);
          figures.push({
            group: 'validators',
            name: `${set.model}, valid inputs: floor (not a validator: ${floor.what})`,
            unit: 'ops/s',
            value: Math.round(f.ours),
            baseline: { name: 'ajv 8 compiled', value: Math.round(f.baseline) },
            note: 'checks less than any correct validator must, called the same way: its ratio bounds that of any validator',
          });
        }
        const invalid = measurePair(ours(model), theirs(ajvAll), set.invalid, options);
        figures.push({
          group: 'validators',
          name: `${set.model}, invalid inputs (every issue)`,
          unit: 'ops/s',
          value: Math.round(invalid.ours),
          baseline: { name: 'ajv 8 allErrors', value: Math.round(invalid.baseline) },
          target: { ratio: 3, higherIsBetter: true },
          note: `issues per input, ours/ajv: ${issues.join(', ')}`,
        });
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    if (!Number.isFinite(sinkValue())) throw new Error('benchmark sink lost');
    return figures;
  },
};
