/**
 * Writing generated files: all or nothing, and only what changed.
 *
 * The new output is staged in a sibling temp dir; when anything differs, the old dir is renamed aside, the staged
 * dir renamed into place and the old one removed. An interrupted build therefore leaves either the previous
 * output or the new one, never a mix; unchanged files keep their bytes and modification times (watchers and
 * incremental compilers see no change).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
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

function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** Compares `files` with what is on disk: the names of files that are missing, differ, or should not be there. */
export function compareOutput(outDir: string, files: readonly OutputFile[]): { missing: string[]; differ: string[]; extra: string[] } {
  const wanted = new Set(files.map((f) => f.path));
  const missing: string[] = [];
  const differ: string[] = [];
  for (const f of files) {
    const current = readOrNull(join(outDir, f.path));
    if (current === null) missing.push(f.path);
    else if (current !== f.content) differ.push(f.path);
  }
  const extra = listDir(outDir).filter((p) => !wanted.has(p));
  return { missing, differ, extra };
}

/** Writes `files` as the whole content of `outDir`, atomically (see the module comment). */
export function writeOutput(outDir: string, files: readonly OutputFile[]): WriteResult {
  const { missing, differ, extra } = compareOutput(outDir, files);
  const unchanged = files.map((f) => f.path).filter((p) => !missing.includes(p) && !differ.includes(p));
  if (missing.length === 0 && differ.length === 0 && extra.length === 0) return { written: [], unchanged, removed: [] };

  const parent = dirname(outDir);
  mkdirSync(parent, { recursive: true });
  const stamp = `${process.pid}-${Date.now().toString(36)}`;
  const staging = join(parent, `.${basename(outDir)}.tmp-${stamp}`);
  const old = join(parent, `.${basename(outDir)}.old-${stamp}`);
  try {
    for (const f of files) {
      const target = join(staging, f.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, f.content);
      if (unchanged.includes(f.path)) {
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
  return { written: [...missing, ...differ].sort(), unchanged, removed: extra };
}
