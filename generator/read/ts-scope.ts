/**
 * Syntax-level name resolution over the service files, without the type checker (which is what makes big
 * programs slow): same-file declarations, imports from relative modules (`./x.js`, `./x.ts`, `./x`,
 * `./folder` → `index.ts`) or through tsconfig.json `paths` (ts-paths.ts), re-exports, and `import … from 'servicegate'`.
 *
 * The index keeps its parsed files for its whole life so that a watch mode can refresh single files. Files are
 * parsed and read with the compiler API that ts-morph exports (`ts`): wrapping every node in a ts-morph object
 * (and keeping a ts-morph Project of them) cost more than the parsing itself.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { ts } from 'ts-morph';
import { tsc } from './typescript.js';
import type { Loc } from '../ir.js';
import { readPathAliases, type PathAliases } from './ts-paths.js';

export const RUNTIME_MODULE = 'servicegate';

/** The files a module path may name: `x.js` → `x.ts`, `x.ts` itself, `x` → `x.ts` or `x/index.ts`. */
function moduleCandidates(base: string): string[] {
  if (/\.[cm]?js$/.test(base)) return [base.replace(/\.([cm]?)js$/, '.$1ts')];
  return base.endsWith('.ts') ? [base] : [`${base}.ts`, resolve(base, 'index.ts')];
}

export type LocalDecl = ts.ClassDeclaration | ts.InterfaceDeclaration | ts.TypeAliasDeclaration | ts.EnumDeclaration;

interface ImportBinding {
  readonly module: string;
  readonly imported: string; // 'default', '*' (namespace) or an export name
}

interface ReExport {
  readonly exported: string; // '*' for `export * from`
  readonly module?: string; // undefined: `export { local as exported }`
  readonly local: string;
}

export interface FileInfo {
  readonly abs: string;
  readonly rel: string; // relative to the project dir, '/' separators
  readonly sf: ts.SourceFile;
  readonly locals: ReadonlyMap<string, readonly LocalDecl[]>;
  readonly imports: ReadonlyMap<string, ImportBinding>;
  readonly reexports: readonly ReExport[];
  readonly defaultExport?: LocalDecl;
}

export type Resolved =
  | { readonly kind: 'decl'; readonly decl: LocalDecl; readonly file: FileInfo }
  | { readonly kind: 'runtime'; readonly name: string } // an export of 'servicegate'
  | { readonly kind: 'namespace'; readonly file: FileInfo | null } // `import * as x`; null: servicegate
  | { readonly kind: 'enum-member'; readonly decl: ts.EnumDeclaration; readonly file: FileInfo; readonly member: string }
  | { readonly kind: 'global' } // not declared or imported: a global such as Date, Array, Record
  | { readonly kind: 'unresolved'; readonly reason: string };

export type Space = 'type' | 'value';

/** The files one piece of reading depended on: those it resolved to, and paths it looked for and did not find. */
export interface FileTrack {
  readonly files: Set<FileInfo>;
  readonly missing: Set<string>;
}

/** The loaded files of one project and the name resolution over them. */
export class ProgramIndex {
  private readonly files = new Map<string, FileInfo>();
  /** Files reached through imports since the last `resetReached()`: the inputs of one read besides the matched files. */
  readonly reached = new Set<string>();
  /** While set, records every file a module resolution found, and every path it looked for in vain. */
  tracker: FileTrack | null = null;

  /** `sources`: texts already read (absolute path → text), each used once, for the first load of that file. */
  constructor(
    readonly dir: string,
    private readonly sources?: Map<string, string>,
  ) {}

  /** Loads (or reloads) a file from disk; returns undefined when it does not exist. */
  load(abs: string): FileInfo | undefined {
    let text = this.sources?.get(abs);
    if (text !== undefined) this.sources!.delete(abs);
    else {
      try {
        text = readFileSync(abs, 'utf8');
      } catch {
        this.forget(abs);
        return undefined;
      }
    }
    // As ts-morph parsed them (the latest syntax, the script kind from the file name), but without parent pointers
    // (the reader never walks up; every position and text is taken with the file at hand) and without parsing
    // JSDoc into nodes (docOf reads the comments): together about a third of parsing a 5,000-file project.
    const sf = tsc.createSourceFile(abs, text, { languageVersion: tsc.ScriptTarget.Latest, jsDocParsingMode: tsc.JSDocParsingMode.ParseNone }, false);
    const info = indexFile(abs, relative(this.dir, abs).split(sep).join('/'), sf);
    this.files.set(abs, info);
    return info;
  }

  forget(abs: string): void {
    this.files.delete(abs);
  }

  /** A file already loaded, or loaded now on demand (a model imported from outside the matched files). */
  get(abs: string): FileInfo | undefined {
    return this.files.get(abs) ?? (existsSync(abs) ? this.load(abs) : undefined);
  }

  loaded(): FileInfo[] {
    return [...this.files.values()];
  }

  has(abs: string): boolean {
    return this.files.has(abs);
  }

  /** The file as loaded now (a reload gives a new FileInfo), without loading it. */
  current(abs: string): FileInfo | undefined {
    return this.files.get(abs);
  }

  private pathAliases: PathAliases | null | undefined; // undefined: tsconfig.json not read yet

  /** The project's tsconfig.json `paths` (read once, when an import first needs them); null: none. */
  aliases(): PathAliases | null {
    if (this.pathAliases === undefined) this.pathAliases = readPathAliases(this.dir);
    return this.pathAliases;
  }

  /** The config files whose change can change `paths`: tsconfig.json (there or not) and the configs it extends. */
  aliasConfigFiles(): string[] {
    return [...new Set([join(this.dir, 'tsconfig.json'), ...(this.pathAliases?.files ?? [])])];
  }

  /** Forgets `paths`: the next import that needs them reads tsconfig.json again. */
  forgetAliases(): void {
    this.pathAliases = undefined;
  }

  /**
   * `servicegate` → null; a relative specifier, or one that tsconfig.json's `paths` map into the project → the file;
   * anything else → a reason it cannot be read.
   */
  resolveModule(from: FileInfo, spec: string): FileInfo | null | string {
    if (spec === RUNTIME_MODULE) return null;
    let candidates: string[];
    let alias: string | undefined;
    if (spec.startsWith('./') || spec.startsWith('../')) candidates = moduleCandidates(resolve(dirname(from.abs), spec));
    else {
      const mapped = this.aliases()?.map(spec);
      if (mapped === undefined) return `it comes from the package '${spec}', and servicegate reads models only from the project's own files`;
      candidates = mapped.bases.flatMap(moduleCandidates);
      alias = mapped.pattern;
    }
    for (const c of candidates) {
      const info = this.get(c);
      if (info) {
        this.reached.add(info.abs);
        this.tracker?.files.add(info);
        return info;
      }
      this.tracker?.missing.add(c);
    }
    const looked = candidates.map((c) => relative(this.dir, c).split(sep).join('/')).join(', ');
    return alias === undefined
      ? `the module '${spec}' was not found (looked for ${looked})`
      : `'${spec}' matches '${alias}' in the paths of tsconfig.json, but no file of the project is there (looked for ${looked})`;
  }

  /** Resolves a name (`Foo`) or a qualified name (`ns.Foo`, `Enum.Member`) as seen from `file`. */
  resolveName(file: FileInfo, name: string, space: Space): Resolved {
    const dot = name.indexOf('.');
    if (dot === -1) return this.resolveSimple(file, name, space, new Set());
    const head = this.resolveSimple(file, name.slice(0, dot), 'value', new Set());
    const rest = name.slice(dot + 1);
    if (head.kind === 'namespace') {
      if (head.file === null) return { kind: 'runtime', name: rest };
      return this.resolveExport(head.file, rest, space, new Set());
    }
    if (head.kind === 'decl' && tsc.isEnumDeclaration(head.decl) && head.decl.members.some((m) => m.name.getText(head.file.sf) === rest)) {
      return { kind: 'enum-member', decl: head.decl, file: head.file, member: rest };
    }
    if (head.kind === 'unresolved') return head;
    return { kind: 'unresolved', reason: `'${name}' is not a name servicegate can follow` };
  }

  private resolveSimple(file: FileInfo, name: string, space: Space, seen: Set<string>): Resolved {
    const local = pick(file.locals.get(name), space);
    if (local) return { kind: 'decl', decl: local, file };
    const binding = file.imports.get(name);
    if (!binding) return { kind: 'global' };
    const target = this.resolveModule(file, binding.module);
    if (typeof target === 'string') return { kind: 'unresolved', reason: target };
    if (binding.imported === '*') return { kind: 'namespace', file: target };
    if (target === null) return { kind: 'runtime', name: binding.imported };
    return this.resolveExport(target, binding.imported, space, seen);
  }

  private resolveExport(file: FileInfo, name: string, space: Space, seen: Set<string>): Resolved {
    const key = `${file.abs}\0${name}`;
    if (seen.has(key)) return { kind: 'unresolved', reason: `'${name}' is re-exported in a cycle` };
    seen.add(key);
    if (name === 'default' && file.defaultExport) return { kind: 'decl', decl: file.defaultExport, file };
    const local = pick(file.locals.get(name), space);
    if (local && isExportedDecl(local)) return { kind: 'decl', decl: local, file };
    for (const re of file.reexports) {
      if (re.exported !== name) continue;
      if (re.module === undefined) return this.resolveSimple(file, re.local, space, seen);
      const target = this.resolveModule(file, re.module);
      if (typeof target === 'string') return { kind: 'unresolved', reason: target };
      if (target === null) return { kind: 'runtime', name: re.local };
      return this.resolveExport(target, re.local, space, seen);
    }
    for (const re of file.reexports) {
      if (re.exported !== '*' || re.module === undefined) continue;
      const target = this.resolveModule(file, re.module);
      if (typeof target !== 'object') continue;
      if (target === null) return { kind: 'runtime', name };
      const found = this.resolveExport(target, name, space, seen);
      if (found.kind !== 'unresolved') return found;
    }
    return { kind: 'unresolved', reason: `'${file.rel}' does not export '${name}'` };
  }

  /** Whether a top-level declaration is exported from its file (by keyword or by `export { X }`). */
  isExported(file: FileInfo, decl: LocalDecl): boolean {
    return file.defaultExport === decl || this.exportName(file, decl) !== undefined;
  }

  /** The name a declaration is exported under (`export { A as B }` → 'B'); undefined when not exported by name. */
  exportName(file: FileInfo, decl: LocalDecl): string | undefined {
    const name = declName(decl, file.sf);
    if (isExportedDecl(decl) && !hasModifier(decl, tsc.SyntaxKind.DefaultKeyword)) return name;
    return file.reexports.find((re) => re.module === undefined && re.local === name)?.exported;
  }
}

function isExportedDecl(decl: LocalDecl): boolean {
  return hasModifier(decl, tsc.SyntaxKind.ExportKeyword);
}

export function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return (node as { modifiers?: readonly ts.ModifierLike[] }).modifiers?.some((m) => m.kind === kind) ?? false;
}

/** A declaration's name as written in `sf` (ts-morph's getName()); undefined for `export default class {}`. */
export function declName(decl: LocalDecl, sf: ts.SourceFile): string | undefined {
  return decl.name?.getText(sf);
}

/** The `extends` type of a class (ts-morph's ClassDeclaration.getExtends()). */
export function classExtends(decl: ts.ClassLikeDeclaration): ts.ExpressionWithTypeArguments | undefined {
  const clause = decl.heritageClauses?.find((c) => c.token === tsc.SyntaxKind.ExtendsKeyword);
  return clause?.types[0];
}

/** Interfaces and type aliases are not values; a class shadows an interface of the same name (merging). */
function pick(decls: readonly LocalDecl[] | undefined, space: Space): LocalDecl | undefined {
  if (!decls) return undefined;
  const values = decls.filter((d) => tsc.isClassDeclaration(d) || tsc.isEnumDeclaration(d));
  return values[0] ?? (space === 'type' ? decls[0] : undefined);
}

function indexFile(abs: string, rel: string, sf: ts.SourceFile): FileInfo {
  const locals = new Map<string, LocalDecl[]>();
  const imports = new Map<string, ImportBinding>();
  const reexports: ReExport[] = [];
  let defaultExport: LocalDecl | undefined;
  const text = (node: ts.Node) => node.getText(sf);
  // ts-morph's ImportSpecifier / ExportSpecifier getName(): a string literal name without its quotes.
  const specName = (node: ts.ModuleExportName) => (tsc.isStringLiteral(node) ? node.text : text(node));
  for (const st of sf.statements) {
    if (tsc.isClassDeclaration(st) || tsc.isInterfaceDeclaration(st) || tsc.isTypeAliasDeclaration(st) || tsc.isEnumDeclaration(st)) {
      const name = st.name ? text(st.name) : undefined;
      if (name) locals.set(name, [...(locals.get(name) ?? []), st]);
      if (hasModifier(st, tsc.SyntaxKind.DefaultKeyword)) defaultExport = st;
    } else if (tsc.isImportDeclaration(st)) {
      const module = moduleValue(st.moduleSpecifier, sf);
      const clause = st.importClause;
      if (clause?.name) imports.set(text(clause.name), { module, imported: 'default' });
      const bindings = clause?.namedBindings;
      if (bindings && tsc.isNamespaceImport(bindings)) imports.set(text(bindings.name), { module, imported: '*' });
      if (bindings && tsc.isNamedImports(bindings)) {
        for (const spec of bindings.elements) {
          const imported = specName(spec.propertyName ?? spec.name);
          imports.set(spec.propertyName ? text(spec.name) : imported, { module, imported });
        }
      }
    } else if (tsc.isExportDeclaration(st)) {
      const module = st.moduleSpecifier ? moduleValue(st.moduleSpecifier, sf) : undefined;
      const clause = st.exportClause;
      if (!clause) reexports.push({ exported: '*', module, local: '*' });
      else if (tsc.isNamedExports(clause)) {
        for (const spec of clause.elements) {
          const local = specName(spec.propertyName ?? spec.name);
          reexports.push({ exported: spec.propertyName ? text(spec.name) : local, module, local });
        }
      }
    }
  }
  return { abs, rel, sf, locals, imports, reexports, ...(defaultExport ? { defaultExport } : {}) };
}

/** A module specifier's value (a string literal; the text of anything else the parser recovered). */
function moduleValue(spec: ts.Expression, sf: ts.SourceFile): string {
  return tsc.isStringLiteralLike(spec) ? spec.text : spec.getText(sf);
}

/** The 1-based position of `node` (or of an absolute offset) in its file. */
export function locAt(file: FileInfo, nodeOrOffset: ts.Node | number): Loc {
  const pos = typeof nodeOrOffset === 'number' ? nodeOrOffset : nodeOrOffset.getStart(file.sf);
  // TypeScript's own lookup (binary search over cached line starts).
  const { line, character } = file.sf.getLineAndCharacterOfPosition(pos);
  return { file: file.rel, line: line + 1, column: character + 1 };
}

/** A stable identity for a declaration, used to read each model once. */
export function declKey(file: FileInfo, decl: ts.Node): string {
  return `${file.rel}:${decl.getStart(file.sf)}`;
}

/**
 * Follows a class's `extends` chain to servicegate's `Service` or `Model`. 'other' when the chain ends
 * anywhere else (no base, a base from a package, an unresolvable name, a cycle).
 */
export function classRoot(index: ProgramIndex, file: FileInfo, decl: ts.ClassDeclaration): 'Service' | 'Model' | 'other' {
  const seen = new Set<ts.ClassDeclaration>();
  for (;;) {
    if (seen.has(decl)) return 'other';
    seen.add(decl);
    const ext = classExtends(decl);
    if (!ext) return 'other';
    const target = index.resolveName(file, ext.expression.getText(file.sf), 'value');
    if (target.kind === 'runtime') return target.name === 'Service' || target.name === 'Model' ? target.name : 'other';
    if (target.kind !== 'decl' || !tsc.isClassDeclaration(target.decl)) return 'other';
    decl = target.decl;
    file = target.file;
  }
}
