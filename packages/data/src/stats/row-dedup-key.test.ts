import { describe, expect, it } from 'vitest';
import { rowDedupKey } from './row-dedup-key.ts';
import { addNormalizedForDedup, normalizeForDedup, textKey } from './dedup-key.ts';
import { rowDedupText } from './row-turns.ts';
import { hashText, TextHasher } from './text-hasher.ts';
import type { NormalizedRow } from '../types.ts';

/** Characters where NFKC, lower case or the removal of punctuation act across neighbours. */
const PALETTE = [
  'a', 'Z', 'e', ' ', '\t', '\n', ',', '.', '!', '_', '$', '0', "'", '\u0000', '\u007f',
  '数', '据', '\u3400', '，', '。', '、', '「', '」', '！', '？', '\u3000', '…', '—', '“', '”', '\uff5e', '\uff61', '\uff64',
  '\u0301', '\u0308', '\u0327', '\u0338', '\u302a', '\u3099', '\uff9e', 'ｶ', 'カ', 'ﾊ', 'ﬁ', 'Ａ', 'ｚ', '①', '㎏', '½', 'Å', 'Ω',
  'Σ', 'σ', 'ς', 'Α', '\u{1d6ba}', 'İ', 'ẞ', 'ß', 'Ǆ', '\u1100', '\u1161', '\u11a8', '가', '\u0b47', '\u0b3e',
  '😀', '\u{1f1e8}', '\u{1f1f3}', '\ufe0f', '\u200d', '\u00a0', '\ufeff', '\u2028', '\ud800', '\udc00', '\u{20000}', '\uf900',
];

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function hashOfNormalized(text: string): number {
  const h = new TextHasher();
  addNormalizedForDedup(text, h);
  return h.digest();
}

describe('the streaming de-duplication key', () => {
  it('equals the key of normalizeForDedup on awkward text', () => {
    const rand = seeded(7);
    for (let n = 0; n < 20_000; n++) {
      let s = '';
      const len = Math.floor(rand() * 12);
      for (let i = 0; i < len; i++) s += PALETTE[Math.floor(rand() * PALETTE.length)];
      expect([s, hashOfNormalized(s)]).toEqual([s, hashText(normalizeForDedup(s))]);
    }
  });

  it('combines across the fast and slow paths as normalizeForDedup does', () => {
    for (const s of ['e\u0301', 'ÉCOLE, école!', 'ΑΣ a', 'ΑΣ', 'ｶﾞ', 'カ\u3099', '\u1100\u1161\u11a8', 'Ａ，ｂ。', '你好😀 world', 'ﬁne…', 'ΑΣa']) {
      expect(hashOfNormalized(s)).toBe(textKey(normalizeForDedup(s)));
    }
    const long = 'ab' + '\ufdfa'.repeat(400) + 'Cd，e\u0301'; // NFKC makes it 18 times longer
    expect(hashOfNormalized(long)).toBe(textKey(normalizeForDedup(long)));
    expect(hashOfNormalized('Hello, World!')).toBe(hashOfNormalized('hello world'));
    expect(hashOfNormalized('数据，很大。')).toBe(hashOfNormalized('数据很大'));
    expect(hashOfNormalized('abc')).not.toBe(hashOfNormalized('abd'));
  });

  it('a row key equals the key of its dedup text, for every kind of row', () => {
    const rows: NormalizedRow[] = [
      { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Ｈｉ，你好！' }, { role: 'assistant', content: 'ΑΣ e\u0301 😀' }] },
      { messages: [{ role: 'user', content: 'q' }], chosen: { role: 'assistant', content: 'Yes!' }, rejected: { role: 'assistant', content: 'no' } },
      { text: 'Raw text, ﬁne.' },
    ];
    for (const r of rows) expect(rowDedupKey(r)).toBe(textKey(rowDedupText(r, normalizeForDedup)));
  });

  it('hashes a text fed in pieces as the whole text', () => {
    const h = new TextHasher();
    h.text('abc');
    h.unit(0x44);
    h.text('');
    h.text('数据😀');
    h.unit(0x45);
    h.unit(0x46);
    h.text('g');
    expect(h.digest()).toBe(hashText('abcD数据😀EFg'));
    expect(hashText('')).not.toBe(hashText('\u0000'));
    expect(hashText('a')).not.toBe(hashText('a\u0000'));
  });

  it('different texts get different keys', () => {
    const keys = new Set<number>();
    for (let i = 0; i < 100_000; i++) keys.add(textKey(`row ${i}`));
    for (let i = 0; i < 1000; i++) keys.add(textKey('a'.repeat(i)));
    expect(keys.size).toBe(101_000);
    for (const k of keys) if (!Number.isSafeInteger(k) || k < 0) throw new Error(`bad key ${k}`);
  });
});
