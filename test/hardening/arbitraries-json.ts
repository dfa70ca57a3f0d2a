// JSON building blocks for the IR → arbitrary mapper: any JSON value (unicode strings, edge numbers, keys that need
// escaping, '__proto__' as an own key the way JSON.parse makes it), JSON equality as uniqueItems sees it, and a
// reordered deep copy.
import fc from 'fast-check';
import { NAN_LIKE, NUMBER_EDGES, unicodeString } from './arbitraries-edge.js';

export const OTHER_TYPES: readonly unknown[] = [null, true, false, 0, -0, 1, 1.5, '', 'x', '1', 'true', 'null', [], {}, [null], { a: 1 }];

/** Sets `key` as an own data property, as JSON.parse does for '__proto__'. */
export function put(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
}

/** JSON equality as uniqueItems sees it (0 and -0 are equal, key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual((a as any)[k], (b as any)[k]));
}

/** A copy of a JSON value with object keys in reverse order: deeply equal, differently spelt. */
export function reordered(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reordered);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).reverse()) put(out, k, reordered((v as Record<string, unknown>)[k]));
  return out;
}

export const jsonKey = fc.oneof(fc.constantFrom('a', 'b', '', '~', '/', 'a/b', '~1', '__proto__', 'x y', '😀', '\ud800'), unicodeString(0, 4));

/** Any JSON value (unicode strings, edge numbers), `maxDepth` deep. */
export function anyJson(maxDepth = 3): fc.Arbitrary<unknown> {
  const leaf = fc.oneof(
    fc.constant(null), fc.boolean(), fc.constantFrom(...NUMBER_EDGES), fc.double({ noNaN: true }), fc.integer(),
    unicodeString(0, 6), fc.constantFrom(...NAN_LIKE),
  );
  return fc.letrec<{ v: unknown }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small', maxDepth, withCrossShrink: true },
      leaf,
      fc.array(tie('v'), { maxLength: 4 }),
      fc.array(fc.tuple(jsonKey, tie('v')), { maxLength: 4 }).map((pairs) => {
        const o: Record<string, unknown> = {};
        for (const [k, x] of pairs) put(o, k, x);
        return o;
      }),
    ),
  })).v;
}
