/** How the CLI prints diagnostics and summaries: compiler-style lines, code frames on a terminal, or JSON. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeFrame, formatDiagnostic, type Diagnostic } from './diagnostics.js';

export interface OutputFlags {
  readonly quiet?: boolean;
  readonly json?: boolean;
}

/** Prints every diagnostic to stderr (with a code frame under each on a terminal). */
export function printDiagnostics(dir: string, diagnostics: readonly Diagnostic[], flags: OutputFlags): void {
  if (flags.json) return; // reported in the JSON document instead
  const frames = process.stderr.isTTY === true;
  const sources = new Map<string, string>();
  for (const d of diagnostics) {
    if (flags.quiet && d.severity === 'warning') continue;
    process.stderr.write(`${formatDiagnostic(d)}\n`);
    if (!frames) continue;
    if (!sources.has(d.loc.file)) {
      try {
        sources.set(d.loc.file, readFileSync(join(dir, d.loc.file), 'utf8'));
      } catch {
        sources.set(d.loc.file, '');
      }
    }
    const frame = codeFrame(sources.get(d.loc.file)!, d.loc);
    if (frame) process.stderr.write(`${frame}\n`);
  }
}

export function countLine(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A message for the user (stdout), unless --quiet or --json. */
export function say(flags: OutputFlags, message: string): void {
  if (!flags.quiet && !flags.json) process.stdout.write(`${message}\n`);
}
