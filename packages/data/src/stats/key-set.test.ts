import { describe, expect, it } from 'vitest';
import { KeySet } from './key-set.ts';

describe('KeySet', () => {
  it('says what a Set says, through growth, for keys up to 2^53', () => {
    const ks = new KeySet();
    const ref = new Set<number>();
    let s = 12345;
    const next = () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s;
    };
    const keys = [0, 1, 2 ** 53 - 1, 2 ** 32, 2 ** 32 + 1, 1024, 2048];
    for (let i = 0; i < 50_000; i++) keys.push((next() & 0x1fffff) * 4294967296 + next());
    for (let i = 0; i < 20_000; i++) keys.push(next() & 0xffff); // many repeats, many equal low bits
    for (const k of keys) expect(ks.add(k)).toBe(!ref.has(k) && ref.add(k) !== undefined);
    expect(ks.size).toBe(ref.size);
    for (const k of ref) expect(ks.has(k)).toBe(true);
    expect(ks.has(3 * 2 ** 40 + 7)).toBe(ref.has(3 * 2 ** 40 + 7));
  });
});
