import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { readParquet } from './read-parquet.ts';
import { guardedCompressors } from './guarded-compressors.ts';
import type { RawRecord } from '../types.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const MB = 1 << 20;

async function read(name: string, maxDecompressedBytes = 256 * MB, maxRowGroupBytes = 128 * MB): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for await (const b of readParquet(fixture(name), { maxDecompressedBytes, maxRowGroupBytes })) out.push(...b);
  return out;
}

describe('readParquet', () => {
  it('reads nested chat rows across row groups (snappy), numbering rows from 1', async () => {
    const got = await read('chat.parquet');
    expect(got.map((r) => r.line)).toEqual([1, 2, 3]);
    expect(got[0]!.value).toEqual({ messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello! 😀' }], id: 1 });
    expect((got[1]!.value as { messages: unknown[] }).messages).toHaveLength(3);
  });

  it('reads zstd columns', async () => {
    const got = await read('alpaca.parquet');
    expect(got[1]!.value).toEqual({ instruction: 'Add', input: '1 + 1', output: '2' });
  });

  it('refuses a zip bomb before inflating it', async () => {
    const err = await read('bomb.parquet', 16 * MB, 8 * MB).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect((err as Error).message).toMatch(/64\.0 MB/);
  });

  it('stops a page that states more than the budget, whatever the metadata said', () => {
    const { compressors } = guardedCompressors(10 * MB, 4 * MB);
    expect(() => compressors.GZIP!(new Uint8Array(10), 5 * MB)).toThrow(/limit for one page/);
    const g = guardedCompressors(6 * MB, 4 * MB).compressors;
    expect(() => g.ZSTD!(new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0x20, 0x00, 0x01, 0x00, 0x00]), 0)).not.toThrow(/limit/);
    expect(() => {
      try {
        g.SNAPPY!(new Uint8Array([0]), 4 * MB);
      } catch (e) {
        if (/limit/.test(String(e))) throw e;
      }
      g.SNAPPY!(new Uint8Array([0]), 4 * MB);
    }).toThrow(/limit for one dataset/);
  });
});
