/**
 * generated/validators.ts compiled to JavaScript for `gen serve` (see generated-hooks.ts), kept between starts: one
 * cache entry per source file, replaced when the source, esbuild or Node changes. The cache is a folder of
 * `$SERVICEGATE_CACHE_DIR`, else `<os tmpdir>/servicegate-<uid>` (tsx keeps its own in `<os tmpdir>/tsx-<uid>`);
 * deleting it only costs the next start a compile. What is in it runs as the project's code, so it is used only when
 * it is a folder of this user's that nobody else can write to (created so); otherwise every start compiles.
 */
import { createHash, randomBytes } from 'node:crypto';
import { lstat, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
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

/**
 * Whether `dir` can hold code this process will run: made if missing (mode 700), a real folder (not a link), owned
 * by this process's user, writable by nobody else. In a shared temporary folder, another user could have made it
 * first and put an entry there.
 */
async function privateDir(dir: string): Promise<boolean> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const st = await lstat(dir);
    if (!st.isDirectory()) return false;
    const uid = process.getuid?.();
    if (uid !== undefined && st.uid !== uid) return false;
    return process.platform === 'win32' || (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
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
  const dir = cacheDir();
  const cache = await privateDir(dir);
  const entry = join(dir, `${sha256(file).slice(0, 32)}.mjs`);
  if (cache) {
    try {
      const cached = await readFile(entry, 'utf8');
      if (cached.startsWith(header)) return cached;
    } catch {
      // no entry yet
    }
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
  if (!cache) return text;
  // Written beside the entry and renamed over it: a start that reads the entry meanwhile (another worker) gets the
  // old one or the new one, never half of one. A cache that cannot be written is no cache, not an error.
  const part = `${entry}.${randomBytes(6).toString('hex')}.part`;
  try {
    await writeFile(part, text, { mode: 0o600 });
    await rename(part, entry);
  } catch {
    await rm(part, { force: true }).catch(() => undefined);
  }
  return text;
}
