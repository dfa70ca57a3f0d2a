/**
 * generated/validators.ts compiled to JavaScript for `gen serve` (an ES module for generated-hooks.ts, CommonJS for
 * generated-require.ts), kept between starts: one cache entry per source file and format, replaced when the source,
 * esbuild or Node changes. The cache is a folder of `$SERVICEGATE_CACHE_DIR`, else `<os tmpdir>/servicegate-<uid>`
 * (tsx keeps its own in `<os tmpdir>/tsx-<uid>`); deleting it only costs the next start a compile. What is in it runs
 * as the project's code, so it is used only when it is a folder of this user's that nobody else can write to (created
 * so); otherwise every start compiles. An entry nothing has used for 30 days is removed when another is written (a
 * start that uses one marks it, once a day), so projects served once, from paths that change (CI workspaces,
 * temporary folders), do not pile up: at 5,000 services an entry is 70 MB.
 */
import { createHash, randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Changes when what is compiled, or how, changes: older entries are then compiled again. */
const FORMAT = 1;

const DAY_MS = 24 * 60 * 60 * 1000;
/** Entries (and leftover `.part` files) not used for this long are removed when an entry is written. */
const UNUSED_MS = 30 * DAY_MS;
const ENTRY = /^[0-9a-f]{32}\.(?:mjs|cjs)(?:\.[0-9a-f]{12}\.part)?$/;

interface Esbuild {
  transformSync(source: string, options: Record<string, unknown>): { code: string };
}

const require = createRequire(import.meta.url);

/**
 * esbuild's version, from its package.json, or null where it is missing. A start that finds its entry in the cache
 * does not load esbuild at all (that took ~15 ms of the sample's start-up, where tsx's own cache spares tsx too).
 */
let version: string | null | undefined;

function esbuildVersion(): string | null {
  if (version === undefined) {
    try {
      version = (JSON.parse(readFileSync(require.resolve('esbuild/package.json'), 'utf8')) as { version: string }).version;
    } catch {
      version = null;
    }
  }
  return version;
}

function loadEsbuild(): Esbuild | null {
  try {
    return require('esbuild') as Esbuild;
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
function privateDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    if (!st.isDirectory()) return false;
    const uid = process.getuid?.();
    if (uid !== undefined && st.uid !== uid) return false;
    return process.platform === 'win32' || (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/** Keeps a used entry's modification time within a day of now (see removeUnused). */
function markUsed(entry: string): void {
  try {
    const now = Date.now();
    if (now - statSync(entry).mtimeMs > DAY_MS) utimesSync(entry, now / 1000, now / 1000);
  } catch {
    // an entry that cannot be marked may be removed in a month, and compiled again
  }
}

/** Removes this cache's entries, and leftover `.part` files, that nothing has used for UNUSED_MS. */
function removeUnused(dir: string): void {
  const before = Date.now() - UNUSED_MS;
  for (const name of readdirSync(dir)) {
    if (!ENTRY.test(name)) continue;
    const path = join(dir, name);
    try {
      if (statSync(path).mtimeMs < before) rmSync(path, { force: true });
    } catch {
      // gone meanwhile, or not ours to remove
    }
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

// An import, a re-export or a dynamic import at the start of a line of the output: the module would depend on other
// files, whose loading (and format) the project's own loader decides. Generated strings never span lines.
const IMPORTS = /^\s*(?:import[\s{*'"(]|export\s[^\n]*\sfrom\s)/m;
const REQUIRES = /\brequire\(/;

/**
 * The JavaScript of `file` (whose text is `source`) as an ES module or as CommonJS, from the cache or compiled now;
 * null when esbuild is missing or cannot compile it, or when the result would import anything (only type imports
 * are expected: they vanish). Synchronous: `require()` is.
 */
export function compiledGenerated(file: string, source: string, format: 'esm' | 'cjs'): string | null {
  const esbuild = esbuildVersion();
  if (esbuild === null) return null;
  const header = `// servicegate ${sha256(`${FORMAT}\0${format}\0${esbuild}\0${process.versions.node}\0${source}`)}\n`;
  const dir = cacheDir();
  const cache = privateDir(dir);
  const entry = join(dir, `${sha256(`${format}\0${file}`).slice(0, 32)}.${format === 'esm' ? 'mjs' : 'cjs'}`);
  if (cache) {
    try {
      const cached = readFileSync(entry, 'utf8');
      if (cached.startsWith(header)) {
        markUsed(entry);
        return cached;
      }
    } catch {
      // no entry yet
    }
  }
  const build = loadEsbuild();
  if (build === null) return null;
  let code: string;
  try {
    code = build.transformSync(source, {
      loader: 'ts',
      format,
      target: `node${process.versions.node}`,
      sourcefile: file,
      sourcemap: false,
    }).code;
  } catch {
    return null;
  }
  if (IMPORTS.test(code) || REQUIRES.test(code)) return null;
  const text = header + code;
  if (!cache) return text;
  // Written beside the entry and renamed over it: a start that reads the entry meanwhile (another worker) gets the
  // old one or the new one, never half of one. A cache that cannot be written is no cache, not an error.
  const part = `${entry}.${randomBytes(6).toString('hex')}.part`;
  try {
    writeFileSync(part, text, { mode: 0o600 });
    renameSync(part, entry);
    removeUnused(dir);
  } catch {
    try {
      rmSync(part, { force: true });
    } catch {
      // left for the next start to overwrite: its name is random, nothing reads it
    }
  }
  return text;
}
