/**
 * A module hook that `gen serve` registers after tsx's (runtime/serve.ts): the files of generated/ arrive without
 * the inline source map tsx appends to every file it compiles. Node keeps a parsed source map for each module that
 * has one; for generated code, which users do not debug, that only cost time and memory: at 5,000 services the
 * map of validators.ts made its module ~3.5 times its size (loading the manifest 5.5 → 4.1 s, RSS 1.28 → 0.95 GB
 * without it). Service files keep theirs, so their stack traces still point into the TypeScript.
 */

let prefixes: readonly string[] = [];

/** `data.prefixes`: file URLs of generated/ folders, each ending with '/' (each registration has its own). */
export function initialize(data: { prefixes: readonly string[] }): void {
  prefixes = data.prefixes;
}

const MARK = '\n//# sourceMappingURL=data:';

type Loaded = { format?: string | null; source?: string | ArrayBuffer | ArrayBufferView | null; shortCircuit?: boolean };

export async function load(url: string, context: unknown, next: (url: string, context: unknown) => Promise<Loaded>): Promise<Loaded> {
  const loaded = await next(url, context);
  if (!prefixes.some((p) => url.startsWith(p)) || loaded.source === undefined || loaded.source === null) return loaded;
  const text = typeof loaded.source === 'string' ? loaded.source : Buffer.from(loaded.source as ArrayBuffer).toString('utf8');
  const at = text.lastIndexOf(MARK);
  return at === -1 ? loaded : { ...loaded, source: text.slice(0, at + 1) };
}
