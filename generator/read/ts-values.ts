/**
 * Field initialisers → JSON defaults. Only literals are accepted: a default is copied into the schema and
 * the validators at build time, so it must not depend on anything evaluated at run time.
 */
import { Node, SyntaxKind } from 'ts-morph';
import type { EnumDeclaration, Expression } from 'ts-morph';
import type { JsonValue } from '../ir.js';

/** A failed read: the node that is not a literal. */
export interface NotLiteral {
  readonly node: Node;
}

/**
 * Reads `expr` as a JSON literal: strings, numbers (also negative), booleans, null, and arrays / objects of
 * those. `enumMember` resolves `Color.Red` to its value (an enum default is a common, build-time constant).
 */
export function readLiteral(
  expr: Expression,
  enumMember: (name: string) => string | number | undefined,
): { value: JsonValue } | NotLiteral {
  if (Node.isParenthesizedExpression(expr)) return readLiteral(expr.getExpression(), enumMember);
  if (Node.isAsExpression(expr) || Node.isSatisfiesExpression(expr)) {
    const typeText = expr.getTypeNode()?.getText();
    if (Node.isAsExpression(expr) && typeText !== 'const') return { node: expr };
    return readLiteral(expr.getExpression(), enumMember);
  }
  if (Node.isStringLiteral(expr) || Node.isNoSubstitutionTemplateLiteral(expr)) return { value: expr.getLiteralValue() };
  if (Node.isNumericLiteral(expr)) return { value: expr.getLiteralValue() };
  if (Node.isPrefixUnaryExpression(expr)) {
    const operand = expr.getOperand();
    const op = expr.getOperatorToken();
    if (Node.isNumericLiteral(operand) && (op === SyntaxKind.MinusToken || op === SyntaxKind.PlusToken)) {
      const n = operand.getLiteralValue();
      return { value: op === SyntaxKind.MinusToken ? -n : n };
    }
    return { node: expr };
  }
  if (Node.isTrueLiteral(expr)) return { value: true };
  if (Node.isFalseLiteral(expr)) return { value: false };
  if (Node.isNullLiteral(expr)) return { value: null };
  if (Node.isPropertyAccessExpression(expr)) {
    const value = enumMember(expr.getText());
    return value === undefined ? { node: expr } : { value };
  }
  if (Node.isArrayLiteralExpression(expr)) {
    const items: JsonValue[] = [];
    for (const element of expr.getElements()) {
      const item = readLiteral(element, enumMember);
      if ('node' in item) return item;
      items.push(item.value);
    }
    return { value: items };
  }
  if (Node.isObjectLiteralExpression(expr)) {
    const out: Record<string, JsonValue> = {};
    for (const prop of expr.getProperties()) {
      if (!Node.isPropertyAssignment(prop)) return { node: prop };
      const nameNode = prop.getNameNode();
      let key: string;
      if (Node.isIdentifier(nameNode)) key = nameNode.getText();
      else if (Node.isStringLiteral(nameNode) || Node.isNoSubstitutionTemplateLiteral(nameNode)) key = nameNode.getLiteralValue();
      else if (Node.isNumericLiteral(nameNode)) key = String(nameNode.getLiteralValue());
      else return { node: nameNode };
      const init = prop.getInitializer();
      if (!init) return { node: prop };
      const value = readLiteral(init, enumMember);
      if ('node' in value) return value;
      // defineProperty: a key named __proto__ must stay an ordinary key, not change the object's prototype
      Object.defineProperty(out, key, { value: value.value, enumerable: true, writable: true, configurable: true });
    }
    return { value: out };
  }
  return { node: expr };
}

/** The JSON type an untyped field gets from its literal initialiser (`tenant = ''` → string). */
export function inferredKind(expr: Expression): 'string' | 'number' | 'boolean' | undefined {
  if (Node.isParenthesizedExpression(expr)) return inferredKind(expr.getExpression());
  if (Node.isStringLiteral(expr) || Node.isNoSubstitutionTemplateLiteral(expr)) return 'string';
  if (Node.isNumericLiteral(expr)) return 'number';
  if (Node.isPrefixUnaryExpression(expr) && Node.isNumericLiteral(expr.getOperand())) return 'number';
  if (Node.isTrueLiteral(expr) || Node.isFalseLiteral(expr)) return 'boolean';
  return undefined;
}

/** An enum's members and values (implicit numbering as TypeScript does it), or the member that is not a literal. */
export function readEnumMembers(
  decl: EnumDeclaration,
): { members: { name: string; value: string | number }[] } | NotLiteral {
  const members: { name: string; value: string | number }[] = [];
  let next: number | undefined = 0;
  for (const member of decl.getMembers()) {
    const init = member.getInitializer();
    let value: string | number;
    if (!init) {
      if (next === undefined) return { node: member };
      value = next;
    } else {
      const lit = readLiteral(init, () => undefined);
      if ('node' in lit || (typeof lit.value !== 'string' && typeof lit.value !== 'number')) return { node: init };
      value = lit.value;
    }
    next = typeof value === 'number' ? value + 1 : undefined;
    members.push({ name: member.getName(), value });
  }
  return { members };
}
