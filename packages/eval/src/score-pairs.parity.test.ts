import { beforeAll, describe, expect, it } from 'vitest';

import { scorePairs, type EvalScores } from './score-pairs.ts';
import { METRIC_KEYS } from './score-pairs.ts';
import { generatePairs, runReference, type ReferenceResult } from './testing/index.ts';
import type { ScorePair } from './score-pairs.ts';

// Parity with the Python reference libraries (nltk 3.10.4, jieba 0.42.1, rouge-chinese 1.0.3,
// sacrebleu 2.6.0 in the repo's .venv, which `npm test` installs): every metric of every sample
// and every corpus metric within 1e-4.
const TOLERANCE = 1e-4;

const HAND_PICKED: ScorePair[] = [
  { prediction: '', reference: '' },
  { prediction: '', reference: '北京欢迎你' },
  { prediction: 'The quick brown fox.', reference: '' },
  { prediction: '。。。', reference: '！？' },
  { prediction: '...', reference: '...' },
  { prediction: '，', reference: '我们今天学习机器学习。' },
  { prediction: ' \u3000\t', reference: '\n' },
  { prediction: '\u0085\u001c', reference: 'a' },
  { prediction: '我们今天学习机器学习。', reference: '我们今天学习机器学习。' },
  { prediction: '我们今天学习机器学习', reference: '我们今天学习深度学习。' },
  { prediction: '他来到了网易杭研大厦', reference: '小明硕士毕业于中国科学院计算所，后在日本京都大学深造' },
  { prediction: 'LoRA r=8 gives 85.5% accuracy!', reference: 'LoRA (r = 8) gives 85.5 % accuracy.' },
  { prediction: '正面', reference: '正面' },
  { prediction: 'Positive。', reference: 'positive' },
  { prediction: '模型在GPU上训练了3.5小时，loss从2.31降到0.87……然后呢？', reference: '模型在 GPU 上训练了 3.5 小时，loss 从 2.31 降到 0.87。' },
  { prediction: '&amp; &lt;tag&gt; &quot;x&quot;', reference: '& <tag> "x"' },
  { prediction: '😀🎉👍🏻', reference: '😀 🎉' },
  { prediction: '龘靐齉爩', reference: '龘靐' },
  { prediction: 'a'.repeat(300), reference: 'a'.repeat(299) + 'b' },
  { prediction: 'state-of-the-art self-hosted fine-tuning, e.g. U.S.A. x86-64', reference: 'state of the art, self hosted fine tuning' },
];

const hasHan = (s: string) => /\p{Script=Han}/u.test(s);
const hasLatin = (s: string) => /[A-Za-z]/.test(s);
const isPunctOnly = (s: string) => s.length > 0 && /^[\p{P}\p{S}]+$/u.test(s);

describe('metrics match the Python reference libraries', () => {
  const pairs = [...HAND_PICKED, ...generatePairs(600)];
  let ours: EvalScores;
  let ref: ReferenceResult;

  beforeAll(async () => {
    ours = scorePairs(pairs);
    ref = await runReference(pairs);
  });

  it('covers Chinese, English and mixed text, and empty and punctuation-only sides', () => {
    const count = (f: (p: ScorePair) => boolean) => pairs.filter(f).length;
    expect(pairs.length).toBeGreaterThanOrEqual(500);
    expect(count((p) => hasHan(p.reference) && !hasLatin(p.reference))).toBeGreaterThan(50);
    expect(count((p) => hasLatin(p.reference) && !hasHan(p.reference))).toBeGreaterThan(50);
    expect(count((p) => hasHan(p.reference) && hasLatin(p.reference))).toBeGreaterThan(50);
    expect(count((p) => p.prediction === '')).toBeGreaterThan(10);
    expect(count((p) => p.reference === '')).toBeGreaterThan(10);
    expect(count((p) => isPunctOnly(p.prediction) || isPunctOnly(p.reference))).toBeGreaterThan(10);
    expect(count((p) => p.prediction === p.reference && p.reference !== '')).toBeGreaterThan(20);
  });

  it('scores every sample as LLaMA-Factory does (bleu-4, rouge-1/2/l) and exact match as the reference', () => {
    expect(ref.count).toBe(pairs.length);
    expect(ours.per_sample).toHaveLength(pairs.length);
    const mismatches: string[] = [];
    pairs.forEach((pair, i) => {
      for (const key of ['bleu-4', 'rouge-1', 'rouge-2', 'rouge-l', 'exact_match'] as const) {
        const a = ours.per_sample[i][key];
        const b = ref.per_sample[i][key];
        if (!(Math.abs(a - b) <= TOLERANCE)) mismatches.push(`#${i} ${key}: ours ${a}, reference ${b} for ${JSON.stringify(pair)}`);
      }
    });
    expect(mismatches.slice(0, 10)).toEqual([]);
    // The samples are not degenerate: scores spread over the range.
    const bleus = ours.per_sample.map((s) => s['bleu-4']);
    expect(bleus.filter((b) => b === 0).length).toBeGreaterThan(10);
    expect(bleus.filter((b) => b > 0 && b < 100).length).toBeGreaterThan(200);
  });

  it('gives the same corpus metrics, sacrebleu 13a and zh included', () => {
    for (const key of METRIC_KEYS) {
      expect(Math.abs(ours[key] - ref.aggregate[key]), `${key}: ours ${ours[key]}, reference ${ref.aggregate[key]}`).toBeLessThanOrEqual(TOLERANCE);
      expect(ours[key]).toBeGreaterThan(0);
    }
  });

  it('agrees on small corpora too (corpus BLEU of one pair, of an all-empty corpus)', async () => {
    const small = [HAND_PICKED.slice(9, 10), HAND_PICKED.slice(0, 2), HAND_PICKED.slice(14, 17)];
    for (const corpus of small) {
      const r = await runReference(corpus);
      const o = scorePairs(corpus);
      for (const key of METRIC_KEYS) {
        expect(Math.abs(o[key] - r.aggregate[key]), `${key} on ${JSON.stringify(corpus)}`).toBeLessThanOrEqual(TOLERANCE);
      }
    }
  });
});
