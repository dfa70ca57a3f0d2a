/**
 * Big generated texts built from many short strings. Keeping every string alive until one final join makes each
 * young-generation collection copy all of them again (at 5,000 services that was most of the build's collector
 * time); joining them into chunks as they come lets them die young, and a chunk of this size is a large object
 * that the collector never copies. The concatenation of the chunks with `separator` between them is that of the
 * pushed strings.
 */
const CHUNK = 1 << 17; // characters

export class Chunks {
  readonly done: string[] = [];
  private pending: string[] = [];
  private size = 0;

  constructor(private readonly separator: string) {}

  push(text: string): void {
    this.pending.push(text);
    this.size += text.length;
    if (this.size >= CHUNK) this.flush();
  }

  /** Adds `text` as a chunk of its own, not copied (a text kept by a cache, say). */
  pass(text: string): void {
    this.flush().push(text);
  }

  /** Joins what is pending into one chunk; `done` then holds everything pushed. */
  flush(): string[] {
    if (this.pending.length > 0) {
      this.done.push(this.pending.length === 1 ? this.pending[0]! : this.pending.join(this.separator));
      this.pending = [];
      this.size = 0;
    }
    return this.done;
  }
}
