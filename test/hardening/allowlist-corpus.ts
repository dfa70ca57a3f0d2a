/**
 * The allowlist bypass corpus (issue 6, item 2): crafted gateway requests, generated from small tables so the list
 * stays reviewable. Every attempt must be refused; `expect` says how:
 * - 404: the uniform "Not found" of CONTRACT §5.2 (a POST to a gateway path, or a path that is no channel at all);
 * - 405: a gateway path with another method (Allow: POST);
 * - 400: bytes that are not valid HTTP/1.1 (raw UTF-8 or a bad method): node's parser refuses them before the
 *   runtime sees anything.
 * The gateway channel of the customers sample allowlists customer.get, customer.update, orders.create, orders.list.
 */
import { DECOYS } from './sample-project.js';

export interface Attempt {
  readonly method: string;
  /** The request-target exactly as written on the wire. */
  readonly target: string;
  readonly expect: 404 | 405 | 400;
  readonly why: string;
  /** Extra headers (besides valid gateway credentials and a JSON body). */
  readonly headers?: readonly (readonly [string, string])[];
  readonly body?: string;
}

const GW = '/zato/gateway';
const INVOKE = `${GW}/invoke`;
/** Existing services that the gateway must never run. */
const HIDDEN = ['customer.get-details', 'admin.purge'];
const ALLOWED = 'customer.get';

const hex = (byte: number) => '%' + byte.toString(16).toUpperCase().padStart(2, '0');
const pctAll = (text: string) => [...Buffer.from(text, 'utf8')].map(hex).join('');
const firstLetter = (name: string, f: (c: string) => string) => f(name[0]!) + name.slice(1);
const fullwidth = (c: string) => String.fromCodePoint(c.codePointAt(0)! - 0x21 + 0xff01);
const mixedCase = (name: string) => [...name].map((c, i) => (i % 2 === 0 ? c.toUpperCase() : c)).join('');

/** How a service name is disguised: label → transform. Each is applied to every target name, in both forms. */
const DISGUISES: readonly (readonly [string, (name: string) => string])[] = [
  ['%2e for each dot', (n) => n.replaceAll('.', '%2e')],
  ['%2E for each dot', (n) => n.replaceAll('.', '%2E')],
  ['every byte percent-encoded', pctAll],
  ['first letter percent-encoded', (n) => firstLetter(n, pctAll)],
  ['double-encoded dots (%252e)', (n) => n.replaceAll('.', '%252e')],
  ['double-encoded first letter', (n) => firstLetter(n, (c) => pctAll(c).replace('%', '%25'))],
  ['overlong 2-byte UTF-8 dot (%C0%AE)', (n) => n.replaceAll('.', '%C0%AE')],
  ['overlong 3-byte UTF-8 dot (%E0%80%AE)', (n) => n.replaceAll('.', '%E0%80%AE')],
  ['upper case', (n) => n.toUpperCase()],
  ['mixed case', mixedCase],
  ['fullwidth first letter, encoded (NFKC folds it)', (n) => firstLetter(n, (c) => pctAll(fullwidth(c)))],
  ['U+2024 one dot leader, encoded (NFKC folds it)', (n) => n.replaceAll('.', pctAll('\u2024'))],
  ['fullwidth full stop U+FF0E, encoded', (n) => n.replaceAll('.', pctAll('\uff0e'))],
  ['NUL suffix (%00)', (n) => `${n}%00`],
  ['NUL then a suffix (%00.json)', (n) => `${n}%00.json`],
  ['trailing slash', (n) => `${n}/`],
  ['trailing semicolon', (n) => `${n};`],
  ['matrix parameter', (n) => `${n};x=1`],
  ['trailing /. segment', (n) => `${n}/.`],
  ['trailing %20', (n) => `${n}%20`],
  ['trailing tab (%09)', (n) => `${n}%09`],
  ['trailing dot', (n) => `${n}.`],
];

/** Paths that try to climb out of an allowlisted name, or to reach the gateway under another spelling. */
const TRAVERSALS: readonly (readonly [string, string])[] = [
  ['dot-dot segment after an allowed name', `${GW}/${ALLOWED}/../customer.get-details`],
  ['encoded dot-dot segment', `${GW}/${ALLOWED}/%2e%2e/customer.get-details`],
  ['encoded slashes and dots in one segment', `${GW}/${ALLOWED}%2f..%2fcustomer.get-details`],
  ['upper-case encoded slashes and dots', `${GW}/${ALLOWED}%2F%2E%2E%2Fcustomer.get-details`],
  ['double-encoded slashes', `${GW}/${ALLOWED}%252f..%252fcustomer.get-details`],
  ['overlong UTF-8 slashes (%C0%AF)', `${GW}/${ALLOWED}%C0%AF..%C0%AFcustomer.get-details`],
  ['backslashes', `${GW}/${ALLOWED}\\..\\customer.get-details`],
  ['encoded backslashes', `${GW}/${ALLOWED}%5C..%5Ccustomer.get-details`],
  ['semicolon before dot-dot', `${GW}/${ALLOWED};/../customer.get-details`],
  ['a dot segment before the name', `${GW}/./customer.get-details`],
  ['an encoded dot segment before the name', `${GW}/%2e/customer.get-details`],
  ['an empty segment before the name', `${GW}//customer.get-details`],
  ['a dot-dot through the prefix', '/zato/gateway/../gateway/customer.get-details'],
  ['a dot segment in the prefix', '/zato/./gateway/customer.get-details'],
  ['an empty segment in the prefix', '/zato//gateway/customer.get-details'],
  ['a leading double slash', '//zato/gateway/customer.get-details'],
  ['an encoded slash joining prefix and name', '/zato/gateway%2fcustomer.get-details'],
  ['an upper-case encoded slash joining prefix and name', '/zato/gateway%2Fcustomer.get-details'],
  ['an upper-case prefix', '/ZATO/GATEWAY/customer.get-details'],
  ['a mixed-case prefix', '/zato/Gateway/customer.get-details'],
  ['a matrix parameter on the prefix', '/zato/gateway;/customer.get-details'],
  ['an encoded prefix', `/zato/${pctAll('gateway')}/customer.get-details`],
  ['absolute-form request-target', 'http://127.0.0.1/zato/gateway/customer.get-details'],
  ['a fragment after the name', `${GW}/customer.get-details#frag`],
  ['just the prefix', GW],
  ['the prefix with a trailing slash', `${GW}/`],
  ['an encoded dot-dot as the name', `${GW}/%2e%2e`],
  ['a dot-dot as the name', `${GW}/..`],
  ['a prototype key as the name', `${GW}/__proto__`],
  ['constructor as the name', `${GW}/constructor`],
  ['a decoded-invoke path segment', `${GW}/invoke/customer.get-details`],
  ['invoke with an allowed segment and a hidden query', `${GW}/invoke/${ALLOWED}?service=customer.get-details`],
  ['invoke with an encoded query separator', `${INVOKE}%3Fservice=customer.get-details`],
  ['invoke with a matrix parameter', `${INVOKE};?service=customer.get-details`],
  ['invoke with a trailing slash', `${INVOKE}/?service=customer.get-details`],
  ['INVOKE in upper case', `${GW}/INVOKE?service=customer.get-details`],
];

/** The query-string form: ways to smuggle a second or disguised `service` parameter. */
const QUERIES: readonly (readonly [string, string])[] = [
  ['allowed then hidden', `service=${ALLOWED}&service=customer.get-details`],
  ['hidden then allowed', `service=customer.get-details&service=${ALLOWED}`],
  ['the allowed name twice', `service=${ALLOWED}&service=${ALLOWED}`],
  ['an encoded second name parameter', `s%65rvice=customer.get-details&service=${ALLOWED}`],
  ['an upper-case encoded second name parameter', `service=${ALLOWED}&%73ervice=customer.get-details`],
  ['an encoded = and &', `service=${ALLOWED}%26service%3Dcustomer.get-details`],
  ['an encoded = in the name', `service%3Dcustomer.get-details`],
  ['a semicolon separator', `service=${ALLOWED};service=customer.get-details`],
  ['array syntax', 'service[]=customer.get-details'],
  ['a dot-dot inside the value', `service=${ALLOWED}/../customer.get-details`],
  ['an empty name', 'service='],
  ['no value', 'service'],
  ['no service parameter', 'x=1'],
  ['an empty query', ''],
  ['a plus for a space', `service=${ALLOWED}+`],
  ['a leading ampersand', '&service=customer.get-details'],
];

/** `service` in both path and query, or in the body: ambiguous, refused rather than guessed. */
const BOTH: readonly (readonly [string, string, string?])[] = [
  ['allowed path, hidden query', `${GW}/${ALLOWED}?service=customer.get-details`],
  ['hidden path, allowed query', `${GW}/customer.get-details?service=${ALLOWED}`],
  ['allowed path, same query', `${GW}/${ALLOWED}?service=${ALLOWED}`],
  ['the name only in the body', INVOKE, '{"service":"customer.get-details","customer_id":123}'],
  ['the name only in the body, path form', `${GW}/invoke?`, '{"service":"customer.get-details","customer_id":123}'],
];

/** Other methods: a gateway path answers 405 (Allow: POST); other paths are no channel, so 404. */
const METHODS = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PATCH'];
const METHOD_TARGETS: readonly (readonly [string, 404 | 405])[] = [
  [`${GW}/${ALLOWED}`, 405],
  [`${GW}/customer.get-details`, 405],
  [`${INVOKE}?service=customer.get-details`, 405],
  [`${GW}/customer.get-details/`, 404],
];

/** Not HTTP at all: node's parser answers 400 before the runtime is involved. */
const UNPARSABLE: readonly (readonly [string, string, string])[] = [
  ['raw UTF-8 fullwidth letter', 'POST', `${GW}/${fullwidth('c')}ustomer.get`],
  ['raw UTF-8 one dot leader', 'POST', `${GW}/customer\u2024get`],
  ['raw NUL', 'POST', `${GW}/customer.get\u0000`],
  ['raw space', 'POST', `${GW}/customer.get x`],
  ['lower-case method', 'post', `${GW}/customer.get-details`],
  ['unknown method', 'POSTX', `${GW}/customer.get-details`],
];

/** Builds the corpus; deterministic, in table order, without duplicates (the first reason given is kept). */
export function buildCorpus(): Attempt[] {
  const out: Attempt[] = [];
  const seen = new Set<string>();
  const push = (a: Attempt): void => {
    const key = JSON.stringify([a.method, a.target, a.headers ?? [], a.body ?? '']);
    if (!seen.has(key)) out.push(a);
    seen.add(key);
  };
  const names = [...HIDDEN, ALLOWED];
  for (const [label, disguise] of DISGUISES) {
    for (const name of names) {
      const raw = disguise(name);
      push({ method: 'POST', target: `${GW}/${raw}`, expect: 404, why: `path: ${name}, ${label}` });
      push({ method: 'POST', target: `${INVOKE}?service=${raw}`, expect: 404, why: `query: ${name}, ${label}` });
    }
  }
  for (const name of [...HIDDEN, ...DECOYS]) {
    push({ method: 'POST', target: `${GW}/${pctAll(name).replaceAll('%2E', '.').replaceAll('%2D', '-')}`, expect: 404, why: `path: ${JSON.stringify(name)} as written by a client` });
    if (/^[\x21-\x7e]+$/.test(name)) push({ method: 'POST', target: `${GW}/${name}`, expect: 404, why: `path: ${name} verbatim` });
    push({ method: 'POST', target: `${INVOKE}?service=${encodeURIComponent(name)}`, expect: 404, why: `query: ${JSON.stringify(name)} URI-encoded` });
  }
  for (const [label, target] of TRAVERSALS) push({ method: 'POST', target, expect: 404, why: `traversal: ${label}` });
  for (const [label, query] of QUERIES) push({ method: 'POST', target: `${INVOKE}?${query}`, expect: 404, why: `query: ${label}` });
  for (const [label, target, body] of BOTH) push({ method: 'POST', target, expect: 404, why: `ambiguous: ${label}`, ...(body ? { body } : {}) });
  for (const [target, expect] of METHOD_TARGETS) {
    for (const method of METHODS) push({ method, target, expect, why: `method ${method} on ${target}` });
  }
  push({ method: 'GET', target: `${GW}/customer.get-details`, expect: 405, why: 'method override header', headers: [['X-HTTP-Method-Override', 'POST']] });
  push({ method: 'POST', target: INVOKE, expect: 404, why: 'X-Original-URL to a hidden service', headers: [['X-Original-URL', `${GW}/customer.get-details`]] });
  push({ method: 'POST', target: INVOKE, expect: 404, why: 'X-Rewrite-URL to a hidden service', headers: [['X-Rewrite-URL', `${GW}/customer.get-details`]] });
  for (const [label, method, target] of UNPARSABLE) push({ method, target, expect: 400, why: `unparsable: ${label}` });
  return out;
}
