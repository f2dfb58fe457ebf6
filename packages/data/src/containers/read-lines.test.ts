import { afterAll, describe, expect, it } from 'vitest';
import { firstInvalidByte, lineFromBytes, readLines, readRawLines, type LineItem } from './read-lines.ts';
import { tempDir } from '../testing/temp-dir.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

async function lines(content: string | Buffer, opts: { maxLineBytes?: number; chunkBytes?: number; keepBlank?: boolean } = {}): Promise<LineItem[]> {
  const p = tmp.write(`f-${Math.random()}.txt`, content);
  const out: LineItem[] = [];
  for await (const b of readLines(p, { maxLineBytes: opts.maxLineBytes ?? 1 << 20, chunkBytes: opts.chunkBytes, keepBlank: opts.keepBlank })) out.push(...b);
  return out;
}

/** The same file through readRawLines, each raw line decoded by lineFromBytes: what readLines gives. */
async function rawLines(content: string | Buffer, opts: { maxLineBytes?: number; chunkBytes?: number } = {}): Promise<LineItem[]> {
  const p = tmp.write(`f-${Math.random()}.txt`, content);
  const o = { maxLineBytes: opts.maxLineBytes ?? 1 << 20, chunkBytes: opts.chunkBytes };
  const out: LineItem[] = [];
  for await (const b of readRawLines(p, o)) {
    for (const item of b) {
      const l = item.bytes ? lineFromBytes(item, o) : item;
      if (l) out.push(l);
    }
  }
  return out;
}

describe('readLines', () => {
  it('can be left after the first batch while the next chunk is being read', async () => {
    const p = tmp.write('early.txt', 'line\n'.repeat(100_000));
    for (let round = 0; round < 20; round++) {
      for await (const batch of readRawLines(p, { maxLineBytes: 1000, chunkBytes: 1 << 16 })) {
        expect(batch[0]!.bytes!.toString()).toBe('line');
        break; // the reader closes its file with a read of the next chunk in flight
      }
    }
  });

  it('gives the same lines raw, decoded one by one (readRawLines)', async () => {
    const awkward = Buffer.concat([
      Buffer.from('\uFEFFa\r\n\r\n \t\r\nb 你好 😀\n'),
      Buffer.from([0x61, 0xc3, 0x28, 0x0d, 0x0a, 0xe4, 0xbd, 0x0a, 0xf0, 0x9f, 0x98, 0x80, 0x0d, 0x0d, 0x0a]),
      Buffer.from(`${'x'.repeat(1200)}\n\uFFFD real\r\n${'y'.repeat(900)}\nlast 你`),
    ]);
    for (const chunkBytes of [3, 5, 1000, 1 << 16]) {
      const want = await lines(awkward, { chunkBytes, maxLineBytes: 1000 });
      expect(await rawLines(awkward, { chunkBytes, maxLineBytes: 1000 })).toEqual(want);
    }
    expect((await lines(awkward, { maxLineBytes: 1000 })).map((l) => l.text ?? l.error!.code)).toEqual(['a', 'b 你好 😀', 'invalid_utf8', 'invalid_utf8', '😀\r', 'line_too_long', '\uFFFD real', 'y'.repeat(900), 'last 你']);
  });

  it('numbers lines as an editor does, through BOM, CRLF and blank lines', async () => {
    const got = await lines('\uFEFFa\r\n\r\nb\n   \nc');
    expect(got).toEqual([
      { line: 1, text: 'a' },
      { line: 3, text: 'b' },
      { line: 5, text: 'c' },
    ]);
  });

  it('keeps blank lines when asked', async () => {
    const got = await lines('a\n\nb\n', { keepBlank: true });
    expect(got.map((l) => l.text)).toEqual(['a', '', 'b']);
  });

  it('gives the same lines whatever the chunk size', async () => {
    const text = Array.from({ length: 200 }, (_, i) => `line ${i} 你好 😀`).join('\r\n');
    for (const chunkBytes of [1, 3, 7, 64, 1 << 16]) {
      const got = await lines(text, { chunkBytes });
      expect(got.length).toBe(200);
      expect(got[199]).toEqual({ line: 200, text: 'line 199 你好 😀' });
      expect(got.every((l, i) => l.line === i + 1 && l.text === `line ${i} 你好 😀`)).toBe(true);
    }
  });

  it('reports invalid UTF-8 with its line and byte, and reads the lines around it', async () => {
    const buf = Buffer.concat([Buffer.from('ok\nab'), Buffer.from([0xc3, 0x28]), Buffer.from('cd\n\uFFFD real replacement char\n')]);
    const got = await lines(buf);
    expect(got[0]).toEqual({ line: 1, text: 'ok' });
    expect(got[1]!.error).toMatchObject({ line: 2, code: 'invalid_utf8' });
    expect(got[1]!.error!.message).toContain('byte 3');
    expect(got[2]).toEqual({ line: 3, text: '\uFFFD real replacement char' });
  });

  it('skips a line over the limit without holding it, and goes on', async () => {
    const long = 'x'.repeat(5000);
    for (const chunkBytes of [100, 1 << 16]) {
      const got = await lines(`a\n${long}\nb\n${long}`, { maxLineBytes: 1000, chunkBytes });
      expect(got.map((l) => l.text ?? l.error!.code)).toEqual(['a', 'line_too_long', 'b', 'line_too_long']);
      expect(got[1]!.line).toBe(2);
      expect(got[3]!.line).toBe(4);
    }
  });

  it('finds the first invalid UTF-8 byte', () => {
    expect(firstInvalidByte(Buffer.from('héllo 你好 😀'))).toBe(-1);
    expect(firstInvalidByte(Buffer.from([0x61, 0xff]))).toBe(1);
    expect(firstInvalidByte(Buffer.from([0x61, 0xe4, 0xbd]))).toBe(1); // cut short
    expect(firstInvalidByte(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0); // surrogate
    expect(firstInvalidByte(Buffer.from([0xc0, 0x80]))).toBe(0); // overlong
  });
});
