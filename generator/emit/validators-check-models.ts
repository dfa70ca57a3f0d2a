/**
 * The model-level checking functions: `is_<n>` (a boolean, stops at the first problem) and `report_<n>` (pushes
 * every problem, returns whether it found any) for object and union models (their fields' checks come from
 * validators-check.ts), and `validate_<n>`, what the runtime calls: `is_<n>` first, `report_<n>` only on failure.
 */
import type { ObjectModel, UnionModel } from '../ir.js';
import { lit } from '../../templates/ts.js';
import { type EmitContext, PathCode, indent, oneOfMessage, pointerSegment, readField, use, valueCode } from './validators-context.js';
import { checkValue, isRequired, push } from './validators-check.js';

const NOT_OBJECT = `typeof v !== 'object' || v === null || Array.isArray(v)`;

/** `is_<n>` and `report_<n>` for an object model. */
export function emitObjectChecks(ctx: EmitContext, m: ObjectModel, id: string): string[] {
  use(ctx, 'add');
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
  return [
    `function is_${id}(v: any): boolean {`,
    `  if (${NOT_OBJECT}) return false;`,
    ...local,
    ...indent(is),
    '  return true;',
    '}',
    '',
    `function report_${id}(v: any, p: string, e: ValidationIssue[] | null): ValidationIssue[] | null {`,
    `  if (${NOT_OBJECT}) return $add(e, { path: p, message: 'must be an object' });`,
    ...(report.length > 0 ? local : []),
    ...indent(report),
    '  return e;',
    '}',
  ];
}

/** The members of a union with distinct discriminant values, in IR order (sorted by model). */
export function unionCases(m: UnionModel): UnionModel['members'] {
  const seen = new Set<string | number>();
  return m.members.filter((member) => !seen.has(member.value) && seen.add(member.value));
}

/** `is_<n>` and `report_<n>` for a union: the discriminant picks the one member to check. */
export function emitUnionChecks(ctx: EmitContext, m: UnionModel, id: string): string[] {
  use(ctx, 'add');
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
        : [`    ${push(ctx, PathCode.param('p'), lit(`has an unknown type ${member.model}`))}`, '    return e;']),
    );
  }
  const values = unionCases(m).map((member) => member.value);
  return [
    `function is_${id}(v: any): boolean {`,
    `  if (${NOT_OBJECT}) return false;`,
    `  switch (${read}) {`,
    ...indent(is),
    '    default:',
    '      return false;',
    '  }',
    '}',
    '',
    `function report_${id}(v: any, p: string, e: ValidationIssue[] | null): ValidationIssue[] | null {`,
    `  if (${NOT_OBJECT}) return $add(e, { path: p, message: 'must be an object' });`,
    `  const d = ${read};`,
    '  switch (d) {',
    ...indent(report),
    '  }',
    `  ${push(ctx, discPath, `d === undefined ? 'is required' : ${lit(oneOfMessage(values))}`)}`,
    '  return e;',
    '}',
  ];
}

/**
 * `validate_<n>`: null for a valid value, else a fresh array of every issue. A valid value costs one `is_<n>` call
 * and no allocation (no issues array, no path strings); an invalid one is walked again by `report_<n>`, after
 * `is_<n>` stopped at its first problem. 'is invalid' only keeps a disagreement between the two from passing.
 * `report_<n>` takes the issue list so far (null: none yet) and returns it, created on the first issue.
 */
export function emitValidate(id: string): string[] {
  return [
    `function validate_${id}(v: unknown): ValidationIssue[] | null {`,
    `  if (is_${id}(v)) return null;`,
    `  return report_${id}(v, '', null) ?? [{ path: '', message: 'is invalid' }];`,
    '}',
  ];
}
