/**
 * generated/service-map.ts: the types that make services and `this.invoke` typed in the user's editor.
 *
 * - Declaration merging per service class: `declare module '../services/x.js' { interface GetX { readonly request:
 *   Request<…>; readonly response: Response<…> } }` narrows the loosely typed `request` / `response` of the base class.
 * - `declare module 'servicegate' { interface ServiceMap { 'x.get': { input; output } } }` types `invoke`.
 * Model types are taken from the service class itself (`InstanceType<GetX['input']>`), so models need not be
 * exported and type aliases or imports of the user's are never re-spelt here.
 */
import { compareCodePoints, type Project, type ServiceDecl } from '../ir.js';
import { HEADER } from '../../templates/header.js';
import { commentText, importFrom, lit, where } from '../../templates/ts.js';
import { serviceAliases, servicesByFile } from './service-imports.js';
import { block, type BlockCache } from './block-cache.js';

/**
 * The contents of generated/service-map.ts. With `cache` (kept by a watch mode) the blocks of files and services
 * that did not change are reused; the text is the same either way.
 */
export function emitServiceMap(project: Project, outDir: string, cache?: BlockCache): string {
  cache?.begin();
  const aliases = serviceAliases(project.services);
  const aliasOf = (s: ServiceDecl) => aliases.get(`${s.file}#${s.className}`)!;
  const out: string[] = [HEADER];
  out.push("import type { Request, Response } from 'servicegate';");
  const byFile = servicesByFile(project.services);
  // What a file's blocks are made from: the output dir, and its services with their aliases.
  const fileDeps = new Map([...byFile].map(([file, inFile]) => [file, () => [outDir, ...inFile, ...inFile.map(aliasOf)]]));
  for (const [file, inFile] of byFile) {
    const line = block(cache, `import ${file}`, fileDeps.get(file)!, () => {
      // Only classes whose models are named below; a service without input and output needs no alias.
      const here = inFile.filter((s) => s.input !== undefined || s.output !== undefined);
      const names = [...new Set(here.map((s) => s.className))].sort(compareCodePoints);
      if (names.length === 0) return '';
      const specifiers = names.map((n) => `${n} as ${aliases.get(`${file}#${n}`)}`);
      return `import type { ${specifiers.join(', ')} } from ${importFrom(file, outDir)};`;
    });
    if (line !== '') out.push(line);
  }
  out.push('');
  for (const [file, inFile] of byFile) {
    out.push(block(cache, `declare ${file}`, fileDeps.get(file)!, () => {
      const lines = [`declare module ${importFrom(file, outDir)} {`];
      const here = [...inFile].sort((a, b) => compareCodePoints(a.className, b.className));
      for (const s of here) {
        const alias = aliasOf(s);
        lines.push(`  // ${where(s.loc)} ${commentText(s.name)}`);
        lines.push(`  interface ${s.className} {`);
        lines.push(`    readonly request: Request<${inputType(s, alias)}>;`);
        if (s.output !== undefined) lines.push(`    readonly response: Response<${outputType(s, alias)}>;`);
        lines.push('  }');
      }
      lines.push('}', '');
      return lines.join('\n');
    }));
  }
  out.push("declare module 'servicegate' {");
  out.push('  interface ServiceMap {');
  for (const s of project.services) {
    const alias = aliasOf(s);
    out.push(block(cache, `map ${s.name}`, () => [s, alias], () => `    ${lit(s.name)}: { input: ${inputType(s, alias)}; output: ${outputType(s, alias)} };`));
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
