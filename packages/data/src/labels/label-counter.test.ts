import { describe, expect, it } from 'vitest';
import type { NormalizedRow } from '../types.ts';
import { detectLabelSet, LabelCounter, MAX_LABEL_CHARS } from './label-counter.ts';

const chat = (answer: string, q = 'Review: fine'): NormalizedRow => ({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: answer }] });
/** `counts` rows of each answer, interleaved. */
const rows = (counts: Record<string, number>): NormalizedRow[] => Object.entries(counts).flatMap(([a, n]) => Array.from({ length: n }, (_, i) => chat(a, `q${i}`)));

describe('detectLabelSet', () => {
  it('finds a sentiment set: labels by count with their shares', () => {
    const set = detectLabelSet(rows({ positive: 60, negative: 30, neutral: 10 }));
    expect(set).toEqual({
      labels: [
        { label: 'positive', count: 60, share: 0.6 },
        { label: 'negative', count: 30, share: 0.3 },
        { label: 'neutral', count: 10, share: 0.1 },
      ],
      covered_share: 1,
      other_rows: 0,
    });
  });

  it('compares answers after trimming and keeps the most frequent spelling', () => {
    const set = detectLabelSet([...rows({ ' yes': 2, 'yes\n': 5, yes: 3, no: 4 })]);
    expect(set!.labels).toEqual([
      { label: 'yes\n', count: 10, share: 0.7143 },
      { label: 'no', count: 4, share: 0.2857 },
    ]);
  });

  it('takes 50 labels and leaves stray answers out, but refuses a 51st label', () => {
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`label ${i}`, 4]));
    expect(detectLabelSet(rows(fifty))!.labels).toHaveLength(50);
    const typos = detectLabelSet(rows({ ...fifty, 'label 0.': 1, 'lable 1': 1 }));
    expect(typos).toMatchObject({ other_rows: 2, covered_share: 0.9901 });
    expect(typos!.labels).toHaveLength(50);
    expect(detectLabelSet(rows({ ...fifty, 'label 50': 4 }))).toBeNull();
  });

  it('needs 95% of rows covered: 95% is a label set, 94% is not', () => {
    const long = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`a free-text answer, number ${i}, far longer than any label would ever be`, 1]));
    expect(detectLabelSet(rows({ a: 50, b: 45, ...long(5) }))).toMatchObject({ covered_share: 0.95, other_rows: 5 });
    expect(detectLabelSet(rows({ a: 50, b: 44, ...long(6) }))).toBeNull();
  });

  it('refuses long answers, preference pairs, raw text and a single answer', () => {
    const long = 'x'.repeat(MAX_LABEL_CHARS + 1);
    expect(detectLabelSet(rows({ [long]: 10, [`${long}y`]: 10 }))).toBeNull();
    expect(detectLabelSet(rows({ only: 30 }))).toBeNull();
    // distinct short answers that hardly repeat are free text, not labels
    expect(detectLabelSet(rows(Object.fromEntries(Array.from({ length: 35 }, (_, i) => [`answer ${i}`, i < 5 ? 2 : 1]))))).toBeNull();
    const pref: NormalizedRow = { messages: [{ role: 'user', content: 'q' }], chosen: { role: 'assistant', content: 'a' }, rejected: { role: 'assistant', content: 'b' } };
    expect(detectLabelSet([...rows({ a: 10, b: 10 }), pref])).toBeNull();
    expect(detectLabelSet([{ text: 'a' }, { text: 'b' }, { text: 'a' }])).toBeNull();
    expect(detectLabelSet([])).toBeNull();
  });

  it('reads the last assistant turn of a multi-turn chat', () => {
    const multi = (a: string): NormalizedRow => ({
      messages: [
        { role: 'system', content: 'Classify the intent.' },
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'A long opening reply that is certainly not a label at all, being this wordy.' },
        { role: 'user', content: 'cancel my order' },
        { role: 'assistant', content: a },
      ],
    });
    const set = detectLabelSet(['cancel_order', 'track_order', 'cancel_order', 'refund', 'track_order', 'cancel_order'].flatMap((a) => [multi(a), multi(a)]));
    expect(set!.labels.map((l) => [l.label, l.count])).toEqual([
      ['cancel_order', 6],
      ['track_order', 4],
      ['refund', 2],
    ]);
  });

  it('maps each answer id to its label for splitting', () => {
    const c = new LabelCounter();
    const ids = rows({ b: 3, a: 5 }).map((r) => c.add(r));
    const found = c.detect()!;
    expect(found.set.labels.map((l) => l.label)).toEqual(['a', 'b']);
    expect([...new Set(ids.map((id) => found.labelOfAnswer[id]))]).toEqual([1, 0]);
  });
});
