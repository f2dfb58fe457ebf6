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

  it('refuses a trailing comma after the last row, where the comma is, as JSON.parse does', async () => {
    expect(() => JSON.parse('[{"a":1},]')).toThrow(); // every other tool refuses the same file
    const oneLine = await read('[{"text":"a"},{"text":"b"},]');
    expect(oneLine.map((r) => r.value ?? null)).toEqual([{ text: 'a' }, { text: 'b' }, null]);
    expect(oneLine[2]!.error).toMatchObject({ line: 1, code: 'invalid_json' });
    expect(oneLine[2]!.error!.message).toMatch(/column 27: a trailing ","/);
    const pretty = await read('[\n  {"text": "a"},\n  {"text": "b"},\n]\n');
    expect(pretty.filter((r) => r.error).map((r) => [r.error!.line, /column (\d+)/.exec(r.error!.message)![1]])).toEqual([[3, '16']]);
    // the same with whitespace between, in pieces, and for scalar rows
    for (const chunkBytes of [3, 1 << 16]) {
      expect((await read('[ {"a":1} ,\n\n ]', chunkBytes)).filter((r) => r.error).map((r) => r.error!.line)).toEqual([1]);
      expect((await read('[1, 2,]', chunkBytes)).filter((r) => r.error)).toHaveLength(1);
    }
    // a doubled comma is one error, not two
    expect((await read('[{"a":1},,]')).filter((r) => r.error)).toHaveLength(1);
  });

  it('refuses every other deviation from JSON with its line and column', async () => {
    const cases: [string, number, number][] = [
      ['[\n  {"text": "a",}\n]', 2, 16], // trailing comma inside a row
      ['[\n  {"text": "a"}, // a comment\n  {"text": "b"}\n]', 2, 18],
      ['[\n  {"text": "a"} /* a comment */\n]', 2, 17],
      ["[\n  {'text': 'a'}\n]", 2, 4], // single quotes
      ['[\n  {"score": NaN}\n]', 2, 13],
      ['[\n  {"score": Infinity}\n]', 2, 13],
      ['[\n  {"n": 0x1F}\n]', 2, 10],
      ['[\n  {text: "a"}\n]', 2, 4], // unquoted key
    ];
    for (const [text, line, column] of cases) {
      const errors = (await read(text)).filter((r) => r.error);
      expect(errors.length, text).toBeGreaterThan(0);
      expect(errors[0]!.error, text).toMatchObject({ line, code: 'invalid_json' });
      expect(errors[0]!.error!.message, text).toContain(`column ${column}:`);
    }
  });

  it('refuses an element over the size limit without keeping it', async () => {
    const got = await read(`[{"text":"${'x'.repeat(5000)}"},{"text":"b"}]`, 256, 1000);
    expect(got[0]!.error!.code).toBe('line_too_long');
    expect(got[1]!.value).toEqual({ text: 'b' });
  });
});
