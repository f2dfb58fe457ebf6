import { describe, expect, it } from 'vitest';
import { chunkDocument } from './chunk-document.ts';

describe('chunkDocument', () => {
  it('packs paragraphs up to the size and numbers the lines they came from', () => {
    const text = ['First paragraph.', '', 'Second paragraph.', '', '', 'Third one here.'].join('\r\n');
    const all = chunkDocument(text, { maxSize: 1000 });
    expect(all).toEqual([{ index: 0, text: 'First paragraph.\n\nSecond paragraph.\n\nThird one here.', headings: [], start_line: 1, end_line: 6 }]);
    const small = chunkDocument(text, { maxSize: 20 });
    expect(small.map((c) => [c.text, c.start_line, c.end_line])).toEqual([
      ['First paragraph.', 1, 1],
      ['Second paragraph.', 3, 3],
      ['Third one here.', 6, 6],
    ]);
  });

  it('keeps Markdown sections apart with their heading path, and code fences whole', () => {
    const md = [
      '# Guide',
      'Intro text.',
      '## Install',
      '',
      'Run the installer.',
      '```sh',
      '# not a heading',
      '',
      'make install',
      '```',
      '### Linux',
      'Use apt.',
      '## Use',
      'Start it.',
    ].join('\n');
    const chunks = chunkDocument(md, { markdown: true, maxSize: 500 });
    expect(chunks.map((c) => c.headings)).toEqual([['Guide'], ['Guide', 'Install'], ['Guide', 'Install', 'Linux'], ['Guide', 'Use']]);
    expect(chunks[1]!.text).toBe('## Install\nRun the installer.\n```sh\n# not a heading\n\nmake install\n```');
    expect(chunks[1]!.start_line).toBe(3);
    expect(chunks[1]!.end_line).toBe(10);
    expect(chunks[3]!.text).toBe('## Use\nStart it.');
  });

  it('cuts a long paragraph at sentence ends with overlap, never past the size', () => {
    const sentences = Array.from({ length: 40 }, (_, i) => `Sentence number ${i} says something.`);
    const chunks = chunkDocument(sentences.join(' '), { maxSize: 200, overlap: 40 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) expect(c.text.length).toBeLessThanOrEqual(200);
    // every sentence survives whole in some chunk, and consecutive chunks share text
    for (const s of sentences) expect(chunks.some((c) => c.text.includes(s))).toBe(true);
    for (let i = 1; i < chunks.length; i++) {
      const prevEnd = chunks[i - 1]!.text.slice(-15);
      expect(chunks[i]!.text.includes(prevEnd)).toBe(true);
    }
  });

  it('cuts text with no sentence ends (Chinese without punctuation, one long word) and always ends', () => {
    const zh = '机器学习'.repeat(300);
    const chunks = chunkDocument(zh, { maxSize: 100, overlap: 10 });
    for (const c of chunks) expect(c.text.length).toBeLessThanOrEqual(100);
    expect(chunks.map((c) => c.text).join('').length).toBeGreaterThanOrEqual(zh.length);
    // a measure that counts more than characters (e.g. tokens): sizes hold in that unit
    const bytes = (s: string) => Buffer.byteLength(s);
    for (const c of chunkDocument(zh, { maxSize: 90, overlap: 30, measure: bytes })) expect(bytes(c.text)).toBeLessThanOrEqual(90);
  });

  it('gives nothing for an empty or blank document', () => {
    expect(chunkDocument('')).toEqual([]);
    expect(chunkDocument('\n \n\t\n', { markdown: true })).toEqual([]);
  });
});
