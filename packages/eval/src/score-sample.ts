import { sentenceBleu } from './bleu/sentence-bleu.ts';
import { exactMatch, type NormalizeOptions } from './exact-match.ts';
import { jiebaCut } from './jieba/jieba-cut.ts';
import { loadJiebaModel, type JiebaModel } from './jieba/jieba-model.ts';
import { pyIsBlank } from './python/py-whitespace.ts';
import { pyRound } from './python/py-round.ts';
import { rougeChinese } from './rouge/rouge-chinese.ts';

/** One sample's scores, each 0 to 100 and rounded to 4 decimals as LLaMA-Factory stores them. */
export interface SampleScores {
  'bleu-4': number;
  'rouge-1': number;
  'rouge-2': number;
  'rouge-l': number;
  exact_match: number;
}

/**
 * LLaMA-Factory's compute_metrics for one (prediction, reference): ROUGE F-scores of
 * rouge_chinese over the jieba words joined by spaces (all three 0 when either side is only
 * whitespace), nltk sentence BLEU over the characters with method3 smoothing; each x100 and
 * rounded to 4 places. Exact match (100 or 0) compares the normalized texts.
 */
export function scoreSample(
  prediction: string,
  reference: string,
  opts: NormalizeOptions & { model?: JiebaModel } = {},
): SampleScores {
  const model = opts.model ?? loadJiebaModel();
  const hyp = jiebaCut(prediction, model).join(' ');
  const ref = jiebaCut(reference, model).join(' ');
  let r1 = 0;
  let r2 = 0;
  let rl = 0;
  if (!pyIsBlank(hyp) && !pyIsBlank(ref)) {
    const scores = rougeChinese(hyp, ref);
    r1 = scores['rouge-1'].f;
    r2 = scores['rouge-2'].f;
    rl = scores['rouge-l'].f;
  }
  const bleu = sentenceBleu(Array.from(reference), Array.from(prediction), 'method3');
  return {
    'bleu-4': pyRound(bleu * 100, 4),
    'rouge-1': pyRound(r1 * 100, 4),
    'rouge-2': pyRound(r2 * 100, 4),
    'rouge-l': pyRound(rl * 100, 4),
    exact_match: exactMatch(prediction, reference, opts) ? 100 : 0,
  };
}
