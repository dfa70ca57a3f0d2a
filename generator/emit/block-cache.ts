/**
 * Blocks of generated text kept from one build to the next (a watch mode keeps one per emitter): each block is
 * found by a key and reused while every value it was made from is the same (`===`; IR objects are immutable, and
 * the services reader reuses unchanged ones). An emitter lists in `deps` everything its `make` reads; the text is
 * then what `make` would give again.
 */
import { Generations, sameItems } from '../generations.js';

interface Block {
  readonly deps: readonly unknown[];
  readonly text: string;
}

export class BlockCache {
  private readonly blocks = new Generations<string, Block>();

  /** Starts an emit: blocks that it does not ask for are dropped at the next begin(). */
  begin(): void {
    this.blocks.begin();
  }

  /** The block at `key`: the kept one if it was made from the same `deps`, else what `make` gives (kept). */
  text(key: string, deps: readonly unknown[], make: () => string): string {
    const old = this.blocks.get(key);
    if (old !== undefined && sameItems(old.deps, deps)) return this.blocks.keep(key, old).text;
    return this.blocks.keep(key, { deps, text: make() }).text;
  }
}

/** The block of `key` from `cache`, or `make`'s text without one. */
export function block(cache: BlockCache | undefined, key: string, deps: () => readonly unknown[], make: () => string): string {
  return cache ? cache.text(key, deps(), make) : make();
}
