import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { autoValidation, splitDataset } from './split-dataset.ts';
import { jsonl, tempDir } from '../testing/temp-dir.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const read = (p: string) => readFileSync(p, 'utf8').trim().split('\n');
const chat = (q: string) => ({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: 'ok' }] });

describe('splitDataset', () => {
  const rows = Array.from({ length: 1000 }, (_, i) => chat(`q${i}`));
  const file = tmp.write('data.jsonl', jsonl(rows));

  it('holds out validation and test rows by ratio, in original order, every row once', async () => {
    const out = join(tmp.dir, 's1');
    const r = await splitDataset(file, { validationRatio: 0.1, testRatio: 0.05, seed: 1, outDir: out });
    expect(r).toMatchObject({ train: 850, validation: 100, test: 50, duplicates_removed: 0 });
    const all = [...read(r.paths.train), ...read(r.paths.validation!), ...read(r.paths.test!)];
    expect(new Set(all).size).toBe(1000);
    const idx = (l: string) => Number(/q(\d+)/.exec(l)![1]);
    const v = read(r.paths.validation!).map(idx);
    expect(v).toEqual([...v].sort((a, b) => a - b));
  });

  it('is the same for a seed and differs across seeds', async () => {
    const a = await splitDataset(file, { validationRatio: 0.1, seed: 5, outDir: join(tmp.dir, 'a') });
    const b = await splitDataset(file, { validationRatio: 0.1, seed: 5, outDir: join(tmp.dir, 'b') });
    const c = await splitDataset(file, { validationRatio: 0.1, seed: 6, outDir: join(tmp.dir, 'c') });
    expect(readFileSync(a.paths.validation!, 'utf8')).toBe(readFileSync(b.paths.validation!, 'utf8'));
    expect(readFileSync(a.paths.validation!, 'utf8')).not.toBe(readFileSync(c.paths.validation!, 'utf8'));
    expect(a.paths.test).toBeNull();
    expect(existsSync(join(tmp.dir, 'a', 'test.jsonl'))).toBe(false);
  });

  it('holds out 10% automatically, 4 to 1,000 rows, and none below 20 rows', async () => {
    expect(autoValidation(19)).toBe(0);
    expect(autoValidation(20)).toBe(4);
    expect(autoValidation(48)).toBe(5);
    expect(autoValidation(100)).toBe(10);
    expect(autoValidation(1_000_000)).toBe(1000);
    const r = await splitDataset(file, { seed: 1, outDir: join(tmp.dir, 'auto') });
    expect(r.validation).toBe(100);
  });

  it('removes exact or normalized duplicates first', async () => {
    const dupFile = tmp.write('dups.jsonl', jsonl([chat('Hello'), chat('Hello'), chat('hello!'), chat('other'), ...rows.slice(0, 40)]));
    const exact = await splitDataset(dupFile, { seed: 1, dedup: 'exact', outDir: join(tmp.dir, 'd1') });
    expect(exact.duplicates_removed).toBe(1);
    const norm = await splitDataset(dupFile, { seed: 1, dedup: 'normalized', outDir: join(tmp.dir, 'd2') });
    expect(norm.duplicates_removed).toBe(2);
    expect(norm.train + norm.validation).toBe(42);
  });

  it('refuses ratios that leave nothing to train on', async () => {
    await expect(splitDataset(file, { validationRatio: 0.6, seed: 1 })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });
});
