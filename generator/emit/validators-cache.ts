/**
 * Reusing the generated functions of models that did not change since the previous emit (the watch mode): a
 * model's code depends only on its own IR, its identifier, whether it is nested, the models and identifiers it
 * looks up, and the module constants it gets. The first four are compared directly; the constants are replayed
 * in the order they were asked for, and the code is reused only if each gets the same name as before (a shared
 * constant is numbered by first use across the file, so an edit to an earlier model can renumber it).
 */
import { Generations } from '../generations.js';
import type { ModelDecl } from '../ir.js';
import type { Compiled, EmitContext, TraceEntry } from './validators-context.js';

interface Entry {
  readonly self: string;
  readonly ident: string;
  readonly nested: boolean;
  /** Every model name looked up (in models or identifiers), with what it was: model IR and identifier. */
  readonly deps: readonly (readonly [name: string, model: string | null, ident: string | null])[];
  readonly trace: readonly TraceEntry[];
  readonly text: string;
}

/** The generated code of each model from the previous emit; a caller keeps one across builds. */
export class ValidatorCache {
  private readonly entries = new Generations<string, Entry>();
  private json = new Map<string, string | null>();
  /** JSON by model object, across emits: IR objects are immutable, and the services reader reuses unchanged ones. */
  private readonly byObject = new WeakMap<ModelDecl, string>();

  /** Starts an emit: what the previous one stored is what this one can reuse. */
  begin(): void {
    this.entries.begin();
    this.json = new Map();
  }

  /**
   * The code of model `m` as lines joined by '\n': reused when still valid (its constants and helpers are then
   * registered in `ctx` as emitting it would), else emitted by `emit` and stored.
   */
  model(ctx: EmitContext, m: Compiled, nested: boolean, emit: (ctx: EmitContext) => string[]): string {
    const ident = ctx.idents.get(m.name)!;
    const self = this.modelJson(ctx, m.name)!;
    const old = this.entries.get(m.name);
    if (old && old.self === self && old.ident === ident && old.nested === nested && this.depsHold(ctx, old) && replay(ctx, old.trace)) {
      return this.entries.keep(m.name, old).text;
    }
    const looked = new Set<string>();
    let complete = true;
    const trace: TraceEntry[] = [];
    const child: EmitContext = { ...ctx, models: tracking(ctx.models, looked, () => (complete = false)), idents: tracking(ctx.idents, looked, () => (complete = false)), trace };
    const text = emit(child).join('\n');
    ctx.shared = child.shared;
    if (complete) {
      const deps = [...looked].sort().map((name) => [name, this.modelJson(ctx, name), ctx.idents.get(name) ?? null] as const);
      this.entries.keep(m.name, { self, ident, nested, deps, trace, text });
    }
    return text;
  }

  private depsHold(ctx: EmitContext, e: Entry): boolean {
    return e.deps.every(([name, model, ident]) => this.modelJson(ctx, name) === model && (ctx.idents.get(name) ?? null) === ident);
  }

  /** A model's IR as JSON, once per emit: the key that says whether it changed. */
  private modelJson(ctx: EmitContext, name: string): string | null {
    let j = this.json.get(name);
    if (j === undefined) {
      const m: ModelDecl | undefined = ctx.models.get(name);
      j = m === undefined ? null : (this.byObject.get(m) ?? JSON.stringify(m));
      if (m !== undefined) this.byObject.set(m, j!);
      this.json.set(name, j);
    }
    return j;
  }
}

/** Registers a recorded model's helpers and constants in `ctx` if every constant gets its recorded name. */
function replay(ctx: EmitContext, trace: readonly TraceEntry[]): boolean {
  const added = new Map<string, string>();
  let shared = ctx.shared;
  for (const t of trace) {
    if ('helper' in t) continue;
    const name = ctx.consts.get(t.key) ?? added.get(t.key) ?? (t.prefix !== undefined ? `$${t.prefix}${shared}` : t.name);
    if (name !== t.name) return false;
    if (!ctx.consts.has(t.key) && !added.has(t.key)) {
      added.set(t.key, name);
      if (t.prefix !== undefined) shared++;
    }
  }
  for (const t of trace) {
    if ('helper' in t) ctx.helpers.add(t.helper);
    else if (!ctx.consts.has(t.key)) ctx.consts.set(t.key, t.name);
  }
  ctx.shared = shared;
  return true;
}

/** `map` with every key looked up recorded in `looked`; iterating it calls `whole` (the lookups are then unknown). */
function tracking<V>(map: ReadonlyMap<string, V>, looked: Set<string>, whole: () => void): ReadonlyMap<string, V> {
  return new Proxy(map, {
    get(target, prop) {
      if (prop === 'get' || prop === 'has') {
        return (key: string) => {
          looked.add(key);
          return prop === 'get' ? target.get(key) : target.has(key);
        };
      }
      if (prop === 'size') return target.size;
      whole();
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
