/**
 * The fields of one model declaration (a Model class, an interface, or a type alias of an object type):
 * members → Field, with JSDoc constraints and literal defaults.
 */
import { Node, Scope } from 'ts-morph';
import type { ClassDeclaration, PropertyDeclaration, PropertySignature, TypeElementTypes } from 'ts-morph';
import type { Field, JsonValue, TypeRef } from '../ir.js';
import { readFieldDoc, readJsDoc } from './jsdoc.js';
import type { JsDoc, TagProblem, TagTarget } from './jsdoc.js';
import { locAt } from './ts-scope.js';
import type { FileInfo } from './ts-scope.js';
import { readFieldType } from './ts-types.js';
import type { TypeContext } from './ts-types.js';
import { inferredKind, readEnumMembers, readLiteral } from './ts-values.js';

export interface FieldContext extends TypeContext {
  reportProblems(file: FileInfo, problems: readonly TagProblem[]): void;
}

/** The last JSDoc block of a node (the one TypeScript attaches to it), parsed; empty when there is none. */
export function docOf(node: Node): JsDoc {
  const docs = Node.isJSDocable(node) ? node.getJsDocs() : [];
  const last = docs[docs.length - 1];
  return last ? readJsDoc(last.getText(), last.getStart()) : { tags: [] };
}

/** Reads a class's own members; methods and other non-data members are reported. */
export function readClassMembers(ctx: FieldContext, file: FileInfo, decl: ClassDeclaration): Field[] {
  const fields: Field[] = [];
  for (const member of decl.getMembers()) {
    if (Node.isPropertyDeclaration(member)) {
      if (member.isStatic()) continue;
      if (Node.isPrivateIdentifier(member.getNameNode()) || member.getScope() !== Scope.Public) {
        ctx.report(file, member.getNameNode(), 'SG101', `Model fields are public data; make '${member.getName()}' public or move it out of the model.`);
        continue;
      }
      const field = readField(ctx, file, member);
      if (field) fields.push(field);
    } else if (!Node.isClassStaticBlockDeclaration(member) && !(Node.isMethodDeclaration(member) && member.isStatic())) {
      const at = Node.isConstructorDeclaration(member) ? member : member.getNameNode();
      ctx.report(file, at, 'SG101', `Models are data: a plain object must be assignable to '${decl.getName() ?? 'the model'}'; move this ${kindWord(member)} out of the model (into a function or the service).`);
    }
  }
  return fields;
}

/** Reads the members of an interface or an object type literal. */
export function readTypeMembers(ctx: FieldContext, file: FileInfo, members: readonly TypeElementTypes[]): Field[] {
  const fields: Field[] = [];
  for (const member of members) {
    if (Node.isPropertySignature(member)) {
      const field = readField(ctx, file, member);
      if (field) fields.push(field);
    } else if (Node.isIndexSignatureDeclaration(member)) {
      ctx.report(file, member, 'SG101', "A model with an index signature cannot be mapped; use a field of type Record<string, T> instead.");
    } else {
      ctx.report(file, member, 'SG101', 'Models are data: methods and call signatures cannot be mapped; remove this member.');
    }
  }
  return fields;
}

function kindWord(member: Node): string {
  if (Node.isConstructorDeclaration(member)) return 'constructor';
  if (Node.isGetAccessorDeclaration(member) || Node.isSetAccessorDeclaration(member)) return 'accessor';
  if (Node.isMethodDeclaration(member)) return 'method';
  return 'member';
}

function fieldName(ctx: FieldContext, file: FileInfo, member: PropertyDeclaration | PropertySignature): string | undefined {
  const nameNode = member.getNameNode();
  if (Node.isIdentifier(nameNode)) return nameNode.getText();
  if (Node.isStringLiteral(nameNode) || Node.isNoSubstitutionTemplateLiteral(nameNode)) return nameNode.getLiteralValue();
  if (Node.isNumericLiteral(nameNode)) return String(nameNode.getLiteralValue());
  ctx.report(file, nameNode, 'SG101', `Computed field names cannot be mapped; write the name out ('${nameNode.getText()}').`);
  return undefined;
}

function readField(ctx: FieldContext, file: FileInfo, member: PropertyDeclaration | PropertySignature): Field | undefined {
  const name = fieldName(ctx, file, member);
  if (name === undefined) return undefined;
  const typeNode = member.getTypeNode();
  const init = Node.isPropertyDeclaration(member) ? member.getInitializer() : undefined;
  let type: TypeRef | undefined;
  let optional = member.hasQuestionToken();
  if (typeNode) {
    const read = readFieldType(ctx, file, typeNode);
    type = read.type;
    optional ||= read.optional;
  } else if (init && inferredKind(init)) {
    type = { kind: inferredKind(init)! };
  } else {
    const hint = init ? `a type annotation ('${name}: T = …')` : `a type annotation ('${name}!: string')`;
    ctx.report(file, member.getNameNode(), 'SG101', `Field '${name}' has no type servicegate can read; add ${hint}.`);
  }
  let defaultValue: JsonValue | undefined;
  if (init) {
    const lit = readLiteral(init, (text) => enumValue(ctx, file, text));
    if ('node' in lit) {
      ctx.report(file, lit.node, 'SG109', `The default of '${name}' must be a literal (a string, number, boolean, null, or an array or object of those), not '${clip(lit.node.getText())}'; write a literal, or make the field optional and set it in handle().`);
    } else defaultValue = lit.value;
    optional = true;
  }
  const problems: TagProblem[] = [];
  const doc = readFieldDoc(docOf(member), targetOf(type), problems);
  ctx.reportProblems(file, problems);
  return {
    name,
    type: type ?? { kind: 'unknown' },
    optional,
    ...(defaultValue !== undefined ? { default: defaultValue } : {}),
    ...(doc.description !== undefined ? { description: doc.description } : {}),
    constraints: doc.constraints,
    ...(doc.example !== undefined ? { example: doc.example } : {}),
    ...(doc.deprecated ? { deprecated: true } : {}),
    loc: locAt(file, member.getNameNode()),
  };
}

function enumValue(ctx: FieldContext, file: FileInfo, text: string): string | number | undefined {
  const target = ctx.index.resolveName(file, text, 'value');
  if (target.kind !== 'enum-member') return undefined;
  const read = readEnumMembers(target.decl);
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
