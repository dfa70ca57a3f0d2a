/**
 * The one canonical spelling of a service name as a URL path segment, shared by the OpenAPI document, the typed
 * client and the gateway dispatch. Characters allowed in a path segment (RFC 3986 pchar) stay as they are; every
 * other character is percent-encoded as UTF-8 with upper-case hex. A name made only of pchar characters therefore
 * has exactly one spelling, itself: `customer%2Eget` is not `customer.get`.
 */
const PCHAR = /^[A-Za-z0-9\-._~!$&'()*+,;=:@]$/;

export function encodePathSegment(name: string): string {
  let out = '';
  for (const ch of name) {
    if (PCHAR.test(ch)) out += ch;
    else for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Canonical spelling → name, for the allowlisted names whose spelling differs from the name (those with characters
 * outside pchar). The gateway accepts a path segment that is either exactly a name or exactly one of these
 * spellings: still one exact match per name, never a decoding of whatever the caller sent.
 */
export function encodedSpellings(names: readonly string[]): ReadonlyMap<string, string> | null {
  const out = new Map<string, string>();
  for (const name of names) {
    const encoded = encodePathSegment(name);
    if (encoded !== name) out.set(encoded, name);
  }
  return out.size === 0 ? null : out;
}
