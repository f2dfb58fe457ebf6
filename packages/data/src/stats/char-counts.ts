/** Characters split into Chinese (Han) and other, and English words, counted in one pass. */
export interface CharCounts {
  chinese: number;
  other: number;
  englishWords: number;
}

export function newCharCounts(): CharCounts {
  return { chinese: 0, other: 0, englishWords: 0 };
}

/** Adds `text` to `acc`; characters are code points, so an emoji counts once. */
export function countChars(text: string, acc: CharCounts): void {
  let chinese = 0;
  let other = 0;
  let words = 0;
  let inWord = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
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
      // U+20000-U+3FFFF (CJK extensions B and later) start with high surrogates D840-D8BF
      if (c >= 0xd840 && c <= 0xd8bf) chinese++;
      else other++;
      i++;
    } else other++;
  }
  acc.chinese += chinese;
  acc.other += other;
  acc.englishWords += words;
}
