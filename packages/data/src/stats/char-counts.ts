import { stringUnits } from './utf16-units.ts';

/** Characters split into Chinese (Han) and other, and English words, counted in one pass. */
export interface CharCounts {
  chinese: number;
  other: number;
  englishWords: number;
}

export function newCharCounts(): CharCounts {
  return { chinese: 0, other: 0, englishWords: 0 };
}

const LETTER = 1; // ASCII letter
const APOSTROPHE = 2; // keeps a word going ("it's")
const CHINESE = 4; // a Han character of the BMP
const PAIR = 8; // a high surrogate: the code point takes two units
const PAIR_CHINESE = 16; // ... and is in CJK extension B or later (U+20000-U+3FFFF)

/** What each UTF-16 code unit is for counting (flags above; 0 for any other character). */
export const CLASS = buildClassTable();

function buildClassTable(): Uint8Array {
  const t = new Uint8Array(0x10000);
  for (let c = 0x41; c <= 0x5a; c++) t[c] = t[c | 0x20] = LETTER;
  t[0x27] = APOSTROPHE;
  t.fill(CHINESE, 0x3400, 0x4dc0);
  t.fill(CHINESE, 0x4e00, 0xa000);
  t.fill(CHINESE, 0xf900, 0xfb00);
  t.fill(PAIR, 0xd800, 0xdc00);
  t.fill(PAIR | PAIR_CHINESE, 0xd840, 0xd8c0); // U+20000-U+3FFFF start with D840-D8BF
  return t;
}

/**
 * Adds `text` to `acc`; characters are code points, so an emoji counts once. An English word
 * is a run of ASCII letters, apostrophes inside it included.
 */
export function countChars(text: string, acc: CharCounts): void {
  countCharUnits(stringUnits(text), 0, text.length, acc);
}

/**
 * countChars over the code units `units[start..end)`: the one implementation, so a text read
 * as a string and the same text decoded from raw bytes count alike.
 */
export function countCharUnits(units: Uint16Array, start: number, end: number, acc: CharCounts): void {
  let chinese = 0;
  let codePoints = 0;
  let words = 0;
  let inWord = 0;
  for (let i = start; i < end; i++) {
    const t = CLASS[units[i]!]!;
    codePoints++;
    if (t >= PAIR) {
      if (t & PAIR_CHINESE) chinese++;
      inWord = 0;
      i++; // the low surrogate
      continue;
    }
    const letter = t & LETTER;
    words += letter & (inWord ^ 1);
    inWord = letter | (inWord & (t >> 1));
    chinese += t >> 2;
  }
  acc.chinese += chinese;
  acc.other += codePoints - chinese;
  acc.englishWords += words;
}
