/**
 * Phase timings of a build (BuildResult.timings plus `write`), for finding where a build's time goes: printed after
 * each build line when the environment has SERVICEGATE_TIMINGS=1 (`gen build`, `gen build --watch`), and always
 * part of `gen build --json`. Never part of generated output.
 */

/** Whether SERVICEGATE_TIMINGS asks for timings to be printed. */
export function timingsWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(1|true|yes)$/i.test(env.SERVICEGATE_TIMINGS ?? '');
}

/** Milliseconds to one decimal, as timings are kept. */
export function tenths(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** `timings (ms): read services 20.1, check 3.2, emit openapi 41, …`, phases in the order they ran. */
export function timingsLine(timings: Readonly<Record<string, number>>): string {
  return `timings (ms): ${Object.entries(timings).map(([phase, ms]) => `${phase} ${ms}`).join(', ')}`;
}
