/**
 * Writing generated files: all or nothing, and only what changed.
 *
 * The new output is staged in a sibling temp dir; when anything differs, the old dir is renamed aside, the staged
 * dir renamed into place and the old one removed. An interrupted build therefore leaves either the previous
 * output or the new one, never a mix; unchanged files keep their bytes and modification times (watchers and
 * incremental compilers see no change). The next build cleans up what a killed one left (see recoverOutput).
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

/** Writes `files` as the whole content of `outDir`, atomically (see the module comment). */
export function writeOutput(outDir: string, files: readonly OutputFile[]): WriteResult {
  recoverOutput(outDir);
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
