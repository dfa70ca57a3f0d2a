/**
 * Field initialisers → JSON defaults. Only literals are accepted: a default is copied into the schema and
 * the validators at build time, so it must not depend on anything evaluated at run time. Works on the compiler's
 * own nodes (ts-morph's `ts`), like ts-types.ts.
 */
import { ts } from 'ts-morph';
import type { JsonValue } from '../ir.js';

const { SyntaxKind } = ts;

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
  if (ts.isParenthesizedExpression(expr)) return readLiteral(expr.expression, sf, enumMember);
  if (ts.isAsExpression(expr) || ts.isSatisfiesExpression(expr)) {
    const typeText = expr.type.getText(sf);
    if (ts.isAsExpression(expr) && typeText !== 'const') return { node: expr };
    return readLiteral(expr.expression, sf, enumMember);
  }
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return { value: expr.text };
  if (ts.isNumericLiteral(expr)) return { value: numericValue(expr) };
  if (ts.isPrefixUnaryExpression(expr)) {
    const operand = expr.operand;
    const op = expr.operator;
    if (ts.isNumericLiteral(operand) && (op === SyntaxKind.MinusToken || op === SyntaxKind.PlusToken)) {
      const n = numericValue(operand);
      return { value: op === SyntaxKind.MinusToken ? -n : n };
    }
    return { node: expr };
  }
  if (expr.kind === SyntaxKind.TrueKeyword) return { value: true };
  if (expr.kind === SyntaxKind.FalseKeyword) return { value: false };
  if (expr.kind === SyntaxKind.NullKeyword) return { value: null };
  if (ts.isPropertyAccessExpression(expr)) {
    const value = enumMember(expr.getText(sf));
    return value === undefined ? { node: expr } : { value };
  }
  if (ts.isArrayLiteralExpression(expr)) {
    const items: JsonValue[] = [];
    for (const element of expr.elements) {
      const item = readLiteral(element, sf, enumMember);
      if ('node' in item) return item;
      items.push(item.value);
    }
    return { value: items };
  }
  if (ts.isObjectLiteralExpression(expr)) {
    const out: Record<string, JsonValue> = {};
    for (const prop of expr.properties) {
      if (!ts.isPropertyAssignment(prop)) return { node: prop };
      const nameNode = prop.name;
      let key: string;
      if (ts.isIdentifier(nameNode)) key = nameNode.getText(sf);
      else if (ts.isStringLiteral(nameNode) || ts.isNoSubstitutionTemplateLiteral(nameNode)) key = nameNode.text;
      else if (ts.isNumericLiteral(nameNode)) key = String(numericValue(nameNode));
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
  if (ts.isParenthesizedExpression(expr)) return inferredKind(expr.expression);
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return 'string';
  if (ts.isNumericLiteral(expr)) return 'number';
  if (ts.isPrefixUnaryExpression(expr) && ts.isNumericLiteral(expr.operand)) return 'number';
  if (expr.kind === SyntaxKind.TrueKeyword || expr.kind === SyntaxKind.FalseKeyword) return 'boolean';
  return undefined;
}

/** An enum's members and values (implicit numbering as TypeScript does it), or the member that is not a literal. */
export function readEnumMembers(
  decl: ts.EnumDeclaration,
): { members: { name: string; value: string | number }[] } | NotLiteral {
  const sf = decl.getSourceFile();
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
