/**
 * Models → IR. A model is registered by its declaration the first time a service or another model refers
 * to it, and read once from a work queue; references between models are names (`ref`), so recursive and
 * shared models need nothing special. Component names are declaration names and must be unique.
 */
import type { ts } from 'ts-morph';
import { tsc } from './typescript.js';
import { byName, compareCodePoints } from '../ir.js';
import type { Field, Loc, ModelDecl, TypeRef, UnionModel } from '../ir.js';
import { error, warning } from '../diagnostics.js';
import type { Diagnostic } from '../diagnostics.js';
import { readModelDoc } from './jsdoc.js';
import type { TagProblem } from './jsdoc.js';
import { docOf, readClassMembers, readTypeMembers } from './ts-fields.js';
import type { FieldContext } from './ts-fields.js';
import { classExtends, classRoot, declKey, declName, locAt } from './ts-scope.js';
import type { FileInfo, LocalDecl, ProgramIndex } from './ts-scope.js';
import { flattenUnion, readType, unparen } from './ts-types.js';
import { readEnumMembers } from './ts-values.js';
import type { ModelCache, Registration } from './model-cache.js';

type ModelKind = 'object' | 'enum' | 'union';

/** A registered model: what is kept of it once read (a reader that lets go of its files keeps no syntax tree). */
interface Entry {
  readonly key: string;
  readonly name: string;
  readonly loc: Loc;
}

/** A registered model waiting to be read. */
interface Pending extends Entry {
  readonly kind: ModelKind;
  readonly decl: LocalDecl;
  readonly file: FileInfo;
}

/** Reads the models that services and other models refer to; collect diagnostics, never throw. */
export class ModelReader implements FieldContext {
  private readonly entries = new Map<string, Entry>(); // by declaration key
  private readonly names = new Map<string, Entry>(); // by component name: the first declaration seen
  private readonly collided = new Set<string>(); // keys already reported as duplicates
  private queue: Pending[] = [];
  private head = 0; // the next entry of `queue` to read
  private readonly read: ModelDecl[] = [];
  private readonly fieldCache = new Map<string, Field[] | 'pending'>();
  private readonly aliasCache = new Map<string, TypeRef | undefined | 'pending'>();
  /** While reading one entry: the models it registers, and whether it used another entry's memoised reading. */
  private registrations: Registration[] | null = null;
  private memoUsed = false;

  constructor(
    readonly index: ProgramIndex,
    private readonly diagnostics: Diagnostic[],
    private readonly cache?: ModelCache,
  ) {}

  report(file: FileInfo, at: ts.Node, code: string, message: string): void {
    this.diagnostics.push(error(code, message, locAt(file, at)));
  }

  reportProblems(file: FileInfo, problems: readonly TagProblem[]): void {
    for (const p of problems) {
      const loc = locAt(file, p.offset);
      this.diagnostics.push(p.severity === 'error' ? error(p.code, p.message, loc) : warning(p.code, p.message, loc));
    }
  }

  /** `input = X` / `output = X` in a service: X must name an exported model class. Returns its model name. */
  readModelClass(file: FileInfo, expr: ts.Expression, role: 'input' | 'output'): string | undefined {
    const text = expr.getText(file.sf);
    const hint = `write '${role} = SomeModel' where SomeModel is an exported class that extends Model`;
    if (!tsc.isIdentifier(expr) && !tsc.isPropertyAccessExpression(expr)) {
      this.report(file, expr, 'SG111', `'${role}' must name a model class; ${hint}.`);
      return undefined;
    }
    const target = this.index.resolveName(file, text, 'value');
    const asType = target.kind === 'global' ? this.index.resolveName(file, text, 'type') : undefined;
    if (asType?.kind === 'decl') {
      const what = tsc.isInterfaceDeclaration(asType.decl) ? 'an interface' : 'a type alias';
      this.report(file, expr, 'SG111', `'${text}' is ${what}, not a value; ${hint}.`);
      return undefined;
    }
    if (target.kind === 'unresolved' || target.kind === 'global') {
      const reason = target.kind === 'unresolved' ? target.reason : `it is neither declared in ${file.rel} nor imported`;
      this.report(file, expr, 'SG102', `Cannot resolve '${text}': ${reason}; ${hint}.`);
      return undefined;
    }
    if (target.kind !== 'decl' || !tsc.isClassDeclaration(target.decl) || classRoot(this.index, target.file, target.decl) !== 'Model') {
      this.report(file, expr, 'SG111', `'${text}' is not a model class; ${hint}.`);
      return undefined;
    }
    if (!this.index.isExported(target.file, target.decl)) {
      this.report(file, expr, 'SG111', `Model '${text}' must be exported (the generated service map imports it); write 'export class ${text} extends Model'.`);
    }
    return this.register(target.decl, target.file, 'object');
  }

  refDecl(decl: LocalDecl, declFile: FileInfo, at: ts.Node, atFile: FileInfo): TypeRef | undefined {
    const kind = this.classify(decl, declFile);
    if (kind === 'inline') return this.readAlias(decl as ts.TypeAliasDeclaration, declFile);
    if (kind === 'not-model') {
      this.report(atFile, at, 'SG101', `'${declName(decl, declFile.sf)}' is a class that does not extend Model; write 'class ${declName(decl, declFile.sf)} extends Model' (imported from 'servicegate').`);
      return undefined;
    }
    if (kind === 'generic') {
      this.report(atFile, at, 'SG101', `Generic models cannot be mapped ('${declName(decl, declFile.sf)}' has type parameters); declare a named model class without them.`);
      return undefined;
    }
    return { kind: 'ref', name: this.register(decl, declFile, kind) };
  }

  /**
   * Reads every model registered so far (and those they refer to), in the order they were registered: after each
   * service file, so that a reader may let go of that file's syntax tree (services.ts). Reading them all at the end
   * reads the same models in the same order.
   */
  drain(): void {
    while (this.head < this.queue.length) {
      const entry = this.queue[this.head++]!;
      const model = this.cache ? this.readEntryCached(entry, this.cache) : this.readEntry(entry);
      if (model) this.read.push(model);
    }
    this.queue = [];
    this.head = 0;
  }

  /** Every model read (draining the queue first), sorted by name. */
  finish(): ModelDecl[] {
    this.drain();
    return byName(this.read);
  }

  /** Runs `read`, recording the models it registers (for a cache to replay them later with `replay`). */
  recording<T>(read: () => T): { result: T; registrations: Registration[] } {
    const registrations: Registration[] = [];
    this.registrations = registrations;
    try {
      return { result: read(), registrations };
    } finally {
      this.registrations = null;
    }
  }

  /** Registers what a recorded read registered, in the same order. */
  replay(registrations: readonly Registration[]): void {
    for (const [decl, file, kind] of registrations) this.register(decl, file, kind);
  }

  /** readEntry, or an earlier read's result with its registrations replayed (see model-cache.ts). */
  private readEntryCached(entry: Pending, cache: ModelCache): ModelDecl | undefined {
    const hit = cache.lookup(this.index, entry.key, entry.decl, entry.kind);
    if (hit) {
      for (const f of hit.files) this.index.reached.add(f.abs);
      this.replay(hit.registrations);
      return hit.model;
    }
    const track = { files: new Set<FileInfo>(), missing: new Set<string>() };
    const registrations: Registration[] = [];
    const diagnostics = this.diagnostics.length;
    this.index.tracker = track;
    this.registrations = registrations;
    this.memoUsed = false;
    try {
      const model = this.readEntry(entry);
      if (this.diagnostics.length === diagnostics && !this.memoUsed) cache.store(entry.key, entry.decl, entry.kind, track, registrations, model);
      return model;
    } finally {
      this.index.tracker = null;
      this.registrations = null;
    }
  }

  private register(decl: LocalDecl, file: FileInfo, kind: ModelKind): string {
    this.registrations?.push([decl, file, kind]);
    const key = declKey(file, decl);
    const name = declName(decl, file.sf) ?? 'default';
    if (this.entries.has(key)) return name;
    const kept: Entry = { key, name, loc: locAt(file, decl.name ?? decl) };
    const entry: Pending = { ...kept, kind, decl, file };
    this.entries.set(key, kept);
    const first = this.names.get(name);
    if (!first) {
      this.names.set(name, kept);
      this.queue.push(entry);
    } else {
      for (const [a, b] of [[first, entry], [entry, first]] as const) {
        if (this.collided.has(`${a.key}|${b.key}`)) continue;
        this.collided.add(`${a.key}|${b.key}`);
        const other = b.loc;
        this.diagnostics.push(error('SG104', `Two different models are named '${name}' (the other is at ${other.file}:${other.line}:${other.column}); component names must be unique: rename one.`, a.loc));
      }
    }
    return name;
  }

  private classify(decl: LocalDecl, file: FileInfo): ModelKind | 'inline' | 'not-model' | 'generic' {
    if (tsc.isEnumDeclaration(decl)) return 'enum';
    if ((decl.typeParameters?.length ?? 0) > 0) return 'generic';
    if (tsc.isClassDeclaration(decl)) return classRoot(this.index, file, decl) === 'Model' ? 'object' : 'not-model';
    if (tsc.isInterfaceDeclaration(decl)) return 'object';
    const node = unparen(aliasType(decl));
    if (tsc.isTypeLiteralNode(node)) {
      const members = node.members;
      return members.length === 1 && tsc.isIndexSignatureDeclaration(members[0]!) ? 'inline' : 'object';
    }
    if (tsc.isUnionTypeNode(node)) {
      const sf = file.sf;
      const all = flattenUnion(node).every((m) => {
        if (!tsc.isTypeReferenceNode(m)) return false;
        const t = this.index.resolveName(file, m.typeName.getText(sf), 'type');
        return t.kind === 'decl' && !tsc.isEnumDeclaration(t.decl) && this.classify(t.decl, t.file) === 'object';
      });
      if (all) return 'union';
    }
    return 'inline';
  }

  /** A type alias of something that is not a model (`type Tier = 'a' | 'b'`): its type, read once. */
  private readAlias(decl: ts.TypeAliasDeclaration, file: FileInfo): TypeRef | undefined {
    const key = declKey(file, decl);
    const cached = this.aliasCache.get(key);
    if (cached === 'pending') {
      this.report(file, decl.name, 'SG101', `Type alias '${declName(decl, file.sf)}' refers to itself; make the recursive part a model class.`);
      this.aliasCache.set(key, undefined);
      return undefined;
    }
    if (this.aliasCache.has(key)) {
      this.memoUsed = true;
      return cached;
    }
    this.aliasCache.set(key, 'pending');
    const type = readType(this, file, aliasType(decl));
    this.aliasCache.set(key, type);
    return type;
  }

  private readEntry(entry: Pending): ModelDecl | undefined {
    const { decl, file, name, loc } = entry;
    const problems: TagProblem[] = [];
    const doc = readModelDoc(docOf(decl, file.sf), problems);
    this.reportProblems(file, problems);
    const description = doc.description !== undefined ? { description: doc.description } : {};
    if (entry.kind === 'enum') return this.readEnum(decl as ts.EnumDeclaration, file, name, loc, description);
    if (entry.kind === 'union') return this.readUnion(decl as ts.TypeAliasDeclaration, file, name, loc, description);
    return { kind: 'object', name, ...description, ...(doc.deprecated ? { deprecated: true } : {}), fields: this.fieldsOf(decl, file), loc };
  }

  private readEnum(decl: ts.EnumDeclaration, file: FileInfo, name: string, loc: Loc, description: { description?: string }): ModelDecl | undefined {
    const read = readEnumMembers(decl, file.sf);
    if ('node' in read) {
      this.report(file, read.node, 'SG101', `Enum members of '${name}' need string or number literal values (computed values cannot be read at build time); write e.g. Red = 'red'.`);
      return undefined;
    }
    return { kind: 'enum', name, ...description, values: [...new Set(read.members.map((m) => m.value))], loc };
  }

  private readUnion(decl: ts.TypeAliasDeclaration, file: FileInfo, name: string, loc: Loc, description: { description?: string }): UnionModel | undefined {
    const members: { model: string; fields: readonly Field[] }[] = [];
    const sf = file.sf;
    for (const m of flattenUnion(unparen(aliasType(decl)) as ts.UnionTypeNode)) {
      const t = this.index.resolveName(file, (m as ts.TypeReferenceNode).typeName.getText(sf), 'type');
      if (t.kind !== 'decl') continue; // classify() proved every member resolves
      const model = this.register(t.decl, t.file, 'object');
      if (!members.some((x) => x.model === model)) members.push({ model, fields: this.fieldsOf(t.decl, t.file) });
    }
    const discriminator = findDiscriminator(members);
    if (!discriminator) {
      this.report(file, decl.name, 'SG110', `Union '${name}' has no discriminant: give every member (${members.map((m) => m.model).join(', ')}) a field with its own literal value, e.g. kind: 'a' in one and kind: 'b' in another.`);
      return undefined;
    }
    const tagged = members.map((m) => ({ value: discriminantValue(m.fields, discriminator)!, model: m.model }));
    tagged.sort((a, b) => compareCodePoints(a.model, b.model));
    return { kind: 'union', name, ...description, discriminator, members: tagged, loc };
  }

  /** The fields of an object model declaration, base class / extended interface fields first; read once. */
  private fieldsOf(decl: LocalDecl, file: FileInfo): Field[] {
    const key = declKey(file, decl);
    const cached = this.fieldCache.get(key);
    if (cached !== undefined) this.memoUsed = true;
    if (cached === 'pending') return []; // an inheritance cycle: TypeScript reports it already
    if (cached) return cached;
    this.fieldCache.set(key, 'pending');
    const inherited: Field[] = [];
    let own: Field[] = [];
    if (tsc.isClassDeclaration(decl)) {
      const base = this.baseOf(decl, file);
      if (base) inherited.push(...this.fieldsOf(base.decl, base.file));
      own = readClassMembers(this, file, decl);
    } else if (tsc.isInterfaceDeclaration(decl)) {
      const clause = decl.heritageClauses?.find((c) => c.token === tsc.SyntaxKind.ExtendsKeyword);
      for (const ext of clause?.types ?? []) {
        const t = this.index.resolveName(file, ext.expression.getText(file.sf), 'type');
        if (t.kind === 'decl' && !tsc.isEnumDeclaration(t.decl) && this.classify(t.decl, t.file) === 'object') inherited.push(...this.fieldsOf(t.decl, t.file));
        else this.report(file, ext, 'SG101', `An interface model can only extend other models; '${ext.getText(file.sf)}' is not one.`);
      }
      own = readTypeMembers(this, file, decl.members);
    } else if (tsc.isTypeAliasDeclaration(decl)) {
      const node = unparen(aliasType(decl));
      if (tsc.isTypeLiteralNode(node)) own = readTypeMembers(this, file, node.members);
    }
    const fields = mergeFields(inherited, own);
    this.fieldCache.set(key, fields);
    return fields;
  }

  private baseOf(decl: ts.ClassDeclaration, file: FileInfo): { decl: ts.ClassDeclaration; file: FileInfo } | undefined {
    const ext = classExtends(decl);
    if (!ext) return undefined;
    if ((ext.typeArguments?.length ?? 0) > 0) this.report(file, ext, 'SG101', 'A model cannot extend a generic class; extend Model or another model class.');
    const t = this.index.resolveName(file, ext.expression.getText(file.sf), 'value');
    return t.kind === 'decl' && tsc.isClassDeclaration(t.decl) ? { decl: t.decl, file: t.file } : undefined;
  }
}

/** A redeclared field replaces the inherited one in place, so the order stays base-first. */
function mergeFields(inherited: readonly Field[], own: readonly Field[]): Field[] {
  const out = [...inherited];
  for (const f of own) {
    const i = out.findIndex((x) => x.name === f.name);
    if (i === -1) out.push(f);
    else out[i] = f;
  }
  return out;
}

/** A field every member declares, required, with one literal value each, all values distinct; first in declaration order. */
function findDiscriminator(members: readonly { fields: readonly Field[] }[]): string | undefined {
  if (members.length < 2) return undefined;
  for (const candidate of members[0]!.fields) {
    const values = members.map((m) => discriminantValue(m.fields, candidate.name));
    if (values.every((v) => v !== undefined) && new Set(values).size === values.length) return candidate.name;
  }
  return undefined;
}

function discriminantValue(fields: readonly Field[], name: string): string | number | undefined {
  const f = fields.find((x) => x.name === name);
  if (!f || f.optional || f.type.kind !== 'literal' || f.type.values.length !== 1) return undefined;
  const v = f.type.values[0];
  return typeof v === 'string' || typeof v === 'number' ? v : undefined;
}

/** A type alias's type (the compiler's node; the parser always gives an alias one). */
function aliasType(decl: LocalDecl): ts.TypeNode {
  return (decl as ts.TypeAliasDeclaration).type;
}
