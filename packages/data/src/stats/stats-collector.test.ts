import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { StatsCollector } from './stats-collector.ts';
import { countChars, newCharCounts } from './char-counts.ts';
import { countAbove, histogram, lengthCounts, percentile } from './length-summary.ts';
import { computeStats } from './compute-stats.ts';
import { ingestDataset } from '../ingest/ingest-dataset.ts';
import { loadTokenizer } from '../tokenize/load-tokenizer.ts';
import { ConversationTokenCounter } from '../tokenize/conversation-tokens.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { jsonl, tempDir } from '../testing/temp-dir.ts';
import type { SftRow } from '../types.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** A deterministic mixed Chinese/English chat set with planted duplicates. */
function rows(n: number): SftRow[] {
  const out: SftRow[] = [];
  for (let i = 0; i < n; i++) {
    const q = i % 3 === 0 ? `问题${i}：数据集有多大？` : `Question ${i}: how big is the data set?`;
    const a = i % 2 === 0 ? `答案 ${'很'.repeat(i % 17)}大 😀` : `The answer is ${'very '.repeat(i % 23)}big.`;
    out.push({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: a }] });
  }
  out.push(out[3]!, out[4]!); // exact repeats
  out.push({ messages: [{ role: 'user', content: out[5]!.messages[0]!.content.toUpperCase() + '!!' }, { role: 'assistant', content: out[5]!.messages[1]!.content }] });
  return out;
}

describe('statistics match a count done another way', () => {
  it('rows, turns, characters, words, duplicates', () => {
    const data = rows(200);
    const c = new StatsCollector();
    for (const r of data) c.add(r, JSON.stringify(r));
    const s = c.finish();

    const texts = data.flatMap((r) => r.messages.map((m) => m.content));
    const chars = texts.reduce((n, t) => n + [...t].length, 0);
    const chinese = texts.reduce((n, t) => n + (t.match(/\p{Script=Han}/gu)?.length ?? 0), 0);
    const words = texts.reduce((n, t) => n + (t.match(/[A-Za-z]+(?:'[A-Za-z]+)*/g)?.length ?? 0), 0);
    const exactDups = data.length - new Set(data.map((r) => JSON.stringify(r))).size;

    expect(s.rows).toBe(203);
    expect(s.turns).toEqual({ total: 406, mean: 2, max: 2 });
    expect(s.roles).toEqual({ user: 203, assistant: 203 });
    expect(s.characters.total).toBe(chars);
    expect(s.characters.chinese).toBe(chinese);
    expect(s.characters.other).toBe(chars - chinese);
    expect(s.english_words).toBe(words);
    expect(s.duplicates).toEqual({ exact: exactDups, normalized: exactDups + 1 });
    const perSample = data.map((r) => r.messages.reduce((n, m) => n + [...m.content].length, 0)).sort((a, b) => a - b);
    expect(s.characters.per_sample.max).toBe(perSample.at(-1));
    expect(s.characters.per_sample.p50).toBe(perSample[Math.ceil(0.5 * perSample.length) - 1]);
  });

  it('token counts per sample equal the tokenizer run on each rendered chat', () => {
    const dir = ensureTinyModel();
    const tok = loadTokenizer(dir);
    const data = rows(120);
    const c = new StatsCollector({ tokenizer: tok, counter: new ConversationTokenCounter(tok) });
    for (const r of data) c.add(r, JSON.stringify(r));
    const t = c.finish().tokens!;

    // the other way: render ChatML by hand, tokenize the whole string
    const lengths = data
      .map((r) => tok.count(r.messages.map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`).join('')))
      .sort((a, b) => a - b);
    const total = lengths.reduce((a, b) => a + b, 0);
    expect(Math.abs(t.total - total)).toBeLessThanOrEqual(data.length * 2);
    expect(Math.abs(t.per_sample.p95 - percentile(lengths, 95))).toBeLessThanOrEqual(2);
    expect(t.histogram.counts.reduce((a, b) => a + b, 0)).toBe(data.length);
    expect(t.length_counts.reduce((a, [, n]) => a + n, 0)).toBe(data.length);
    expect(t.per_chinese_char).toBeGreaterThan(0);
    expect(t.per_english_word).toBeGreaterThan(0);
    expect(t.includes_chat_template).toBe(true);
  });

  it('computeStats over a data.jsonl equals the stats of its ingest', async () => {
    const file = tmp.write('a.jsonl', jsonl(rows(50)));
    const res = await ingestDataset(file, join(tmp.dir, 'out'), { tokenizerPath: ensureTinyModel() });
    const again = await computeStats(res.data_path!, { tokenizerPath: ensureTinyModel() });
    expect(again).toEqual(res.stats);
  });
});

describe('length summaries', () => {
  it('percentiles, histogram, [length, count] pairs and counts above a limit', () => {
    const sorted = Uint32Array.from([1, 2, 3, 100, 200, 5000, 5000, 9000]);
    expect(percentile(sorted, 50)).toBe(100);
    expect(percentile(sorted, 100)).toBe(9000);
    const h = histogram(sorted);
    expect(h.counts.slice(0, 8)).toEqual([4, 1, 0, 0, 0, 0, 2, 1]);
    const { pairs, bucket } = lengthCounts(sorted);
    expect(bucket).toBe(1);
    expect(countAbove(pairs, 4096)).toBe(3);
    const many = Uint32Array.from({ length: 10_000 }, (_, i) => i).sort();
    const coarse = lengthCounts(many);
    expect(coarse.pairs.length).toBeLessThanOrEqual(2000);
    expect(coarse.bucket).toBeGreaterThan(1);
    expect(countAbove(coarse.pairs, 5000)).toBeGreaterThanOrEqual(4999); // never under-reported
  });

  it('counts characters by code point, Chinese apart', () => {
    const acc = newCharCounts();
    countChars("你好 world, it's 😀 𠀀", acc);
    expect(acc).toEqual({ chinese: 3, other: 15, englishWords: 2 });
  });
});
