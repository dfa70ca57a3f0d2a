/**
 * Service files → ServiceDecl[] and the ModelDecl[] they reach (CONTRACT.md §2), by syntax-level analysis
 * with servicegate's own name resolution: no type checker, so a large project reads quickly.
 *
 * Diagnostic codes of the services reader and checks:
 *   SG101  a type or member that cannot be mapped to JSON (functions, tuples, Map/Set, bigint, intersections,
 *          inline object types, generic models, unrelated unions, methods in models…)
 *   SG102  a name that cannot be resolved (not declared, not imported, from a package, missing module)
 *   SG103  a wrong JSDoc tag (a number tag with a non-number, a bad @pattern, an unknown @format, a string tag
 *          on a number field, @minimum above @maximum…)
 *   SG104  two different models with the same name
 *   SG105  a service `name` that is not a string literal
 *   SG106  two services with the same name                                      (check/services.ts)
 *   SG107  a reserved service name prefix: `zato.` or `helpers.`                (check/services.ts)
 *   SG108  a service name that is empty or cannot be carried in a URL path segment (check/services.ts)
 *   SG109  a field default that is not a literal
 *   SG110  a union of models without a literal discriminant field
 *   SG111  `input` / `output` that does not name an exported model class
 *   SG112  (warning) an unknown JSDoc tag that looks like a misspelt constraint tag
 *   SG113  (check/services.ts) a service whose input / output model is missing or is not an object model
 *   SG114  a service class that is exported only as the default export
 *   SG115  a TypeScript syntax error in a service or model file
 */
import { existsSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import type { ts } from 'ts-morph';
import { tsc } from './typescript.js';
import { byName, compareCodePoints } from '../ir.js';
import type { ModelDecl, ServiceDecl } from '../ir.js';
import { error, sortDiagnostics } from '../diagnostics.js';
import type { Diagnostic } from '../diagnostics.js';
import { ModelReader } from './models.js';
import { ModelCache, ServiceCache } from './model-cache.js';
import { docOf } from './ts-fields.js';
import { listFiles } from './files.js';
import { ProgramIndex, classExtends, classRoot, declName, hasModifier, locAt } from './ts-scope.js';
import type { FileInfo, Resolved } from './ts-scope.js';

export const DEFAULT_SERVICE_PATTERNS: readonly string[] = ['services/**/*.ts'];

export interface ServicesReadResult {
  services: ServiceDecl[]; // sorted by name
  models: ModelDecl[]; // every model reachable from a service's input/output (transitively), sorted by name
  diagnostics: Diagnostic[];
  files: string[]; // every .ts file read (and tsconfig.json, with the configs it extends, when it has paths), relative to dir, sorted
}

export interface ServicesReader {
  /** Lists and (re)loads every matched file from disk, then reads services and models. */
  read(): ServicesReadResult;
  /** Reloads only `changedAbsPaths` (and picks up added / removed files), then reads services and models. */
  update(changedAbsPaths: readonly string[]): ServicesReadResult;
}

/**
 * A reader that keeps its parsed files between reads (ProgramIndex), so a watch mode re-parses only the changed files.
 * `dir` is the absolute project dir; `patterns` are globs relative to it.
 */
export function createServicesReader(dir: string, patterns: readonly string[] = DEFAULT_SERVICE_PATTERNS, sources?: Map<string, string>): ServicesReader {
  const root = resolve(dir);
  const index = new ProgramIndex(root, sources);
  let cache = { models: new ModelCache(), services: new ServiceCache() };
  let matched: string[] = [];
  const relist = (): string[] => listFiles(root, patterns).map((rel) => resolve(root, rel));
  return {
    read() {
      for (const info of index.loaded()) index.forget(info.abs);
      matched = relist();
      for (const abs of matched) index.load(abs);
      return readProject(index, matched, cache);
    },
    update(changedAbsPaths) {
      // Events that only name files already matched, and still there, cannot change which files match: an added,
      // removed or renamed file or folder is named by an event of its own. No names (the caller could not tell): list.
      const changed = changedAbsPaths.map((p) => resolve(p));
      // A changed tsconfig.json can lead any aliased import elsewhere: read `paths` again, and reuse no reading.
      const configs = new Set(index.aliasConfigFiles());
      if (changed.some((abs) => configs.has(abs))) {
        index.forgetAliases();
        cache = { models: new ModelCache(), services: new ServiceCache() };
      }
      const listed = new Set(matched);
      const same = changed.length > 0 && changed.every((abs) => listed.has(abs) && existsSync(abs));
      const now = same ? matched : relist();
      const keep = new Set(now);
      for (const abs of matched) if (!keep.has(abs)) index.forget(abs);
      for (const abs of now) if (!index.has(abs)) index.load(abs);
      for (const abs of changed) if (index.has(abs)) index.load(abs);
      matched = now;
      return readProject(index, matched, cache);
    },
  };
}

/**
 * Reads the services (and the models they use) of the project in `dir` from the files matching `patterns`.
 * `sources` (absolute path → text) are files already read (by the build helper's thread); the others are read here.
 */
export function readServices(dir: string, patterns: readonly string[] = DEFAULT_SERVICE_PATTERNS, sources?: Map<string, string>): ServicesReadResult {
  // Read once: each service file is parsed when its turn comes and let go of once read, unless another file
  // imports from it (a file let go of and imported later is parsed again). Nothing is kept for a later read, so
  // the syntax trees of a big project die young instead of all being copied into the old generation and marked
  // (5,000 files: ~0.3 s and ~130 MB less). The result is the same as the keeping reader's.
  const root = resolve(dir);
  const matched = listFiles(root, patterns).map((rel) => resolve(root, rel));
  return readProject(new ProgramIndex(root, sources), matched, null);
}

/**
 * `cache` null: a read once (readServices), which lets go of each matched file once read unless another file
 * imported from it; otherwise every file stays loaded in `index` and readings are kept in `cache` for the next read.
 */
function readProject(index: ProgramIndex, matched: readonly string[], cache: { models: ModelCache; services: ServiceCache } | null): ServicesReadResult {
  const diagnostics: Diagnostic[] = [];
  index.reached.clear();
  cache?.models.begin();
  cache?.services.begin();
  const models = new ModelReader(index, diagnostics, cache?.models);
  const services: ServiceDecl[] = [];
  const released = new Map<string, string>(); // files let go of (their syntax errors reported): absolute path → rel
  for (const abs of matched) {
    const file = index.current(abs) ?? (cache ? index.get(abs) : index.load(abs));
    if (!file) continue;
    if (!cache) {
      services.push(...readFileServices(index, models, file, diagnostics));
      models.drain();
      if (!index.reached.has(abs) && index.current(abs) === file) {
        reportSyntaxErrors(file, diagnostics);
        released.set(abs, file.rel);
        index.forget(abs);
      }
      continue;
    }
    const hit = cache.services.lookup(index, file);
    if (hit) {
      for (const f of hit.files) index.reached.add(f.abs);
      models.replay(hit.registrations);
      services.push(...hit.services);
      models.drain();
      continue;
    }
    const track = { files: new Set<FileInfo>(), missing: new Set<string>() };
    const before = diagnostics.length;
    index.tracker = track;
    try {
      const { result, registrations } = models.recording(() => readFileServices(index, models, file, diagnostics));
      services.push(...result);
      if (diagnostics.length === before) cache.services.store(file, track, registrations, result);
    } finally {
      index.tracker = null;
    }
    models.drain();
  }
  const modelDecls = models.finish();
  // Files reached through imports from outside the patterns (models kept in lib/, say) are inputs too.
  const inputs = new Set([...matched, ...index.reached]);
  const read = index.loaded().filter((f) => inputs.has(f.abs) && !released.has(f.abs));
  for (const file of read) reportSyntaxErrors(file, diagnostics);
  // A tsconfig.json with `paths` decides where aliased imports lead: an input too (whether this read used it or not).
  const configs = (index.aliases()?.files ?? []).map((f) => relative(index.dir, f).split(sep).join('/'));
  const files = [...released.values(), ...read.map((f) => f.rel), ...configs].sort(compareCodePoints);
  return { services: byName(services), models: modelDecls, diagnostics: sortDiagnostics(diagnostics), files };
}

/** The exported, non-abstract classes of `file` that extend Service, read. */
function readFileServices(index: ProgramIndex, models: ModelReader, file: FileInfo, diagnostics: Diagnostic[]): ServiceDecl[] {
  const out: ServiceDecl[] = [];
  for (const decl of file.sf.statements) {
    if (!tsc.isClassDeclaration(decl)) continue;
    if (hasModifier(decl, tsc.SyntaxKind.AbstractKeyword) || !declName(decl, file.sf) || !index.isExported(file, decl)) continue;
    if (classRoot(index, file, decl) !== 'Service') continue;
    out.push(readService(index, models, file, decl, diagnostics));
  }
  return out;
}

/**
 * The parser's own errors (a stray `*\/`, a missing brace): without them a broken file would only show up later as
 * "service does not exist". The parser records them on the source file; no type checker is needed.
 */
function reportSyntaxErrors(file: FileInfo, diagnostics: Diagnostic[]): void {
  const parsed = (file.sf as { parseDiagnostics?: readonly ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  for (const d of parsed) {
    const { line, column } = lineAndColumn(file.sf.text, d.start);
    const text = tsc.flattenDiagnosticMessageText(d.messageText, ' ');
    diagnostics.push(error('SG115', `TypeScript syntax error: ${text} (TS${d.code}); fix the file so that it parses.`, { file: file.rel, line, column }));
  }
}

/**
 * ts-morph's SourceFile.getLineAndColumnAtPos(), which the syntax errors were always reported with: lines end at
 * '\n' only; a column counts from the last '\n' or '\r'.
 */
function lineAndColumn(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  for (let i = 0; i < pos; i++) if (text.charCodeAt(i) === 10) line++;
  let start = pos;
  while (start > 0 && text.charCodeAt(start - 1) !== 10 && text.charCodeAt(start - 1) !== 13) start--;
  return { line, column: pos - start + 1 };
}

function readService(index: ProgramIndex, models: ModelReader, file: FileInfo, decl: ts.ClassDeclaration, diagnostics: Diagnostic[]): ServiceDecl {
  const loc = locAt(file, decl.name!);
  const className = index.exportName(file, decl) ?? declName(decl, file.sf)!;
  if (index.exportName(file, decl) === undefined) {
    diagnostics.push(error('SG114', `Export the service class by name ('export class ${declName(decl, file.sf)!} extends …'), not as the default export: the generated service map imports it by name.`, loc));
  }
  let name = `${fileStem(file.rel)}.${kebabCase(declName(decl, file.sf)!)}`;
  let nameLoc = loc;
  const nameProp = ownProperty(file, decl, 'name');
  if (nameProp) {
    let init = nameProp.initializer;
    while (init && (tsc.isParenthesizedExpression(init) || (tsc.isAsExpression(init) && init.type.getText(file.sf) === 'const'))) {
      init = init.expression;
    }
    if (init && (tsc.isStringLiteral(init) || tsc.isNoSubstitutionTemplateLiteral(init))) {
      name = init.text;
      nameLoc = locAt(file, init);
    } else {
      const at = init ?? nameProp.name;
      diagnostics.push(error('SG105', `The service name must be a string literal so it can be read at build time; write name = '${name}' (or remove the field to use that default name).`, locAt(file, at)));
    }
  }
  const description = docOf(decl, file.sf).description;
  const input = readModelField(index, models, file, decl, 'input');
  const output = readModelField(index, models, file, decl, 'output');
  return {
    name,
    className,
    file: file.rel,
    ...(input ? { input } : {}),
    ...(output ? { output } : {}),
    ...(description !== undefined ? { description } : {}),
    loc,
    nameLoc,
  };
}

/** `input` / `output` on the class itself, or else inherited from the nearest user base class that sets it. */
function readModelField(index: ProgramIndex, models: ModelReader, file: FileInfo, decl: ts.ClassDeclaration, role: 'input' | 'output'): string | undefined {
  const seen = new Set<ts.ClassDeclaration>();
  for (let cls: ts.ClassDeclaration | undefined = decl, at = file; cls && !seen.has(cls); ) {
    seen.add(cls);
    const prop = ownProperty(at, cls, role);
    if (prop) {
      const init = prop.initializer;
      if (init) return models.readModelClass(at, init, role);
      models.report(at, prop.name, 'SG111', `'${role}' must be initialised with a model class; write '${role} = SomeModel'.`);
      return undefined;
    }
    const ext = classExtends(cls);
    const base: Resolved | undefined = ext && index.resolveName(at, ext.expression.getText(at.sf), 'value');
    if (!base || base.kind !== 'decl' || !tsc.isClassDeclaration(base.decl)) return undefined;
    cls = base.decl;
    at = base.file;
  }
  return undefined;
}

/** The class's own instance property `name` (ts-morph's getProperties(): properties are never overloads). */
function ownProperty(file: FileInfo, decl: ts.ClassDeclaration, name: string): ts.PropertyDeclaration | undefined {
  for (const m of decl.members) {
    if (tsc.isPropertyDeclaration(m) && !hasModifier(m, tsc.SyntaxKind.StaticKeyword) && m.name.getText(file.sf) === name) return m;
  }
  return undefined;
}

/** `services/customer.ts` → `customer`: the file name without its extension (not the folder). */
export function fileStem(rel: string): string {
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  return base.replace(/\.[cm]?tsx?$/, '');
}

/** `GetDetails` → `get-details`, `HTTPServer` → `http-server`, `GetV2Items` → `get-v2-items`. */
export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}
