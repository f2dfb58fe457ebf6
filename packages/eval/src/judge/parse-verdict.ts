/**
 * Reading a judge's verdict out of its free text, the way MT-Bench's prompts ask for it and a
 * little more forgiving: the last `[[7]]` wins (a judge may quote the format before its own
 * verdict), then `Rating: 7` / `评分：7` / `7/10`, then a lone `[7]`. Anything else is null:
 * the caller stores the text as written and counts it as unparseable.
 */
export function parseScore(text: string, scale: { min: number; max: number } = { min: 1, max: 10 }): number | null {
  const t = toHalfWidth(text);
  const number = String.raw`(\d+(?:\.\d+)?)`;
  const patterns = [
    new RegExp(String.raw`\[\[\s*${number}\s*\]\]`, 'g'),
    new RegExp(String.raw`(?:rating|score|评分|得分|分数)\s*[:=]?\s*\[?\s*${number}`, 'gi'),
    new RegExp(String.raw`${number}\s*/\s*10\b`, 'g'),
    new RegExp(String.raw`\[\s*${number}\s*\]`, 'g'),
  ];
  for (const re of patterns) {
    const last = [...t.matchAll(re)].at(-1);
    if (!last) continue;
    const value = Number(last[1]);
    return value >= scale.min && value <= scale.max ? value : null;
  }
  return null;
}

export type PairVerdict = 'A' | 'B' | 'tie';

/**
 * A pairwise verdict: the last of `[[A]]`, `[[B]]` or `[[C]]` (tie) in the text, as MT-Bench's
 * pairwise prompt asks, case- and width-insensitive; `[[tie]]` / `[[平局]]` also read as a tie.
 * Null when none appears.
 */
export function parsePairVerdict(text: string): PairVerdict | null {
  const last = [...toHalfWidth(text).matchAll(/\[\[\s*(A|B|C|tie|平局)\s*\]\]/gi)].at(-1);
  if (!last) return null;
  const v = last[1].toUpperCase();
  return v === 'A' ? 'A' : v === 'B' ? 'B' : 'tie';
}

/** Full-width brackets, colons, digits and letters (common in Chinese judgments) as ASCII. */
function toHalfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/【/g, '[').replace(/】/g, ']');
}
