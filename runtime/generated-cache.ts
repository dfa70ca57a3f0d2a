/**
 * generated/validators.ts compiled to JavaScript for `gen serve` (see generated-hooks.ts), kept between starts: one
 * cache entry per source file, replaced when the source, esbuild or Node changes. The cache is a folder of
 * `$SERVICEGATE_CACHE_DIR`, else `<os tmpdir>/servicegate-<uid>` (tsx keeps its own in `<os tmpdir>/tsx-<uid>`);
 * deleting it only costs the next start a compile.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Changes when what is compiled, or how, changes: older entries are then compiled again. */
const FORMAT = 1;

interface Esbuild {
  transform(source: string, options: Record<string, unknown>): Promise<{ code: string }>;
}

/**
 * esbuild's version, from its package.json, or null where it is missing. A start that finds its entry in the cache
 * does not load esbuild at all (that took ~15 ms of the sample's start-up, where tsx's own cache spares tsx too).
 */
let version: Promise<string | null> | undefined;

function esbuildVersion(): Promise<string | null> {
  version ??= (async () => {
    try {
      const manifest = createRequire(import.meta.url).resolve('esbuild/package.json');
      return (JSON.parse(await readFile(manifest, 'utf8')) as { version: string }).version;
    } catch {
      return null;
    }
  })();
  return version;
}

async function loadEsbuild(): Promise<Esbuild | null> {
  try {
    const m = (await import('esbuild')) as { default?: Esbuild } & Esbuild;
    return m.default ?? m;
  } catch {
    return null;
  }
}

export function cacheDir(): string {
  const uid = process.getuid?.() ?? 'user';
  return process.env.SERVICEGATE_CACHE_DIR ?? join(tmpdir(), `servicegate-${uid}`);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

// An import, a re-export or a dynamic import at the start of a line of the output: the module would depend on other
// files, whose loading (and format) the project's own loader decides. Generated strings never span lines.
const IMPORTS = /^\s*(?:import[\s{*'"(]|export\s[^\n]*\sfrom\s)/m;

/**
 * The JavaScript of `file` (whose text is `source`), from the cache or compiled now; null when esbuild is missing or
 * cannot compile it, or when the result would import anything (only type imports are expected: they vanish).
 */
export async function compiledGenerated(file: string, source: string): Promise<string | null> {
  const esbuild = await esbuildVersion();
  if (esbuild === null) return null;
  const header = `// servicegate ${sha256(`${FORMAT}\0${esbuild}\0${process.versions.node}\0${source}`)}\n`;
  const entry = join(cacheDir(), `${sha256(file).slice(0, 32)}.mjs`);
  try {
    const cached = await readFile(entry, 'utf8');
    if (cached.startsWith(header)) return cached;
  } catch {
    // no entry yet
  }
  const build = await loadEsbuild();
  if (build === null) return null;
  let code: string;
  try {
    code = (await build.transform(source, {
      loader: 'ts',
      format: 'esm',
      target: `node${process.versions.node}`,
      sourcefile: file,
      sourcemap: false,
    })).code;
  } catch {
    return null;
  }
  if (IMPORTS.test(code)) return null;
  const text = header + code;
  // Written beside the entry and renamed over it: a start that reads the entry meanwhile (another worker) gets the
  // old one or the new one, never half of one. A cache that cannot be written is no cache, not an error.
  const part = `${entry}.${randomBytes(6).toString('hex')}.part`;
  try {
    await mkdir(cacheDir(), { recursive: true });
    await writeFile(part, text);
    await rename(part, entry);
  } catch {
    await rm(part, { force: true }).catch(() => undefined);
  }
  return text;
}
