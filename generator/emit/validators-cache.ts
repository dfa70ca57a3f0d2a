/**
 * Reusing the generated code of models that did not change since the previous emit (the watch mode): a model's
 * functions, its entry in the `models` table and the module constants it declares depend only on its own IR, its
 * identifier, whether it is nested, the models and identifiers it looks up, and the module constants it gets. The
 * first four are compared directly. Constants of the model's own (`$<ident>_i<n>`) are named within the model, so
 * they follow from the rest; shared constants (`$re3`, numbered by first use across the file) are checked in the
 * order they were asked for: each must again be new or already declared, as it was, and get the same name (an
 * edit to an earlier model can renumber them).
 */
import { Generations } from '../generations.js';
import type { ModelDecl } from '../ir.js';
import type { HelperName } from './validators-helpers.js';
import { constLine, type Compiled, type EmitContext, type TraceEntry } from './validators-context.js';

const RUN = 64;

/** The first lookup of a shared constant by a model: its key, the name it got, and whether that lookup declared it. */
interface SharedUse {
  readonly key: string;
  readonly name: string;
  readonly prefix: string;
  readonly added: boolean;
}

/** What emitting one model gives: its code, its table entry and the constants it declares, each as one string. */
export interface ModelCode {
  /** The model's functions, lines joined by '\n'. */
  readonly text: string;
  /** The model's entry in the `models` table, lines joined by '\n'. */
  readonly entry: string;
  /** The declarations of the module constants that the model declared first, joined by '\n' ('' for none). */
  readonly consts: string;
}

interface Entry extends ModelCode {
  readonly self: string;
  readonly ident: string;
  readonly nested: boolean;
  /** Every model name looked up (in models or identifiers), with what it was: model IR and identifier. */
  readonly deps: readonly (readonly [name: string, model: string | null, ident: string | null])[];
  readonly shared: readonly SharedUse[];
  readonly helpers: readonly HelperName[];
}

/** The generated code of each model from the previous emit; a caller keeps one across builds. */
export class ValidatorCache {
  private readonly entries = new Generations<string, Entry>();
  private json = new Map<string, string | null>();
  /** JSON by model object, across emits: IR objects are immutable, and the services reader reuses unchanged ones. */
  private readonly byObject = new WeakMap<ModelDecl, string>();

  /** Joined runs of lines of the previous emit, by position: the lines and their text. */
  private joined: { readonly lines: readonly string[]; readonly text: string }[] = [];

  /** Starts an emit: what the previous one stored is what this one can reuse. */
  begin(): void {
    this.entries.begin();
    this.json = new Map();
  }

  /**
   * `lines` with each run of RUN lines joined by '\n' into one string (so joining the result with '\n' gives what
   * joining `lines` gives): a run is the previous emit's string while its lines are the same strings (`===`, which
   * is by identity for the kept code of unchanged models). Fewer pieces to compare and encode.
   */
  runs(lines: readonly string[]): string[] {
    const out: string[] = [];
    const joined: { readonly lines: readonly string[]; readonly text: string }[] = [];
    for (let r = 0; r * RUN < lines.length; r++) {
      const run = lines.slice(r * RUN, (r + 1) * RUN);
      const old = this.joined[r];
      const kept = old !== undefined && old.lines.length === run.length && old.lines.every((l, i) => l === run[i]) ? old : { lines: run, text: run.join('\n') };
      joined.push(kept);
      out.push(kept.text);
    }
    this.joined = joined;
    return out;
  }

  /**
   * The code of model `m`: reused when still valid (its helpers and shared constants are then registered in `ctx`
   * as emitting it would; its own constants are not, as nothing else looks them up), else made by `emit` (functions
   * and table entry) and stored.
   */
  model(ctx: EmitContext, m: Compiled, nested: boolean, emit: (ctx: EmitContext) => { text: string[]; entry: string[] }): ModelCode {
    const ident = ctx.idents.get(m.name)!;
    const self = this.modelJson(ctx, m.name)!;
    const old = this.entries.get(m.name);
    if (old && old.self === self && old.ident === ident && old.nested === nested && this.depsHold(ctx, old) && replay(ctx, old)) {
      return this.entries.keep(m.name, old);
    }
    const looked = new Set<string>();
    let complete = true;
    const trace: TraceEntry[] = [];
    const child: EmitContext = { ...ctx, models: tracking(ctx.models, looked, () => (complete = false)), idents: tracking(ctx.idents, looked, () => (complete = false)), trace };
    const made = emit(child);
    ctx.shared = child.shared;
    const code: ModelCode = { text: made.text.join('\n'), entry: made.entry.join('\n'), consts: declared(trace) };
    if (complete) {
      const deps = [...looked].sort().map((name) => [name, this.modelJson(ctx, name), ctx.idents.get(name) ?? null] as const);
      this.entries.keep(m.name, { ...code, self, ident, nested, deps, ...uses(trace) });
    }
    return code;
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

/** The declarations of the constants that the lookups of `trace` declared, in that order. */
function declared(trace: readonly TraceEntry[]): string {
  const lines: string[] = [];
  for (const t of trace) if ('key' in t && t.added) lines.push(constLine(t));
  return lines.join('\n');
}

/** The first lookup of each shared constant and the helpers of `trace`, in order of first use. */
function uses(trace: readonly TraceEntry[]): { shared: SharedUse[]; helpers: HelperName[] } {
  const shared: SharedUse[] = [];
  const helpers: HelperName[] = [];
  const seen = new Set<string>();
  for (const t of trace) {
    if ('helper' in t) {
      if (!helpers.includes(t.helper)) helpers.push(t.helper);
    } else if (t.prefix !== undefined && !seen.has(t.key)) {
      seen.add(t.key);
      shared.push({ key: t.key, name: t.name, prefix: t.prefix, added: t.added });
    }
  }
  return { shared, helpers };
}

/**
 * Registers a recorded model's helpers and shared constants in `ctx` if each shared constant is again new or
 * already declared as it was when recorded, and gets its recorded name; otherwise changes nothing.
 */
function replay(ctx: EmitContext, e: Entry): boolean {
  let shared = ctx.shared;
  for (const u of e.shared) {
    const name = ctx.consts.get(u.key);
    if (u.added ? name !== undefined || u.name !== `$${u.prefix}${shared++}` : name !== u.name) return false;
  }
  for (const u of e.shared) if (u.added) ctx.consts.set(u.key, u.name);
  for (const h of e.helpers) ctx.helpers.add(h);
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
