import { afterAll, describe, expect, it } from 'vitest';
import { readCsv } from './read-csv.ts';
import type { RawRecord } from '../types.ts';
import { tempDir } from '../testing/temp-dir.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

async function read(text: string): Promise<RawRecord[]> {
  const p = tmp.write(`c-${Math.random()}.csv`, text);
  const out: RawRecord[] = [];
  for await (const b of readCsv(p, { maxLineBytes: 1 << 20, chunkBytes: 7 })) out.push(...b);
  return out;
}

describe('readCsv', () => {
  it('reads RFC 4180 cells: quotes, doubled quotes, commas and newlines inside quotes, CRLF', async () => {
    const got = await read('\uFEFFinstruction,input,output\r\n"Say ""hi""",,"Hi, there"\r\n\r\n"multi\r\nline",x,"a\n\nb"\r\n');
    expect(got).toEqual([
      { line: 2, value: { instruction: 'Say "hi"', input: '', output: 'Hi, there' }, stringCells: true },
      { line: 4, value: { instruction: 'multi\nline', input: 'x', output: 'a\n\nb' }, stringCells: true },
    ]);
  });

  it('reads TSV when the header is tab-separated', async () => {
    const got = await read('prompt\tchosen\trejected\nq\tgood\tbad\n');
    expect(got[0]!.value).toEqual({ prompt: 'q', chosen: 'good', rejected: 'bad' });
  });

  it('reports a row with the wrong number of cells, an unclosed quote and text after a quote', async () => {
    const got = await read('a,b\n1,2\n1,2,3\n"x"y,2\n"open,2\n');
    expect(got[0]!.value).toEqual({ a: '1', b: '2' });
    expect(got[1]!.error).toMatchObject({ line: 3, code: 'invalid_csv' });
    expect(got[1]!.error!.message).toContain('3 cells but the header has 2');
    expect(got[2]!.error).toMatchObject({ line: 4, code: 'invalid_csv' });
    expect(got[3]!.error).toMatchObject({ line: 5, code: 'invalid_csv' });
  });
});
