/**
 * What the validator emitters share while writing one generated/validators.ts: the model table, the identifier
 * of each compiled model, the helpers and module-level constants used so far, and small code-building helpers.
 */
import { compareCodePoints, type JsonValue, type ModelDecl, type ObjectModel, type TypeRef, type UnionModel } from '../ir.js';
import { lit } from '../../templates/ts.js';
import type { HelperName } from './validators-helpers.js';

export interface EmitContext {
  readonly models: ReadonlyMap<string, ModelDecl>;
  /** Object and union model name → identifier suffix (`validate_<suffix>`), unique and safe. */
  readonly idents: ReadonlyMap<string, string>;
  readonly helpers: Set<HelperName>;
  /** Module-level constants shared by models: initialiser code → name. */
  readonly consts: Map<string, string>;
  /**
   * The declaration of every module-level constant (shared or a model's own), in order of first use: the module's
   * list when there is no cache (with one, each model's code carries the constants it declared; see validators-cache.ts).
   */
  readonly constLines: string[];
  /** Counter for fresh local names; reset for each generated function. */
  tmp: number;
  /** The identifier of the model being emitted, its own constants so far (initialiser → name) and their count. */
  scope: string;
  scopeConsts: Map<string, string>;
  scoped: number;
  /** How many module constants not of one model there are (their numbering). */
  shared: number;
  /** Whether the report function being emitted reads its kept issues `k` (see push in validators-check.ts). */
  keptRead: boolean;
  /** The models whose checks the report function being emitted is writing out, outermost first (see refCheck). */
  readonly inline: string[];
  /** How many more fields of nested models the report function being emitted may write out (see refCheck). */
  inlineBudget: number;
  /** While set, every helper use and constant lookup is recorded, in order (see validators-cache.ts). */
  trace?: TraceEntry[];
}

/**
 * A helper used, or a module constant looked up (`key` in `consts`, `name` it got; `prefix` when shared, `added`
 * when this lookup declared it).
 */
export type TraceEntry =
  | { readonly helper: HelperName }
  | { readonly key: string; readonly name: string; readonly prefix?: string; readonly added: boolean };

export type Compiled = ObjectModel | UnionModel;

/** A new context for `models`; identifiers are assigned in name order, so they are stable from run to run. */
export function createContext(models: readonly ModelDecl[]): EmitContext {
  const byName = new Map<string, ModelDecl>();
  for (const m of models) byName.set(m.name, m);
  const idents = new Map<string, string>();
  const taken = new Set<string>();
  for (const m of [...byName.values()].sort((a, b) => compareCodePoints(a.name, b.name))) {
    if (m.kind === 'enum') continue;
    const base = m.name.replace(/[^A-Za-z0-9_]/g, '_') || '_';
    let ident = base;
    for (let n = 2; taken.has(ident); n++) ident = `${base}_${n}`;
    taken.add(ident);
    idents.set(m.name, ident);
  }
  return { models: byName, idents, helpers: new Set(), consts: new Map(), constLines: [], tmp: 0, scope: '', scopeConsts: new Map(), scoped: 0, shared: 0, keptRead: false, inline: [], inlineBudget: 0 };
}

/** The declaration of a constant a trace names: a model constant's key is its scope, a NUL and its initialiser. */
export function constLine(entry: { readonly key: string; readonly name: string; readonly prefix?: string }): string {
  return declaration(entry.name, entry.prefix !== undefined ? entry.key : entry.key.slice(entry.key.indexOf('\0') + 1));
}

/** `const name = init;` */
function declaration(name: string, init: string): string {
  // join gives a flat string: 30,000 template strings over slices cost more to copy into the file than to make.
  return ['const ', name, ' = ', init, ';'].join('');
}

/** A fresh local name (`x3`): locals never contain '_' or '$', so they cannot shadow generated functions or helpers. */
export function fresh(ctx: EmitContext, prefix: string): string {
  ctx.tmp += 1;
  return `${prefix}${ctx.tmp}`;
}

/** The name of a module-level constant with this initialiser, declared once. */
export function moduleConst(ctx: EmitContext, prefix: string, init: string): string {
  let name = ctx.consts.get(init);
  const added = name === undefined;
  if (name === undefined) {
    name = `$${prefix}${ctx.shared++}`;
    ctx.consts.set(init, name);
    ctx.constLines.push(declaration(name, init));
  }
  ctx.trace?.push({ key: init, name, prefix, added });
  return name;
}

/**
 * A module-level constant that belongs to the model being emitted (`$<ident>_i<n>`): numbered within the model, so
 * editing one model renames none of the constants of the others (small diffs of the generated file).
 */
export function modelConst(ctx: EmitContext, init: string): string {
  // Kept per model, not in `consts`: a module-wide map keyed by scope and initialiser cost more than the rest of
  // the constant's emitting at 5,000 services (160,000 long keys). The scoped key is made only for a trace.
  let name = ctx.scopeConsts.get(init);
  const added = name === undefined;
  if (name === undefined) {
    name = `$${ctx.scope}_i${ctx.scoped++}`;
    ctx.scopeConsts.set(init, name);
    ctx.constLines.push(declaration(name, init));
  }
  ctx.trace?.push({ key: `${ctx.scope}\0${init}`, name, added });
  return name;
}

/** The number of a model constant within its model (`$Order_i12` → 12): it also indexes the model's kept issues. */
export function modelConstNumber(name: string): number {
  return Number(name.slice(name.lastIndexOf('_i') + 2));
}

export function use(ctx: EmitContext, helper: HelperName): void {
  ctx.helpers.add(helper);
  ctx.trace?.push({ helper });
}

/** The object or union model a ref names, the enum values it stands for, or null when it names nothing. */
export function resolve(ctx: EmitContext, t: TypeRef & { kind: 'ref' }): Compiled | readonly (string | number)[] | null {
  const m = ctx.models.get(t.name);
  if (m === undefined) return null;
  return m.kind === 'enum' ? m.values : m;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Reads field `name` of `obj`; names that Object.prototype has are read only as own properties. */
export function readField(ctx: EmitContext, obj: string, name: string): string {
  if (name in Object.prototype) {
    use(ctx, 'own');
    return `$own(${obj}, ${lit(name)})`;
  }
  return IDENT.test(name) ? `${obj}.${name}` : `${obj}[${lit(name)}]`;
}

/** A statement that stores `value` as field `name` of the plain object `obj`, '__proto__' included. */
export function writeField(ctx: EmitContext, obj: string, name: string, value: string): string {
  if (name === '__proto__') {
    use(ctx, 'def');
    return `$def(${obj}, ${lit(name)}, ${value});`;
  }
  return IDENT.test(name) ? `${obj}.${name} = ${value};` : `${obj}[${lit(name)}] = ${value};`;
}

/** An object-literal key: a computed key for '__proto__', which would otherwise set the prototype. */
export function literalKey(name: string): string {
  if (name === '__proto__') return `[${lit(name)}]`;
  return IDENT.test(name) ? name : lit(name);
}

/** The JSON Pointer segment of a field: '/' + the name with '~' → '~0' and '/' → '~1'. */
export function pointerSegment(name: string): string {
  return `/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** A literal value as code. */
export function valueCode(v: string | number | boolean): string {
  return typeof v === 'string' ? lit(v) : String(v);
}

/** A JSON value as an expression that builds a fresh copy each time it runs. */
export function jsonCode(v: JsonValue): string {
  if (v === null || typeof v === 'boolean' || typeof v === 'number') return String(v);
  if (typeof v === 'string') return lit(v);
  if (Array.isArray(v)) return `[${v.map(jsonCode).join(', ')}]`;
  const entries = Object.entries(v as { readonly [k: string]: JsonValue });
  return entries.length === 0 ? '{}' : `{ ${entries.map(([k, x]) => `${literalKey(k)}: ${jsonCode(x)}`).join(', ')} }`;
}

/** `a, b, c` for messages. */
export function listValues(values: readonly (string | number | boolean)[]): string {
  return values.map(String).join(', ');
}

/** The condition that `x` is none of `values` (a Set for long lists). */
export function notOneOf(ctx: EmitContext, x: string, values: readonly (string | number | boolean)[]): string {
  if (values.length === 0) return 'true';
  if (values.length <= 8) {
    const none = values.map((v) => `${x} !== ${valueCode(v)}`).join(' && ');
    // A value that may be of any type makes each !== a generic StrictEqual call; past a typeof test they are string
    // comparisons, and a value of another type is rejected at once (UpdateCustomerRequest invalid inputs +8 %).
    return values.every((v) => typeof v === 'string') ? `typeof ${x} !== 'string' || (${none})` : none;
  }
  const set = moduleConst(ctx, 'oneOf', `new Set<unknown>([${values.map(valueCode).join(', ')}])`);
  return `!${set}.has(${x})`;
}

/** The message for a value outside an enum or literal union. */
export function oneOfMessage(values: readonly (string | number | boolean)[]): string {
  return values.length === 1 ? `must be ${listValues(values)}` : `must be one of: ${listValues(values)}`;
}

/** Indents every line of `lines` by `n` levels of two spaces. */
export function indent(lines: readonly string[], n = 1): string[] {
  const pad = '  '.repeat(n);
  return lines.map((l) => (l === '' ? l : pad + l));
}

/**
 * A JSON Pointer being built at run time: constant text and expressions, joined with '+' only when an issue is
 * reported (so a valid value never pays for path strings). An array index may come with the name of an `$Items`
 * constant (made when the path is first rendered) that gives the item's whole pointer at the root without
 * building it.
 */
type PathPart =
  | { readonly text: string; readonly expr?: undefined; readonly items?: undefined; readonly kept?: undefined }
  | { readonly text?: undefined; readonly expr: string; readonly items?: () => string; readonly kept?: string };

export class PathCode {
  private constructor(private readonly parts: readonly PathPart[]) {}

  static param(name: string): PathCode {
    return new PathCode([{ expr: name }]);
  }

  /** The expression the path starts from (the function's `p`). */
  get param(): string {
    return this.parts[0]!.expr!;
  }

  /** The text after the starting expression when the rest is constant ('' for the param itself), else null. */
  constantBelowParam(): string | null {
    const rest = this.parts.slice(1);
    return rest.every((part) => part.text !== undefined) ? rest.map((part) => part.text).join('') : null;
  }

  /** Whether the path ends in an expression: an array item's index or a record key (a value checked in a loop). */
  endsInExpr(): boolean {
    return this.parts.length > 1 && this.parts[this.parts.length - 1]!.expr !== undefined;
  }

  /** This path, an item of an array, with the local `kept` holding the item's kept issues (see keptItem). */
  withKept(kept: string): PathCode {
    const last = this.parts[this.parts.length - 1]!;
    if (last.expr === undefined) throw new Error('withKept: not an item path');
    return new PathCode([...this.parts.slice(0, -1), { ...last, kept }]);
  }

  /**
   * For a constant place below an item that has a kept-issues local (withKept): that local, the item's path and
   * the place below it ('/sku'; '' for the item itself), else null.
   */
  keptItem(): { readonly kept: string; readonly item: PathCode; readonly below: string } | null {
    let n = this.parts.length - 1;
    let below = '';
    while (n > 0 && this.parts[n]!.text !== undefined) below = this.parts[n--]!.text + below;
    const part = this.parts[n]!;
    if (n === 0 || part.kept === undefined) return null;
    return { kept: part.kept, item: new PathCode(this.parts.slice(0, n + 1)), below };
  }

  text(s: string): PathCode {
    return new PathCode([...this.parts, { text: s }]);
  }

  expr(e: string): PathCode {
    return new PathCode([...this.parts, { expr: e }]);
  }

  /**
   * `/` and the array index `i`. When everything between the param and the index is constant, `items(text)` names
   * a module constant `$Items` for that text (called only if the path is rendered): at the root the item's pointer
   * is then `items.at(i)`, made once per index instead of for every issue of every request.
   */
  index(i: string, items: (prefix: string) => string): PathCode {
    const below = this.constantBelowParam();
    if (below === null) return this.text('/').expr(i);
    const prefix = `${below}/`;
    return new PathCode([...this.parts, { text: '/' }, { expr: i, items: () => items(prefix) }]);
  }

  /**
   * For a value whose pointer at the root is a constant (`/address`) or an item of an array at a constant pointer
   * (`/items/` + i): `p === '' ? <table>.at(index) : undefined`, the value's kept issues at the root (`table(text)`
   * names the $Kept constant for that text), else null.
   */
  keptAtRoot(table: (pointer: string) => string): string | null {
    const rest = this.parts.slice(1);
    if (rest.length === 0 || rest[0]!.text === undefined) return null;
    const last = rest[rest.length - 1]!;
    const texts = last.text !== undefined ? rest : rest.slice(0, -1);
    if (!texts.every((part) => part.text !== undefined)) return null;
    const pointer = texts.map((part) => part.text).join('');
    if (last.text !== undefined) return `${this.param} === '' ? ${table(pointer)}.at(0) : undefined`;
    if (last.items === undefined) return null;
    return `${this.param} === '' ? ${table(pointer)}.at(${last.expr}) : undefined`;
  }

  /**
   * Like code(), for a path built outside a `p === ''` test: at the root (where the runtime validates) the constant
   * text after the param is used as it is, without the string concatenation `'' + "/tags/"` would cost.
   */
  codeAtRoot(): string {
    const first = this.parts[1];
    if (first?.text === undefined) return this.code();
    let n = 1;
    let text = '';
    while (this.parts[n]?.text !== undefined) text += this.parts[n++]!.text;
    const next = this.parts[n];
    let head: string;
    if (next?.items !== undefined) {
      head = `(${this.param} === '' ? ${next.items()}.at(${next.expr}) : ${this.param} + ${lit(text)} + ${next.expr})`;
      n++;
    } else {
      head = `(${this.param} === '' ? ${lit(text)} : ${this.param} + ${lit(text)})`;
    }
    if (n === this.parts.length) return head;
    return `${head} + ${new PathCode(this.parts.slice(n)).code()}`;
  }

  code(): string {
    const out: string[] = [];
    let pending = '';
    for (const p of this.parts) {
      if (p.text !== undefined) {
        pending += p.text;
        continue;
      }
      if (pending !== '') out.push(lit(pending));
      pending = '';
      out.push(p.expr);
    }
    if (pending !== '') out.push(lit(pending));
    return out.join(' + ');
  }
}
