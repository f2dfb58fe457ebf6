import { afterAll, describe, expect, it } from 'vitest';
import { readJsonArray } from './read-json-array.ts';
import type { RawRecord } from '../types.ts';
import { tempDir } from '../testing/temp-dir.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

async function read(text: string, chunkBytes?: number, maxLineBytes = 1 << 20): Promise<RawRecord[]> {
  const p = tmp.write(`a-${Math.random()}.json`, text);
  const out: RawRecord[] = [];
  for await (const b of readJsonArray(p, { maxLineBytes, chunkBytes })) out.push(...b);
  return out;
}

describe('readJsonArray', () => {
  it('streams pretty-printed elements with the line each starts on', async () => {
    const rows = [{ text: 'a, [b] {c}' }, { text: 'quote " and \\ backslash' }, { text: '多行\n文本 😀' }];
    const text = JSON.stringify(rows, null, 2);
    for (const chunkBytes of [5, 1 << 16]) {
      const got = await read(text, chunkBytes);
      expect(got.map((r) => r.value)).toEqual(rows);
      expect(got.map((r) => r.line)).toEqual([2, 5, 8]);
    }
  });

  it('reads a minified array far longer than one line may be, in pieces', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => ({ text: `第${i}行 😀 "q" \\ ${'x'.repeat(i % 50)}` }));
    const got = await read(JSON.stringify(rows), 97, 1000);
    expect(got.length).toBe(2000);
    expect(got.every((r, i) => r.line === 1 && JSON.stringify(r.value) === JSON.stringify(rows[i]))).toBe(true);
    const broken = JSON.stringify(rows.slice(0, 50)).replace('"第30行', '"第30行" oops "');
    const errs = (await read(broken, 97, 1000)).filter((r) => r.error);
    expect(errs).toHaveLength(1);
    expect(errs[0]!.error!.message).toMatch(/column \d+/);
    const col = Number(/column (\d+)/.exec(errs[0]!.error!.message)![1]);
    expect(broken.slice(col - 1, col + 3)).toBe('oops');
  });

  it('reads a one-line array and an empty one', async () => {
    expect((await read('[{"a":1},{"a":2}]')).map((r) => r.value)).toEqual([{ a: 1 }, { a: 2 }]);
    expect(await read('[ ]')).toEqual([]);
  });

  it('names the file line and column of a broken element, and keeps reading', async () => {
    const text = '[\n  {"text": "ok"},\n  {"text":\n     oops},\n  {"text": "after"}\n]';
    const got = await read(text);
    expect(got[0]!.value).toEqual({ text: 'ok' });
    expect(got[1]!.error).toMatchObject({ line: 4, code: 'invalid_json' });
    expect(got[1]!.error!.message).toContain('column 6');
    expect(got[2]!.value).toEqual({ text: 'after' });
  });

  it('reports a missing comma between rows, an unclosed array and trailing text', async () => {
    const got = await read('[{"a":1}\n{"a":2}]');
    expect(got[0]!.value).toEqual({ a: 1 });
    expect(got[1]!.error).toMatchObject({ line: 2, code: 'invalid_json' });
    expect(got[2]!.value).toEqual({ a: 2 });
    const unclosed = await read('[{"a":1},\n{"a":2}');
    expect(unclosed.at(-1)!.error!.message).toContain('not closed');
    const trailing = await read('[{"a":1}]\nextra');
    expect(trailing.at(-1)!.error).toMatchObject({ line: 2, code: 'invalid_json' });
  });

  it('refuses an element over the size limit without keeping it', async () => {
    const got = await read(`[{"text":"${'x'.repeat(5000)}"},{"text":"b"}]`, 256, 1000);
    expect(got[0]!.error!.code).toBe('line_too_long');
    expect(got[1]!.value).toEqual({ text: 'b' });
  });
});
