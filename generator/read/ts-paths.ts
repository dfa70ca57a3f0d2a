/**
 * tsconfig.json `paths` (relative to `baseUrl`, or to the config that declares them; through `extends`), so that
 * `import { Address } from '@/models/address'` reads the project's own file as TypeScript and tsx do. Only the
 * project dir's tsconfig.json is read, with TypeScript's own config parser; the file lists it would expand are not.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { tsc } from './typescript.js';

export interface PathAliases {
  /** tsconfig.json and the configs it extends (absolute): inputs of a build that reads through them. */
  readonly files: readonly string[];
  /** Where `spec` may be (absolute, before extensions are tried), and the paths pattern that matched; undefined: none. */
  map(spec: string): { readonly pattern: string; readonly bases: readonly string[] } | undefined;
}

/** The `paths` of `dir`/tsconfig.json; null when there is no such file, it declares none, or it cannot be read. */
export function readPathAliases(dir: string): PathAliases | null {
  const file = join(dir, 'tsconfig.json');
  if (!existsSync(file)) return null;
  try {
    const source = tsc.readJsonConfigFile(file, (p) => tsc.sys.readFile(p));
    const host = {
      useCaseSensitiveFileNames: tsc.sys.useCaseSensitiveFileNames,
      readDirectory: () => [], // the include/files lists are not needed, and at 5,000 files listing them costs
      fileExists: (p: string) => tsc.sys.fileExists(p),
      readFile: (p: string) => tsc.sys.readFile(p),
    };
    const parsed = tsc.parseJsonSourceFileConfigFileContent(source, host, dir, undefined, file);
    const paths = parsed.options.paths;
    if (paths === undefined || Object.keys(paths).length === 0) return null;
    // Without baseUrl, TypeScript resolves paths from the config that declares them (kept as pathsBasePath).
    const base = parsed.options.baseUrl ?? (parsed.options as { pathsBasePath?: string }).pathsBasePath ?? dirname(file);
    const files = [file, ...(source.extendedSourceFiles ?? [])].map((f) => resolve(f));
    return { files: [...new Set(files)], map: (spec) => match(paths, base, spec) };
  } catch {
    return null; // a config TypeScript cannot read: imports that would need it stay unresolved, with the usual message
  }
}

/** TypeScript's rule: an exact key wins; else the `*` pattern with the longest prefix; its targets with `*` filled in. */
function match(paths: Readonly<Record<string, readonly string[]>>, base: string, spec: string): { pattern: string; bases: string[] } | undefined {
  let best: { pattern: string; star: string } | undefined;
  for (const pattern of Object.keys(paths)) {
    const star = pattern.indexOf('*');
    if (star === -1) {
      if (pattern === spec) {
        best = { pattern, star: '' };
        break;
      }
      continue;
    }
    const prefix = pattern.slice(0, star);
    const suffix = pattern.slice(star + 1);
    if (spec.length < prefix.length + suffix.length || !spec.startsWith(prefix) || !spec.endsWith(suffix)) continue;
    if (best === undefined || prefix.length > best.pattern.indexOf('*')) best = { pattern, star: spec.slice(prefix.length, spec.length - suffix.length) };
  }
  if (best === undefined) return undefined;
  const star = best.star;
  return { pattern: best.pattern, bases: paths[best.pattern]!.map((target) => resolve(base, target.replace('*', star))) };
}
