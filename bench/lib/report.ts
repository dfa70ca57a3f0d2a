/**
 * The benchmark report: each figure judged against its target, printed as a plain-text table for the terminal and
 * as Markdown for the README, and stored as JSON with the machine it ran on.
 */
import type { Figure } from './result.js';
import type { Machine } from './machine.js';

export type Verdict = 'PASS' | 'FAIL' | '';

export interface Row {
  readonly figure: Figure;
  readonly ratio: number | null;
  readonly verdict: Verdict;
}

/** value / baseline, and whether the figure meets its target (ratio and limit both apply when both are set). */
export function judgeFigure(figure: Figure): Row {
  const ratio = figure.baseline !== undefined && figure.baseline.value > 0 ? figure.value / figure.baseline.value : null;
  const target = figure.target;
  if (target === undefined) return { figure, ratio, verdict: '' };
  const ok = (have: number, want: number): boolean => (target.higherIsBetter ? have >= want : have <= want);
  let pass = Number.isFinite(figure.value);
  if (target.ratio !== undefined) pass &&= ratio !== null && ok(ratio, target.ratio);
  if (target.limit !== undefined) pass &&= ok(figure.value, target.limit);
  return { figure, ratio, verdict: pass ? 'PASS' : 'FAIL' };
}

/** 85123.4 → '85,123'; 2.345 → '2.35'. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function targetText(figure: Figure): string {
  const t = figure.target;
  if (t === undefined) return '';
  const op = t.higherIsBetter ? '≥' : '≤';
  const parts: string[] = [];
  if (t.ratio !== undefined) parts.push(`${op} ${t.ratio} ×`);
  if (t.limit !== undefined) parts.push(`${op} ${formatNumber(t.limit)} ${figure.unit}`);
  return parts.join(', ');
}

const HEADERS = ['group', 'figure', 'value', 'baseline', 'ratio', 'target', 'result'] as const;

function cells(row: Row): string[] {
  const f = row.figure;
  return [
    f.group,
    f.name,
    `${formatNumber(f.value)} ${f.unit}`,
    f.baseline === undefined ? '' : `${f.baseline.name}: ${formatNumber(f.baseline.value)}`,
    row.ratio === null ? '' : `${row.ratio.toFixed(2)} ×`,
    targetText(f),
    row.verdict,
  ];
}

/** One line describing the machine, for the top of both tables. */
export function describeMachine(machine: Machine): string {
  const pin = machine.pinning ? 'server and load generator pinned to separate cores (taskset)' : 'unpinned (no taskset)';
  return `${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.os}; ${pin}; load average ${machine.loadAverage.join(' ')}`;
}

/** A fixed-width table for the terminal; notes follow as numbered footnotes. */
export function emitTextTable(rows: readonly Row[], machine: Machine): string {
  const body = rows.map(cells);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (r: readonly string[]): string => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [`Machine: ${describeMachine(machine)}`, '', line(HEADERS), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of body) out.push(line(r));
  out.push(...notes(rows));
  const failed = rows.filter((r) => r.verdict === 'FAIL');
  out.push('', failed.length === 0 ? 'All targets met.' : `FAIL: ${failed.length} target(s) missed: ${failed.map((r) => r.figure.name).join('; ')}`);
  return out.join('\n') + '\n';
}

function notes(rows: readonly Row[]): string[] {
  const withNotes = rows.filter((r) => r.figure.note !== undefined && r.figure.note !== '');
  if (withNotes.length === 0) return [];
  return ['', 'Notes:', ...withNotes.map((r) => `- ${r.figure.group} / ${r.figure.name}: ${r.figure.note}`)];
}

function mdCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/** The same table in Markdown, for the README. */
export function emitMarkdownTable(rows: readonly Row[], machine: Machine, date: string): string {
  const out = [`Measured ${date} on ${mdCell(describeMachine(machine))}.`, '', `| ${HEADERS.join(' | ')} |`, `|${HEADERS.map(() => '---').join('|')}|`];
  for (const r of rows) out.push(`| ${cells(r).map(mdCell).join(' | ')} |`);
  out.push(...notes(rows).map(mdCell));
  return out.join('\n') + '\n';
}
