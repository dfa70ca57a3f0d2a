/** The machine a run measured on, printed above the table and stored with the figures. */
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly node: string;
  readonly os: string;
  /** Whether `taskset` is available to pin servers and load generators to separate cores. */
  readonly pinning: boolean;
  readonly loadAverage: readonly number[];
}

/** True when util-linux `taskset` is on PATH and the machine has at least two cores to pin to. */
export function canPin(): boolean {
  if (pinCache === undefined) {
    pinCache = os.cpus().length >= 2;
    try {
      if (pinCache) execFileSync('sh', ['-c', 'command -v taskset'], { stdio: 'ignore' });
    } catch {
      pinCache = false;
    }
  }
  return pinCache;
}

let pinCache: boolean | undefined;

/** Reads CPU model, core count, Node version and the current load average. */
export function readMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: (cpus[0]?.model ?? 'unknown CPU').replace(/\s+/g, ' ').trim(),
    cores: cpus.length,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    pinning: canPin(),
    loadAverage: os.loadavg().map((n) => Math.round(n * 100) / 100),
  };
}

/** `argv` prefixed with `taskset -c <core>` when pinning is possible. */
export function pinned(core: number, argv: readonly string[]): string[] {
  return canPin() ? ['taskset', '-c', String(core), ...argv] : [...argv];
}
