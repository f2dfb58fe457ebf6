import type { NormalizeOptions } from './exact-match.ts';
import { loadJiebaModel } from './jieba/jieba-model.ts';
import { npMean } from './python/np-mean.ts';
import { corpusBleu } from './sacrebleu/corpus-bleu.ts';
import { scoreSample, type SampleScores } from './score-sample.ts';

export interface ScorePair {
  prediction: string;
  reference: string;
}

export interface ScorePairsOptions extends NormalizeOptions {
  /** Include `per_sample` (default true); large evaluations may leave it out. */
  perSample?: boolean;
}

/** Corpus scores, each 0 to 100. */
export interface EvalSummary {
  /** Mean of the per-sample BLEU-4 (LLaMA-Factory's predict_bleu-4). */
  'bleu-4': number;
  'rouge-1': number;
  'rouge-2': number;
  'rouge-l': number;
  /** sacrebleu corpus BLEU, 13a tokenizer. */
  'sacrebleu-13a': number;
  /** sacrebleu corpus BLEU, zh tokenizer. */
  'sacrebleu-zh': number;
  exact_match: number;
  count: number;
}

export interface EvalScores extends EvalSummary {
  per_sample: SampleScores[];
}

const MEAN_KEYS = ['bleu-4', 'rouge-1', 'rouge-2', 'rouge-l', 'exact_match'] as const;

/**
 * Scores generated answers against references: the per-sample metrics of `scoreSample`
 * averaged as LLaMA-Factory does (numpy's mean), and sacrebleu's corpus BLEU with the 13a and
 * zh tokenizers. An empty list scores 0 everywhere.
 */
export function scorePairs(pairs: readonly ScorePair[], opts: ScorePairsOptions = {}): EvalScores {
  const model = loadJiebaModel();
  const perSample = pairs.map((p) => scoreSample(p.prediction, p.reference, { ...opts, model }));
  const means = {} as Record<(typeof MEAN_KEYS)[number], number>;
  const column = new Float64Array(perSample.length);
  for (const key of MEAN_KEYS) {
    perSample.forEach((s, i) => (column[i] = s[key]));
    means[key] = npMean(column);
  }
  const hyps = pairs.map((p) => p.prediction);
  const refs = pairs.map((p) => p.reference);
  const empty = pairs.length === 0;
  return {
    'bleu-4': means['bleu-4'],
    'rouge-1': means['rouge-1'],
    'rouge-2': means['rouge-2'],
    'rouge-l': means['rouge-l'],
    'sacrebleu-13a': empty ? 0 : corpusBleu(hyps, refs, '13a').score,
    'sacrebleu-zh': empty ? 0 : corpusBleu(hyps, refs, 'zh').score,
    exact_match: means.exact_match,
    count: pairs.length,
    per_sample: opts.perSample === false ? [] : perSample,
  };
}

/** The seven corpus metrics, in the order the CLI prints them. */
export const METRIC_KEYS = ['bleu-4', 'rouge-1', 'rouge-2', 'rouge-l', 'sacrebleu-13a', 'sacrebleu-zh', 'exact_match'] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

/** The seven metrics alone (no `count`, no `per_sample`), in the order the CLI prints them. */
export function summarizeScores(scores: EvalSummary): Record<MetricKey, number> {
  const out = {} as Record<MetricKey, number>;
  for (const key of METRIC_KEYS) out[key] = scores[key];
  return out;
}
