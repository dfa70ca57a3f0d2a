/**
 * The fields of one model declaration (a Model class, an interface, or a type alias of an object type):
 * members → Field, with JSDoc constraints and literal defaults.
 */
import type { ts } from 'ts-morph';
import { tsc } from './typescript.js';
import type { Field, JsonValue, TypeRef } from '../ir.js';
import { readFieldDoc, readJsDoc } from './jsdoc.js';
import type { JsDoc, TagProblem, TagTarget } from './jsdoc.js';
import { declName, hasModifier, locAt } from './ts-scope.js';
import type { FileInfo } from './ts-scope.js';
import { readFieldType } from './ts-types.js';
import type { TypeContext } from './ts-types.js';
import { inferredKind, numericValue, readEnumMembers, readLiteral } from './ts-values.js';

const { SyntaxKind } = tsc;

export interface FieldContext extends TypeContext {
  reportProblems(file: FileInfo, problems: readonly TagProblem[]): void;
}

/**
 * The last JSDoc block of a declaration (the one TypeScript attaches to it), parsed; empty when there is none.
 * Found as TypeScript's parser finds it (getJSDocCommentRanges): the leading comments of the node that start with
 * `/**` but are not `/**\/` — the files are parsed without JSDoc nodes (ts-scope.ts).
 */
export function docOf(node: ts.Node, sf: ts.SourceFile): JsDoc {
  const text = sf.text;
  let last: ts.CommentRange | undefined;
  for (const c of tsc.getLeadingCommentRanges(text, node.pos) ?? []) {
    if (c.end <= node.end && text.charCodeAt(c.pos + 1) === 42 && text.charCodeAt(c.pos + 2) === 42 && text.charCodeAt(c.pos + 3) !== 47) last = c;
  }
  return last ? readJsDoc(text.substring(last.pos, last.end), last.pos) : { tags: [] };
}

/**
 * The members ts-morph's ClassDeclaration.getMembers() gives: properties, methods, accessors, constructors and
 * static blocks, without the bodiless overload signatures of methods and constructors (outside ambient code).
 */
function classMembers(c: ts.ClassDeclaration, sf: ts.SourceFile): ts.ClassElement[] {
  const ambient = sf.isDeclarationFile || (tsc.getCombinedModifierFlags(c) & tsc.ModifierFlags.Ambient) !== 0;
  return c.members.filter((m) => {
    if (!(tsc.isMethodDeclaration(m) || tsc.isPropertyDeclaration(m) || tsc.isGetAccessorDeclaration(m) || tsc.isSetAccessorDeclaration(m) ||
      tsc.isConstructorDeclaration(m) || tsc.isClassStaticBlockDeclaration(m))) return false;
    if (ambient || !(tsc.isConstructorDeclaration(m) || tsc.isMethodDeclaration(m))) return true;
    if (tsc.isMethodDeclaration(m) && hasModifier(m, SyntaxKind.AbstractKeyword)) return true;
    return m.body !== undefined;
  });
}

/** Reads a class's own members; methods and other non-data members are reported. */
export function readClassMembers(ctx: FieldContext, file: FileInfo, decl: ts.ClassDeclaration): Field[] {
  const sf = file.sf;
  const fields: Field[] = [];
  for (const member of classMembers(decl, sf)) {
    if (tsc.isPropertyDeclaration(member)) {
      if (hasModifier(member, SyntaxKind.StaticKeyword)) continue;
      const flags = tsc.getCombinedModifierFlags(member);
      if (tsc.isPrivateIdentifier(member.name) || (flags & (tsc.ModifierFlags.Private | tsc.ModifierFlags.Protected)) !== 0) {
        ctx.report(file, member.name, 'SG101', `Model fields are public data; make '${member.name.getText(sf)}' public or move it out of the model.`);
        continue;
      }
      const field = readField(ctx, file, member);
      if (field) fields.push(field);
    } else if (!tsc.isClassStaticBlockDeclaration(member) && !(tsc.isMethodDeclaration(member) && hasModifier(member, SyntaxKind.StaticKeyword))) {
      const at = tsc.isConstructorDeclaration(member) ? member : member.name!;
      ctx.report(file, at, 'SG101', `Models are data: a plain object must be assignable to '${declName(decl, sf) ?? 'the model'}'; move this ${kindWord(member)} out of the model (into a function or the service).`);
    }
  }
  return fields;
}

/** Reads the members of an interface or an object type literal. */
export function readTypeMembers(ctx: FieldContext, file: FileInfo, members: readonly ts.TypeElement[]): Field[] {
  const fields: Field[] = [];
  for (const member of members) {
    if (tsc.isPropertySignature(member)) {
      const field = readField(ctx, file, member);
      if (field) fields.push(field);
    } else if (tsc.isIndexSignatureDeclaration(member)) {
      ctx.report(file, member, 'SG101', "A model with an index signature cannot be mapped; use a field of type Record<string, T> instead.");
    } else {
      ctx.report(file, member, 'SG101', 'Models are data: methods and call signatures cannot be mapped; remove this member.');
    }
  }
  return fields;
}

function kindWord(member: ts.Node): string {
  if (tsc.isConstructorDeclaration(member)) return 'constructor';
  if (tsc.isGetAccessorDeclaration(member) || tsc.isSetAccessorDeclaration(member)) return 'accessor';
  if (tsc.isMethodDeclaration(member)) return 'method';
  return 'member';
}

function fieldName(ctx: FieldContext, file: FileInfo, member: ts.PropertyDeclaration | ts.PropertySignature): string | undefined {
  const sf = file.sf;
  const nameNode = member.name;
  if (tsc.isIdentifier(nameNode)) return nameNode.getText(sf);
  if (tsc.isStringLiteral(nameNode) || tsc.isNoSubstitutionTemplateLiteral(nameNode)) return nameNode.text;
  if (tsc.isNumericLiteral(nameNode)) return String(numericValue(nameNode));
  ctx.report(file, nameNode, 'SG101', `Computed field names cannot be mapped; write the name out ('${nameNode.getText(sf)}').`);
  return undefined;
}

function readField(ctx: FieldContext, file: FileInfo, member: ts.PropertyDeclaration | ts.PropertySignature): Field | undefined {
  const sf = file.sf;
  const name = fieldName(ctx, file, member);
  if (name === undefined) return undefined;
  const typeNode = member.type;
  const init = tsc.isPropertyDeclaration(member) ? member.initializer : undefined;
  let type: TypeRef | undefined;
  let optional = member.questionToken !== undefined;
  if (typeNode) {
    const read = readFieldType(ctx, file, typeNode);
    type = read.type;
    optional ||= read.optional;
  } else if (init && inferredKind(init)) {
    type = { kind: inferredKind(init)! };
  } else {
    const hint = init ? `a type annotation ('${name}: T = …')` : `a type annotation ('${name}!: string')`;
    ctx.report(file, member.name, 'SG101', `Field '${name}' has no type servicegate can read; add ${hint}.`);
  }
  let defaultValue: JsonValue | undefined;
  if (init) {
    const lit = readLiteral(init, sf, (text) => enumValue(ctx, file, text));
    if ('node' in lit) {
      ctx.report(file, lit.node, 'SG109', `The default of '${name}' must be a literal (a string, number, boolean, null, or an array or object of those), not '${clip(lit.node.getText(sf))}'; write a literal, or make the field optional and set it in handle().`);
    } else defaultValue = lit.value;
    optional = true;
  }
  const problems: TagProblem[] = [];
  const doc = readFieldDoc(docOf(member, sf), targetOf(type), problems);
  ctx.reportProblems(file, problems);
  // A field typed with a type alias (`type Sku = string` under `/** @pattern … */`) takes the alias's constraint tags,
  // description and @example, as tsoa does; the field's own win. Aliases of aliases: the nearer one wins.
  let constraints = doc.constraints;
  let description = doc.description;
  let example = doc.example;
  if (typeNode && type && type.kind !== 'ref' && type.kind !== 'unknown') {
    for (const alias of aliasChain(ctx, file, typeNode)) {
      const aliasProblems: TagProblem[] = [];
      const aliasDoc = readFieldDoc(docOf(alias.decl, alias.file.sf), targetOf(type), aliasProblems);
      ctx.reportProblems(alias.file, aliasProblems);
      constraints = { ...aliasDoc.constraints, ...constraints };
      description ??= aliasDoc.description;
      example ??= aliasDoc.example;
    }
  }
  return {
    name,
    type: type ?? { kind: 'unknown' },
    optional,
    ...(defaultValue !== undefined ? { default: defaultValue } : {}),
    ...(description !== undefined ? { description } : {}),
    constraints,
    ...(example !== undefined ? { example } : {}),
    ...(doc.deprecated ? { deprecated: true } : {}),
    loc: locAt(file, member.name),
  };
}

/**
 * The type aliases a field's type names, nearest first: `type A = B; type B = string` gives A then B. Only a plain
 * reference (no type arguments, no `| null`, no `[]`) carries an alias's tags; what the alias names has already been
 * read (and any error reported) by readFieldType, so a cycle or an unresolved name just ends the chain.
 */
function aliasChain(ctx: FieldContext, file: FileInfo, typeNode: ts.TypeNode): { decl: ts.TypeAliasDeclaration; file: FileInfo }[] {
  const chain: { decl: ts.TypeAliasDeclaration; file: FileInfo }[] = [];
  let node = typeNode;
  let from = file;
  while (chain.length < 16) {
    while (tsc.isParenthesizedTypeNode(node)) node = node.type;
    if (!tsc.isTypeReferenceNode(node) || node.typeArguments !== undefined || !tsc.isIdentifier(node.typeName)) break;
    const target = ctx.index.resolveName(from, node.typeName.text, 'type');
    if (target.kind !== 'decl' || !tsc.isTypeAliasDeclaration(target.decl) || chain.some((a) => a.decl === target.decl)) break;
    chain.push({ decl: target.decl, file: target.file });
    node = target.decl.type;
    from = target.file;
  }
  return chain;
}

function enumValue(ctx: FieldContext, file: FileInfo, text: string): string | number | undefined {
  const target = ctx.index.resolveName(file, text, 'value');
  if (target.kind !== 'enum-member') return undefined;
  const read = readEnumMembers(target.decl, target.file.sf);
  return 'members' in read ? read.members.find((m) => m.name === target.member)?.value : undefined;
}

/** What JSDoc constraint tags may apply to: the type without `| null` (unreadable: already reported, check no tags). */
function targetOf(type: TypeRef | undefined): TagTarget {
  if (!type) return 'any';
  const t = type.kind === 'nullable' ? type.inner : type;
  switch (t.kind) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'array':
      return 'array';
    default:
      return 'other';
  }
}

function clip(text: string): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}
