/**
 * Listing a project's input files by glob (tinyglobby: the same engine ts-morph's own file globbing uses).
 * Cheap: no TypeScript or YAML is loaded here, so `gen serve` can check staleness without the generator's weight.
 */
import { globSync } from 'tinyglobby';

export const DEFAULT_SERVICE_GLOBS: readonly string[] = ['services/**/*.ts'];
export const DEFAULT_CONFIG_GLOBS: readonly string[] = ['config/**/*.yaml', 'config/**/*.yml'];

/** Files under `dir` matching `patterns`, relative with `/` separators, sorted by code point; never node_modules. */
export function listFiles(dir: string, patterns: readonly string[]): string[] {
  const files = globSync([...patterns], {
    cwd: dir,
    onlyFiles: true,
    dot: false,
    ignore: ['**/node_modules/**', '**/*.d.ts'],
    expandDirectories: false,
  });
  return [...new Set(files.map((f) => f.replace(/\\/g, '/')))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
