/**
 * `parse_<n>`: called on a value that passed `validate_<n>`; builds a fresh value with declared fields only,
 * defaults applied (a fresh copy each time), Date fields as Date objects and '__proto__' kept as plain data.
 */
import type { ObjectModel, TypeRef, UnionModel } from '../ir.js';
import { type EmitContext, fresh, indent, jsonCode, readField, resolve, use, valueCode, writeField } from './validators-context.js';
import { unionCases } from './validators-check-models.js';

interface Conversion {
  readonly lines: readonly string[]; // statements to run first
  readonly expr: string; // the converted value
}

/** How to turn the local `x` (valid for `t`) into its parsed value. */
export function convertValue(ctx: EmitContext, t: TypeRef, x: string): Conversion {
  switch (t.kind) {
    case 'string':
    case 'number':
    case 'integer':
    case 'boolean':
    case 'literal':
    case 'unknown': // any JSON value, handed over as it is
      return { lines: [], expr: x };
    case 'date':
      use(ctx, 'toDate');
      return { lines: [], expr: `$toDate(${x})` };
    case 'ref': {
      const target = resolve(ctx, t);
      if (target === null || Array.isArray(target)) return { lines: [], expr: x };
      return { lines: [], expr: `parse_${ctx.idents.get(t.name)!}(${x})` };
    }
    case 'nullable': {
      const inner = convertValue(ctx, t.inner, x);
      if (inner.expr === x) return inner;
      if (inner.lines.length === 0) return { lines: [], expr: `${x} === null ? null : ${inner.expr}` };
      const n = fresh(ctx, 'n');
      return {
        lines: [`let ${n}: any = null;`, `if (${x} !== null) {`, ...indent([...inner.lines, `${n} = ${inner.expr};`]), '}'],
        expr: n,
      };
    }
    case 'array': {
      const item = fresh(ctx, 'x');
      const inner = convertValue(ctx, t.items, item);
      if (inner.expr === item) return { lines: [], expr: `${x}.slice()` };
      const a = fresh(ctx, 'a');
      const i = fresh(ctx, 'i');
      return {
        lines: [
          `const ${a}: any[] = [];`,
          `for (let ${i} = 0; ${i} < ${x}.length; ${i}++) {`,
          `  const ${item} = ${x}[${i}];`,
          ...indent(inner.lines),
          `  ${a}.push(${inner.expr});`,
          '}',
        ],
        expr: a,
      };
    }
    case 'record': {
      const value = fresh(ctx, 'x');
      const inner = convertValue(ctx, t.values, value);
      const r = fresh(ctx, 'r');
      const k = fresh(ctx, 'k');
      use(ctx, 'def');
      return {
        lines: [
          `const ${r}: any = {};`,
          `for (const ${k} in ${x}) {`,
          `  const ${value} = ${x}[${k}];`,
          ...indent(inner.lines),
          `  if (${k} === '__proto__') $def(${r}, ${k}, ${inner.expr});`,
          `  else ${r}[${k}] = ${inner.expr};`,
          '}',
        ],
        expr: r,
      };
    }
  }
}

/** `parse_<n>` for an object model. */
export function emitObjectParse(ctx: EmitContext, m: ObjectModel, id: string): string[] {
  const body: string[] = [];
  for (const f of m.fields) {
    body.push(`x = ${readField(ctx, 'v', f.name)};`);
    const conv = convertValue(ctx, f.type, 'x');
    const store = [...conv.lines, writeField(ctx, 'r', f.name, conv.expr)];
    if (f.default !== undefined) {
      body.push(`if (x === undefined) x = ${jsonCode(f.default)};`, ...store);
    } else if (f.optional) {
      body.push('if (x !== undefined) {', ...indent(store), '}');
    } else {
      body.push(...store);
    }
  }
  if (body.length === 0) return [`function parse_${id}(_v: any): any {`, '  return {};', '}'];
  return [`function parse_${id}(v: any): any {`, '  const r: any = {};', '  let x: any;', ...indent(body), '  return r;', '}'];
}

/** `parse_<n>` for a union: the member the discriminant names. */
export function emitUnionParse(ctx: EmitContext, m: UnionModel, id: string): string[] {
  const cases: string[] = [];
  for (const member of unionCases(m)) {
    const target = ctx.models.get(member.model);
    const memberId = target !== undefined && target.kind !== 'enum' ? ctx.idents.get(target.name) : undefined;
    if (memberId !== undefined) cases.push(`  case ${valueCode(member.value)}:`, `    return parse_${memberId}(v);`);
  }
  return [
    `function parse_${id}(v: any): any {`,
    `  switch (${readField(ctx, 'v', m.discriminator)}) {`,
    ...indent(cases),
    '  }',
    `  throw new TypeError('parse() needs a value that passed validate()');`,
    '}',
  ];
}
