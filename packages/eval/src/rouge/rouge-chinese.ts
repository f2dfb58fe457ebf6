import { pyRstrip, pySplit } from '../python/py-whitespace.ts';

export interface RougeStat {
  f: number;
  p: number;
  r: number;
}
export interface RougeScores {
  'rouge-1': RougeStat;
  'rouge-2': RougeStat;
  'rouge-l': RougeStat;
}

/**
 * `Rouge().get_scores(hyp, ref)[0]` of rouge_chinese 1.0.3 for one pair of space-separated
 * texts: sentences cut at 。！？? (and ...... and ……), each sentence's whitespace collapsed, then
 * words split at single spaces (so a whitespace-only sentence contributes one empty word).
 * ROUGE-1/2 count distinct n-grams (exclusive sets); ROUGE-L is the summary-level LCS of the
 * flattened word lists. Throws, as rouge_chinese does, when a side has no sentence.
 */
export function rougeChinese(hyp: string, ref: string): RougeScores {
  const hypWords = sentenceWords(hyp);
  const refWords = sentenceWords(ref);
  if (hypWords === undefined) throw new Error('Hypothesis is empty.');
  if (refWords === undefined) throw new Error('Reference is empty.');

  const ids = new Map<string, number>();
  const intern = (w: string): number => {
    let id = ids.get(w);
    if (id === undefined) {
      id = ids.size;
      ids.set(w, id);
    }
    return id;
  };
  const h = Int32Array.from(hypWords, intern);
  const r = Int32Array.from(refWords, intern);
  const width = ids.size;
  const rouge1 = ngramOverlap(h, r, 1, width);
  const rouge2 = ngramOverlap(h, r, 2, width);

  const llcs = lcsLength(r, h);
  const rL = llcs / r.length;
  const pL = llcs / h.length;
  return {
    'rouge-1': rouge1,
    'rouge-2': rouge2,
    'rouge-l': { f: 2.0 * ((pL * rL) / (pL + rL + 1e-8)), p: pL, r: rL },
  };
}

/** cut_sent, then `" ".join(s.split())` per non-empty sentence, then split(" ") flattened. */
function sentenceWords(text: string): string[] | undefined {
  const para = pyRstrip(
    text
      .replace(/([。！？?])([^”’])/gu, '$1\n$2')
      .replace(/(\.{6})([^”’])/gu, '$1\n$2')
      .replace(/(…{2})([^”’])/gu, '$1\n$2')
      .replace(/([。！？?][”’])([^，。！？?])/gu, '$1\n$2'),
  );
  const words: string[] = [];
  let sentences = 0;
  for (const sentence of para.split('\n')) {
    if (sentence.length === 0) continue;
    sentences += 1;
    for (const w of pySplit(sentence).join(' ').split(' ')) words.push(w);
  }
  return sentences === 0 ? undefined : words;
}

/** f_r_p_rouge_n over the sets of distinct n-grams. */
function ngramOverlap(h: Int32Array, r: Int32Array, n: 1 | 2, width: number): RougeStat {
  const key = n === 1 ? (a: Int32Array, i: number) => a[i] : (a: Int32Array, i: number) => a[i] * width + a[i + 1];
  const hyp = new Set<number>();
  for (let i = 0; i + n <= h.length; i++) hyp.add(key(h, i));
  const ref = new Set<number>();
  for (let i = 0; i + n <= r.length; i++) ref.add(key(r, i));
  let overlap = 0;
  for (const g of hyp) if (ref.has(g)) overlap += 1;
  const precision = hyp.size === 0 ? 0.0 : overlap / hyp.size;
  const recall = ref.size === 0 ? 0.0 : overlap / ref.size;
  return { f: 2.0 * ((precision * recall) / (precision + recall + 1e-8)), p: precision, r: recall };
}

/** Length of the longest common subsequence, one row at a time. */
function lcsLength(x: Int32Array, y: Int32Array): number {
  const m = y.length;
  let prev = new Int32Array(m + 1);
  let row = new Int32Array(m + 1);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    for (let j = 1; j <= m; j++) {
      row[j] = xi === y[j - 1] ? prev[j - 1] + 1 : row[j - 1] > prev[j] ? row[j - 1] : prev[j];
    }
    [prev, row] = [row, prev];
  }
  return prev[m];
}
