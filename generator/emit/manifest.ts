/**
 * generated/index.ts: the manifest the runtime serves — channels and security from routes.ts, compiled models
 * from validators.ts, and the user's service classes imported by their source files.
 */
import { compareCodePoints, type Project, type ServiceDecl } from '../ir.js';
import { HEADER } from '../../templates/header.js';
import { commentText, importFrom, lit, where } from '../../templates/ts.js';
import { serviceAliases, servicesByFile } from './service-imports.js';
import { block, type BlockCache } from './block-cache.js';

/**
 * The contents of generated/index.ts. With `cache` (kept by a watch mode) the lines of files and services that did
 * not change are reused; the text is the same either way.
 */
export function emitManifest(project: Project, outDir: string, cache?: BlockCache): string {
  cache?.begin();
  const aliases = serviceAliases(project.services);
  const aliasOf = (s: ServiceDecl) => aliases.get(`${s.file}#${s.className}`)!;
  const out: string[] = [HEADER];
  out.push("import type { Manifest } from 'servicegate';");
  out.push("import { channels, security } from './routes.js';");
  out.push("import { models } from './validators.js';");
  for (const [file, inFile] of servicesByFile(project.services)) {
    out.push(block(cache, `import ${file}`, () => [outDir, ...inFile, ...inFile.map(aliasOf)], () => {
      const names = [...new Set(inFile.map((s) => s.className))].sort(compareCodePoints);
      const specifiers = names.map((n) => `${n} as ${aliases.get(`${file}#${n}`)}`);
      return `import { ${specifiers.join(', ')} } from ${importFrom(file, outDir)};`;
    }));
  }
  out.push('');
  out.push('export const manifest: Manifest = {');
  out.push('  channels,');
  out.push('  security,');
  // Computed keys, so that a service named `__proto__` is an own property, not the object's prototype.
  out.push('  services: {');
  for (const s of project.services) {
    const alias = aliasOf(s);
    out.push(block(cache, `service ${s.name}`, () => [s, alias], () => {
      const model = (name: string | undefined) => (name === undefined ? 'null' : `models[${lit(name)}]!`);
      return (
        `    // ${where(s.loc)} ${commentText(s.className)}\n` +
        `    [${lit(s.name)}]: { name: ${lit(s.name)}, impl: ${alias}, input: ${model(s.input)}, ` +
        `output: ${model(s.output)}, source: ${lit(where(s.loc))} },`
      );
    }));
  }
  out.push('  },');
  out.push('};');
  out.push('');
  return out.join('\n');
}
