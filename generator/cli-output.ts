/** How the CLI prints diagnostics and summaries: compiler-style lines, code frames on a terminal, or JSON. */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { codeFrame, formatDiagnostic, type Diagnostic } from './diagnostics.js';

export interface OutputFlags {
  readonly quiet?: boolean;
  readonly json?: boolean;
}

/** Prints every diagnostic to stderr (with a code frame under each on a terminal). */
export function printDiagnostics(dir: string, diagnostics: readonly Diagnostic[], flags: OutputFlags): void {
  if (flags.json) return; // reported in the JSON document instead
  const frames = process.stderr.isTTY === true;
  const sources = new Map<string, string | null>(); // null: not a readable file (a pattern that matched nothing)
  for (const d of diagnostics) {
    if (flags.quiet && d.severity === 'warning') continue;
    process.stderr.write(`${formatDiagnostic(d)}\n`);
    if (!frames) continue;
    if (!sources.has(d.loc.file)) {
      try {
        sources.set(d.loc.file, readFileSync(join(dir, d.loc.file), 'utf8'));
      } catch {
        sources.set(d.loc.file, null);
      }
    }
    const source = sources.get(d.loc.file);
    const frame = source == null ? '' : codeFrame(source, d.loc);
    if (frame) process.stderr.write(`${frame}\n`);
  }
}

export function countLine(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return `${count(errors, 'error')}, ${count(diagnostics.length - errors, 'warning')}`;
}

/** `1 service`, `2 services`, `0 services`, `5,000 services`. */
export function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A message for the user (stdout), unless --quiet or --json. */
export function say(flags: OutputFlags, message: string): void {
  if (!flags.quiet && !flags.json) process.stdout.write(`${message}\n`);
}

/**
 * A file system error (writing the output, mostly) as a sentence saying where, what and how to fix it, instead of
 * Node's `ENOTDIR: not a directory, scandir '…'`; undefined for any other error. The path may be the project dir,
 * an input or the output (this does not know which), so the advice names no option.
 */
export function fileProblem(err: unknown): string | undefined {
  const e = err as NodeJS.ErrnoException;
  if (!(err instanceof Error) || typeof e.code !== 'string' || typeof e.path !== 'string') return undefined;
  const path = e.path;
  switch (e.code) {
    case 'ENOTDIR':
    case 'EEXIST': {
      const file = fileInTheWay(path);
      return file === undefined ? undefined : `cannot use ${path}: ${file} is a file where a directory is needed; move it away or use another path`;
    }
    case 'EACCES':
    case 'EPERM':
      return `cannot use ${path}: permission denied; fix its permissions or use another path`;
    case 'EROFS':
      return `cannot write ${path}: the file system is read-only; use another path`;
    case 'ENOSPC':
    case 'EDQUOT':
      return `cannot write ${path}: no space left on the device; free some space and run again`;
    default:
      return undefined;
  }
}

/** The first existing part of `path` (from the root down) that is not a directory, if any. */
function fileInTheWay(path: string): string | undefined {
  const parts: string[] = [];
  for (let p = path; ; p = dirname(p)) {
    parts.unshift(p);
    if (dirname(p) === p) break;
  }
  for (const p of parts) {
    try {
      if (!statSync(p).isDirectory()) return p;
    } catch {
      return undefined; // missing: nothing further down exists either
    }
  }
  return undefined;
}
