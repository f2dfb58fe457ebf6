import { afterEach, describe, expect, it } from 'vitest';
import { tinyPdf } from '../../../../test-support/tiny-pdf.ts';
import { chunkDocument } from './chunk-document.ts';
import { pageText, readPdfText, type PdfTextItem } from './read-pdf-text.ts';

/** The WhetError a call rejects with, as its wire body. */
async function refusal(p: Promise<unknown>) {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, 'expected a refusal').not.toBeNull();
  return (e as { toJSON(): { code: string; message: string; hint: string; field?: string } }).toJSON();
}

describe('readPdfText', () => {
  const realFetch = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  it('gives the text layer in page and paragraph order, lines rebuilt, and fetches nothing', async () => {
    const fetched: string[] = [];
    globalThis.fetch = (async (url: unknown) => {
      fetched.push(String(url));
      throw new Error('no network in this test');
    }) as typeof fetch;
    const pdf = tinyPdf([
      { lines: ['Chapter 1 (setup)', 'Install the tool with care.', '', 'A second paragraph, café \\ done.'] },
      { lines: [['Kern', -20, 'ed', -300, 'words', -250, 'here'], 'Last line of page two.'] },
    ]);
    const r = await readPdfText(pdf, { name: 'guide.pdf' });
    expect(r.pages).toBe(2);
    expect(r.text).toBe(
      [
        'Chapter 1 (setup)',
        'Install the tool with care.',
        '',
        'A second paragraph, café \\ done.',
        '',
        'Kerned words here',
        'Last line of page two.',
        '',
      ].join('\n'),
    );
    expect(fetched).toEqual([]);
  });

  it('reads Chinese set in a standard CJK font, with the character maps from the installed package', async () => {
    const pdf = tinyPdf([{ cjk: true, lines: ['机器学习让模型从数据中学习。', '', '第二段：微调。'] }, { lines: ['Then English.'] }]);
    expect((await readPdfText(pdf)).text).toBe('机器学习让模型从数据中学习。\n\n第二段：微调。\n\nThen English.\n');
  });

  it('chunks a multi-page PDF by its paragraphs and pages', async () => {
    const para = (p: number, n: number) => [`Page ${p}, paragraph ${n}, line one.`, `Page ${p}, paragraph ${n}, line two.`];
    const pdf = tinyPdf([1, 2, 3].map((p) => ({ lines: [...para(p, 1), '', ...para(p, 2)] })));
    const { text } = await readPdfText(pdf);
    const chunks = chunkDocument(text, { maxSize: 140 });
    // each chunk holds two paragraphs (about 140 characters); every paragraph stays whole, in order
    expect(chunks.map((c) => c.text)).toEqual([
      [...para(1, 1), '', ...para(1, 2)].join('\n'),
      [...para(2, 1), '', ...para(2, 2)].join('\n'),
      [...para(3, 1), '', ...para(3, 2)].join('\n'),
    ]);
    const small = chunkDocument(text, { maxSize: 70 });
    expect(small.map((c) => c.text)).toEqual([1, 2, 3].flatMap((p) => [para(p, 1).join('\n'), para(p, 2).join('\n')]));
    expect(small.map((c) => [c.start_line, c.end_line])).toEqual([[1, 2], [4, 5], [7, 8], [10, 11], [13, 14], [16, 17]]);
  });

  it('reads compressed content streams, and refuses a decompression bomb before pdf.js inflates it', async () => {
    const pdf = tinyPdf([{ lines: ['Hello, compressed world.'], padding: 4 << 20 }], { compress: true });
    expect(pdf.length).toBeLessThan(20_000);
    expect((await readPdfText(pdf, { limits: { maxInflatedBytes: 8 << 20 } })).text).toBe('Hello, compressed world.\n');
    const e = await refusal(readPdfText(pdf, { name: 'bomb.pdf', limits: { maxInflatedBytes: 1 << 20 } }));
    expect(e).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: '"bomb.pdf" holds compressed streams that inflate to more than 1 MiB, the limit for one document.' });
    expect(e.hint).toMatch(/decompression bomb/);
  });

  it('refuses a file that is not a PDF', async () => {
    const e = await refusal(readPdfText(Buffer.from('Just some text, named .pdf by mistake.\n'), { name: 'notes.pdf' }));
    expect(e).toMatchObject({ code: 'DATASET_FORMAT_UNKNOWN', field: 'file' });
    expect(e.message).toBe('"notes.pdf" is not a PDF: it has no "%PDF-" header.');
    expect(e.hint).toMatch(/PDF, plain text \(\.txt\) or Markdown/);
  });

  it('refuses a damaged or cut-short PDF, naming the cause', async () => {
    const pdf = tinyPdf([{ lines: ['Hello there.'] }]);
    for (const bad of [pdf.subarray(0, 120), Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(600, 0x41)])]) {
      const e = await refusal(readPdfText(bad, { name: 'broken.pdf' }));
      expect(e).toMatchObject({ code: 'DOCUMENT_UNREADABLE', field: 'file' });
      expect(e.message).toMatch(/^"broken\.pdf" cannot be read as a PDF: Invalid PDF structure/);
      expect(e.hint).toMatch(/damaged or cut short/);
    }
  });

  it('refuses a password-protected PDF with a hint to remove the password', async () => {
    const locked = tinyPdf([{ lines: ['Top secret.'] }], { password: 'hunter2' });
    const e = await refusal(readPdfText(locked, { name: 'locked.pdf' }));
    expect(e).toMatchObject({ code: 'DOCUMENT_UNREADABLE', message: '"locked.pdf" is password-protected.' });
    expect(e.hint).toMatch(/Remove the password/);
    // the fixture is a real encrypted PDF: with its password pdf.js reads the text
    const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const task = getDocument({ data: new Uint8Array(locked), password: 'hunter2', verbosity: 0 });
    const page = await (await task.promise).getPage(1);
    expect((await page.getTextContent()).items.map((i) => ('str' in i ? i.str : ''))).toEqual(['Top secret.']);
    await task.destroy();
  });

  it('refuses a PDF without a text layer (scanned pages) with a hint to run OCR', async () => {
    const e = await refusal(readPdfText(tinyPdf([{ image: true }, { image: true }]), { name: 'scan.pdf' }));
    expect(e).toMatchObject({ code: 'DATASET_EMPTY', message: '"scan.pdf" has 2 pages but no text layer: it is probably scanned images.' });
    expect(e.hint).toMatch(/ocrmypdf/);
  });

  it('refuses past the page, text and time limits', async () => {
    const pdf = tinyPdf([{ lines: ['One.'] }, { lines: ['Two.'] }, { lines: ['Three is longer than the rest.'] }]);
    expect(await refusal(readPdfText(pdf, { limits: { maxPages: 2 } }))).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: 'The PDF has 3 pages, over the 2-page limit.' });
    expect(await refusal(readPdfText(pdf, { limits: { maxChars: 20 } }))).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: 'The PDF holds more than 20 characters of text (limit reached on page 3).' });
    expect(await refusal(readPdfText(pdf, { limits: { timeoutMs: 0 } }))).toMatchObject({ code: 'DOCUMENT_UNREADABLE', message: 'The PDF took longer than 0 s to read.' });
    expect((await readPdfText(pdf, { limits: { maxPages: 3, maxChars: 38 } })).text).toBe('One.\n\nTwo.\n\nThree is longer than the rest.\n');
  });
});

describe('pageText', () => {
  const item = (str: string, x: number, y: number, width: number, hasEOL = false, size = 10): PdfTextItem => ({ str, transform: [size, 0, 0, size, x, y], width, height: size, hasEOL });

  it('joins items on a baseline, spacing gaps, and breaks paragraphs at wide gaps and column jumps', () => {
    const items = [
      item('Left', 50, 700, 20),
      item('column', 75, 700, 30), // 5 units after "Left" ends: a space
      item('line two', 50, 688, 40),
      item('-', 90, 688, 5, true), // touching: no space
      item('line three', 50, 676, 45),
      item('after a gap', 50, 650, 50), // 26 below, the usual step being 12: a paragraph
      item('Right column', 300, 700, 60), // back up: a new block
    ];
    expect(pageText(items)).toBe('Left column\nline two-\nline three\n\nafter a gap\n\nRight column');
  });

  it('drops empty items and control characters, and gives empty text for an empty page', () => {
    expect(pageText([])).toBe('');
    expect(pageText([item('', 0, 0, 0, true), item(' ', 10, 10, 3)])).toBe('');
    expect(pageText([item('a\u0000b', 50, 700, 10, true), item('c', 50, 688, 5)])).toBe('ab\nc');
  });
});
