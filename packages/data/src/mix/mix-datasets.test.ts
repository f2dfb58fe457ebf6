import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mixDatasets } from './mix-datasets.ts';
import { jsonl, tempDir } from '../testing/temp-dir.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const data = (name: string, n: number) => tmp.write(name, jsonl(Array.from({ length: n }, (_, i) => ({ text: `${name}-${i}` }))));
const read = (p: string) => readFileSync(p, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { text: string }).text);

describe('mixDatasets', () => {
  const business = data('business', 1000);
  const general = data('general', 20_000);

  it('honours weights (business 1 : general 0.2), using all of the scarcer dataset', async () => {
    const out = join(tmp.dir, 'mix.jsonl');
    const r = await mixDatasets([{ path: business, weight: 1 }, { path: general, weight: 0.2 }], 42, out);
    const rows = read(out);
    expect(r.total).toBe(rows.length);
    const nBusiness = rows.filter((t) => t.startsWith('business')).length;
    const nGeneral = rows.length - nBusiness;
    expect(nBusiness).toBe(1000);
    expect(nGeneral / nBusiness).toBeCloseTo(0.2, 2);
    expect(new Set(rows).size).toBe(rows.length); // nothing repeated
    expect(r.entries.map((e) => [e.taken, e.available, e.repeated])).toEqual([
      [1000, 1000, false],
      [200, 20_000, false],
    ]);
    expect(r.entries[0]!.share + r.entries[1]!.share).toBeCloseTo(1, 3);
  });

  it('shuffles: the order mixes both sources throughout, and a seed gives the same file', async () => {
    const a = join(tmp.dir, 'a.jsonl');
    const b = join(tmp.dir, 'b.jsonl');
    const c = join(tmp.dir, 'c.jsonl');
    await mixDatasets([{ path: business }, { path: general, weight: 0.5 }], 1, a);
    await mixDatasets([{ path: business }, { path: general, weight: 0.5 }], 1, b);
    await mixDatasets([{ path: business }, { path: general, weight: 0.5 }], 2, c);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    expect(readFileSync(a, 'utf8')).not.toBe(readFileSync(c, 'utf8'));
    // the general share in each quarter of the file stays within sampling error of 1/3
    const rows = read(a);
    const q = Math.floor(rows.length / 4);
    for (let k = 0; k < 4; k++) {
      const share = rows.slice(k * q, (k + 1) * q).filter((t) => t.startsWith('general')).length / q;
      expect(Math.abs(share - 1 / 3)).toBeLessThan(4 * Math.sqrt((1 / 3) * (2 / 3) / q));
    }
  });

  it('takes exact sample counts, repeating a small dataset when asked for more', async () => {
    const out = join(tmp.dir, 's.jsonl');
    const small = data('small', 10);
    const r = await mixDatasets([{ path: small, samples: 25 }, { path: business, samples: 100 }], 3, out);
    const rows = read(out);
    expect(rows.filter((t) => t.startsWith('small')).length).toBe(25);
    expect(rows.filter((t) => t.startsWith('business')).length).toBe(100);
    expect(r.entries[0]).toMatchObject({ taken: 25, available: 10, repeated: true });
    const counts = new Map<string, number>();
    for (const t of rows.filter((t) => t.startsWith('small'))) counts.set(t, (counts.get(t) ?? 0) + 1);
    expect([...counts.values()].every((c) => c === 2 || c === 3)).toBe(true);
  });

  it('refuses bad weights', async () => {
    await expect(mixDatasets([{ path: business, weight: 0 }], 1, join(tmp.dir, 'x.jsonl'))).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await expect(mixDatasets([], 1, join(tmp.dir, 'x.jsonl'))).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });
});
