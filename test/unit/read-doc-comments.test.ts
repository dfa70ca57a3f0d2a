/**
 * The reader parses files without JSDoc nodes and finds a declaration's doc comment itself (ts-fields.ts docOf).
 * It must pick the block TypeScript's parser attaches (node.jsDoc, last one) for every declaration and member,
 * whatever the comments around it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ts } from 'ts-morph';
import { docOf } from '../../generator/read/ts-fields.js';
import { readJsDoc } from '../../generator/read/jsdoc.js';

const SOURCE = `#!/usr/bin/env node
/** File header, on the first statement. */
import { Model } from 'servicegate';

/** Not this one. */
/** The class. @deprecated */
export class A extends Model {
  /** one */ a!: string;
  /**/ b!: string;
  /** two */
  // a line comment between
  c!: string;
  /* plain block */ d!: string;
  /** three */ /* then a plain one */ e!: string;
  f!: string; /** trailing: not g's */
  g?: number;
  /**
   * Multi-line.
   * @minimum 1
   */
  public h: number = 1;
}

/** An interface. */
interface B {
  /** x */ x: string;
  /***/ y: string;
}

/** An alias. */ export type C = { /** z */ z: string };
/** An enum. */ enum D { /** m */ M = 1 }
`;

function walk(node: ts.Node, visit: (n: ts.Node) => void): void {
  visit(node);
  ts.forEachChild(node, (c) => walk(c, visit));
}

test('docOf finds the JSDoc block TypeScript attaches, for every node of a file', () => {
  const withDocs = ts.createSourceFile('a.ts', SOURCE, ts.ScriptTarget.Latest, true);
  const without = ts.createSourceFile('a.ts', SOURCE, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, false);
  const expected: string[] = [];
  walk(withDocs, (n) => {
    const docs = (n as { jsDoc?: ts.JSDoc[] }).jsDoc;
    const last = docs?.[docs.length - 1];
    const start = last?.getStart(withDocs);
    expected.push(JSON.stringify(last ? readJsDoc(SOURCE.substring(start!, last.end), start!) : { tags: [] }));
  });
  const got: string[] = [];
  walk(without, (n) => got.push(JSON.stringify(docOf(n, without))));
  // Only declarations are asked for their docs; compare them, and check the comparison covers the tricky ones.
  const kinds = new Set([ts.SyntaxKind.ClassDeclaration, ts.SyntaxKind.PropertyDeclaration, ts.SyntaxKind.InterfaceDeclaration,
    ts.SyntaxKind.PropertySignature, ts.SyntaxKind.TypeAliasDeclaration, ts.SyntaxKind.EnumDeclaration, ts.SyntaxKind.ImportDeclaration]);
  const nodes: ts.Node[] = [];
  walk(without, (n) => nodes.push(n));
  let compared = 0;
  nodes.forEach((n, i) => {
    if (!kinds.has(n.kind)) return;
    compared++;
    assert.equal(got[i], expected[i], `${ts.SyntaxKind[n.kind]} at ${n.getStart(without)}`);
  });
  assert.equal(compared, 16);
  assert.ok(expected.some((e) => e.includes('Multi-line')) && expected.some((e) => e.includes('The class')));
  // A block after code on the same line is no one's doc (it is not a leading comment of the next member).
  assert.ok(!expected.some((e) => e.includes('trailing')));
});
