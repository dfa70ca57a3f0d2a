/**
 * Writing generated files: all or nothing, and only what changed.
 *
 * The new output is staged in a sibling temp dir; when anything differs, the old dir is renamed aside, the staged
 * dir renamed into place and the old one removed. An interrupted build therefore leaves either the previous
 * output or the new one, never a mix; unchanged files keep their bytes and modification times (watchers and
 * incremental compilers see no change). The next build cleans up what a killed one left (see recoverOutput).
 */
import { closeSync, existsSync, linkSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface OutputFile {
  readonly path: string; // relative to the output dir, '/' separators
  readonly content: string;
  /**
   * The same text in pieces (`content` is their concatenation), when an emitter made it that way: compared and
   * written piece by piece, never joined. Joining 15 MB costs a full copy into fresh memory (~1 ms per MB here),
   * and most pieces of a watch rebuild are the very strings of the previous one, which compare by identity.
   */
  readonly parts?: readonly string[];
  /** The UTF-8 bytes of `content`, when they were made elsewhere (the build helper's thread): compared and written as they are. */
  readonly bytes?: Uint8Array;
  /**
   * A file that already holds `bytes` (the build helper's thread wrote it, named like a staging dir of this
   * process): writeOutput moves it into place instead of writing the bytes, and removes it when they are not needed.
   */
  readonly written?: string;
}

/** An output file made of `parts`; its `content` is joined only when something asks for it. */
export function outputFile(path: string, parts: readonly string[]): OutputFile {
  let joined: string | undefined;
  return {
    path,
    parts,
    get content(): string {
      return (joined ??= parts.join(''));
    },
  };
}

/**
 * An output file whose UTF-8 bytes are made (and, with `written`, already in that file); its `content` is decoded
 * only when something asks for it.
 */
export function outputBytes(path: string, bytes: Uint8Array, written?: string): OutputFile {
  let text: string | undefined;
  return {
    path,
    bytes,
    ...(written !== undefined ? { written } : {}),
    get content(): string {
      return (text ??= Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
    },
  };
}

function piecesOf(f: OutputFile): readonly string[] {
  return f.parts ?? [f.content];
}

function lengthOf(pieces: readonly string[]): number {
  let n = 0;
  for (const p of pieces) n += p.length;
  return n;
}

/** Whether the concatenations of `a` and `b` are equal, without making them: equal pieces (often the same string) are skipped whole. */
export function sameText(a: readonly string[], b: readonly string[]): boolean {
  if (lengthOf(a) !== lengthOf(b)) return false;
  let i = 0;
  let j = 0;
  let ai = 0; // offsets into a[i] and b[j]
  let bj = 0;
  for (;;) {
    while (i < a.length && ai === a[i]!.length) (i++, (ai = 0));
    while (j < b.length && bj === b[j]!.length) (j++, (bj = 0));
    if (i === a.length || j === b.length) return i === a.length && j === b.length;
    const x = a[i]!;
    const y = b[j]!;
    if (ai === 0 && bj === 0 && x === y) {
      ai = x.length;
      bj = y.length;
      continue;
    }
    const n = Math.min(x.length - ai, y.length - bj);
    if (x.slice(ai, ai + n) !== y.slice(bj, bj + n)) return false;
    ai += n;
    bj += n;
  }
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
  private readonly files = new Map<string, { readonly pieces: readonly string[]; readonly key: string }>();

  /** The content of `file` (in pieces) if it is still what was remembered for it, else undefined. */
  recall(file: string): readonly string[] | undefined {
    const known = this.files.get(file);
    if (known === undefined) return undefined;
    return identity(file) === known.key ? known.pieces : undefined;
  }

  remember(file: string, content: OutputFile): void {
    const key = identity(file);
    if (key === null) this.files.delete(file);
    else this.files.set(file, { pieces: piecesOf(content), key });
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

function readOrNull(file: string): Buffer | null {
  try {
    return readFileSync(file);
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
    const file = join(outDir, f.path);
    const known = memory?.recall(file);
    if (known !== undefined) {
      if (!sameText(known, piecesOf(f))) differ.push(f.path);
      continue;
    }
    // Bytes, not decoded text: what is on disk is what gen build would write only if the bytes are the same.
    const current = readOrNull(file);
    if (current === null) missing.push(f.path);
    else if (f.bytes ? !current.equals(f.bytes) : !sameBytes(current, piecesOf(f))) differ.push(f.path);
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

/** Moves a file written ahead into the staging dir (the same file system: both are next to the output dir). */
function moveInto(file: string, target: string): boolean {
  try {
    renameSync(file, target);
    return true;
  } catch {
    return false;
  }
}

const CHUNK = 1 << 20;
let chunk: Buffer | undefined; // reused: fresh memory for every file's bytes costs page faults each time

/**
 * Hands the UTF-8 bytes of the concatenation of `pieces` to `take`, a buffer at a time (a reused buffer: valid until
 * `take` returns), encoded piece by piece, never joined; stops early when `take` returns false. Returns whether
 * every buffer was taken.
 */
function encodePieces(pieces: readonly string[], take: (bytes: Buffer) => boolean): boolean {
  // A piece ending in a high surrogate could pair with the next one's start: encode such a text whole.
  if (pieces.length === 1 || pieces.some((p) => p.length > 0 && (p.charCodeAt(p.length - 1) & 0xfc00) === 0xd800)) {
    return take(Buffer.from(pieces.length === 1 ? pieces[0]! : pieces.join(''), 'utf8'));
  }
  const buf = (chunk ??= Buffer.allocUnsafe(CHUNK));
  let n = 0;
  for (const p of pieces) {
    if (p.length === 1 && p.charCodeAt(0) < 0x80 && n < CHUNK) {
      buf[n++] = p.charCodeAt(0);
      continue;
    }
    if (p.length * 3 > CHUNK - n) {
      if (n > 0 && !take(buf.subarray(0, n))) return false;
      n = 0;
      if (p.length * 3 > CHUNK) {
        if (!take(Buffer.from(p, 'utf8'))) return false;
        continue;
      }
    }
    n += buf.write(p, n, 'utf8'); // room for 3 bytes per UTF-16 unit: never cut short
  }
  return n === 0 || take(buf.subarray(0, n));
}

/** Writes `pieces` as one UTF-8 file. */
function writeText(file: string, pieces: readonly string[]): void {
  const fd = openSync(file, 'w');
  try {
    encodePieces(pieces, (bytes) => {
      writeAll(fd, bytes);
      return true;
    });
  } finally {
    closeSync(fd);
  }
}

function writeBytes(file: string, bytes: Uint8Array): void {
  const fd = openSync(file, 'w');
  try {
    writeAll(fd, bytes);
  } finally {
    closeSync(fd);
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
}

/** Whether `bytes` (a file's) are the UTF-8 of the concatenation of `pieces`: compared as bytes, never decoded or joined. */
function sameBytes(bytes: Buffer, pieces: readonly string[]): boolean {
  let at = 0;
  const all = encodePieces(pieces, (b) => {
    if (at + b.length > bytes.length || !bytes.subarray(at, at + b.length).equals(b)) return false;
    at += b.length;
    return true;
  });
  return all && at === bytes.length;
}

/**
 * Writes `files` as the whole content of `outDir`, atomically (see the module comment). With `memory` (kept by
 * the caller from one write to the next) unchanged output is recognised without reading it back. With `later`,
 * removing the previous output (unlinking tens of MB, once the new output is in place) is handed to it instead of
 * done before returning: a watch mode reports the build first. A removal that never runs (the process was
 * killed) is done by the next build's recoverOutput.
 */
export function writeOutput(
  outDir: string,
  files: readonly OutputFile[],
  memory?: OutputMemory,
  later?: (task: () => void) => void,
): WriteResult {
  try {
    return writeStaged(outDir, files, memory, later);
  } finally {
    // What was written ahead and not moved into place (unchanged, or the write failed) is not needed.
    for (const f of files) if (f.written !== undefined) rmSync(f.written, { force: true });
  }
}

function writeStaged(outDir: string, files: readonly OutputFile[], memory: OutputMemory | undefined, later: ((task: () => void) => void) | undefined): WriteResult {
  recoverOutput(outDir);
  const { missing, differ, extra } = compareOutput(outDir, files, memory);
  const unchanged = files.map((f) => f.path).filter((p) => !missing.includes(p) && !differ.includes(p));
  if (missing.length === 0 && differ.length === 0 && extra.length === 0) {
    if (memory) for (const f of files) memory.remember(join(outDir, f.path), f);
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
      if (!keep.has(f.path) && f.written !== undefined && moveInto(f.written, target)) continue;
      if (f.bytes) writeBytes(target, f.bytes);
      else writeText(target, piecesOf(f));
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
  const removeOld = () => rmSync(old, { recursive: true, force: true });
  if (later) {
    later(() => {
      try {
        removeOld();
      } catch {
        // left for the next build's recoverOutput
      }
    });
  } else removeOld();
  if (memory) for (const f of files) memory.remember(join(outDir, f.path), f);
  return { written: [...missing, ...differ].sort(), unchanged, removed: extra };
}
