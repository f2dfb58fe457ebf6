import { pyRstrip, pySplit } from '../python/py-whitespace.ts';
import { tokenize13a } from './tokenize-13a.ts';
import { tokenizeZh } from './tokenize-zh.ts';

export type SacrebleuTokenizer = '13a' | 'zh';

export interface CorpusBleu {
  /** 0 to 100 */
  score: number;
  counts: number[];
  totals: number[];
  precisions: number[];
  bp: number;
  sys_len: number;
  ref_len: number;
}

const TOKENIZERS: Record<SacrebleuTokenizer, (line: string) => string> = { '13a': tokenize13a, zh: tokenizeZh };
const ORDER = 4;

/**
 * `sacrebleu.corpus_bleu(hypotheses, [references], tokenize=...)` of sacrebleu 2.6.0 with its
 * defaults: one reference per segment, case kept, smoothing 'exp' (the k-th zero precision
 * becomes 100 / (2^k * total)), n-grams up to 4, no effective order.
 */
export function corpusBleu(hypotheses: readonly string[], references: readonly string[], tokenize: SacrebleuTokenizer = '13a'): CorpusBleu {
  if (hypotheses.length !== references.length) {
    throw new Error(`corpusBleu: ${hypotheses.length} hypotheses but ${references.length} references`);
  }
  const tok = TOKENIZERS[tokenize];
  const correct = new Array<number>(ORDER).fill(0);
  const total = new Array<number>(ORDER).fill(0);
  let sysLen = 0;
  let refLen = 0;
  for (let i = 0; i < hypotheses.length; i++) {
    const stats = segmentStats(pySplit(tok(pyRstrip(hypotheses[i]))), pySplit(tok(pyRstrip(references[i]))));
    sysLen += stats.hypLen;
    refLen += stats.refLen;
    for (let n = 0; n < ORDER; n++) {
      correct[n] += stats.correct[n];
      total[n] += stats.total[n];
    }
  }
  return computeBleu(correct, total, sysLen, refLen);
}

function segmentStats(hyp: string[], ref: string[]): { hypLen: number; refLen: number; correct: number[]; total: number[] } {
  const correct = new Array<number>(ORDER).fill(0);
  const total = new Array<number>(ORDER).fill(0);
  // Tokens as small integers, n-grams as exact numbers (base = distinct tokens + 1).
  const ids = new Map<string, number>();
  const intern = (t: string): number => {
    let id = ids.get(t);
    if (id === undefined) {
      id = ids.size + 1;
      ids.set(t, id);
    }
    return id;
  };
  const h = hyp.map(intern);
  const r = ref.map(intern);
  const base = ids.size + 1;
  const numeric = base ** ORDER < Number.MAX_SAFE_INTEGER;
  for (let n = 1; n <= ORDER; n++) {
    const refCounts = ngramCounts(r, n, base, numeric);
    for (const [gram, count] of ngramCounts(h, n, base, numeric)) {
      total[n - 1] += count;
      const c = refCounts.get(gram);
      if (c !== undefined) correct[n - 1] += Math.min(count, c);
    }
  }
  return { hypLen: hyp.length, refLen: ref.length, correct, total };
}

function ngramCounts(tokens: number[], n: number, base: number, numeric: boolean): Map<number | string, number> {
  const counts = new Map<number | string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    let gram: number | string;
    if (numeric) {
      gram = 0;
      for (let j = 0; j < n; j++) gram = gram * base + tokens[i + j];
    } else {
      gram = tokens.slice(i, i + n).join(',');
    }
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

/** BLEU.compute_bleu with smooth_method='exp'. */
function computeBleu(correct: number[], total: number[], sysLen: number, refLen: number): CorpusBleu {
  let bp = 1.0;
  if (sysLen < refLen) bp = sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0.0;
  const precisions = new Array<number>(ORDER).fill(0.0);
  const result = (score: number): CorpusBleu => ({ score, counts: correct, totals: total, precisions, bp, sys_len: sysLen, ref_len: refLen });
  if (!correct.some((c) => c !== 0)) return result(0.0);

  let smooth = 1.0;
  for (let n = 1; n <= ORDER; n++) {
    if (total[n - 1] === 0) break;
    if (correct[n - 1] === 0) {
      smooth *= 2;
      precisions[n - 1] = 100.0 / (smooth * total[n - 1]);
    } else {
      precisions[n - 1] = (100.0 * correct[n - 1]) / total[n - 1];
    }
  }
  let sum = 0;
  for (const p of precisions) sum += p === 0.0 ? -9999999999 : Math.log(p);
  return result(bp * Math.exp(sum / ORDER));
}
