/** Build options resolved to absolute paths and default globs. Light: no TypeScript or YAML is loaded here. */
import { readFileSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { DEFAULT_CONFIG_GLOBS, DEFAULT_SERVICE_GLOBS } from './read/files.js';

export interface BuildOptions {
  readonly dir: string; // the project dir
  readonly services?: readonly string[]; // globs relative to dir
  readonly config?: readonly string[];
  readonly out?: string; // output dir, relative to dir or absolute; default 'generated'
}

export interface ResolvedOptions {
  readonly dir: string; // absolute
  readonly services: readonly string[];
  readonly config: readonly string[];
  readonly outDir: string; // absolute
  readonly outRel: string; // relative to dir, '/' separators
}

export function resolveOptions(options: BuildOptions): ResolvedOptions {
  const dir = resolve(options.dir);
  const outDir = isAbsolute(options.out ?? '') ? options.out! : resolve(dir, options.out ?? 'generated');
  return {
    dir,
    services: options.services?.length ? options.services : DEFAULT_SERVICE_GLOBS,
    config: options.config?.length ? options.config : DEFAULT_CONFIG_GLOBS,
    outDir,
    outRel: relative(dir, outDir).replace(/\\/g, '/') || '.',
  };
}

/** The OpenAPI document's title: the project's package.json `name`, else its folder name. */
export function projectTitle(dir: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(resolve(dir), 'package.json'), 'utf8')) as { name?: unknown };
    if (typeof pkg.name === 'string' && pkg.name !== '') return pkg.name;
  } catch {
    // no package.json: fall back to the folder name
  }
  return basename(resolve(dir));
}

