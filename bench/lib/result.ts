/**
 * What every benchmark module returns: each figure next to the baseline it is judged against, measured in the
 * same run on the same machine. `npm run bench` (bench/run.ts) prints them as a table and writes them as JSON.
 */
export interface Figure {
  readonly group: string; // 'runtime', 'validators', 'generator', 'startup'
  readonly name: string; // e.g. 'gateway call, customers sample'
  readonly unit: string; // 'req/s', 'ops/s', 'ms', 'MB'
  readonly value: number;
  /** The baseline measured in the same run, when the figure is a ratio target. */
  readonly baseline?: { readonly name: string; readonly value: number };
  /** The target, e.g. { ratio: 0.75, higherIsBetter: true } → pass when value/baseline ≥ 0.75; or an absolute limit. */
  readonly target?: { readonly ratio?: number; readonly limit?: number; readonly higherIsBetter: boolean };
  readonly note?: string;
}

/** A figure's note from its parts, '; '-separated; the empty and missing ones left out (undefined when none is left). */
export function noteOf(...parts: (string | undefined)[]): string | undefined {
  const text = parts.filter((p) => p !== undefined && p !== '').join('; ');
  return text === '' ? undefined : text;
}

export interface BenchModule {
  /**
   * quick: the `--quick` mode (the whole suite under a minute). A figure may come as a promise, which the run awaits
   * after the last group (the idle RSS of a server left running while the other groups measure).
   */
  run(options: { quick: boolean }): Promise<(Figure | Promise<Figure>)[]>;
}
