/**
 * Whole-project checks on the services that the reader cannot make one class at a time: unique names,
 * reserved prefixes, names a URL path segment can carry, and input/output models that exist.
 */
import type { Loc, ModelDecl, ServiceDecl } from '../ir.js';
import { error } from '../diagnostics.js';
import type { Diagnostic } from '../diagnostics.js';

const RESERVED_PREFIXES = ['zato.', 'helpers.'];

/** Checks service names (SG106–SG108) and their models (SG113); returns the diagnostics, in service order. */
export function checkServices(services: readonly ServiceDecl[], models: readonly ModelDecl[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const byName = new Map<string, ServiceDecl[]>();
  for (const s of services) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  for (const [name, same] of byName) {
    if (same.length < 2) continue;
    for (const s of same) {
      const others = same.filter((o) => o !== s).map((o) => `${o.className} at ${at(o.nameLoc)}`);
      out.push(error('SG106', `Service name '${name}' is also used by ${others.join(' and ')}; service names must be unique: rename one (name = '…').`, s.nameLoc));
    }
  }
  for (const s of services) {
    const problem = checkName(s.name);
    if (problem) out.push(problem.code === 'SG107' ? error('SG107', problem.message, s.nameLoc) : error('SG108', problem.message, s.nameLoc));
  }
  const modelsByName = new Map(models.map((m) => [m.name, m]));
  for (const s of services) {
    for (const role of ['input', 'output'] as const) {
      const ref = s[role];
      if (ref === undefined) continue;
      const model = modelsByName.get(ref);
      if (!model) out.push(error('SG113', `The ${role} model '${ref}' of service '${s.name}' was not read; fix the errors reported for it.`, s.loc));
      else if (model.kind !== 'object') out.push(error('SG113', `The ${role} of service '${s.name}' must be a model class, but '${ref}' is ${model.kind === 'enum' ? 'an enum' : 'a union'}.`, s.loc));
    }
  }
  return out;
}

function checkName(name: string): { code: 'SG107' | 'SG108'; message: string } | undefined {
  if (name === '') return { code: 'SG108', message: "A service name cannot be empty; write a name such as 'customer.get', or remove the field to use the default name." };
  const reserved = RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (reserved) return { code: 'SG107', message: `Service names starting with '${reserved}' are reserved for built-in services; choose another prefix, e.g. 'app.${name.slice(reserved.length) || 'service'}'.` };
  // Gateway channels carry the name in one URL path segment (/zato/gateway/{service}).
  const bad = /[/\s\p{Cc}]/u.exec(name);
  if (bad) {
    const ch = bad[0];
    const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    const what = ch === '/' ? "'/'" : /\p{Cc}/u.test(ch) ? `a control character (${code})` : `whitespace (${code})`;
    return { code: 'SG108', message: `Service name ${JSON.stringify(name)} contains ${what}, which cannot be carried in a URL path segment (/zato/gateway/{service}); use letters, digits, '.', '-' or '_'.` };
  }
  return undefined;
}

function at(loc: Loc): string {
  return `${loc.file}:${loc.line}:${loc.column}`;
}
