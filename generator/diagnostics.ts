/**
 * Diagnostics: what readers and checks report instead of throwing on user mistakes.
 * Printed like a compiler's: `path:line:column: error CODE: message`.
 */
import type { Loc } from './ir.js';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  readonly code: string; // e.g. 'SG201'
  readonly severity: Severity;
  readonly message: string; // what is wrong, and what to write instead
  readonly loc: Loc;
}

export function error(code: string, message: string, loc: Loc): Diagnostic {
  return { code, severity: 'error', message, loc };
}

export function warning(code: string, message: string, loc: Loc): Diagnostic {
  return { code, severity: 'warning', message, loc };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Stable order: by file, line, column, code, message. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const sorted = [...diagnostics].sort(compareDiagnostics);
  // The same problem found twice (a bad tag on a type alias that several fields use) is reported once.
  return sorted.filter((d, i) => i === 0 || compareDiagnostics(sorted[i - 1]!, d) !== 0);
}

function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    cmp(a.loc.file, b.loc.file) ||
    a.loc.line - b.loc.line ||
    a.loc.column - b.loc.column ||
    cmp(a.code, b.code) ||
    cmp(a.message, b.message) ||
    cmp(a.severity, b.severity)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.loc.file}:${d.loc.line}:${d.loc.column}: ${d.severity} ${d.code}: ${d.message}`;
}

/**
 * A short code frame under the diagnostic (for terminals): the line, and a caret under the column.
 * `source` is the file's text; returns '' when the line does not exist.
 */
export function codeFrame(source: string, loc: Loc): string {
  const lines = source.split('\n');
  const text = lines[loc.line - 1];
  if (text === undefined) return '';
  const gutter = String(loc.line).padStart(5);
  return `${gutter} | ${text.replace(/\r$/, '')}\n${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, loc.column - 1))}^`;
}

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The nearest candidate to `name`, when it is near enough to be a likely typo; '' otherwise. */
export function nearest(name: string, candidates: Iterable<string>): string {
  let best = '';
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance || (d === bestDistance && c < best)) {
      best = c;
      bestDistance = d;
    }
  }
  return best && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : '';
}

/** ` Did you mean 'x'?` or ''. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const n = nearest(name, candidates);
  return n ? ` Did you mean '${n}'?` : '';
}
