/**
 * Writing generated files: all or nothing, and only what changed.
 *
 * The new output is staged in a sibling temp dir; when anything differs, the old dir is renamed aside, the staged
 * dir renamed into place and the old one removed. An interrupted build therefore leaves either the previous
 * output or the new one, never a mix; unchanged files keep their bytes and modification times (watchers and
 * incremental compilers see no change). The next build cleans up what a killed one left (see recoverOutput).
 */
import { existsSync, linkSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface OutputFile {
  readonly path: string; // relative to the output dir, '/' separators
  readonly content: string;
}

export interface WriteResult {
  readonly written: string[]; // changed or new
  readonly unchanged: string[];
  readonly removed: string[]; // files that were there and are no longer generated
}

function listDir(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listDir(full, `${prefix}${name}/`));
    else out.push(`${prefix}${name}`);
  }
  return out;
}

/**
 * What one writer last put on disk: per output path, the content and the file's identity (inode, size, mtime)
 * right after writing. A watch mode keeps one so that comparing a rebuild with the output does not read tens of
 * megabytes back: a file whose identity is unchanged still holds the remembered content; any other is read.
 */
export class OutputMemory {
  private readonly files = new Map<string, { readonly content: string; readonly key: string }>();

  /** The content of `file` if it is still what was remembered for it, else undefined. */
  recall(file: string): string | undefined {
    const known = this.files.get(file);
    if (known === undefined) return undefined;
    return identity(file) === known.key ? known.content : undefined;
  }

  remember(file: string, content: string): void {
    const key = identity(file);
    if (key === null) this.files.delete(file);
    else this.files.set(file, { content, key });
  }
}

function identity(file: string): string | null {
  try {
    const s = statSync(file, { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch {
    return null;
  }
}

function readOrNull(file: string, memory?: OutputMemory): string | null {
  const known = memory?.recall(file);
  if (known !== undefined) return known;
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** Compares `files` with what is on disk: the names of files that are missing, differ, or should not be there. */
export function compareOutput(
  outDir: string,
  files: readonly OutputFile[],
  memory?: OutputMemory,
): { missing: string[]; differ: string[]; extra: string[] } {
  const wanted = new Set(files.map((f) => f.path));
  const missing: string[] = [];
  const differ: string[] = [];
  for (const f of files) {
    const current = readOrNull(join(outDir, f.path), memory);
    if (current === null) missing.push(f.path);
    else if (current !== f.content) differ.push(f.path);
  }
  const extra = listDir(outDir).filter((p) => !wanted.has(p));
  return { missing, differ, extra };
}

/** Whether process `pid` still runs (EPERM: it does, as another user). */
function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Cleans up after a build that was killed: its staging dir (`.<out>.tmp-<pid>-<stamp>`) is removed, and its
 * backup (`.<out>.old-<pid>-<stamp>`) is removed too, or renamed back when `outDir` itself is missing (the build
 * died between its two renames, so the backup is the previous output). Dirs of a build whose process still runs
 * are left alone. Returns the names removed or restored.
 */
export function recoverOutput(outDir: string): string[] {
  const parent = dirname(outDir);
  const prefix = `.${basename(outDir)}.`;
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  const stale = names
    .map((name) => ({ name, m: name.startsWith(prefix) ? /^(tmp|old)-(\d+)-([0-9a-z]+)$/.exec(name.slice(prefix.length)) : null }))
    .filter((x): x is { name: string; m: RegExpExecArray } => x.m !== null && !isAlive(Number(x.m[2])))
    .sort((a, b) => parseInt(b.m[3]!, 36) - parseInt(a.m[3]!, 36)); // newest first: that backup is restored
  for (const { name, m } of stale) {
    const full = join(parent, name);
    if (m[1] === 'old' && !existsSync(outDir)) renameSync(full, outDir);
    else rmSync(full, { recursive: true, force: true });
  }
  return stale.map((x) => x.name);
}

/**
 * An unchanged file goes into the staging dir as a hard link to the current one: same bytes and times, and
 * nothing to write (the old dir's name for it is removed after the swap). False where links are not supported.
 */
function linkUnchanged(current: string, target: string): boolean {
  try {
    linkSync(current, target);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes `files` as the whole content of `outDir`, atomically (see the module comment). With `memory` (kept by
 * the caller from one write to the next) unchanged output is recognised without reading it back.
 */
export function writeOutput(outDir: string, files: readonly OutputFile[], memory?: OutputMemory): WriteResult {
  recoverOutput(outDir);
  const { missing, differ, extra } = compareOutput(outDir, files, memory);
  const unchanged = files.map((f) => f.path).filter((p) => !missing.includes(p) && !differ.includes(p));
  if (missing.length === 0 && differ.length === 0 && extra.length === 0) {
    if (memory) for (const f of files) memory.remember(join(outDir, f.path), f.content);
    return { written: [], unchanged, removed: [] };
  }
  const keep = new Set(unchanged);

  const parent = dirname(outDir);
  mkdirSync(parent, { recursive: true });
  const stamp = `${process.pid}-${Date.now().toString(36)}`;
  const staging = join(parent, `.${basename(outDir)}.tmp-${stamp}`);
  const old = join(parent, `.${basename(outDir)}.old-${stamp}`);
  try {
    for (const f of files) {
      const target = join(staging, f.path);
      mkdirSync(dirname(target), { recursive: true });
      if (keep.has(f.path) && linkUnchanged(join(outDir, f.path), target)) continue;
      writeFileSync(target, f.content);
      if (keep.has(f.path)) {
        const { atime, mtime } = statSync(join(outDir, f.path));
        utimesSync(target, atime, mtime);
      }
    }
    if (existsSync(outDir)) renameSync(outDir, old);
    renameSync(staging, outDir);
  } catch (err) {
    if (!existsSync(outDir) && existsSync(old)) renameSync(old, outDir);
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
  rmSync(old, { recursive: true, force: true });
  if (memory) for (const f of files) memory.remember(join(outDir, f.path), f.content);
  return { written: [...missing, ...differ].sort(), unchanged, removed: extra };
}
