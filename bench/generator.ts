/**
 * Generator benchmark (issue 5, target 3): synthetic projects of 100 / 1,000 / 5,000 services (quick: 100 and
 * 1,000), written both as a servicegate project and as a tsoa 6 project with the same models. Cold `gen build`
 * (a new process, no previous output) against `tsoa spec-and-routes`, wall time and peak RSS, runs interleaved;
 * target gen ≤ 0.6 × tsoa. Then `gen build --watch` at 1,000 services: the time from writing a one-field change
 * to one model until the rebuilt output is on disk (the watcher prints its line after writing); target ≤ 300 ms.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchModule, Figure } from './lib/result.js';
import { serviceId, serviceSource, writeServicegateProject, writeTsoaProject } from './fixtures/synthetic-project.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const GEN = join(REPO, 'bin', 'gen.js');
const TSOA = join(REPO, 'node_modules', 'tsoa', 'dist', 'cli.js');

/** Preloaded into each measured process: writes its peak RSS (KiB) to the file named by SG_BENCH_RSS at exit. */
const RSS_PRELOAD =
  "data:text/javascript,import{writeFileSync}from'node:fs';" +
  "process.on('exit',()=>writeFileSync(process.env.SG_BENCH_RSS,String(process.resourceUsage().maxRSS)))";

interface Run {
  readonly ms: number;
  readonly rssMb: number;
}

/** Runs `node <script> <args>` in `cwd` to completion; wall time and peak RSS. Throws when it fails. */
function measureProcess(script: string, args: readonly string[], cwd: string, rssFile: string): Run {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', RSS_PRELOAD, script, ...args], {
    cwd,
    env: { ...process.env, SG_BENCH_RSS: rssFile },
    encoding: 'utf8',
    timeout: 600_000,
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${script} ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  return { ms, rssMb: Number(readFileSync(rssFile, 'utf8')) / 1024 };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Cold builds of both projects, interleaved `runs` times; medians. */
function coldBuilds(sgDir: string, tsoaDir: string, runs: number, rssFile: string): { gen: Run; tsoa: Run } {
  const gen: Run[] = [];
  const tsoa: Run[] = [];
  for (let i = 0; i < runs; i++) {
    rmSync(join(sgDir, 'generated'), { recursive: true, force: true });
    gen.push(measureProcess(GEN, ['build', '.', '--quiet'], sgDir, rssFile));
    rmSync(join(tsoaDir, 'build'), { recursive: true, force: true });
    tsoa.push(measureProcess(TSOA, ['spec-and-routes'], tsoaDir, rssFile));
  }
  const pick = (list: Run[]) => ({ ms: median(list.map((r) => r.ms)), rssMb: median(list.map((r) => r.rssMb)) });
  return { gen: pick(gen), tsoa: pick(tsoa) };
}

/** Resolves with the next stdout line of `child` that matches `pattern` (and the time it arrived). */
function nextLine(lines: AsyncIterator<string>, pattern: RegExp, timeoutMs: number): Promise<{ line: string; at: number }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms`)), timeoutMs);
    const pump = (): void => {
      lines.next().then(({ value, done }) => {
        if (done) {
          clearTimeout(timer);
          reject(new Error('gen build --watch exited'));
        } else if (pattern.test(value)) {
          clearTimeout(timer);
          resolve({ line: value, at: performance.now() });
        } else pump();
      }, reject);
    };
    pump();
  });
}

async function* splitLines(stream: NodeJS.ReadableStream): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of stream) {
    rest += String(chunk);
    let i: number;
    while ((i = rest.indexOf('\n')) !== -1) {
      yield rest.slice(0, i);
      rest = rest.slice(i + 1);
    }
  }
}

/** Median time from writing a one-field change to service `target`'s model until the watcher has written the output. */
async function watchRebuilds(sgDir: string, n: number, edits: number): Promise<number> {
  const target = Math.ceil(n / 2);
  const file = join(sgDir, 'services', `${serviceId(target)}.ts`);
  const child = spawn(process.execPath, [GEN, 'build', '--watch', '.'], { cwd: sgDir, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = splitLines(child.stdout!)[Symbol.asyncIterator]();
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += String(c)));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const times: number[] = [];
  try {
    await nextLine(lines, /^watching /, 600_000);
    await new Promise((r) => setTimeout(r, 300)); // let the first build's own file events pass
    for (let k = 1; k <= edits; k++) {
      const field = `bench_field_${k}`;
      writeFileSync(file, serviceSource(target, `${field}?: string;`));
      const t0 = performance.now();
      const { line, at } = await nextLine(lines, /\] built in /, 60_000);
      if (!line.includes('validators.ts') || !readFileSync(join(sgDir, 'generated', 'validators.ts'), 'utf8').includes(field)) {
        throw new Error(`the rebuild did not bring ${field} into generated/validators.ts: ${line}`);
      }
      times.push(at - t0);
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${stderr.slice(0, 2000)}`);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  writeFileSync(file, serviceSource(target));
  return median(times);
}

export const bench: BenchModule = {
  async run({ quick }) {
    const sizes = quick ? [100, 1000] : [100, 1000, 5000];
    const runs = quick ? 1 : 3;
    const root = mkdtempSync(join(tmpdir(), 'sg-bench-generator-'));
    const rssFile = join(root, 'rss');
    const figures: Figure[] = [];
    try {
      for (const n of sizes) {
        const sgDir = join(root, `servicegate-${n}`);
        const tsoaDir = join(root, `tsoa-${n}`);
        mkdirSync(sgDir);
        mkdirSync(tsoaDir);
        writeServicegateProject(sgDir, n);
        writeTsoaProject(tsoaDir, n, join(REPO, 'node_modules'));
        const { gen, tsoa } = coldBuilds(sgDir, tsoaDir, runs, rssFile);
        figures.push({
          group: 'generator',
          name: `cold gen build, ${n} services`,
          unit: 'ms',
          value: Math.round(gen.ms),
          baseline: { name: 'tsoa 6 spec-and-routes', value: Math.round(tsoa.ms) },
          target: { ratio: 0.6, higherIsBetter: false },
          note: runs > 1 ? `median of ${runs} interleaved runs` : 'one run each',
        });
        figures.push({
          group: 'generator',
          name: `peak RSS of gen build, ${n} services`,
          unit: 'MB',
          value: Math.round(gen.rssMb),
          baseline: { name: 'tsoa 6 spec-and-routes', value: Math.round(tsoa.rssMb) },
        });
        if (n === 1000) {
          const ms = await watchRebuilds(sgDir, n, quick ? 3 : 7);
          figures.push({
            group: 'generator',
            name: 'gen build --watch: one-field model change to output on disk, 1000 services',
            unit: 'ms',
            value: Math.round(ms),
            target: { limit: 300, higherIsBetter: false },
            note: `median of ${quick ? 3 : 7} edits`,
          });
        }
        rmSync(sgDir, { recursive: true, force: true });
        rmSync(tsoaDir, { recursive: true, force: true });
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    return figures;
  },
};
