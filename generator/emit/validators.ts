/**
 * generated/validators.ts: one compiled validator, parser and serializer per object and union model, as ordinary
 * straight-line TypeScript (no schema interpretation and no `new Function` at request time), exported as
 * `models`, the CompiledModel table of runtime/manifest.ts.
 *
 * Validation agrees with ajv 8 (draft 2020-12, ajv-formats full mode) on the schemas of emit/json-schema.ts;
 * test/unit/validators.test.ts checks that differentially. Known, deliberate differences: a field named like an
 * Object.prototype member ('constructor', 'toString', '__proto__') is read only as an own property (ajv reads
 * inherited ones too), and uniqueItems treats two equal '__proto__' strings or objects with own 'constructor' /
 * 'valueOf' keys as plain data (ajv's fast path and fast-deep-equal get those wrong or throw).
 */
import { compareCodePoints, type ModelDecl, type ObjectModel, type TypeRef } from '../ir.js';
import type { ParamType } from '../../runtime/manifest.js';
import { HEADER } from '../../templates/header.js';
import { commentText, lit, where } from '../../templates/ts.js';
import { type Compiled, type EmitContext, createContext, indent, literalKey } from './validators-context.js';
import { emitObjectChecks, emitUnionChecks, emitValidate, modelsWithIs } from './validators-check-models.js';
import { emitObjectParse, emitUnionParse } from './validators-parse.js';
import { emitObjectSerialize, emitUnionSerialize } from './validators-serialize.js';
import { emitHelpers } from './validators-helpers.js';
import type { ValidatorCache } from './validators-cache.js';
import { Chunks } from './chunks.js';

/**
 * The whole content of generated/validators.ts for `models` (any order; output is sorted by model name).
 * Pure: the same models always give the same text. With `cache` (kept by a watch mode across builds) the code
 * of models that did not change is reused; the text is the same either way.
 */
export function emitValidators(models: readonly ModelDecl[], cache?: ValidatorCache): string {
  return validatorsLines(models, cache).join('\n');
}

/**
 * emitValidators' text as UTF-8 bytes in one exact-size buffer of its own (the build helper's thread hands it to the
 * main thread by transfer, not by copying a string), encoded line by line without joining: lines are joined with
 * '\n', so no surrogate pair spans two of them and each encodes as it would within the whole text.
 */
export function emitValidatorsBytes(models: readonly ModelDecl[]): Uint8Array {
  const lines = validatorsLines(models);
  let size = lines.length - 1;
  for (const line of lines) size += Buffer.byteLength(line, 'utf8');
  const out = Buffer.allocUnsafeSlow(size);
  let at = 0;
  for (let i = 0; i < lines.length; i++) {
    if (i > 0) out[at++] = 10;
    at += out.write(lines[i]!, at, 'utf8');
  }
  if (at !== size) throw new Error(`validators.ts: encoded ${at} bytes of ${size}`);
  return out;
}

/**
 * emitValidators' text in pieces (their concatenation is the text), for writing without joining 15 MB: with a
 * cache, most pieces are the strings of the previous emit (see OutputFile.parts).
 */
export function emitValidatorsParts(models: readonly ModelDecl[], cache?: ValidatorCache): string[] {
  let lines = validatorsLines(models, cache);
  // With a cache, runs of lines are joined once and kept while they are the same strings: a few hundred pieces.
  if (cache) lines = cache.runs(lines);
  const parts: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (i > 0) parts.push('\n');
    parts.push(lines[i]!);
  }
  return parts;
}

/** The lines (and multi-line blocks) of generated/validators.ts, to be joined with '\n'. */
function validatorsLines(models: readonly ModelDecl[], cache?: ValidatorCache): string[] {
  const ctx = createContext(models);
  cache?.begin();
  const compiled = [...ctx.models.values()]
    .filter((m): m is Compiled => m.kind !== 'enum')
    .sort((a, b) => compareCodePoints(a.name, b.name));

  const withIs = modelsWithIs(ctx);
  const functions: string[] = [];
  const table: string[] = [];
  const consts: string[] = [];
  if (cache) {
    for (const m of compiled) {
      const hasIs = withIs.has(m.name);
      const code = cache.model(ctx, m, hasIs, (c) => ({ text: emitModel(c, m, hasIs), entry: emitEntry(c, m) }));
      functions.push('', code.text);
      table.push(code.entry);
      // Each model's block of the constants it declared first, in model order: the order of first use.
      if (code.consts !== '') consts.push(code.consts);
    }
  } else {
    // Without a cache (a cold build) the lines are joined into chunks as they come (see Chunks).
    const code = new Chunks('\n');
    const entries = new Chunks('\n');
    for (const m of compiled) {
      code.push('');
      code.push(emitModel(ctx, m, withIs.has(m.name)).join('\n'));
      for (const line of emitEntry(ctx, m)) entries.push(line);
    }
    functions.push(...code.flush());
    table.push(...entries.flush());
    // Module constants in order of first use.
    const lines = new Chunks('\n');
    for (const line of ctx.constLines) lines.push(line);
    consts.push(...lines.flush());
  }
  const helpers = emitHelpers(ctx.helpers);
  const out = [
    HEADER,
    // An empty project would leave ValidationIssue unused, which `noUnusedLocals` rejects.
    `import type { CompiledModel${compiled.length > 0 ? ', ValidationIssue' : ''} } from 'servicegate';`,
    ...(helpers.length > 0 ? ['', helpers.join('\n\n')] : []),
    ...(consts.length > 0 ? ['', ...consts] : []),
    ...functions,
    '',
    'export const models: { readonly [name: string]: CompiledModel } = {',
    ...table,
    '};',
    '', // the final newline
  ];
  return out;
}

function emitModel(ctx: EmitContext, m: Compiled, withIs: boolean): string[] {
  const id = ctx.idents.get(m.name)!;
  const parts: string[][] = [];
  ctx.scope = id;
  ctx.scopeConsts = new Map();
  ctx.scoped = 0;
  ctx.tmp = 0;
  parts.push(m.kind === 'object' ? emitObjectChecks(ctx, m, id, withIs) : emitUnionChecks(ctx, m, id, withIs));
  parts.push(emitValidate(ctx, m, id));
  ctx.tmp = 0;
  parts.push(m.kind === 'object' ? emitObjectParse(ctx, m, id) : emitUnionParse(ctx, m, id));
  ctx.tmp = 0;
  parts.push(m.kind === 'object' ? emitObjectSerialize(ctx, m, id) : emitUnionSerialize(ctx, m, id));
  const out = [`// ${commentText(m.name)}: ${commentText(where(m.loc))}`];
  parts.forEach((p, i) => out.push(...(i > 0 ? [''] : []), ...p));
  return out;
}

function emitEntry(ctx: EmitContext, m: Compiled): string[] {
  const id = ctx.idents.get(m.name)!;
  const params = m.kind === 'object' ? paramsOf(ctx, m) : [];
  // Keys like 'toString' or '__proto__' lose the contextual literal type of their values; `as const` keeps it.
  const paramsConst = m.kind === 'object' && m.fields.some((f) => f.name in Object.prototype);
  // A computed key ('__proto__') loses the table's contextual type, so such an entry states its own.
  const computed = literalKey(m.name).startsWith('[');
  return indent([
    `${literalKey(m.name)}: {`,
    `  name: ${lit(m.name)},`,
    `  validate: validate_${id},`,
    `  parse: parse_${id},`,
    '  serialize(v: unknown): string {',
    '    try {',
    `      return serialize_${id}(v);`,
    '    } catch (err) {',
    `      throw $done(err, ${lit(m.name)});`,
    '    }',
    '  },',
    params.length === 0 ? '  params: {},' : `  params: { ${params.join(', ')} }${paramsConst ? ' as const' : ''},`,
    computed ? '} satisfies CompiledModel,' : '},',
  ]);
}

function paramsOf(ctx: EmitContext, m: ObjectModel): string[] {
  return m.fields.map((f) => `${literalKey(f.name)}: '${paramType(ctx, f.type)}'`);
}

/** How the runtime coerces a path or query string for a field of type `t`. */
export function paramType(ctx: EmitContext, t: TypeRef): ParamType {
  switch (t.kind) {
    case 'string':
    case 'number':
    case 'integer':
    case 'boolean':
    case 'date':
      return t.kind;
    case 'literal':
      return valuesParamType(t.values);
    case 'ref': {
      const target = ctx.models.get(t.name);
      return target?.kind === 'enum' ? valuesParamType(target.values) : 'other';
    }
    case 'nullable':
      return paramType(ctx, t.inner);
    default:
      return 'other';
  }
}

function valuesParamType(values: readonly (string | number | boolean)[]): ParamType {
  if (values.length === 0) return 'other';
  if (values.every((v) => typeof v === 'string')) return 'string';
  if (values.every((v) => typeof v === 'boolean')) return 'boolean';
  if (values.every((v) => typeof v === 'number')) return values.every((v) => Number.isInteger(v)) ? 'integer' : 'number';
  return 'other';
}
