/**
 * `npm run soak`: the long soak of issue 6 — 60 s measured (after a 10 s warm-up) at 200 connections against
 * `gen serve` on the customers sample, then SIGTERM. Exits 1 when any criterion fails.
 *   npm run soak -- --duration 120 --connections 400 --seed 7 --json
 */
import { parseArgs } from 'node:util';
import { checkSoak, formatSoak, runSoak } from './soak.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '60' },
    warmup: { type: 'string', default: '10' },
    connections: { type: 'string', default: '200' },
    seed: { type: 'string', default: '6' },
    json: { type: 'boolean', default: false },
  },
});

const number = (name: string, text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`soak: --${name} must be a positive whole number, got '${text}'\n`);
    process.exit(2);
  }
  return n;
};

const result = await runSoak({
  durationS: number('duration', values.duration),
  warmupS: number('warmup', values.warmup),
  connections: number('connections', values.connections),
  seed: number('seed', values.seed),
  log: (line) => process.stderr.write(`${line}\n`),
});
const problems = checkSoak(result);
process.stdout.write(values.json ? `${JSON.stringify({ ...result, problems }, null, 2)}\n` : `${formatSoak(result)}\n`);
if (problems.length > 0) {
  process.stderr.write(`soak FAILED: ${problems.join('; ')}\n`);
  process.exitCode = 1;
} else if (!values.json) process.stdout.write('soak passed: 0 transport errors, 0 unexpected statuses, RSS growth within 10%, exit 0\n');
