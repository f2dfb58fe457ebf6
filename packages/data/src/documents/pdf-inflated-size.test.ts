import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tinyPdf } from '../../../../test-support/tiny-pdf.ts';
import { pdfInflatesPast } from './pdf-inflated-size.ts';

const MB = 1 << 20;
const spaces = (n: number) => Buffer.alloc(n, 0x20);
const stream = (body: Buffer, eol = '\n') => Buffer.concat([Buffer.from(`1 0 obj\n<< /Length ${body.length} >>\nstream${eol}`), body, Buffer.from('\nendstream\nendobj\n')]);

describe('pdfInflatesPast', () => {
  it('sums what every zlib stream inflates to against the budget', async () => {
    const pdf = tinyPdf([{ lines: ['One.'], padding: 600_000 }, { lines: ['Two.'], padding: 600_000 }], { compress: true });
    expect(pdf.length).toBeLessThan(10_000);
    expect(await pdfInflatesPast(pdf, 2 * MB)).toBe('no');
    expect(await pdfInflatesPast(pdf, 1 * MB)).toBe('yes'); // neither stream alone is over, both are
    expect(await pdfInflatesPast(tinyPdf([{ lines: ['One.'], padding: 600_000 }]), 1000)).toBe('no'); // not compressed: pdf.js reads it as it is
  });

  it('follows zlib inside zlib, a body that holds "endstream", and any line end after "stream"', async () => {
    const nested = deflateSync(deflateSync(spaces(4 * MB)));
    expect(nested.length).toBeLessThan(1000);
    expect(await pdfInflatesPast(stream(nested), 1 * MB)).toBe('yes');
    // stored (uncompressed) blocks whose bytes say "endstream": counted to the end of the zlib data
    const tricky = deflateSync(Buffer.concat([Buffer.from('endstream'), spaces(2 * MB)]), { level: 0 });
    expect(tricky.includes('endstream')).toBe(true);
    expect(await pdfInflatesPast(stream(tricky), 1 * MB)).toBe('yes');
    for (const eol of ['\r\n', '\r', '  \n']) expect(await pdfInflatesPast(stream(deflateSync(spaces(2 * MB)), eol), 1 * MB), JSON.stringify(eol)).toBe('yes');
    expect(await pdfInflatesPast(stream(deflateSync(spaces(2 * MB))), 3 * MB)).toBe('no');
  });

  it('skips what is not zlib data, and stops at the deadline', async () => {
    expect(await pdfInflatesPast(stream(Buffer.from([0x78, 0x9c, 1, 2, 3, 4, 5])), 10)).toBe('no'); // a broken stream counts what it gave
    expect(await pdfInflatesPast(Buffer.from('streams of text\nstream\nxx'), 10)).toBe('no');
    expect(await pdfInflatesPast(stream(deflateSync(spaces(100))), 1 * MB, Date.now() - 1)).toBe('timeout');
  });
});
