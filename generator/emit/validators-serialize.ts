/**
 * `serialize_<n>`: writes JSON straight into a string, declared fields only and in declaration order. A value that
 * cannot be written as its declared type throws a `$Fault` (a TypeError) whose JSON Pointer grows as it passes
 * each nested model; the `serialize` method in `models` turns it into one message naming the model and path.
 */
import type { ObjectModel, TypeRef, UnionModel } from '../ir.js';
import { lit } from '../../templates/ts.js';
import {
  type EmitContext, fresh, indent, notOneOf, oneOfMessage, pointerSegment, readField, resolve, use, valueCode,
} from './validators-context.js';
import { isRequired } from './validators-check.js';
import { unionCases } from './validators-check-models.js';

/** `throw $wrong(at, why, x)`: `at` is code for the pointer relative to the value being serialized. */
function wrong(ctx: EmitContext, at: string, why: string, x: string): string {
  use(ctx, 'fault');
  return `throw $wrong(${at}, ${lit(why)}, ${x});`;
}

/** Statements that append the JSON of the local `x` (declared as `t`) to `s`, or throw a `$Fault` at `at`. */
export function appendValue(ctx: EmitContext, t: TypeRef, x: string, at: string): string[] {
  switch (t.kind) {
    case 'string':
      use(ctx, 'str');
      return [`if (typeof ${x} !== 'string') ${wrong(ctx, at, 'must be a string', x)}`, `s += $str(${x});`];
    case 'number':
      return [`if (!Number.isFinite(${x})) ${wrong(ctx, at, 'must be a finite number', x)}`, `s += '' + ${x};`];
    case 'integer':
      return [`if (!Number.isInteger(${x})) ${wrong(ctx, at, 'must be an integer', x)}`, `s += '' + ${x};`];
    case 'boolean':
      return [`if (${x} === true) s += 'true';`, `else if (${x} === false) s += 'false';`, `else ${wrong(ctx, at, 'must be a boolean', x)}`];
    case 'date':
      use(ctx, 'iso');
      return [
        `if (!(${x} instanceof Date) || Number.isNaN(${x}.getTime())) ${wrong(ctx, at, 'must be a valid Date', x)}`,
        `s += '"' + $iso(${x}, ${at}) + '"';`,
      ];
    case 'unknown': {
      const j = fresh(ctx, 'j');
      return [`const ${j} = JSON.stringify(${x});`, `if (${j} === undefined) ${wrong(ctx, at, 'must be a JSON value', x)}`, `s += ${j};`];
    }
    case 'literal':
      return [`if (${notOneOf(ctx, x, t.values)}) ${wrong(ctx, at, oneOfMessage(t.values), x)}`, `s += JSON.stringify(${x});`];
    case 'ref': {
      const target = resolve(ctx, t);
      if (target === null) return [wrong(ctx, at, `has an unknown type ${t.name}`, x)];
      if (Array.isArray(target)) {
        const values = target as readonly (string | number)[];
        return [`if (${notOneOf(ctx, x, values)}) ${wrong(ctx, at, oneOfMessage(values), x)}`, `s += JSON.stringify(${x});`];
      }
      const call = `s += serialize_${ctx.idents.get(t.name)!}(${x});`;
      if (at !== "''") use(ctx, 'at');
      // The nested model reports paths relative to itself; prefix ours on the way out (free when nothing throws).
      return at === "''" ? [call] : [`try {`, `  ${call}`, `} catch (err) {`, `  throw $at(err, ${at});`, '}'];
    }
    case 'nullable': {
      const inner = appendValue(ctx, t.inner, x, at);
      return [`if (${x} === null) s += 'null';`, 'else {', ...indent(inner), '}'];
    }
    case 'array': {
      const i = fresh(ctx, 'i');
      const item = fresh(ctx, 'x');
      return [
        `if (!Array.isArray(${x})) ${wrong(ctx, at, 'must be an array', x)}`,
        `s += '[';`,
        `for (let ${i} = 0; ${i} < ${x}.length; ${i}++) {`,
        `  if (${i} > 0) s += ',';`,
        `  const ${item} = ${x}[${i}];`,
        ...indent(appendValue(ctx, t.items, item, `${at} + '/' + ${i}`)),
        '}',
        `s += ']';`,
      ];
    }
    case 'record': {
      const keys = fresh(ctx, 'ks');
      const i = fresh(ctx, 'i');
      const k = fresh(ctx, 'k');
      const value = fresh(ctx, 'x');
      const first = fresh(ctx, 'f');
      use(ctx, 'ptr');
      return [
        `if (typeof ${x} !== 'object' || ${x} === null || Array.isArray(${x})) ${wrong(ctx, at, 'must be an object', x)}`,
        `const ${keys} = Object.keys(${x});`,
        `let ${first} = true;`,
        `s += '{';`,
        `for (let ${i} = 0; ${i} < ${keys}.length; ${i}++) {`,
        `  const ${k} = ${keys}[${i}]!;`,
        `  const ${value} = ${x}[${k}];`,
        `  if (${value} === undefined) continue; // as JSON.stringify does`,
        `  if (${first}) ${first} = false;`,
        `  else s += ',';`,
        `  s += JSON.stringify(${k}) + ':';`,
        ...indent(appendValue(ctx, t.values, value, `${at} + '/' + $ptr(${k})`)),
        '}',
        `s += '}';`,
      ];
    }
  }
}

const NOT_OBJECT = `typeof v !== 'object' || v === null || Array.isArray(v)`;

/** `serialize_<n>` for an object model. */
export function emitObjectSerialize(ctx: EmitContext, m: ObjectModel, id: string): string[] {
  const body: string[] = [];
  // Whether a field has surely / maybe been written before this one, to place commas without a trailing fix-up.
  let written: 'no' | 'maybe' | 'yes' = 'no';
  for (const f of m.fields) {
    const key = JSON.stringify(f.name) + ':';
    const at = lit(pointerSegment(f.name));
    const writeKey =
      written === 'yes' ? `s += ${lit(',' + key)};` : written === 'no' ? `s += ${lit(key)};` : `s += s.length > 1 ? ${lit(',' + key)} : ${lit(key)};`;
    const value = appendValue(ctx, f.type, 'x', at);
    body.push(`x = ${readField(ctx, 'v', f.name)};`);
    if (isRequired(f)) {
      use(ctx, 'fault');
      body.push(`if (x === undefined) throw new $Fault(${at}, 'is required');`, writeKey, ...value);
      written = 'yes';
    } else {
      body.push('if (x !== undefined) {', ...indent([writeKey, ...value]), '}');
      if (written === 'no') written = 'maybe';
    }
  }
  use(ctx, 'fault');
  return [
    `function serialize_${id}(v: any): string {`,
    `  if (${NOT_OBJECT}) ${wrong(ctx, "''", 'must be an object', 'v')}`,
    ...(body.length > 0 ? [`  let s = '{';`, '  let x: any;', ...indent(body), `  return s + '}';`] : [`  return '{}';`]),
    '}',
  ];
}

/** `serialize_<n>` for a union: the member the discriminant names. */
export function emitUnionSerialize(ctx: EmitContext, m: UnionModel, id: string): string[] {
  const cases: string[] = [];
  for (const member of unionCases(m)) {
    const target = ctx.models.get(member.model);
    const memberId = target !== undefined && target.kind !== 'enum' ? ctx.idents.get(target.name) : undefined;
    if (memberId !== undefined) cases.push(`  case ${valueCode(member.value)}:`, `    return serialize_${memberId}(v);`);
  }
  use(ctx, 'fault');
  const values = unionCases(m).map((member) => member.value);
  return [
    `function serialize_${id}(v: any): string {`,
    `  if (${NOT_OBJECT}) ${wrong(ctx, "''", 'must be an object', 'v')}`,
    `  const d = ${readField(ctx, 'v', m.discriminator)};`,
    '  switch (d) {',
    ...indent(cases),
    '  }',
    `  ${wrong(ctx, lit(pointerSegment(m.discriminator)), oneOfMessage(values), 'd')}`,
    '}',
  ];
}
