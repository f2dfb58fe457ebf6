import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitDataset } from './split-dataset.ts';
import { jsonl, tempDir } from '../testing/temp-dir.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const answers = (p: string | null) => (p ? readFileSync(p, 'utf8').trim().split('\n').map((l) => JSON.parse(l).messages.at(-1).content as string) : []);
const tally = (xs: string[]) => xs.reduce<Record<string, number>>((m, x) => ((m[x] = (m[x] ?? 0) + 1), m), {});
/** Rows of a sentiment set, labels interleaved in a fixed pseudo-random order. */
function sentiment(counts: Record<string, number>): string {
  const labels = Object.entries(counts).flatMap(([l, n]) => Array.from({ length: n }, () => l));
  const rows = labels.map((l, i) => ({ i, l, k: (i * 7919) % labels.length })).sort((a, b) => a.k - b.k);
  return jsonl(rows.map(({ i, l }) => ({ messages: [{ role: 'user', content: `review ${i}` }, { role: 'assistant', content: l }] })));
}

describe('splitDataset on a labelling set', () => {
  const counts = { positive: 700, negative: 230, neutral: 50, mixed: 17, spam: 3 };
  const file = tmp.write('sentiment.jsonl', sentiment(counts));

  it("keeps each label's share in validation and test, within one row", async () => {
    const r = await splitDataset(file, { validationRatio: 0.1, testRatio: 0.2, seed: 3, outDir: join(tmp.dir, 's') });
    expect(r).toMatchObject({ stratified_by: 'label', train: 700, validation: 100, test: 200 });
    const v = tally(answers(r.paths.validation));
    const t = tally(answers(r.paths.test));
    for (const [label, n] of Object.entries(counts)) {
      expect(Math.abs((v[label] ?? 0) - n * 0.1), `validation ${label}`).toBeLessThanOrEqual(1);
      expect(Math.abs((t[label] ?? 0) - n * 0.2), `test ${label}`).toBeLessThanOrEqual(1);
    }
    // the training label set is what the job records
    expect(r.label_set!.labels.map((l) => [l.label, l.count])).toEqual(Object.entries(tally(answers(r.paths.train))).sort((a, b) => b[1] - a[1]));
    expect(r.label_set).toMatchObject({ covered_share: 1, other_rows: 0 });
  });

  it('is the same for a seed and differs across seeds', async () => {
    const a = await splitDataset(file, { validationRatio: 0.1, seed: 9, outDir: join(tmp.dir, 'a') });
    const b = await splitDataset(file, { validationRatio: 0.1, seed: 9, outDir: join(tmp.dir, 'b') });
    const c = await splitDataset(file, { validationRatio: 0.1, seed: 10, outDir: join(tmp.dir, 'c') });
    expect(readFileSync(a.paths.validation!, 'utf8')).toBe(readFileSync(b.paths.validation!, 'utf8'));
    expect(readFileSync(a.paths.validation!, 'utf8')).not.toBe(readFileSync(c.paths.validation!, 'utf8'));
    expect(tally(answers(a.paths.validation))).toEqual(tally(answers(c.paths.validation)));
  });

  it('keeps the rows of tiny labels in train first', async () => {
    const tiny = tmp.write('tiny.jsonl', sentiment({ yes: 40, no: 20, maybe: 2, never: 1 }));
    for (const seed of [1, 2, 3, 4, 5]) {
      const r = await splitDataset(tiny, { validationRatio: 0.2, testRatio: 0.2, seed, outDir: join(tmp.dir, `t${seed}`) });
      const train = tally(answers(r.paths.train));
      expect(train.never).toBe(1);
      expect(train.maybe).toBeGreaterThanOrEqual(1);
      expect(r.validation + r.test).toBeGreaterThanOrEqual(24); // 12.6 + 12.6 asked: a tiny label may give one back
    }
  });

  it('draws at random when asked not to stratify, or when the rows are not labels', async () => {
    const plain = await splitDataset(file, { validationRatio: 0.1, seed: 3, stratify: false, outDir: join(tmp.dir, 'p') });
    expect(plain).toMatchObject({ stratified_by: null, label_set: null, validation: 100 });
    const free = tmp.write('free.jsonl', jsonl(Array.from({ length: 100 }, (_, i) => ({ messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: `answer ${i}` }] }))));
    expect(await splitDataset(free, { validationRatio: 0.1, seed: 3, outDir: join(tmp.dir, 'f') })).toMatchObject({ stratified_by: null, label_set: null });
  });
});
