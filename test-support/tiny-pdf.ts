import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';

/**
 * A tiny PDF writer for tests, so no binary fixture comes from elsewhere: a catalog, a page tree,
 * Helvetica (a standard Type1 font, WinAnsi encoding, nothing embedded), and one content stream
 * per page drawing its lines top to bottom; an xref table with the real byte offsets. Optionally
 * an image instead of text (a "scanned" page) and the standard security handler (RC4, 40-bit,
 * revision 2) with a user password, so pdf.js asks for it.
 */
export interface TinyPdfPage {
  /**
   * Lines from the top, 14 pt apart at 12 pt type; `''` leaves an empty line (a paragraph gap).
   * A string is drawn with Tj; an array with TJ, its numbers being kerning in thousandths of an
   * em (about -250 reads as a space).
   */
  lines?: (string | (string | number)[])[];
  /** Draw a small grey image and no text, like a scanned page without OCR. */
  image?: boolean;
  /**
   * Draw the lines (strings only) in STSong-Light, a standard Chinese font (nothing embedded),
   * through the predefined CMap UniGB-UCS2-H: readers need Adobe's character maps to get the text.
   */
  cjk?: boolean;
  /** Spaces appended to the content stream: with `compress`, a decompression bomb. */
  padding?: number;
}

export interface TinyPdfOptions {
  /** Encrypt with this user password (and the same owner password unless given). */
  password?: string;
  ownerPassword?: string;
  /** Compress the content streams (/FlateDecode), as most PDFs do. */
  compress?: boolean;
}

export function tinyPdf(pages: TinyPdfPage[], opts: TinyPdfOptions = {}): Buffer {
  const id = createHash('md5').update(JSON.stringify(pages)).digest();
  const crypt = opts.password === undefined ? null : securityHandler(opts.password, opts.ownerPassword ?? opts.password, id);
  // object numbers: 1 catalog, 2 pages, 3 font, then per page: page, content, [image]; last: encrypt
  const objects: (string | { dict: string; data: Buffer })[] = [];
  const add = (o: string | { dict: string; data: Buffer }) => objects.push(o);
  add('<< /Type /Catalog /Pages 2 0 R >>');
  add(''); // pages, filled below
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const cjk = pages.some((p) => p.cjk) ? objects.length + 1 : 0;
  if (cjk) {
    add(`<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [${cjk + 1} 0 R] >>`);
    add(`<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor ${cjk + 2} 0 R >>`);
    add('<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>');
  }
  const kids: number[] = [];
  for (const page of pages) {
    const pageNum = objects.length + 1;
    kids.push(pageNum);
    const contentNum = pageNum + 1;
    const imageNum = page.image ? pageNum + 2 : 0;
    const resources = page.image ? `<< /XObject << /Im1 ${imageNum} 0 R >> >>` : `<< /Font << /F1 ${page.cjk ? cjk : 3} 0 R >> >>`;
    add(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources ${resources} /Contents ${contentNum} 0 R >>`);
    const content = Buffer.concat([
      Buffer.from(page.image ? 'q 200 0 0 200 72 500 cm /Im1 Do Q\n' : textStream(page.lines ?? [], page.cjk ?? false), 'latin1'),
      Buffer.alloc(page.padding ?? 0, 0x20),
    ]);
    add(opts.compress ? { dict: '/Filter /FlateDecode', data: deflateSync(content, { level: 9 }) } : { dict: '', data: content });
    if (page.image) add({ dict: '/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8', data: Buffer.from([0x20, 0xe0, 0xe0, 0x20]) });
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  let encryptNum = 0;
  if (crypt) {
    add(`<< /Filter /Standard /V 1 /R 2 /Length 40 /O <${crypt.o.toString('hex')}> /U <${crypt.u.toString('hex')}> /P ${crypt.p} >>`);
    encryptNum = objects.length;
  }

  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let size = parts[0]!.length;
  const push = (b: Buffer) => {
    parts.push(b);
    size += b.length;
  };
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    const num = i + 1;
    offsets.push(size);
    if (typeof o === 'string') {
      push(Buffer.from(`${num} 0 obj\n${o}\nendobj\n`, 'latin1'));
      return;
    }
    const data = crypt && num !== encryptNum ? rc4(crypt.objectKey(num, 0), o.data) : o.data;
    push(Buffer.from(`${num} 0 obj\n<< ${o.dict} /Length ${data.length} >>\nstream\n`, 'latin1'));
    push(data);
    push(Buffer.from('\nendstream\nendobj\n', 'latin1'));
  });
  const xref = size;
  const rows = offsets.map((off) => `${String(off).padStart(10, '0')} 00000 n \n`).join('');
  const encrypt = crypt ? ` /Encrypt ${encryptNum} 0 R` : '';
  const hexId = id.toString('hex');
  push(Buffer.from(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${rows}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${encrypt} /ID [<${hexId}> <${hexId}>] >>\nstartxref\n${xref}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}

function textStream(lines: NonNullable<TinyPdfPage['lines']>, cjk: boolean): string {
  const ops = ['BT', '/F1 12 Tf', '14 TL', '72 720 Td'];
  for (const line of lines) {
    if (typeof line === 'string') {
      if (line !== '') ops.push(`${cjk ? utf16Hex(line) : pdfString(line)} Tj`);
    } else {
      ops.push(`[${line.map((p) => (typeof p === 'number' ? String(p) : pdfString(p))).join(' ')}] TJ`);
    }
    ops.push('T*');
  }
  ops.push('ET');
  return ops.join('\n') + '\n';
}

/** A literal string in WinAnsi (Latin-1 covers what tests need), with ( ) \ escaped. */
function pdfString(s: string): string {
  return `(${s.replace(/[\\()]/g, (c) => `\\${c}`)})`;
}

/** A hex string of UTF-16BE code units, what UniGB-UCS2-H reads. */
function utf16Hex(s: string): string {
  return `<${Buffer.from(s, 'utf16le').swap16().toString('hex')}>`;
}

// The standard security handler, revision 2 (PDF 1.7, 7.6.3): 40-bit RC4 keyed from MD5.
const PAD = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');

function securityHandler(user: string, owner: string, id: Buffer) {
  const padded = (pw: string) => Buffer.concat([Buffer.from(pw, 'latin1'), PAD]).subarray(0, 32);
  const md5 = (...b: Buffer[]) => createHash('md5').update(Buffer.concat(b)).digest();
  const o = rc4(md5(padded(owner)).subarray(0, 5), padded(user));
  const p = -4; // every permission
  const pBytes = Buffer.alloc(4);
  pBytes.writeInt32LE(p);
  const key = md5(padded(user), o, pBytes, id).subarray(0, 5);
  const u = rc4(key, PAD);
  const objectKey = (num: number, gen: number) =>
    md5(key, Buffer.from([num & 0xff, (num >> 8) & 0xff, (num >> 16) & 0xff, gen & 0xff, (gen >> 8) & 0xff])).subarray(0, 10);
  return { o, u, p, objectKey };
}

function rc4(key: Buffer, data: Buffer): Buffer {
  const s = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 0xff]!;
  }
  return out;
}
