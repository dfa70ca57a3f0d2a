/**
 * `@pattern` values of the most common shape — one character class of ASCII characters and ranges (or `\d`),
 * repeated, anchored at both ends: `^[A-Z0-9-]{3,32}$`, `^[0-9]{5}$`, `^\d+$` — checked by a loop instead of a
 * RegExp call, which costs more than the whole check for short strings.
 *
 * Exactly the regex's answer under the `u` flag ajv uses: every character such a pattern matches is ASCII, so a
 * matching string has as many code points as code units, and any other character (an astral one, a lone
 * surrogate, a line terminator) fails both. Everything else stays a RegExp.
 */
import { commentText } from '../../templates/ts.js';

export interface SimplePattern {
  /** Inclusive code ranges of the class. */
  readonly ranges: readonly (readonly [number, number])[];
  readonly min: number;
  readonly max: number; // Infinity for + * {m,}
}

const SHAPE = /^\^(?:\[([^\]]+)\]|(\\d))(?:\{(\d{1,4})(?:(,)(\d{1,4})?)?\}|([+*]))\$$/;

/** The class and bounds of `pattern` when it has the simple shape, else null. */
export function simplePattern(pattern: string): SimplePattern | null {
  const m = SHAPE.exec(pattern);
  if (m === null) return null;
  const ranges = m[2] !== undefined ? [[48, 57] as const] : classRanges(m[1]!);
  if (ranges === null) return null;
  let min: number;
  let max: number;
  if (m[6] === '+') [min, max] = [1, Infinity];
  else if (m[6] === '*') [min, max] = [0, Infinity];
  else {
    min = Number(m[3]);
    max = m[4] === undefined ? min : m[5] === undefined ? Infinity : Number(m[5]);
  }
  return min <= max ? { ranges, min, max } : null;
}

/** The ranges of a class body of printable ASCII without escapes, negation or nested brackets; else null. */
function classRanges(body: string): (readonly [number, number])[] | null {
  if (!/^[\x20-\x7e]+$/.test(body) || body[0] === '^' || /[\\[]/.test(body)) return null;
  const out: (readonly [number, number])[] = [];
  for (let i = 0; i < body.length; i++) {
    const a = body.charCodeAt(i);
    // 'x-y' is a range unless the '-' is the class's last character (then both are literal).
    if (body[i + 1] === '-' && i + 2 < body.length) {
      const b = body.charCodeAt(i + 2);
      if (b < a) return null;
      out.push([a, b]);
      i += 2;
    } else out.push([a, a]);
  }
  return out;
}

/** `const $<name> = (s: string): boolean => …` for a simple pattern: the loop that replaces `re.test(s)`. */
export function simplePatternCode(pattern: string, p: SimplePattern): string {
  const one = p.ranges.length === 1;
  const inClass = p.ranges.map(([a, b]) => (a === b ? `c === ${a}` : one ? `c >= ${a} && c <= ${b}` : `(c >= ${a} && c <= ${b})`)).join(' || ');
  const bounds = p.min === p.max
    ? [`n !== ${p.min}`]
    : [...(p.min > 0 ? [`n < ${p.min}`] : []), ...(p.max !== Infinity ? [`n > ${p.max}`] : [])];
  return [
    '(s: string): boolean => {',
    `  // ${commentText(pattern)} as a loop: it matches ASCII only, so code units are code points.`,
    '  const n = s.length;',
    ...(bounds.length > 0 ? [`  if (${bounds.join(' || ')}) return false;`] : []),
    '  for (let i = 0; i < n; i++) {',
    '    const c = s.charCodeAt(i);',
    `    if (!(${inClass})) return false;`,
    '  }',
    '  return true;',
    '}',
  ].join('\n');
}
