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
  for (let n = 1; n <= ORDER; n++) {
    const refCounts = ngramCounts(ref, n);
    for (const [gram, count] of ngramCounts(hyp, n)) {
      total[n - 1] += count;
      const r = refCounts.get(gram);
      if (r !== undefined) correct[n - 1] += Math.min(count, r);
    }
  }
  return { hypLen: hyp.length, refLen: ref.length, correct, total };
}

/** Tokens never hold whitespace, so a space-joined n-gram is unambiguous (sacrebleu joins them too). */
function ngramCounts(tokens: string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const gram = n === 1 ? tokens[i] : tokens.slice(i, i + n).join(' ');
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
