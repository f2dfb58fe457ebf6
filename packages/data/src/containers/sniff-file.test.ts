import { afterAll, describe, expect, it } from 'vitest';
import { sniffFile } from './sniff-file.ts';
import { tempDir } from '../testing/temp-dir.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('sniffFile', () => {
  it.each([
    ['a.jsonl', '{"a":1}\n', 'jsonl'],
    ['a.json', '\uFEFF  [\n{"a":1}]', 'json'],
    ['a.json', '{"a":1}\n{"a":2}\n', 'jsonl'],
    ['upload.bin', '{"a":1}\n', 'jsonl'],
    ['a.csv', 'instruction,output\nx,y\n', 'csv'],
    ['upload', 'instruction,input,output\nx,,y\n', 'csv'],
    ['notes.txt', 'Some text, with a comma.\n', 'text'],
    ['README.md', '# Title\n\ntext\n', 'text'],
    ['upload', 'Plain prose that is not a header at all, really.\n', 'text'],
  ])('%s holding %j is %s', async (name, content, container) => {
    expect((await sniffFile(tmp.write(name, content), name)).container).toBe(container);
  });

  it('knows Parquet by its signature', async () => {
    const p = tmp.write('x', Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(10, 1), Buffer.from('PAR1')]));
    expect((await sniffFile(p)).container).toBe('parquet');
  });

  it.each([
    ['empty', '', 'DATASET_EMPTY', 'empty'],
    ['spaces.jsonl', '  \n\n ', 'DATASET_EMPTY', 'whitespace'],
    ['x.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 'DATASET_FORMAT_UNKNOWN', 'ZIP'],
    ['x.jsonl.gz', Buffer.from([0x1f, 0x8b, 8, 0]), 'DATASET_FORMAT_UNKNOWN', 'gzip'],
    ['x.jsonl', Buffer.from([0xff, 0xfe, 0x7b, 0x00]), 'DATASET_FORMAT_UNKNOWN', 'UTF-16'],
    ['x.bin', Buffer.from([0x7b, 0x00, 0x01, 0x02]), 'DATASET_FORMAT_UNKNOWN', 'binary'],
    ['x.parquet', '{"a":1}', 'DATASET_FORMAT_UNKNOWN', 'PAR1'],
    ['x.json', '{\n  "data": []\n}', 'DATASET_FORMAT_UNKNOWN', 'one JSON object'],
  ])('refuses %s', async (name, content, code, words) => {
    const err = await sniffFile(tmp.write(name, content), name).catch((e: unknown) => e);
    expect(err).toMatchObject({ code });
    expect((err as Error).message).toContain(words);
  });
});
