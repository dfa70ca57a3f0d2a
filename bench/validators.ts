/**
 * Validators benchmark (issue 5, target 2): the compiled validators that `gen build` emits for the customers
 * sample's request models and for a 6-field model (nested object, array, enum, email format, integer bounds),
 * against ajv 8 compiled on the same JSON Schema (emit/json-schema.ts standaloneSchema, draft 2020-12,
 * ajv-formats full mode). Valid inputs: ours ≥ 2 × ajv (default options). Invalid inputs: ours reporting every
 * issue ≥ 3 × ajv with allErrors: true.
 *
 * Forks: the full run measures every case, in the same order, in three processes one after the other, and takes the
 * median of each side per case, as JMH forks a JVM per benchmark. What V8 compiles for a loop depends on the
 * feedback it has gathered by the time its concurrent compiler takes the function up, and now and then a process
 * keeps slower code for a whole case, on either side: ajv's GetCustomerRequest invalid at 8.6–9.1M checks/s
 * instead of 76–86M in 2 of 8 runs, ours for CreateOrderRequest invalid at 16–26M instead of 31–33M in about 3 of
 * 25. Within a process the cases share what a server's validators share (ajv's runtime helpers, ours), as before.
 * Each process's ratio is in the note.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import type { ModelDecl } from '../generator/ir.js';
import type { CompiledModel } from '../runtime/manifest.js';
import { readServices } from '../generator/read/services.js';
import { emitValidators } from '../generator/emit/validators.js';
import { standaloneSchema } from '../generator/emit/json-schema.js';
import { noteOf, type BenchModule, type Figure } from './lib/result.js';
import { INPUT_SETS, SIGNUP_SOURCE } from './fixtures/validator-inputs.js';
import type { MicroOptions } from './fixtures/micro.js';
import { FLOORS, newAjv, runCase, type CaseResult, type CaseSpec } from './fixtures/validator-case.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const FORK = fileURLToPath(new URL('./fixtures/validator-fork.ts', import.meta.url));
const run = promisify(execFile);

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

/** generated/validators.ts for `models`, transpiled to JavaScript (what tsx does for `gen serve`): its path. */
function writeValidators(tmp: string, models: readonly ModelDecl[]): string {
  const js = ts.transpileModule(emitValidators(models), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
  }).outputText;
  const file = join(tmp, 'validators.mjs');
  writeFileSync(file, js);
  return file;
}

async function importModels(file: string): Promise<Record<string, CompiledModel>> {
  return ((await import(pathToFileURL(file).href)) as { models: Record<string, CompiledModel> }).models;
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export const bench: BenchModule = {
  async run({ quick }) {
    const options: MicroOptions = quick ? { warmupMs: 100, rounds: 5, roundMs: 80 } : { warmupMs: 250, rounds: 5, roundMs: 200 };
    const forks = quick ? 0 : 3;
    const tmp = mkdtempSync(join(tmpdir(), 'sg-bench-validators-'));
    const figures: Figure[] = [];
    try {
      const models = readModels(tmp);
      const validatorsFile = writeValidators(tmp, models);
      const compiled = await importModels(validatorsFile);
      interface Planned {
        readonly spec: CaseSpec;
        readonly figure: (measured: CaseResult & { note?: string }) => Figure;
      }
      const planned: Planned[] = [];
      for (const set of INPUT_SETS) {
        const schema = standaloneSchema(models, set.model);
        const spec = (kind: CaseSpec['kind']): CaseSpec => ({ model: set.model, kind, schema, inputs: kind === 'invalid' ? set.invalid : set.valid, options });
        // How many issues each side reports per invalid input (the same count, or the comparison is unfair).
        const model = compiled[set.model];
        if (!model) throw new Error(`no compiled model ${set.model}`);
        const ajvAll = newAjv(true).compile(schema);
        const issues = (JSON.parse(JSON.stringify(set.invalid)) as unknown[]).map((v) => {
          const e = model.validate(v) ?? [];
          ajvAll(v);
          return `${e.length}/${ajvAll.errors?.length ?? 0}`;
        });
        planned.push({
          spec: spec('valid'),
          figure: (m) => ({
            group: 'validators',
            name: `${set.model}, valid inputs`,
            unit: 'ops/s',
            value: Math.round(m.ours),
            baseline: { name: 'ajv 8 compiled', value: Math.round(m.baseline) },
            target: { ratio: 2, higherIsBetter: true },
            note: noteOf(m.note),
          }),
        });
        const floor = FLOORS[set.model];
        if (floor !== undefined) {
          planned.push({
            spec: spec('floor'),
            figure: (m) => ({
              group: 'validators',
              name: `${set.model}, valid inputs: floor (not a validator: ${floor.what})`,
              unit: 'ops/s',
              value: Math.round(m.ours),
              baseline: { name: 'ajv 8 compiled', value: Math.round(m.baseline) },
              note: noteOf('checks less than any correct validator must, called the same way: its ratio bounds that of any validator', m.note),
            }),
          });
        }
        planned.push({
          spec: spec('invalid'),
          figure: (m) => ({
            group: 'validators',
            name: `${set.model}, invalid inputs (every issue)`,
            unit: 'ops/s',
            value: Math.round(m.ours),
            baseline: { name: 'ajv 8 allErrors', value: Math.round(m.baseline) },
            target: { ratio: 3, higherIsBetter: true },
            note: noteOf(`issues per input, ours/ajv: ${issues.join(', ')}`, m.note),
          }),
        });
      }

      const specs = planned.map((p) => p.spec);
      if (forks === 0) {
        specs.forEach((spec, i) => figures.push(planned[i]!.figure(runCase(spec, compiled))));
      } else {
        const casesFile = join(tmp, 'cases.json');
        writeFileSync(casesFile, JSON.stringify(specs));
        const runs: CaseResult[][] = [];
        for (let f = 0; f < forks; f++) {
          process.stderr.write(`  validators: process ${f + 1}/${forks}\n`);
          const { stdout } = await run(process.execPath, ['--import', 'tsx', FORK, validatorsFile, casesFile], { cwd: REPO, maxBuffer: 1 << 20 });
          runs.push(JSON.parse(stdout) as CaseResult[]);
        }
        planned.forEach((p, i) => {
          const each = runs.map((r) => r[i]!);
          figures.push(p.figure({
            ours: median(each.map((r) => r.ours)),
            baseline: median(each.map((r) => r.baseline)),
            note: `${forks} processes: ${each.map((r) => `${(r.ours / r.baseline).toFixed(2)} ×`).join(' / ')}`,
          }));
        });
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    return figures;
  },
};
