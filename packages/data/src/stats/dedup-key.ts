import { hashText, type TextHasher } from './text-hasher.ts';
import { stringUnits, unitsToString } from './utf16-units.ts';

export type DedupMode = 'exact' | 'normalized';

/**
 * A 53-bit number that stands for a text (see TextHasher): small to keep in a Set for millions
 * of rows.
 */
export function textKey(text: string): number {
  return hashText(text);
}

const DEDUP_REMOVED = /[\s\p{P}\p{S}]+/gu;

/** What "the same sample" means once case, width, spacing and punctuation are ignored. */
export function normalizeForDedup(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(DEDUP_REMOVED, '');
}

/**
 * How a code unit fares in normalizeForDedup on its own (see FAST). Bit 0 says it is kept,
 * bit 5 is set in it when kept (lower case of ASCII), so the common path needs no branch.
 */
const SLOW = 0;
const KEEP = 1;
const LOWER = 1 | 0x20;
const DROP = 2;

/**
 * Code units whose fate in normalizeForDedup does not depend on their neighbours (kept, lower
 * cased or dropped), and SLOW for the others. The fast ones are ASCII, CJK ideographs, and
 * punctuation, symbols and spaces that normalize to nothing but punctuation, symbols and
 * spaces (the fullwidth and CJK ones Chinese text is full of). Each is a starter that nothing
 * before it composes with, so NFKC may be applied on either side of one of them separately;
 * what follows it may compose with it, so one followed by a slow unit goes through the full
 * path together with it.
 */
export const FAST = buildFastTable();

function buildFastTable(): Uint8Array {
  const t = new Uint8Array(0x10000); // SLOW
  for (let c = 0; c < 0x80; c++) {
    const s = String.fromCharCode(c);
    t[c] = normalizeForDedup(s) === '' ? DROP : s.toLowerCase() === s ? KEEP : LOWER;
  }
  t.fill(KEEP, 0x3400, 0x4dc0); // CJK extension A
  t.fill(KEEP, 0x4e00, 0xa000); // CJK unified ideographs: no decomposition, no case
  const punctuation: [number, number][] = [
    [0x2000, 0x2070], // general punctuation
    [0x3000, 0x3040], // CJK symbols and punctuation
    [0xfe30, 0xfe70], // CJK compatibility and small forms
    [0xff00, 0xff66], // fullwidth ASCII punctuation, halfwidth CJK punctuation
  ];
  for (const [lo, hi] of punctuation) {
    for (let c = lo; c < hi; c++) {
      const s = String.fromCharCode(c);
      // only what normalizes to removed characters, all of them ASCII or the character itself
      const nf = s.normalize('NFKC');
      if (normalizeForDedup(s) === '' && (nf === s || /^[\x00-\x7f]+$/.test(nf))) t[c] = DROP;
    }
  }
  return t;
}

/** The first code point fastSupplementary() covers (chat-scan.ts has the same constant); it ends at U+3FFFF. */
const SUPPLEMENTARY_FROM = 0x1f000;
let supplementary: Uint8Array | null = null;

/**
 * FAST's verdict (KEEP, DROP or SLOW) for the code points U+1F000-U+3FFFF (emoji and
 * pictographs, CJK extensions B and later), for the WebAssembly scanner (chat-scan.ts), which
 * takes their surrogate pairs whole: those NFKC leaves alone, either dropped whole (symbols) or
 * kept whole (ideographs). Starters nothing composes with, like FAST's. Built on first use
 * (about 50 ms).
 */
export function fastSupplementary(): Uint8Array {
  if (supplementary) return supplementary;
  const t = new Uint8Array(0x40000 - SUPPLEMENTARY_FROM); // SLOW
  for (let cp = SUPPLEMENTARY_FROM; cp < 0x40000; cp++) {
    const s = String.fromCodePoint(cp);
    if (s.normalize('NFKC') !== s) continue;
    const mapped = normalizeForDedup(s);
    t[cp - SUPPLEMENTARY_FROM] = mapped === '' ? DROP : mapped === s ? KEEP : SLOW;
  }
  supplementary = t;
  return t;
}

/** Mapped code units of the text being added (grown as needed). */
let scratch = new Uint16Array(4096);

/**
 * Adds the code units of `normalizeForDedup(text)` to `h` without building that string (see
 * addNormalizedUnitsForDedup).
 */
export function addNormalizedForDedup(text: string, h: TextHasher): void {
  addNormalizedUnitsForDedup(stringUnits(text), 0, text.length, h);
}

/**
 * Adds the code units of `normalizeForDedup(text)` to `h`, `text` being `units[start..end)`:
 * the common characters are mapped one by one, the rest (with the character before them)
 * through normalizeForDedup itself. A Greek capital sigma, whose lower case depends on the
 * letters around it, sends the whole text through the full path. The one implementation for
 * strings and for text decoded from raw bytes, so both give the same keys.
 */
export function addNormalizedUnitsForDedup(units: Uint16Array, start: number, end: number, h: TextHasher): void {
  const n = end - start;
  if (scratch.length < n) scratch = new Uint16Array(Math.max(n, scratch.length * 2));
  let out = scratch;
  let m = 0;
  let i = start;
  for (;;) {
    // a run of fast units (a loop of its own, with no call in it, compiles to tight code)
    for (; i < end; i++) {
      const c = units[i]!;
      const k = FAST[c]!;
      if (k === SLOW) break;
      out[m] = c | (k & 0x20);
      m += k & 1;
    }
    if (i >= end) break;
    {
      // a run of slow units, with the fast one before them (taken back); it ends before a fast unit
      let from = i;
      if (i > start) {
        const before = FAST[units[i - 1]!]!;
        if (before !== SLOW) {
          from = i - 1;
          m -= before & 1;
        }
      }
      let j = i + 1;
      while (j < end && FAST[units[j]!] === SLOW) j++;
      const part = unitsToString(units, from, j).normalize('NFKC');
      if (part.includes('\u03a3')) {
        h.text(normalizeForDedup(unitsToString(units, start, end)));
        return;
      }
      const mapped = part.toLowerCase().replace(DEDUP_REMOVED, '');
      if (out.length < m + mapped.length + (end - j)) {
        // NFKC may lengthen a character (U+FDFA is 18 units once normalized)
        const grown = new Uint16Array((m + mapped.length + (end - j)) * 2);
        grown.set(out.subarray(0, m));
        scratch = out = grown;
      }
      for (let q = 0; q < mapped.length; q++) out[m++] = mapped.charCodeAt(q);
      i = j;
    }
  }
  h.units16(out, m);
}
