import { pyFsum } from '../python/py-fsum.ts';

export type BleuSmoothing = 'none' | 'method3';

/**
 * nltk 3.10.4 `sentence_bleu([reference], hypothesis, weights=(0.25,)*4, smoothing_function=...)`
 * for one reference: clipped n-gram precisions as unreduced fractions, 0 when no unigram
 * matches, brevity penalty exp(1 - r/c) (0 for an empty hypothesis), and the weighted log
 * precisions summed with fsum. `method3` (NIST geometric smoothing) replaces the k-th zero
 * precision by 1 / (2^k * denominator); `none` (nltk's method0) uses the smallest double.
 * LLaMA-Factory passes the characters of both texts (`list(text)`) and method3.
 */
export function sentenceBleu(reference: readonly string[], hypothesis: readonly string[], smoothing: BleuSmoothing = 'method3'): number {
  const order = 4;
  const ids = new Map<string, number>();
  const intern = (t: string): number => {
    let id = ids.get(t);
    if (id === undefined) {
      id = ids.size;
      ids.set(t, id);
    }
    return id;
  };
  const hyp = hypothesis.map(intern);
  const ref = reference.map(intern);
  const width = ids.size + 1;
  // n-grams as numbers when width^4 stays exact, as joined strings beyond that
  const numeric = width ** order < Number.MAX_SAFE_INTEGER;

  const numerators: number[] = [];
  const denominators: number[] = [];
  for (let n = 1; n <= order; n++) {
    const hypCounts = countNgrams(hyp, n, width, numeric);
    const refCounts = countNgrams(ref, n, width, numeric);
    let clipped = 0;
    let total = 0;
    for (const [g, c] of hypCounts) {
      total += c;
      clipped += Math.min(c, refCounts.get(g) ?? 0);
    }
    numerators.push(clipped);
    denominators.push(Math.max(1, total));
  }
  if (numerators[0] === 0) return 0;

  const hypLen = hyp.length;
  const refLen = ref.length;
  const bp = hypLen > refLen ? 1 : hypLen === 0 ? 0 : Math.exp(1 - refLen / hypLen);

  const precisions: number[] = [];
  let k = 1;
  for (let i = 0; i < order; i++) {
    if (numerators[i] !== 0) precisions.push(numerators[i] / denominators[i]);
    else if (smoothing === 'method3') precisions.push(1 / (2 ** k++ * denominators[i]));
    else precisions.push(2.2250738585072014e-308); // sys.float_info.min
  }
  const terms = precisions.filter((p) => p > 0).map((p) => 0.25 * Math.log(p));
  return bp * Math.exp(pyFsum(terms));
}

function countNgrams(tokens: number[], n: number, width: number, numeric: boolean): Map<number | string, number> {
  const counts = new Map<number | string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    let key: number | string;
    if (numeric) {
      key = 0;
      for (let j = 0; j < n; j++) key = key * width + tokens[i + j] + 1;
    } else {
      key = tokens.slice(i, i + n).join(',');
    }
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
