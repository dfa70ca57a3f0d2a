/**
 * The small runtime every generated validators.ts inlines: format checks equivalent to ajv-formats' "full" mode
 * (node_modules/ajv-formats/dist/formats.js), ajv's ucs2length and deep equality, and the serializer's errors.
 * Each helper is emitted only when a model uses it, after the helpers it needs.
 */

/** ajv-formats' full-mode regexes, copied verbatim (a unit test compares them with the installed ajv-formats). */
export const FORMAT_REGEXES = {
  email: /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i,
  uuid: /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i,
  ipv4: /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/,
  ipv6: /^((([0-9a-f]{1,4}:){7}([0-9a-f]{1,4}|:))|(([0-9a-f]{1,4}:){6}(:[0-9a-f]{1,4}|((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9a-f]{1,4}:){5}(((:[0-9a-f]{1,4}){1,2})|:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9a-f]{1,4}:){4}(((:[0-9a-f]{1,4}){1,3})|((:[0-9a-f]{1,4})?:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){3}(((:[0-9a-f]{1,4}){1,4})|((:[0-9a-f]{1,4}){0,2}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){2}(((:[0-9a-f]{1,4}){1,5})|((:[0-9a-f]{1,4}){0,3}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){1}(((:[0-9a-f]{1,4}){1,6})|((:[0-9a-f]{1,4}){0,4}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(:(((:[0-9a-f]{1,4}){1,7})|((:[0-9a-f]{1,4}){0,5}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:)))$/i,
} as const;

/**
 * FORMAT_REGEXES.email rewritten so that each character has one way to match, the language unchanged: a label is
 * runs of letters and digits joined by runs of hyphens (ajv: [a-z0-9](?:[a-z0-9-]*[a-z0-9])?, whose two overlapping
 * classes backtrack), the domain is a label then one or more '.label'; ajv's i flag (no u flag) adds no non-ASCII
 * character, so the classes spell out both cases. A failing match gives characters back in linear time. About a
 * fifth faster than ajv's on 15–30-character addresses, and faster than a charCodeAt scanner from ~12 characters up
 * (a scanner costs ~2 ns a character on the bench machine, a regex ~1 ns after a fixed ~15 ns).
 * test/unit/validators-email.test.ts checks that both answer alike on every string it tries.
 */
export const EMAIL_ONE_WAY = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9]+(?:-+[A-Za-z0-9]+)*(?:\.[A-Za-z0-9]+(?:-+[A-Za-z0-9]+)*)+$/;

/** ajv-formats' URI regex (not exported by it); `uri` also needs a ':' or '/' (its NOT_URI_FRAGMENT). */
const URI = /^(?:[a-z][a-z0-9+\-.]*:)(?:\/?\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:\[(?:(?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){4}|(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}|(?:(?:[0-9a-f]{1,4}:){0,2}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){2}|(?:(?:[0-9a-f]{1,4}:){0,3}[0-9a-f]{1,4})?::[0-9a-f]{1,4}:|(?:(?:[0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::)(?:[0-9a-f]{1,4}:[0-9a-f]{1,4}|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?))|(?:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}|(?:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})?::)|[Vv][0-9a-f]+\.[a-z0-9\-._~!$&'()*+,;=:]+)\]|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?)|(?:[a-z0-9\-._~!$&'()*+,;=]|%[0-9a-f]{2})*)(?::\d*)?(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*|\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)?|(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)(?:\?(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?(?:#(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?$/i;

/**
 * RFC 3339 date-time in one pass: ajv-formats splits on /t|\s/i and wants exactly two parts, a full-date and a
 * time with a mandatory zone, which is this regex; the calendar and leap-second rules are in `$dateTime`.
 */
const DATE_TIME = /^(\d\d\d\d)-(\d\d)-(\d\d)[t\s](\d\d):(\d\d):(\d\d(?:\.\d+)?)(?:z|([+-])(\d\d)(?::?(\d\d))?)$/i;
const DATE = /^(\d\d\d\d)-(\d\d)-(\d\d)$/;

export type HelperName =
  | 'add' | 'first' | 'shared' | 'only' | 'issue' | 'kept' | 'items' | 'own' | 'def' | 'ptr' | 'len' | 'multipleOf' | 'eq' | 'dupPrim' | 'dupDeep'
  | 'email' | 'uuid' | 'ipv4' | 'ipv6' | 'uri' | 'dateOk' | 'date' | 'dateTime' | 'toDate'
  | 'kind' | 'fault' | 'at' | 'str' | 'iso';

interface Helper {
  readonly deps: readonly HelperName[];
  readonly code: string;
}

const re = (r: RegExp): string => `/${r.source}/${r.flags}`;

/** In emission order: a helper comes after everything it uses. */
const HELPERS: Readonly<Record<HelperName, Helper>> = {
  add: {
    deps: [],
    code: `// The issues a report made below the root, each at its number within its model (see $issue, $Kept).
type $Found = (ValidationIssue | undefined)[];

// Adds an issue to the list, creating the list with it: an array literal is much cheaper than pushing into [].
// The literal has room for four (three popped at once): a second issue pushed into a literal of one would make V8
// copy the list into a new one of 17 at once, which cost a tenth of reporting three or four issues.
function $add(e: ValidationIssue[] | null, issue: ValidationIssue): ValidationIssue[] {
  if (e === null) {
    const list = [issue, issue, issue, issue];
    list.pop();
    list.pop();
    list.pop();
    return list;
  }
  e.push(issue);
  return e;
}`,
  },
  first: {
    deps: [],
    code: `// The list of a report's first issue, as $add makes it. Statements that add an issue at a constant place test
// \`e === null\` themselves and call this only for the first issue, pushing the others in place: written out, the
// push costs no call, and V8's budget for inlining calls goes to what cannot be written out. ($add keeps its own
// copy of these lines: calling this from $add read 2-4 % slower on invalid CreateOrderRequest and SignupRequest.)
function $first(issue: ValidationIssue): ValidationIssue[] {
  const list = [issue, issue, issue, issue];
  list.pop();
  list.pop();
  list.pop();
  return list;
}`,
  },
  shared: {
    deps: [],
    code: `// An issue at a constant place with a constant message, as a report at the root gives it: made once, frozen.
function $shared(path: string, message: string): ValidationIssue {
  return Object.freeze({ path, message });
}`,
  },
  only: {
    deps: [],
    code: `// The frozen list of a single issue that ends a report at the root: returned as it is, never added to.
function $only(issue: ValidationIssue): ValidationIssue[] {
  return Object.freeze([issue]) as ValidationIssue[];
}`,
  },
  issue: {
    deps: [],
    code: `// The shared issue \`s\` (its path is the place below the value, '/sku') of the value at \`p\`, as a report below the
// root makes it. With \`k\` (the value's kept issues: see $Kept) it is made once, frozen, and kept at \`n\` (its number
// within its model).
function $issue(p: string, k: $Found | undefined, n: number, s: ValidationIssue): ValidationIssue {
  if (k === undefined) return { path: p + s.path, message: s.message };
  const kept = k[n];
  return kept !== undefined ? kept : (k[n] = Object.freeze({ path: p + s.path, message: s.message }));
}`,
  },
  kept: {
    deps: [],
    code: `// The issues $issue made for values of one model under one pointer at the root: the model field \`/address\` (at(0)),
// or each item of the array \`/items/\` (at(i), up to 256 items; past that, issues are made per report). A value's
// pointer and an issue's number within its model fix the issue, so each is made once however many requests report it.
class $Kept {
  readonly pointer: string;
  readonly model: string;
  readonly lists: $Found[] = [];
  constructor(pointer: string, model: string) {
    this.pointer = pointer;
    this.model = model;
  }
  at(i: number): $Found | undefined {
    const lists = this.lists;
    if (i < lists.length) return lists[i];
    while (lists.length <= i && lists.length < 256) lists.push([]);
    return i < lists.length ? lists[i] : undefined;
  }
}`,
  },
  items: {
    deps: [],
    code: `// The JSON Pointers of an array's items at the root ('/tags/0', '/tags/1', …), each made once and kept (up to 256):
// an issue in an item costs no string building, however many requests report it.
class $Items {
  readonly prefix: string;
  readonly made: string[] = [];
  constructor(prefix: string) {
    this.prefix = prefix;
  }
  at(i: number): string {
    const made = this.made;
    if (i < made.length) return made[i]!;
    while (made.length <= i && made.length < 256) made.push(this.prefix + made.length);
    return i < made.length ? made[i]! : this.prefix + i;
  }
}`,
  },
  own: {
    deps: [],
    code: `// Fields named like Object.prototype members are read only when the value has them itself.
function $own(o: any, k: string): any {
  return Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined;
}`,
  },
  def: {
    deps: [],
    code: `// Assigning to '__proto__' would change the prototype: define the key as plain data instead.
function $def(o: any, k: string, value: unknown): void {
  Object.defineProperty(o, k, { value, writable: true, enumerable: true, configurable: true });
}`,
  },
  ptr: {
    deps: [],
    code: `// A JSON Pointer token (RFC 6901).
function $ptr(k: string): string {
  return k.indexOf('~') === -1 && k.indexOf('/') === -1 ? k : k.replace(/~/g, '~0').replace(/\\//g, '~1');
}`,
  },
  len: {
    deps: [],
    code: `// Length in code points, as ajv counts minLength/maxLength. Only a high surrogate can start a pair: a string
// without one (which the regex tells at once for a Latin-1 string) has as many code points as code units.
const $HIGH_SURROGATE = /[\\ud800-\\udbff]/;
function $len(s: string): number {
  if (!$HIGH_SURROGATE.test(s)) return s.length;
  const n = s.length;
  let len = 0;
  let i = 0;
  while (i < n) {
    len++;
    const c = s.charCodeAt(i++);
    if (c >= 0xd800 && c <= 0xdbff && i < n && (s.charCodeAt(i) & 0xfc00) === 0xdc00) i++;
  }
  return len;
}`,
  },
  multipleOf: {
    deps: [],
    code: `// ajv: x / m !== parseInt(x / m) fails; that holds exactly for integers below 1e21 (larger ones print as 1e+21).
function $multipleOf(x: number, m: number): boolean {
  const r = x / m;
  return Number.isInteger(r) && Math.abs(r) < 1e21;
}`,
  },
  eq: {
    deps: [],
    code: `// Deep equality of JSON values (what uniqueItems compares).
function $eq(a: any, b: any): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return a !== a && b !== b;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!$eq(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (!Object.prototype.hasOwnProperty.call(b, k) || !$eq(a[k], b[k])) return false;
  }
  return true;
}`,
  },
  dupPrim: {
    deps: [],
    code: `// The first pair of equal items of an array of primitives, or null.
function $dupPrim(a: readonly unknown[]): [number, number] | null {
  const n = a.length;
  if (n > 32) {
    const seen = new Map<unknown, number>();
    for (let j = 0; j < n; j++) {
      const i = seen.get(a[j]);
      if (i !== undefined) return [i, j];
      seen.set(a[j], j);
    }
    return null;
  }
  for (let j = 1; j < n; j++) for (let i = 0; i < j; i++) if (a[i] === a[j]) return [i, j];
  return null;
}`,
  },
  dupDeep: {
    deps: ['eq'],
    code: `// The first pair of deeply equal items, or null.
function $dupDeep(a: readonly unknown[]): [number, number] | null {
  for (let j = 1; j < a.length; j++) for (let i = 0; i < j; i++) if ($eq(a[i], a[j])) return [i, j];
  return null;
}`,
  },
  email: {
    deps: [],
    code: `// ajv-formats' email regex, written so that each character has one way to match (linear on near misses).
const $email = ${re(EMAIL_ONE_WAY)};`,
  },
  uuid: { deps: [], code: `const $uuid = ${re(FORMAT_REGEXES.uuid)};` },
  ipv4: { deps: [], code: `const $ipv4 = ${re(FORMAT_REGEXES.ipv4)};` },
  ipv6: { deps: [], code: `const $ipv6 = ${re(FORMAT_REGEXES.ipv6)};` },
  uri: {
    deps: [],
    code: `const $URI = ${re(URI)};
function $uri(s: string): boolean {
  return /\\/|:/.test(s) && $URI.test(s);
}`,
  },
  dateOk: {
    deps: [],
    code: `const $DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function $dateOk(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= (m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : $DAYS[m]!);
}`,
  },
  date: {
    deps: ['dateOk'],
    code: `const $DATE = ${re(DATE)};
function $date(s: string): boolean {
  const m = $DATE.exec(s);
  return m !== null && $dateOk(+m[1]!, +m[2]!, +m[3]!);
}`,
  },
  dateTime: {
    deps: ['dateOk'],
    code: `// Two ASCII digits at i as a number, or -1.
function $d2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}
// RFC 3339 date-time as ajv-formats checks it. The common spelling (YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM)) with
// ordinary values is accepted without a regex or an allocation; every other string, and every rejection, goes
// through $dateTimeFull.
function $dateTime(s: string): boolean {
  const n = s.length;
  if (n >= 20 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45 && s.charCodeAt(13) === 58 && s.charCodeAt(16) === 58) {
    const sep = s.charCodeAt(10);
    const y1 = $d2(s, 0);
    const y2 = $d2(s, 2);
    const h = $d2(s, 11);
    const mi = $d2(s, 14);
    const se = $d2(s, 17);
    if ((sep === 84 || sep === 116 || sep === 32) && y1 >= 0 && y2 >= 0 && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 &&
        se >= 0 && se <= 59 && $dateOk(y1 * 100 + y2, $d2(s, 5), $d2(s, 8))) {
      let i = 19;
      if (s.charCodeAt(i) === 46) {
        i++;
        while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
        if (i === 20) i = n; // a '.' without digits: leave it to the full check
      }
      const z = s.charCodeAt(i);
      if ((z === 90 || z === 122) && i + 1 === n) return true;
      if ((z === 43 || z === 45) && i + 6 === n && s.charCodeAt(i + 3) === 58) {
        const th = $d2(s, i + 1);
        const tm = $d2(s, i + 4);
        if (th >= 0 && th <= 23 && tm >= 0 && tm <= 59) return true;
      }
    }
  }
  return $dateTimeFull(s);
}
const $DATE_TIME = ${re(DATE_TIME)};
function $dateTimeFull(s: string): boolean {
  const m = $DATE_TIME.exec(s);
  if (m === null || !$dateOk(+m[1]!, +m[2]!, +m[3]!)) return false;
  const hr = +m[4]!;
  const min = +m[5]!;
  const sec = +m[6]!;
  const sign = m[7] === '-' ? -1 : 1;
  const tzH = +(m[8] || 0);
  const tzM = +(m[9] || 0);
  if (tzH > 23 || tzM > 59) return false;
  if (hr <= 23 && min <= 59 && sec < 60) return true;
  const utcMin = min - tzM * sign;
  const utcHr = hr - tzH * sign - (utcMin < 0 ? 1 : 0);
  return (utcHr === 23 || utcHr === -1) && (utcMin === 59 || utcMin === -1) && sec < 61;
}`,
  },
  toDate: {
    deps: ['dateTime'],
    code: `// Exact for RFC 3339 (any year, any zone, milliseconds truncated; a leap second rolls over); Date.parse otherwise.
function $toDate(s: string): Date {
  const m = $DATE_TIME.exec(s);
  if (m === null) return new Date(s);
  const sec = m[6]!;
  const ms = sec.length > 3 ? +(sec.slice(3) + '00').slice(0, 3) : 0;
  const d = new Date(0);
  d.setUTCFullYear(+m[1]!, +m[2]! - 1, +m[3]!);
  d.setUTCHours(+m[4]!, +m[5]!, +sec.slice(0, 2), ms);
  const offset = m[7] === undefined ? 0 : (m[7] === '-' ? -1 : 1) * (+m[8]! * 60 + +(m[9] || 0));
  return new Date(d.getTime() - offset * 60000);
}`,
  },
  str: {
    deps: [],
    code: `// JSON.stringify for a string, without the call for short strings that need no escaping.
function $str(s: string): string {
  if (s.length > 64) return JSON.stringify(s);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c === 34 || c === 92 || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
  }
  return '"' + s + '"';
}`,
  },
  kind: {
    deps: [],
    code: `function $kind(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'array';
  if (x instanceof Date) return 'Date';
  if (typeof x === 'number' && !Number.isFinite(x)) return String(x);
  return typeof x;
}`,
  },
  fault: {
    deps: ['kind'],
    code: `// A value serialize() cannot write: 'at' grows into a JSON Pointer as the error passes each nesting level.
class $Fault extends TypeError {
  at: string;
  readonly why: string;
  constructor(at: string, why: string) {
    super(why);
    this.at = at;
    this.why = why;
  }
}
function $wrong(at: string, why: string, x: unknown): $Fault {
  return new $Fault(at, why + ' (got ' + $kind(x) + ')');
}
function $done(err: unknown, model: string): unknown {
  if (!(err instanceof $Fault)) return err;
  return new TypeError('Cannot serialize ' + model + (err.at === '' ? '' : ' at ' + err.at) + ': ' + err.why);
}`,
  },
  iso: {
    deps: ['fault'],
    code: `// RFC 3339 has four-digit years, so toISOString's '-000001-…' and '+010000-…' are no date-times. An instant
// less than a day outside them (what 0000-01-01T00:00:00+01:00 parses to) is written with a ±23:59 offset.
function $iso(d: Date, at: string): string {
  const t = d.getTime();
  if (t >= -62167219200000 && t <= 253402300799999) return d.toISOString();
  const s = new Date(t < 0 ? t + 86340000 : t - 86340000).toISOString();
  if (s.length !== 24) throw $wrong(at, 'must be a Date in the years 0000 to 9999', d);
  return s.slice(0, 23) + (t < 0 ? '+23:59' : '-23:59');
}`,
  },
  at: {
    deps: ['fault'],
    code: `function $at(err: unknown, at: string): unknown {
  if (err instanceof $Fault) err.at = at + err.at;
  return err;
}`,
  },
};

const ORDER = Object.keys(HELPERS) as HelperName[];

/** The code of every helper in `used` and of those they need, in a fixed order. */
export function emitHelpers(used: ReadonlySet<HelperName>): string[] {
  const all = new Set<HelperName>();
  const add = (name: HelperName): void => {
    if (all.has(name)) return;
    all.add(name);
    for (const dep of HELPERS[name].deps) add(dep);
  };
  for (const name of used) add(name);
  return ORDER.filter((name) => all.has(name)).map((name) => HELPERS[name].code);
}
