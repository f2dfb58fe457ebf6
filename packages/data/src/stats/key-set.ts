/**
 * A set of hash keys (integers 0 <= key < 2^53, as TextHasher gives): open addressing in one
 * Float64Array, 8-16 bytes a key, where a Set<number> holds each such key as a heap object
 * the garbage collector keeps walking.
 */
export class KeySet {
  private slots = new Float64Array(1024); // key + 1; 0 is empty
  private mask = 1023;
  size = 0;

  /** Adds `key`; false when it was already there. */
  add(key: number): boolean {
    const stored = key + 1;
    let i = (key >>> 0) & this.mask;
    for (;;) {
      const s = this.slots[i]!;
      if (s === 0) break;
      if (s === stored) return false;
      i = (i + 1) & this.mask;
    }
    this.slots[i] = stored;
    if (++this.size * 2 > this.slots.length) this.grow();
    return true;
  }

  has(key: number): boolean {
    const stored = key + 1;
    for (let i = (key >>> 0) & this.mask; ; i = (i + 1) & this.mask) {
      const s = this.slots[i]!;
      if (s === 0) return false;
      if (s === stored) return true;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2);
    this.mask = this.slots.length - 1;
    for (const s of old) {
      if (s === 0) continue;
      let i = ((s - 1) >>> 0) & this.mask;
      while (this.slots[i] !== 0) i = (i + 1) & this.mask;
      this.slots[i] = s;
    }
  }
}
