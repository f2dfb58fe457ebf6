import { describe, expect, it } from 'vitest';
import { countChars, newCharCounts, type CharCounts } from './char-counts.ts';

/** The plain branching loop the table-driven countChars replaced, kept as the reference. */
function referenceCounts(text: string): CharCounts {
  let chinese = 0;
  let other = 0;
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      other++;
      const l = c | 0x20;
      const letter = l >= 0x61 && l <= 0x7a;
      if (letter && !inWord) words++;
      inWord = letter || (inWord && c === 0x27);
      continue;
    }
    inWord = false;
    if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff)) chinese++;
    else if (c >= 0xd800 && c <= 0xdbff) {
      if (c >= 0xd840 && c <= 0xd8bf) chinese++;
      else other++;
      i++;
    } else other++;
  }
  return { chinese, other, englishWords: words };
}

const PALETTE = ['a', 'Z', "'", ' ', '-', '1', '@', '[', '`', '{', '数', '\u3400', '\u4dbf', '\u9fff', '\ua000', '\uf900', '\ufaff', '\ufb00', 'é', '，', '😀', '\u{20000}', '\u{3ffff}', '\u{40000}', '\ud83d', '\ude00', '\ud840', '\u00ff', '\u007f'];

describe('countChars', () => {
  it('counts as the plain loop does, on awkward text', () => {
    let s = 99;
    const rand = () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 4294967296;
    };
    for (let n = 0; n < 20_000; n++) {
      let text = '';
      const len = Math.floor(rand() * 16);
      for (let i = 0; i < len; i++) text += PALETTE[Math.floor(rand() * PALETTE.length)];
      const acc = newCharCounts();
      countChars(text, acc);
      expect([text, acc]).toEqual([text, referenceCounts(text)]);
    }
  });
});
