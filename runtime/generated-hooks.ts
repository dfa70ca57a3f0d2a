/**
 * A module hook that `gen serve` registers after tsx's (runtime/serve.ts), for the files of generated/.
 *
 * - generated/validators.ts is compiled here, with esbuild and without a source map, and the JavaScript is kept in a
 *   cache (see generated-cache.ts), so tsx never sees it. tsx compiles every file with an inline source map, which
 *   for validators.ts at 5,000 services (74 MB) took most of a first start's 28 s and 3 GB, and then made every later
 *   start read and parse a file ~3.5 times the size. It only imports types, so it is an ES module whatever the
 *   project's package.json says.
 * - Every other file of generated/ goes through tsx and arrives without the inline map tsx appended: Node keeps a
 *   parsed source map for each module that has one, and for generated code, which users do not debug, that only
 *   costs time and memory. Service files keep theirs, so their stack traces still point into the TypeScript.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compiledGenerated } from './generated-cache.js';

let prefixes: readonly string[] = [];

/** `data.prefixes`: file URLs of generated/ folders, each ending with '/' (each registration has its own). */
export function initialize(data: { prefixes: readonly string[] }): void {
  prefixes = data.prefixes;
}

const MARK = '\n//# sourceMappingURL=data:';

type Loaded = { format?: string | null; source?: string | ArrayBuffer | ArrayBufferView | null; shortCircuit?: boolean };

export async function load(url: string, context: unknown, next: (url: string, context: unknown) => Promise<Loaded>): Promise<Loaded> {
  const prefix = prefixes.find((p) => url.startsWith(p));
  if (prefix === undefined) return next(url, context);
  if (url === `${prefix}validators.ts`) {
    const file = fileURLToPath(url);
    const js = compiledGenerated(file, readFileSync(file, 'utf8'), 'esm');
    // null: esbuild could not compile it, or the result would import something; tsx takes it, as before.
    if (js !== null) return { format: 'module', source: js, shortCircuit: true };
  }
  const loaded = await next(url, context);
  if (loaded.source === undefined || loaded.source === null) return loaded;
  const text = typeof loaded.source === 'string' ? loaded.source : Buffer.from(loaded.source as ArrayBuffer).toString('utf8');
  const at = text.lastIndexOf(MARK);
  return at === -1 ? loaded : { ...loaded, source: text.slice(0, at + 1) };
}
