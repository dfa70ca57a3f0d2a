/**
 * `npm run bench [-- --quick] [group…]`: runs the benchmark modules (runtime, startup, validators, generator),
 * prints one table of every figure against its baseline and target, and writes bench/results/latest.json and
 * latest.md. Exits 0 even when a target is missed: it is a report, and FAIL says so.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchModule, Figure } from './lib/result.js';
import { readMachine } from './lib/machine.js';
import { emitMarkdownTable, emitTextTable, judgeFigure } from './lib/report.js';

const GROUPS = ['runtime', 'startup', 'validators', 'generator'] as const;

function usage(): never {
  process.stderr.write(`usage: npm run bench -- [--quick] [${GROUPS.join('|')} …]\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const named = args.filter((a) => a !== '--quick');
if (named.some((a) => a.startsWith('-') || !(GROUPS as readonly string[]).includes(a))) usage();
const groups = named.length === 0 ? GROUPS : GROUPS.filter((g) => named.includes(g));

const figures: (Figure | Promise<Figure>)[] = [];
const skipped: string[] = [];
const started = Date.now();
for (const group of groups) {
  const file = fileURLToPath(new URL(`./${group}.ts`, import.meta.url));
  if (!existsSync(file)) {
    skipped.push(`${group}: bench/${group}.ts is missing, skipped`);
    continue;
  }
  process.stderr.write(`${group}${quick ? ' (quick)' : ''}…\n`);
  try {
    const mod = (await import(`./${group}.js`)) as { bench?: BenchModule };
    if (mod.bench === undefined) throw new Error(`bench/${group}.ts does not export 'bench'`);
    figures.push(...(await mod.bench.run({ quick })));
  } catch (err) {
    // One failing group must not hide the others' figures.
    process.stderr.write(`${group} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    skipped.push(`${group}: failed (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
  }
}

// Figures that came as promises, in their places; one that failed is skipped with its reason.
const settled = await Promise.allSettled(figures);
const done: Figure[] = [];
for (const r of settled) {
  if (r.status === 'fulfilled') done.push(r.value);
  else skipped.push(`a figure failed (${r.reason instanceof Error ? r.reason.message.split('\n')[0] : String(r.reason)})`);
}

const machine = readMachine();
const date = new Date().toISOString();
const rows = done.map(judgeFigure);
let text = emitTextTable(rows, machine);
if (skipped.length > 0) text += skipped.map((s) => `Skipped: ${s}`).join('\n') + '\n';
process.stdout.write(`\n${text}(${quick ? 'quick mode, ' : ''}${((Date.now() - started) / 1000).toFixed(0)} s)\n`);

const results = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(results, { recursive: true });
const json = {
  date,
  quick,
  machine,
  groups,
  skipped,
  figures: rows.map((r) => ({ ...r.figure, ratio: r.ratio, result: r.verdict === '' ? null : r.verdict })),
};
writeFileSync(`${results}latest.json`, JSON.stringify(json, null, 2) + '\n');
let md = emitMarkdownTable(rows, machine, date.slice(0, 10));
if (skipped.length > 0) md += '\n' + skipped.map((s) => `Skipped: ${s}`).join('\n') + '\n';
writeFileSync(`${results}latest.md`, md);
process.stdout.write(`Wrote bench/results/latest.json and bench/results/latest.md\n`);
