import { describe, expect, it } from 'vitest';
import { adviseDataset, roundUp } from './advise-dataset.ts';
import type { DatasetStats } from '../stats/dataset-stats.ts';
import { histogram, lengthCounts, summarize } from '../stats/length-summary.ts';

function stats(lengths: number[], extra: Partial<DatasetStats> = {}): DatasetStats {
  const sorted = Uint32Array.from(lengths).sort();
  const sum = lengths.reduce((a, b) => a + b, 0);
  const lc = lengthCounts(sorted);
  return {
    rows: lengths.length,
    turns: { total: lengths.length * 2, mean: 2, max: 2 },
    roles: {},
    characters: { total: sum * 2, chinese: 0, other: sum * 2, per_sample: summarize(sorted, sum * 2) },
    english_words: 0,
    duplicates: { exact: 0, normalized: 0 },
    tokens: {
      tokenizer: 't',
      includes_chat_template: true,
      total: sum,
      per_sample: summarize(sorted, sum),
      histogram: histogram(sorted),
      length_counts: lc.pairs,
      length_bucket: lc.bucket,
      per_chinese_char: null,
      per_english_word: null,
    },
    label_set: null,
    ...extra,
  };
}
const codes = (a: ReturnType<typeof adviseDataset>) => a.map((x) => x.code);

describe('adviseDataset', () => {
  it('warns about too few samples and notes the ~1,000 rule of thumb', () => {
    expect(codes(adviseDataset(stats(Array(50).fill(100))))).toContain('too_few_samples');
    const mid = adviseDataset(stats(Array(300).fill(100)));
    expect(codes(mid)).toContain('below_suggested_size');
    expect(mid.find((a) => a.code === 'below_suggested_size')!.message).toContain('1,000');
    expect(codes(adviseDataset(stats(Array(1000).fill(100))))).not.toContain('below_suggested_size');
    expect(codes(adviseDataset(stats(Array(300).fill(100)), { modelParams: 70e9 }))).not.toContain('below_suggested_size');
  });

  it('gives the context that covers 95% and warns when over 20% exceed 4k', () => {
    const lengths = [...Array(70).fill(1000), ...Array(30).fill(6000)];
    const a = adviseDataset(stats(lengths), { contextLength: 4096 });
    const p95 = a.find((x) => x.code === 'context_p95')!;
    expect(p95.message).toContain('6,000');
    expect(p95.message).toContain(`${roundUp(6000).toLocaleString('en-US')}`);
    const long = a.find((x) => x.code === 'long_samples')!;
    expect(long.level).toBe('warning');
    expect(long.message).toContain('30 samples (30%)');
    expect(codes(a)).toContain('context_too_short');
    expect(codes(adviseDataset(stats([...Array(90).fill(1000), ...Array(10).fill(6000)])))).not.toContain('long_samples');
  });

  it('counts the samples a max_seq_len would cut', () => {
    const lengths = Array.from({ length: 200 }, (_, i) => 10 * (i + 1)); // 10..2000
    const a = adviseDataset(stats(lengths), { maxSeqLen: 1024 });
    const t = a.find((x) => x.code === 'truncation')!;
    expect(t.message).toContain('98 of 200 samples (49%)');
    expect(t.message).toContain('max_seq_len 1,024');
    expect(codes(adviseDataset(stats(lengths), { maxSeqLen: 2048 }))).toContain('no_truncation');
  });

  it('reports duplicates and works without token statistics', () => {
    const s = stats(Array(200).fill(50), { duplicates: { exact: 3, normalized: 5 }, tokens: null });
    const a = adviseDataset(s, { maxSeqLen: 512 });
    expect(a.find((x) => x.code === 'duplicates')!.message).toContain('3 samples (1.5%)');
    expect(codes(a)).toContain('no_token_stats');
  });

  it('warns when labels are skewed: a rare label, or the most frequent more than 3x the least', () => {
    const set = (counts: Record<string, number>) => {
      const rows = Object.values(counts).reduce((a, b) => a + b, 0);
      return { labels: Object.entries(counts).map(([label, count]) => ({ label, count, share: count / rows })), covered_share: 1, other_rows: 0 };
    };
    const skew = (counts: Record<string, number>) => adviseDataset(stats(Array(100).fill(50), { label_set: set(counts) })).find((a) => a.code === 'label_skew');
    const rare = skew({ positive: 60, negative: 37, neutral: 3 })!;
    expect(rare).toMatchObject({ level: 'warning', words: { rarest: 'neutral', most: 'positive' }, numbers: { rarest_count: 3, rarest_pct: 3, most_count: 60, ratio: 20, rare_labels: 1 } });
    expect(rare.message).toMatch(/Label 'neutral' has 3% of rows.*never predict it; add examples or weight the mix/);
    expect(skew({ yes: 70, no: 30 })).toBeUndefined();
    expect(skew({ yes: 76, no: 24 })).toMatchObject({ numbers: { ratio: 3.2, rare_labels: 0 } });
    expect(adviseDataset(stats(Array(100).fill(50))).map((a) => a.code)).not.toContain('label_skew');
  });
});
