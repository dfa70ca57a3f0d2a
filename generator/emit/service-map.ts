/**
 * generated/service-map.ts: the types that make services and `this.invoke` typed in the user's editor.
 *
 * - Declaration merging per service class: `declare module '../services/x.js' { interface GetX { readonly request:
 *   Request<…>; readonly response: Response<…> } }` narrows the loosely typed `request` / `response` of the base class.
 * - `declare module 'servicegate' { interface ServiceMap { 'x.get': { input; output } } }` types `invoke`.
 * Model types are taken from the service class itself (`InstanceType<GetX['input']>`), so models need not be
 * exported and type aliases or imports of the user's are never re-spelt here.
 */
import type { Project, ServiceDecl } from '../ir.js';
import { HEADER } from '../../templates/header.js';
import { commentText, importFrom, lit, where } from '../../templates/ts.js';
import { serviceAliases, servicesByFile } from './service-imports.js';

export function emitServiceMap(project: Project, outDir: string): string {
  const aliases = serviceAliases(project.services);
  const out: string[] = [HEADER];
  out.push("import type { Request, Response } from 'servicegate';");
  const byFile = servicesByFile(project.services);
  for (const [file, inFile] of byFile) {
    // Only classes whose models are named below; a service without input and output needs no alias.
    const here = inFile.filter((s) => s.input !== undefined || s.output !== undefined);
    const names = [...new Set(here.map((s) => s.className))].sort();
    if (names.length === 0) continue;
    const specifiers = names.map((n) => `${n} as ${aliases.get(`${file}#${n}`)}`);
    out.push(`import type { ${specifiers.join(', ')} } from ${importFrom(file, outDir)};`);
  }
  out.push('');
  for (const [file, inFile] of byFile) {
    out.push(`declare module ${importFrom(file, outDir)} {`);
    const here = [...inFile].sort((a, b) => (a.className < b.className ? -1 : 1));
    for (const s of here) {
      const alias = aliases.get(`${s.file}#${s.className}`)!;
      out.push(`  // ${where(s.loc)} ${commentText(s.name)}`);
      out.push(`  interface ${s.className} {`);
      out.push(`    readonly request: Request<${inputType(s, alias)}>;`);
      if (s.output !== undefined) out.push(`    readonly response: Response<${outputType(s, alias)}>;`);
      out.push('  }');
    }
    out.push('}');
    out.push('');
  }
  out.push("declare module 'servicegate' {");
  out.push('  interface ServiceMap {');
  for (const s of project.services) {
    const alias = aliases.get(`${s.file}#${s.className}`)!;
    out.push(`    ${lit(s.name)}: { input: ${inputType(s, alias)}; output: ${outputType(s, alias)} };`);
  }
  out.push('  }');
  out.push('}');
  out.push('');
  return out.join('\n');
}

function inputType(s: ServiceDecl, alias: string): string {
  return s.input === undefined ? 'Record<string, never>' : `InstanceType<NonNullable<${alias}['input']>>`;
}

function outputType(s: ServiceDecl, alias: string): string {
  return s.output === undefined ? 'void' : `InstanceType<NonNullable<${alias}['output']>>`;
}
