/**
 * Request headers as services see them (CONTRACT §5.5): read-only, Map-like, names lower case with `_` turned into
 * `-`, and a repeated header keeps its LAST value. Node's `req.headers` keeps the first value of some headers and
 * joins others, so the map is built from `req.rawHeaders` — lazily, because most services never read a header.
 */
import type { RequestHeaders } from './service.js';

/** `X_Zato_Tenant` → `x-zato-tenant`: the one spelling used for storing and for looking up. */
export function normalizeHeaderName(name: string): string {
  const lower = name.toLowerCase();
  return lower.includes('_') ? lower.replaceAll('_', '-') : lower;
}

/**
 * The last value of a header whose name equals `lowerName` case-insensitively, WITHOUT the `_` → `-` folding.
 * Used for credentials and for `x-zato-username`: a gateway in front of us strips `x-zato-username` from client
 * requests, but may well let `x_zato_username` through, so the underscore spelling must never count as identity.
 */
export function readRawHeader(rawHeaders: readonly string[], lowerName: string): string | undefined {
  for (let i = rawHeaders.length - 2; i >= 0; i -= 2) {
    const name = rawHeaders[i]!;
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) return rawHeaders[i + 1];
  }
  return undefined;
}

/** The read-only Map-like headers object handed to services. */
export class LazyRequestHeaders implements RequestHeaders {
  readonly #raw: readonly string[];
  #map: Map<string, string> | undefined;

  constructor(rawHeaders: readonly string[]) {
    this.#raw = rawHeaders;
  }

  #built(): Map<string, string> {
    if (this.#map === undefined) {
      const map = new Map<string, string>();
      const raw = this.#raw;
      // Later occurrences overwrite earlier ones: the last value wins.
      for (let i = 0; i + 1 < raw.length; i += 2) map.set(normalizeHeaderName(raw[i]!), raw[i + 1]!);
      this.#map = map;
    }
    return this.#map;
  }

  get size(): number {
    return this.#built().size;
  }

  get(name: string): string | undefined {
    const key = normalizeHeaderName(name);
    return this.#map === undefined ? this.#scan(key) : this.#map.get(key);
  }

  has(name: string): boolean {
    const key = normalizeHeaderName(name);
    return this.#map === undefined ? this.#scan(key) !== undefined : this.#map.has(key);
  }

  /**
   * A lookup without building the map (most services read one or two headers): the last raw header whose
   * normalised name is `key`. Names are tokens (ASCII), so normalising keeps the length: compare that first.
   */
  #scan(key: string): string | undefined {
    const raw = this.#raw;
    for (let i = raw.length - 2; i >= 0; i -= 2) {
      const name = raw[i]!;
      if (name.length === key.length && normalizeHeaderName(name) === key) return raw[i + 1];
    }
    return undefined;
  }

  forEach(callback: (value: string, key: string, map: ReadonlyMap<string, string>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.#built()) callback.call(thisArg, value, key, this);
  }

  entries(): MapIterator<[string, string]> {
    return this.#built().entries();
  }

  keys(): MapIterator<string> {
    return this.#built().keys();
  }

  values(): MapIterator<string> {
    return this.#built().values();
  }

  [Symbol.iterator](): MapIterator<[string, string]> {
    return this.#built().entries();
  }

  get [Symbol.toStringTag](): string {
    return 'RequestHeaders';
  }

  /** So that `JSON.stringify(headers)` and loggers show the headers rather than `{}`. */
  toJSON(): Record<string, string> {
    return Object.fromEntries(this.#built());
  }
}
