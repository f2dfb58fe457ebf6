import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { WhetError } from '@whetstone/core';
import { pdfInflatesPast } from './pdf-inflated-size.ts';

/** Bounds on one PDF, so a hostile file cannot exhaust memory or time. */
export interface PdfTextLimits {
  /** More pages than this is refused before any page is read. */
  maxPages: number;
  /** More extracted characters than this is refused, checked as the text streams in. */
  maxChars: number;
  /** Reading stops with an error after this long (checked between pages and text chunks). */
  timeoutMs: number;
  /** The PDF's zlib streams may inflate to this many bytes in all (a zip bomb is refused before pdf.js reads it). */
  maxInflatedBytes: number;
}

export const defaultPdfTextLimits: PdfTextLimits = {
  maxPages: 2_000,
  maxChars: 10_000_000,
  timeoutMs: 60_000,
  maxInflatedBytes: 256 << 20,
};

export interface PdfText {
  /** The text layer: lines rebuilt from pdf.js items, paragraphs and pages separated by a blank line. */
  text: string;
  pages: number;
}

/** The subset of pdf.js's TextItem this module reads. */
export interface PdfTextItem {
  str: string;
  /** [a, b, c, d, x, y]: position of the item's start in page space (y grows upward). */
  transform: number[];
  width: number;
  height: number;
  hasEOL: boolean;
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;
/** pdf.js is loaded on first use, so server start-up does not pay for it. */
const loadPdfJs = () => (pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs'));

const NOT_PDF_HINT = 'Upload a PDF, plain text (.txt) or Markdown (.md) document.';

/**
 * The text layer of a PDF, read with Mozilla's pdf.js in this thread (pdf.js's "fake worker" in
 * Node) and nothing fetched from anywhere: no fonts, no network; the character maps CJK fonts
 * need are read from the pdfjs-dist package on disk. Errors are WhetErrors: not a PDF
 * (DATASET_FORMAT_UNKNOWN), damaged or password-protected (DOCUMENT_UNREADABLE), no text
 * layer (DATASET_EMPTY, with OCR as the hint), over the limits (PAYLOAD_TOO_LARGE), among them
 * zlib streams that would inflate past `maxInflatedBytes`, since pdf.js inflates a stream whole.
 */
export async function readPdfText(bytes: Uint8Array, opts: { name?: string; limits?: Partial<PdfTextLimits> } = {}): Promise<PdfText> {
  const limits = { ...defaultPdfTextLimits, ...opts.limits };
  const name = opts.name ? `"${opts.name}"` : 'The PDF';
  if (!looksLikePdf(bytes)) {
    throw new WhetError('DATASET_FORMAT_UNKNOWN', `${name} is not a PDF: it has no "%PDF-" header.`, { field: 'file', hint: NOT_PDF_HINT });
  }
  const deadline = Date.now() + limits.timeoutMs;
  const timedOut = () =>
    new WhetError('DOCUMENT_UNREADABLE', `${name} took longer than ${limits.timeoutMs / 1000} s to read.`, {
      field: 'file',
      hint: 'Split the PDF into smaller files, or convert it to text (.txt) and upload that.',
    });
  const inflated = await pdfInflatesPast(bytes, limits.maxInflatedBytes, deadline);
  if (inflated === 'timeout') throw timedOut();
  if (inflated === 'yes') {
    throw new WhetError('PAYLOAD_TOO_LARGE', `${name} holds compressed streams that inflate to more than ${limits.maxInflatedBytes / 2 ** 20} MiB, the limit for one document.`, {
      field: 'file',
      hint: 'A small PDF that inflates this much is a decompression bomb; if it is a genuine document, split it into smaller files and upload them one at a time.',
    });
  }
  const { getDocument } = await loadPdfJs();
  const task = getDocument({
    data: new Uint8Array(bytes), // pdf.js takes ownership of (detaches) the buffer it is given
    cMapUrl: cMapDir(),
    cMapPacked: true,
    disableFontFace: true,
    useSystemFonts: false,
    isEvalSupported: false,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    useWasm: false,
    verbosity: 0, // errors only: its warnings (fonts it will not load) are expected here
  });
  try {
    return await readPages(task, name, limits, deadline, timedOut);
  } catch (e) {
    throw readError(e, name);
  } finally {
    await task.destroy().catch(() => {});
  }
}

/** The pages' text, within the limits; pdf.js's own errors are mapped by the caller. */
async function readPages(
  task: ReturnType<PdfJs['getDocument']>,
  name: string,
  limits: PdfTextLimits,
  deadline: number,
  timedOut: () => WhetError,
): Promise<PdfText> {
  const doc = await withDeadline(task.promise, deadline, timedOut);
  if (doc.numPages > limits.maxPages) {
    throw new WhetError('PAYLOAD_TOO_LARGE', `${name} has ${doc.numPages} pages, over the ${limits.maxPages}-page limit.`, {
      field: 'file',
      hint: `Split it (e.g. \`qpdf in.pdf --pages . 1-${limits.maxPages} -- part1.pdf\`) and upload the parts.`,
    });
  }
  const pages: string[] = [];
  let chars = 0;
  for (let n = 1; n <= doc.numPages; n++) {
    if (Date.now() >= deadline) throw timedOut();
    const page = await withDeadline(doc.getPage(n), deadline, timedOut);
    const items: PdfTextItem[] = [];
    const reader = page.streamTextContent().getReader();
    try {
      for (;;) {
        const { done, value } = await withDeadline(reader.read(), deadline, timedOut);
        if (done) break;
        for (const item of (value as { items: object[] }).items) {
          if (!('str' in item)) continue; // marked-content markers
          const t = item as PdfTextItem;
          chars += t.str.length;
          items.push(t);
        }
        if (chars > limits.maxChars) {
          throw new WhetError('PAYLOAD_TOO_LARGE', `${name} holds more than ${limits.maxChars.toLocaleString('en-US')} characters of text (limit reached on page ${n}).`, {
            field: 'file',
            hint: 'Split the PDF into smaller files and upload them one at a time.',
          });
        }
        if (Date.now() >= deadline) throw timedOut();
      }
    } finally {
      reader.cancel().catch(() => {});
      page.cleanup();
    }
    const text = pageText(items);
    if (text) pages.push(text);
  }
  if (pages.length === 0) {
    throw new WhetError('DATASET_EMPTY', `${name} has ${doc.numPages} page${doc.numPages === 1 ? '' : 's'} but no text layer: it is probably scanned images.`, {
      field: 'file',
      hint: 'Run OCR on it first (e.g. `ocrmypdf in.pdf out.pdf`), then upload the result.',
    });
  }
  return { text: pages.join('\n\n') + '\n', pages: doc.numPages };
}

/**
 * A page's items as text: items on one line are joined (a space where pdf.js left a gap), a line
 * ends at `hasEOL` or where the baseline moves, and a blank line goes where the gap between two
 * lines is clearly wider than the page's usual line spacing, or the text jumps back up (a new
 * column or box), so the chunker still sees paragraphs.
 */
export function pageText(items: PdfTextItem[]): string {
  interface Line {
    text: string;
    y: number;
    size: number;
  }
  const lines: Line[] = [];
  let cur: Line | null = null;
  let prev: PdfTextItem | null = null;
  for (const item of items) {
    const str = item.str.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
    const x = item.transform[4] ?? 0;
    const y = item.transform[5] ?? 0;
    const size = item.height || Math.hypot(item.transform[2] ?? 0, item.transform[3] ?? 0) || 1;
    if (cur && prev && Math.abs(y - cur.y) > size / 2) cur = null; // the baseline moved: a new line
    if (str !== '') {
      if (!cur) {
        cur = { text: '', y, size };
        lines.push(cur);
      } else if (prev && x - (prev.transform[4]! + prev.width) > size * 0.2 && !/\s$/.test(cur.text) && !/^\s/.test(str)) {
        cur.text += ' ';
      }
      cur.text += str;
      cur.size = Math.max(cur.size, size);
    }
    prev = item;
    if (item.hasEOL) cur = null;
  }
  const kept = lines.map((l) => ({ ...l, text: l.text.replace(/\s+$/, '') })).filter((l) => l.text.trim() !== '');
  if (kept.length === 0) return '';
  const steps = kept.slice(1).map((l, i) => kept[i]!.y - l.y).filter((d) => d > 0);
  const median = steps.length ? steps.sort((a, b) => a - b)[Math.floor((steps.length - 1) / 2)]! : Infinity;
  let out = kept[0]!.text;
  for (let i = 1; i < kept.length; i++) {
    const above = kept[i - 1]!;
    const line = kept[i]!;
    const step = above.y - line.y;
    const usual = Math.min(median, 1.5 * Math.max(above.size, line.size));
    out += step < -line.size / 2 || step > usual * 1.4 ? `\n\n${line.text}` : `\n${line.text}`;
  }
  return out;
}

/** The header may follow a little junk (viewers allow 1 KB of it), as pdf.js itself allows. */
function looksLikePdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).includes('%PDF-');
}

/** pdf.js's character maps (CJK fonts), read from the installed package, never fetched. */
function cMapDir(): string {
  const pkg = createRequire(import.meta.url).resolve('pdfjs-dist/package.json');
  return join(dirname(pkg), 'cmaps') + '/';
}

/** pdf.js's exceptions (told apart by `name`) as WhetErrors; ours pass through. */
function readError(e: unknown, name: string): unknown {
  if (e instanceof WhetError) return e;
  const err = e as { name?: string; message?: string };
  if (err?.name === 'PasswordException') {
    return new WhetError('DOCUMENT_UNREADABLE', `${name} is password-protected.`, {
      field: 'file',
      hint: 'Remove the password (e.g. `qpdf --decrypt --password=PASSWORD in.pdf out.pdf`, or print it to a new PDF from a viewer) and upload again.',
      cause: e,
    });
  }
  return new WhetError('DOCUMENT_UNREADABLE', `${name} cannot be read as a PDF: ${err?.message ?? String(e)}`, {
    field: 'file',
    hint: 'The file is damaged or cut short (an interrupted download?): open it in a PDF viewer and save or print it to a new PDF, or convert it to text (.txt), and upload that.',
    cause: e,
  });
}

function withDeadline<T>(p: Promise<T>, deadline: number, timedOut: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut()), Math.max(0, deadline - Date.now()));
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
