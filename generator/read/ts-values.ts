/**
 * Field initialisers → JSON defaults. Only literals are accepted: a default is copied into the schema and
 * the validators at build time, so it must not depend on anything evaluated at run time. Works on the compiler's
 * own nodes (ts-morph's `ts`), like ts-types.ts.
 */
import type { ts } from 'ts-morph';
import { tsc } from './typescript.js';
import type { JsonValue } from '../ir.js';

const { SyntaxKind } = tsc;

/** A failed read: the node that is not a literal. */
export interface NotLiteral {
  readonly node: ts.Node;
}

/** A numeric literal's value as ts-morph's NumericLiteral.getLiteralValue() gives it (the compiler normalises 0x10 to 16). */
export function numericValue(node: ts.NumericLiteral): number {
  const text = node.text;
  return text.indexOf('.') >= 0 ? parseFloat(text) : parseInt(text, 10);
}

/**
 * Reads `expr` as a JSON literal: strings, numbers (also negative), booleans, null, and arrays / objects of
 * those. `enumMember` resolves `Color.Red` to its value (an enum default is a common, build-time constant).
 * `sf` is the file `expr` is in.
 */
export function readLiteral(
  expr: ts.Expression,
  sf: ts.SourceFile,
  enumMember: (name: string) => string | number | undefined,
): { value: JsonValue } | NotLiteral {
  if (tsc.isParenthesizedExpression(expr)) return readLiteral(expr.expression, sf, enumMember);
  if (tsc.isAsExpression(expr) || tsc.isSatisfiesExpression(expr)) {
    const typeText = expr.type.getText(sf);
    if (tsc.isAsExpression(expr) && typeText !== 'const') return { node: expr };
    return readLiteral(expr.expression, sf, enumMember);
  }
  if (tsc.isStringLiteral(expr) || tsc.isNoSubstitutionTemplateLiteral(expr)) return { value: expr.text };
  if (tsc.isNumericLiteral(expr)) return { value: numericValue(expr) };
  if (tsc.isPrefixUnaryExpression(expr)) {
    const operand = expr.operand;
    const op = expr.operator;
    if (tsc.isNumericLiteral(operand) && (op === SyntaxKind.MinusToken || op === SyntaxKind.PlusToken)) {
      const n = numericValue(operand);
      return { value: op === SyntaxKind.MinusToken ? -n : n };
    }
    return { node: expr };
  }
  if (expr.kind === SyntaxKind.TrueKeyword) return { value: true };
  if (expr.kind === SyntaxKind.FalseKeyword) return { value: false };
  if (expr.kind === SyntaxKind.NullKeyword) return { value: null };
  if (tsc.isPropertyAccessExpression(expr)) {
    const value = enumMember(expr.getText(sf));
    return value === undefined ? { node: expr } : { value };
  }
  if (tsc.isArrayLiteralExpression(expr)) {
    const items: JsonValue[] = [];
    for (const element of expr.elements) {
      const item = readLiteral(element, sf, enumMember);
      if ('node' in item) return item;
      items.push(item.value);
    }
    return { value: items };
  }
  if (tsc.isObjectLiteralExpression(expr)) {
    const out: Record<string, JsonValue> = {};
    for (const prop of expr.properties) {
      if (!tsc.isPropertyAssignment(prop)) return { node: prop };
      const nameNode = prop.name;
      let key: string;
      if (tsc.isIdentifier(nameNode)) key = nameNode.getText(sf);
      else if (tsc.isStringLiteral(nameNode) || tsc.isNoSubstitutionTemplateLiteral(nameNode)) key = nameNode.text;
      else if (tsc.isNumericLiteral(nameNode)) key = String(numericValue(nameNode));
      else return { node: nameNode };
      const init = prop.initializer;
      if (!init) return { node: prop };
      const value = readLiteral(init, sf, enumMember);
      if ('node' in value) return value;
      // defineProperty: a key named __proto__ must stay an ordinary key, not change the object's prototype
      Object.defineProperty(out, key, { value: value.value, enumerable: true, writable: true, configurable: true });
    }
    return { value: out };
  }
  return { node: expr };
}

/** The JSON type an untyped field gets from its literal initialiser (`tenant = ''` → string). */
export function inferredKind(expr: ts.Expression): 'string' | 'number' | 'boolean' | undefined {
  if (tsc.isParenthesizedExpression(expr)) return inferredKind(expr.expression);
  if (tsc.isStringLiteral(expr) || tsc.isNoSubstitutionTemplateLiteral(expr)) return 'string';
  if (tsc.isNumericLiteral(expr)) return 'number';
  if (tsc.isPrefixUnaryExpression(expr) && tsc.isNumericLiteral(expr.operand)) return 'number';
  if (expr.kind === SyntaxKind.TrueKeyword || expr.kind === SyntaxKind.FalseKeyword) return 'boolean';
  return undefined;
}

/** An enum's members and values (`sf`: its file) (implicit numbering as TypeScript does it), or the member that is not a literal. */
export function readEnumMembers(
  decl: ts.EnumDeclaration,
  sf: ts.SourceFile,
): { members: { name: string; value: string | number }[] } | NotLiteral {
  const members: { name: string; value: string | number }[] = [];
  let next: number | undefined = 0;
  for (const member of decl.members) {
    const init = member.initializer;
    let value: string | number;
    if (!init) {
      if (next === undefined) return { node: member };
      value = next;
    } else {
      const lit = readLiteral(init, sf, () => undefined);
      if ('node' in lit || (typeof lit.value !== 'string' && typeof lit.value !== 'number')) return { node: init };
      value = lit.value;
    }
    next = typeof value === 'number' ? value + 1 : undefined;
    members.push({ name: member.name.getText(sf), value });
  }
  return { members };
}
