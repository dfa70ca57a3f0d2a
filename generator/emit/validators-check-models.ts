/**
 * The model-level checking functions: `is_<n>` and `report_<n>` for object and union models (their fields'
 * checks come from validators-check.ts), and `validate_<n>`, which runs the report only for an invalid value.
 */
import type { ObjectModel, UnionModel } from '../ir.js';
import { lit } from '../../templates/ts.js';
import { type EmitContext, PathCode, indent, oneOfMessage, pointerSegment, readField, valueCode } from './validators-context.js';
import { checkValue, isRequired, push } from './validators-check.js';

const NOT_OBJECT = `typeof v !== 'object' || v === null || Array.isArray(v)`;

/** `is_<n>` and `report_<n>` for an object model. */
export function emitObjectChecks(ctx: EmitContext, m: ObjectModel, id: string): string[] {
  const is: string[] = [];
  const report: string[] = [];
  for (const f of m.fields) {
    const read = `x = ${readField(ctx, 'v', f.name)};`;
    const path = PathCode.param('p').text(pointerSegment(f.name));
    const isChecks = checkValue(ctx, 'is', f.type, 'x', path, f.constraints);
    const reportChecks = checkValue(ctx, 'report', f.type, 'x', path, f.constraints);
    if (isRequired(f)) {
      is.push(read, 'if (x === undefined) return false;', ...isChecks);
      report.push(read, `if (x === undefined) ${push(path, lit('is required'))}`);
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
    `function report_${id}(v: any, p: string, e: ValidationIssue[]): void {`,
    `  if (${NOT_OBJECT}) {`,
    `    e.push({ path: p, message: 'must be an object' });`,
    '    return;',
    '  }',
    ...(report.length > 0 ? local : []),
    ...indent(report),
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
      memberId ? `    report_${memberId}(v, p, e);` : `    ${push(PathCode.param('p'), lit(`has an unknown type ${member.model}`))}`,
      '    return;',
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
    `function report_${id}(v: any, p: string, e: ValidationIssue[]): void {`,
    `  if (${NOT_OBJECT}) {`,
    `    e.push({ path: p, message: 'must be an object' });`,
    '    return;',
    '  }',
    `  const d = ${read};`,
    '  switch (d) {',
    ...indent(report),
    '  }',
    `  ${push(discPath, `d === undefined ? 'is required' : ${lit(oneOfMessage(values))}`)}`,
    '}',
  ];
}

/** `validate_<n>`: the fast check first, the full report only for an invalid value. */
export function emitValidate(id: string): string[] {
  return [
    `function validate_${id}(v: unknown, p: string, e: ValidationIssue[]): boolean {`,
    `  if (is_${id}(v)) return true;`,
    '  const n = e.length;',
    `  report_${id}(v, p, e);`,
    '  // is_ and report_ come from the same checks; this only keeps a disagreement from passing silently.',
    `  if (e.length === n) e.push({ path: p, message: 'is invalid' });`,
    '  return false;',
    '}',
  ];
}
