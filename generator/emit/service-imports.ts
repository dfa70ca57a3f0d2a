/** Import aliases for service classes, unique even when two files export classes of the same name. */
import { compareCodePoints, type ServiceDecl } from '../ir.js';
import { identifier } from '../../templates/ts.js';

/** `file#ClassName` → a unique local alias (`S_GetCustomer`, or `S_GetCustomer_2` on a clash), stable across runs. */
export function serviceAliases(services: readonly ServiceDecl[]): Map<string, string> {
  const keys = [...new Set(services.map((s) => `${s.file}#${s.className}`))].sort(compareCodePoints);
  const used = new Map<string, number>();
  const aliases = new Map<string, string>();
  for (const key of keys) {
    const base = `S_${identifier(key.slice(key.indexOf('#') + 1))}`;
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    aliases.set(key, n === 1 ? base : `${base}_${n}`);
  }
  return aliases;
}

/** Services grouped by their source file, files sorted; services keep their order (one pass, not one per file). */
export function servicesByFile(services: readonly ServiceDecl[]): Map<string, ServiceDecl[]> {
  const byFile = new Map<string, ServiceDecl[]>();
  for (const s of services) {
    const list = byFile.get(s.file);
    if (list) list.push(s);
    else byFile.set(s.file, [s]);
  }
  return new Map([...byFile].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
