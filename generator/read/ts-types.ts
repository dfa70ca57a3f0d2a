/**
 * TypeScript type syntax → TypeRef. One function per construct; anything that has no JSON form is reported
 * at its own position with what to write instead (never mapped to a silent `{}`). Works on the compiler's own
 * nodes (ts-morph's `ts`): a ts-morph wrapper per type node cost more than reading the type.
 */
import type { ts } from 'ts-morph';
import { tsc } from './typescript.js';
import type { TypeRef } from '../ir.js';
import { numericValue, readEnumMembers } from './ts-values.js';
import type { FileInfo, LocalDecl, ProgramIndex } from './ts-scope.js';

const { SyntaxKind } = tsc;
type SyntaxKind = ts.SyntaxKind;

export interface TypeContext {
  readonly index: ProgramIndex;
  report(file: FileInfo, at: ts.Node, code: string, message: string): void;
  /** A reference to a user declaration: a `ref` to a named model, an inlined type alias, or undefined (reported). */
  refDecl(decl: LocalDecl, declFile: FileInfo, at: ts.Node, atFile: FileInfo): TypeRef | undefined;
}

const KEYWORDS: Partial<Record<SyntaxKind, TypeRef>> = {
  [SyntaxKind.StringKeyword]: { kind: 'string' },
  [SyntaxKind.NumberKeyword]: { kind: 'number' },
  [SyntaxKind.BooleanKeyword]: { kind: 'boolean' },
  [SyntaxKind.UnknownKeyword]: { kind: 'unknown' },
  [SyntaxKind.AnyKeyword]: { kind: 'unknown' },
};

const UNMAPPABLE_KEYWORDS: Partial<Record<SyntaxKind, string>> = {
  [SyntaxKind.BigIntKeyword]: "bigint has no JSON form; use number, Int, or string with '@pattern ^-?[0-9]+$'",
  [SyntaxKind.SymbolKeyword]: 'symbol has no JSON form; use string',
  [SyntaxKind.ObjectKeyword]: "'object' says nothing about the fields; declare a named model class (class X extends Model)",
  [SyntaxKind.NeverKeyword]: "'never' has no JSON form; remove the field",
  [SyntaxKind.VoidKeyword]: "'void' has no JSON form; remove the field or make it optional ('?')",
  [SyntaxKind.UndefinedKeyword]: "'undefined' has no JSON form; make the field optional ('?') instead",
};

/** Globals with no JSON mapping, and what to write instead. */
const UNMAPPABLE_GLOBALS: Readonly<Record<string, string>> = {
  Map: 'Map has no JSON form; use Record<string, T>',
  Set: "Set has no JSON form; use T[] with '@uniqueItems'",
  WeakMap: 'WeakMap has no JSON form; use Record<string, T>',
  WeakSet: "WeakSet has no JSON form; use T[] with '@uniqueItems'",
  Promise: 'a Promise is not data; declare the resolved type',
  Function: 'functions are not data; remove the field',
  Object: 'Object says nothing about the fields; declare a named model class (class X extends Model)',
  BigInt: "bigint has no JSON form; use number, Int, or string with '@pattern ^-?[0-9]+$'",
  Buffer: "Buffer has no JSON form; use string with '@format' or a base64 string",
  Uint8Array: 'binary data has no JSON form; use a base64 string',
  Partial: 'utility types cannot be mapped; declare a named model class with the fields you need',
  Required: 'utility types cannot be mapped; declare a named model class with the fields you need',
  Readonly: 'utility types cannot be mapped; declare a named model class with the fields you need',
  Pick: 'utility types cannot be mapped; declare a named model class with the fields you need',
  Omit: 'utility types cannot be mapped; declare a named model class with the fields you need',
};

/** A field's declared type: `| undefined` makes it optional, which only a field (not an item) can be. */
export function readFieldType(ctx: TypeContext, file: FileInfo, node: ts.TypeNode): { type?: TypeRef; optional: boolean } {
  const inner = unparen(node);
  if (tsc.isUnionTypeNode(inner)) return readUnion(ctx, file, inner, true);
  const type = readType(ctx, file, inner);
  return { ...(type ? { type } : {}), optional: false };
}

/** Maps one type node; undefined means a problem was reported. */
export function readType(ctx: TypeContext, file: FileInfo, node: ts.TypeNode): TypeRef | undefined {
  const fail = (message: string): undefined => {
    ctx.report(file, node, 'SG101', message);
    return undefined;
  };
  node = unparen(node);
  const sf = file.sf;
  const kind = node.kind;
  const keyword = KEYWORDS[kind];
  if (keyword) return keyword;
  const bad = UNMAPPABLE_KEYWORDS[kind];
  if (bad) return fail(`Cannot map '${node.getText(sf)}': ${bad}.`);
  if (tsc.isLiteralTypeNode(node)) {
    const value = literalOf(node);
    if (value === null) return fail("A field that is always null carries nothing; write 'T | null' with the type it has otherwise.");
    if (value === undefined) return fail(`Cannot map the literal type '${node.getText(sf)}'; use a string, number or boolean literal.`);
    return { kind: 'literal', values: [value] };
  }
  if (tsc.isArrayTypeNode(node)) {
    const items = readType(ctx, file, node.elementType);
    return items && { kind: 'array', items };
  }
  if (tsc.isTypeOperatorNode(node)) {
    if (node.operator === SyntaxKind.ReadonlyKeyword) return readType(ctx, file, node.type);
    return fail(`Cannot map '${node.getText(sf)}': type operators have no JSON form; write the resulting type out.`);
  }
  if (tsc.isUnionTypeNode(node)) return readUnion(ctx, file, node, false).type;
  if (tsc.isTypeReferenceNode(node)) return readReference(ctx, file, node);
  if (tsc.isTypeLiteralNode(node)) {
    const members = node.members;
    const only = members.length === 1 ? members[0] : undefined;
    if (only && tsc.isIndexSignatureDeclaration(only)) {
      const key = only.parameters[0]?.type;
      if (key?.kind !== SyntaxKind.StringKeyword) return fail(`Cannot map '${node.getText(sf)}': JSON object keys are strings; write '{ [key: string]: T }'.`);
      if (!only.type) throw new Error('Expected to find a return type node.'); // as ts-morph's getReturnTypeNodeOrThrow did
      const values = readType(ctx, file, only.type);
      return values && { kind: 'record', values };
    }
    return fail('Inline object types cannot be named in the API; declare a named model class (class X extends Model) and use it here.');
  }
  if (tsc.isFunctionTypeNode(node) || tsc.isConstructorTypeNode(node)) return fail('Functions are not data; remove the field or move it out of the model.');
  if (tsc.isTupleTypeNode(node)) return fail(`Tuples cannot be mapped ('${node.getText(sf)}'); use an array (T[]) or a model class with named fields.`);
  if (tsc.isIntersectionTypeNode(node)) return fail(`Intersections cannot be mapped ('${node.getText(sf)}'); declare a model class that extends the other one (class B extends A).`);
  if (tsc.isTemplateLiteralTypeNode(node)) return fail("Template literal types cannot be mapped; use string with '@pattern'.");
  return fail(`Cannot map the type '${node.getText(sf)}' to JSON; use string, number, Int, boolean, Date, a literal union, an enum, a model, T[] or Record<string, T>.`);
}

function readReference(ctx: TypeContext, file: FileInfo, node: ts.TypeReferenceNode): TypeRef | undefined {
  const sf = file.sf;
  const name = node.typeName.getText(sf);
  const args = node.typeArguments ?? [];
  const fail = (message: string): undefined => {
    ctx.report(file, node, 'SG101', message);
    return undefined;
  };
  const target = ctx.index.resolveName(file, name, 'type');
  switch (target.kind) {
    case 'runtime':
      if (target.name === 'Int' && args.length === 0) return { kind: 'integer' };
      return fail(`'${name}' from 'servicegate' is not a field type; use string, number, Int, boolean, Date or a model.`);
    case 'decl':
      if (args.length > 0) return fail(`Generic models cannot be mapped ('${node.getText(sf)}'); declare a named model class for this use.`);
      return ctx.refDecl(target.decl, target.file, node, file);
    case 'enum-member': {
      const read = readEnumMembers(target.decl, target.file.sf);
      const member = 'members' in read ? read.members.find((m) => m.name === target.member) : undefined;
      if (!member) return fail(`The value of '${name}' is not a literal; give the enum member a string or number initialiser.`);
      return { kind: 'literal', values: [member.value] };
    }
    case 'namespace':
      return fail(`'${name}' is a module, not a type.`);
    case 'unresolved':
      ctx.report(file, node, 'SG102', `Cannot resolve '${name}': ${target.reason}. Declare the model in a service file or import it from one.`);
      return undefined;
    case 'global':
      return readGlobal(ctx, file, node, name, fail);
  }
}

function readGlobal(
  ctx: TypeContext,
  file: FileInfo,
  node: ts.TypeReferenceNode,
  name: string,
  fail: (message: string) => undefined,
): TypeRef | undefined {
  const sf = file.sf;
  const args = node.typeArguments ?? [];
  if (name === 'Date' && args.length === 0) return { kind: 'date' };
  if ((name === 'Array' || name === 'ReadonlyArray') && args.length === 1) {
    const items = readType(ctx, file, args[0]!);
    return items && { kind: 'array', items };
  }
  if (name === 'Record' && args.length === 2) {
    if (unparen(args[0]!).kind !== SyntaxKind.StringKeyword) {
      return fail(`Cannot map '${node.getText(sf)}': JSON object keys are strings; write 'Record<string, T>' (list fixed keys as fields of a model class).`);
    }
    const values = readType(ctx, file, args[1]!);
    return values && { kind: 'record', values };
  }
  const known = UNMAPPABLE_GLOBALS[name];
  if (known) return fail(`Cannot map '${node.getText(sf)}': ${known}.`);
  if (name === 'Int') {
    ctx.report(file, node, 'SG102', "Cannot resolve 'Int'; import it: import type { Int } from 'servicegate'.");
    return undefined;
  }
  ctx.report(file, node, 'SG102', `Cannot resolve '${name}': it is neither declared in ${file.rel} nor imported; declare it or import it from the file that declares it.`);
  return undefined;
}

/**
 * `A | B | null | undefined`: null → nullable, undefined → optional (fields only), literals and booleans merge
 * into one literal union (`true | false` is boolean); anything else mixed is reported.
 */
function readUnion(ctx: TypeContext, file: FileInfo, node: ts.UnionTypeNode, allowUndefined: boolean): { type?: TypeRef; optional: boolean } {
  let nullable = false;
  let optional = false;
  const parts: TypeRef[] = [];
  let failed = false;
  for (const member of flattenUnion(node)) {
    if (tsc.isLiteralTypeNode(member) && literalOf(member) === null) nullable = true;
    else if (member.kind === SyntaxKind.UndefinedKeyword && allowUndefined) optional = true;
    else {
      const t = readType(ctx, file, member);
      if (!t) failed = true;
      else if (t.kind === 'nullable') {
        nullable = true;
        parts.push(t.inner);
      } else parts.push(t);
    }
  }
  if (failed) return { optional };
  const merged = mergeUnion(parts);
  if (typeof merged === 'string') {
    ctx.report(file, node, merged.startsWith('A union of models') ? 'SG110' : 'SG101', merged);
    return { optional };
  }
  return { type: nullable ? { kind: 'nullable', inner: merged } : merged, optional };
}
function mergeUnion(parts: readonly TypeRef[]): TypeRef | string {
  if (parts.length === 0) return "A field that is always null carries nothing; write 'T | null' with the type it has otherwise.";
  if (parts.length === 1) return parts[0]!;
  const values: (string | number | boolean)[] = [];
  for (const p of parts) {
    if (p.kind === 'literal') values.push(...p.values);
    else if (p.kind === 'boolean') values.push(true, false);
    else if (p.kind === 'ref' && parts.every((q) => q.kind === 'ref')) {
      return `A union of models must be a named type alias with a literal discriminant field: declare 'export type X = ${parts.map((q) => (q as { name: string }).name).join(' | ')}' and use X here.`;
    } else {
      return `This union mixes unrelated types (${parts.map(describe).join(', ')}); servicegate maps unions of literals, 'T | null' and discriminated unions of models. Use one type, or a named union of model classes.`;
    }
  }
  const unique = [...new Set(values)];
  if (unique.length === 2 && unique.includes(true) && unique.includes(false)) return { kind: 'boolean' };
  return { kind: 'literal', values: unique };
}

function describe(t: TypeRef): string {
  if (t.kind === 'ref') return t.name;
  if (t.kind === 'literal') return t.values.map((v) => JSON.stringify(v)).join(' | ');
  return t.kind;
}

/** The members of a union, with nested and parenthesised unions spread out. */
export function flattenUnion(node: ts.UnionTypeNode): ts.TypeNode[] {
  return node.types.flatMap((t) => {
    const inner = unparen(t);
    return tsc.isUnionTypeNode(inner) ? flattenUnion(inner) : [inner];
  });
}

/** The type inside any number of parentheses. */
export function unparen(node: ts.TypeNode): ts.TypeNode {
  while (tsc.isParenthesizedTypeNode(node)) node = node.type;
  return node;
}

/** A literal type's value: null for `null`, undefined when it is not a JSON literal. */
function literalOf(node: ts.LiteralTypeNode): string | number | boolean | null | undefined {
  const lit = node.literal;
  if (tsc.isStringLiteral(lit) || tsc.isNoSubstitutionTemplateLiteral(lit)) return lit.text;
  if (tsc.isNumericLiteral(lit)) return numericValue(lit);
  if (lit.kind === SyntaxKind.TrueKeyword) return true;
  if (lit.kind === SyntaxKind.FalseKeyword) return false;
  if (lit.kind === SyntaxKind.NullKeyword) return null;
  if (tsc.isPrefixUnaryExpression(lit) && lit.operator === SyntaxKind.MinusToken) {
    const operand = lit.operand;
    if (tsc.isNumericLiteral(operand)) return -numericValue(operand);
  }
  return undefined;
}
