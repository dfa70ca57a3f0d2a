/**
 * The model-level checking functions: `is_<n>` (a boolean, for nested values) and `report_<n>` (pushes every
 * problem, returns whether it found any) for object and union models (their fields' checks come from
 * validators-check.ts), and `validate_<n>`, the single reporting pass the runtime calls.
 */
import type { ObjectModel, TypeRef, UnionModel } from '../ir.js';
import { lit } from '../../templates/ts.js';
import { type EmitContext, PathCode, indent, oneOfMessage, pointerSegment, readField, valueCode } from './validators-context.js';
import { checkValue, isRequired, push } from './validators-check.js';

const NOT_OBJECT = `typeof v !== 'object' || v === null || Array.isArray(v)`;

/** `is_<n>` (when `withIs`: only nested values need it) and `report_<n>` for an object model. */
export function emitObjectChecks(ctx: EmitContext, m: ObjectModel, id: string, withIs: boolean): string[] {
  const is: string[] = [];
  const report: string[] = [];
  for (const f of m.fields) {
    const read = `x = ${readField(ctx, 'v', f.name)};`;
    const path = PathCode.param('p').text(pointerSegment(f.name));
    const isChecks = checkValue(ctx, 'is', f.type, 'x', path, f.constraints);
    const reportChecks = checkValue(ctx, 'report', f.type, 'x', path, f.constraints);
    if (isRequired(f)) {
      is.push(read, 'if (x === undefined) return false;', ...isChecks);
      report.push(read, `if (x === undefined) ${push(ctx, path, lit('is required'))}`);
      if (reportChecks.length > 0) report.push('else {', ...indent(reportChecks), '}');
    } else if (isChecks.length > 0) {
      is.push(read, 'if (x !== undefined) {', ...indent(isChecks), '}');
      report.push(read, 'if (x !== undefined) {', ...indent(reportChecks), '}');
    }
  }
  const local = is.length > 0 ? ['  let x: any;'] : [];
  const isFn = [
    `function is_${id}(v: any): boolean {`,
    `  if (${NOT_OBJECT}) return false;`,
    ...local,
    ...indent(is),
    '  return true;',
    '}',
    '',
  ];
  return [
    ...(withIs ? isFn : []),
    `function report_${id}(v: any, p: string, e: ValidationIssue[]): boolean {`,
    `  if (${NOT_OBJECT}) {`,
    `    e.push({ path: p, message: 'must be an object' });`,
    '    return true;',
    '  }',
    ...(report.length > 0 ? ['  const n = e.length;', ...local] : []),
    ...indent(report),
    report.length > 0 ? '  return e.length !== n;' : '  return false;',
    '}',
  ];
}

/**
 * The models whose `is_<n>` some generated code calls: those a field refers to (through arrays, records and
 * `| null` too), and the members of such unions. The others would be unused functions (`noUnusedLocals`).
 */
export function nestedModels(ctx: EmitContext): Set<string> {
  const out = new Set<string>();
  const visit = (t: TypeRef): void => {
    if (t.kind === 'array') visit(t.items);
    else if (t.kind === 'record') visit(t.values);
    else if (t.kind === 'nullable') visit(t.inner);
    else if (t.kind === 'ref') add(t.name);
  };
  const add = (name: string): void => {
    const m = ctx.models.get(name);
    if (m === undefined || m.kind === 'enum' || out.has(name)) return;
    out.add(name);
    if (m.kind === 'union') for (const member of unionCases(m)) add(member.model);
  };
  for (const m of ctx.models.values()) if (m.kind === 'object') for (const f of m.fields) visit(f.type);
  return out;
}

/** The members of a union with distinct discriminant values, in IR order (sorted by model). */
export function unionCases(m: UnionModel): UnionModel['members'] {
  const seen = new Set<string | number>();
  return m.members.filter((member) => !seen.has(member.value) && seen.add(member.value));
}

/** `is_<n>` (when `withIs`) and `report_<n>` for a union: the discriminant picks the one member to check. */
export function emitUnionChecks(ctx: EmitContext, m: UnionModel, id: string, withIs: boolean): string[] {
  const read = readField(ctx, 'v', m.discriminator);
  const discPath = PathCode.param('p').text(pointerSegment(m.discriminator));
  const is: string[] = [];
  const report: string[] = [];
  for (const member of unionCases(m)) {
    const target = ctx.models.get(member.model);
    const memberId = target !== undefined && target.kind !== 'enum' ? ctx.idents.get(target.name) : undefined;
    is.push(`  case ${valueCode(member.value)}:`, memberId ? `    return is_${memberId}(v);` : '    return false;');
    report.push(
      `  case ${valueCode(member.value)}:`,
      ...(memberId
        ? [`    return report_${memberId}(v, p, e);`]
        : [`    ${push(ctx, PathCode.param('p'), lit(`has an unknown type ${member.model}`))}`, '    return true;']),
    );
  }
  const values = unionCases(m).map((member) => member.value);
  const isFn = [
    `function is_${id}(v: any): boolean {`,
    `  if (${NOT_OBJECT}) return false;`,
    `  switch (${read}) {`,
    ...indent(is),
    '    default:',
    '      return false;',
    '  }',
    '}',
    '',
  ];
  return [
    ...(withIs ? isFn : []),
    `function report_${id}(v: any, p: string, e: ValidationIssue[]): boolean {`,
    `  if (${NOT_OBJECT}) {`,
    `    e.push({ path: p, message: 'must be an object' });`,
    '    return true;',
    '  }',
    `  const d = ${read};`,
    '  switch (d) {',
    ...indent(report),
    '  }',
    `  ${push(ctx, discPath, `d === undefined ? 'is required' : ${lit(oneOfMessage(values))}`)}`,
    '  return true;',
    '}',
  ];
}

/**
 * `validate_<n>`: one reporting pass over the value. Its checks cost a valid value what `is_<n>` would (problems
 * only branch off to push), so an invalid value is walked once instead of being checked and then reported.
 */
export function emitValidate(id: string): string[] {
  return [
    `function validate_${id}(v: unknown, p: string, e: ValidationIssue[]): boolean {`,
    `  return !report_${id}(v, p, e);`,
    '}',
  ];
}
