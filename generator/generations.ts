/**
 * The two-generation store behind the watch-mode caches: what one build keeps is what the next build can reuse,
 * and anything the next build does not keep is dropped when the build after it begins. This bounds each cache
 * to what the latest build used, however many rebuilds run.
 */
export class Generations<K, V> {
  private previous = new Map<K, V>();
  private current = new Map<K, V>();

  /** Starts a build. */
  begin(): void {
    this.previous = this.current;
    this.current = new Map();
  }

  /** The value kept for `key` by this build, else by the previous one (the caller decides whether it still holds). */
  get(key: K): V | undefined {
    return this.current.get(key) ?? this.previous.get(key);
  }

  /** Keeps `value` for `key` into the next build. */
  keep(key: K, value: V): V {
    this.current.set(key, value);
    return value;
  }
}

/** Whether two lists hold the same values (`===`) in the same order: the validity check of the watch caches. */
export function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
