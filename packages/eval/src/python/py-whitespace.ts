/**
 * Python's notion of whitespace (str.isspace, str.split(), str.strip(), re's \s on str): the
 * characters of bidirectional class WS, B or S, or category Zs. It differs from JavaScript's
 * \s: Python adds U+001C..U+001F and U+0085, and leaves out U+FEFF.
 */
export const PY_WHITESPACE_CLASS = '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

const WORDS = new RegExp(`[^${PY_WHITESPACE_CLASS}]+`, 'gu');
const LEADING = new RegExp(`^[${PY_WHITESPACE_CLASS}]+`, 'u');
const TRAILING = new RegExp(`[${PY_WHITESPACE_CLASS}]+$`, 'u');
const ONLY_SPACE = new RegExp(`^[${PY_WHITESPACE_CLASS}]*$`, 'u');

export function isPyWhitespace(codeUnit: number): boolean {
  return (
    (codeUnit >= 0x09 && codeUnit <= 0x0d) ||
    (codeUnit >= 0x1c && codeUnit <= 0x20) ||
    codeUnit === 0x85 ||
    codeUnit === 0xa0 ||
    codeUnit === 0x1680 ||
    (codeUnit >= 0x2000 && codeUnit <= 0x200a) ||
    codeUnit === 0x2028 ||
    codeUnit === 0x2029 ||
    codeUnit === 0x202f ||
    codeUnit === 0x205f ||
    codeUnit === 0x3000
  );
}

/** `s.split()` with no argument: the runs of non-whitespace. */
export function pySplit(s: string): string[] {
  return s.match(WORDS) ?? [];
}

/** `s.rstrip()` */
export function pyRstrip(s: string): string {
  return s.replace(TRAILING, '');
}

/** `s.strip()` */
export function pyStrip(s: string): string {
  return s.replace(LEADING, '').replace(TRAILING, '');
}

/** `len(s.split()) == 0`: empty or whitespace only. */
export function pyIsBlank(s: string): boolean {
  return ONLY_SPACE.test(s);
}
