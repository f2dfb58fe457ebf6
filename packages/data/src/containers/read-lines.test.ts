import { afterAll, describe, expect, it } from 'vitest';
import { firstInvalidByte, readLines, type LineItem } from './read-lines.ts';
import { tempDir } from '../testing/temp-dir.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

async function lines(content: string | Buffer, opts: { maxLineBytes?: number; chunkBytes?: number; keepBlank?: boolean } = {}): Promise<LineItem[]> {
  const p = tmp.write(`f-${Math.random()}.txt`, content);
  const out: LineItem[] = [];
  for await (const b of readLines(p, { maxLineBytes: opts.maxLineBytes ?? 1 << 20, chunkBytes: opts.chunkBytes, keepBlank: opts.keepBlank })) out.push(...b);
  return out;
}

describe('readLines', () => {
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
