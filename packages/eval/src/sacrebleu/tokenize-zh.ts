import { pyStrip } from '../python/py-whitespace.ts';
import { tokenizeRegexp } from './tokenize-regexp.ts';

/**
 * The code points sacrebleu's zh tokenizer treats as Chinese. Its table compares one character
 * with the strings '\u20000'..'\u2a6d6' and '\u2f800'..'\u2fa1d', which Python reads as two
 * characters each ('\u2000' + '0'), so those rows cover U+2001..U+2A6D and U+2F81..U+2FA1 (general
 * punctuation, arrows, math symbols...) and never the astral ideographs they meant. Kept as is.
 */
const CHINESE_RANGES: readonly (readonly [number, number])[] = [
  [0x3400, 0x4db5],
  [0x4e00, 0x9fa5],
  [0x9fa6, 0x9fbb],
  [0xf900, 0xfa2d],
  [0xfa30, 0xfa6a],
  [0xfa70, 0xfad9],
  [0x2001, 0x2a6d], // ('\u20000', '\u2a6d6') as Python compares it
  [0x2f81, 0x2fa1], // ('\u2f800', '\u2fa1d') as Python compares it
  [0xff00, 0xffef],
  [0x2e80, 0x2eff],
  [0x3000, 0x303f],
  [0x31c0, 0x31ef],
  [0x2f00, 0x2fdf],
  [0x2ff0, 0x2fff],
  [0x3100, 0x312f],
  [0x31a0, 0x31bf],
  [0xfe10, 0xfe1f],
  [0xfe30, 0xfe4f],
  [0x2600, 0x26ff],
  [0x2700, 0x27bf],
  [0x3200, 0x32ff],
  [0x3300, 0x33ff],
];

const CHINESE = new Uint8Array(0x10000);
for (const [lo, hi] of CHINESE_RANGES) CHINESE.fill(1, lo, hi + 1);

export function isSacrebleuChineseChar(codePoint: number): boolean {
  return codePoint < 0x10000 && CHINESE[codePoint] === 1;
}

const hex = (c: number) => `\\u${c.toString(16).padStart(4, '0')}`;
/** The same table as one character class: all ranges lie in the BMP, outside the surrogates. */
const CHINESE_CHAR = new RegExp(`[${CHINESE_RANGES.map(([lo, hi]) => `${hex(lo)}-${hex(hi)}`).join('')}]`, 'g');

/** sacrebleu's `zh` tokenizer: every Chinese character spaced out, then the 13a regexes. */
export function tokenizeZh(line: string): string {
  return tokenizeRegexp(pyStrip(line).replace(CHINESE_CHAR, ' $& '));
}
