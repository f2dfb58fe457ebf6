import type { RawRecord } from '../types.ts';
import { readLines, type ReadLinesOptions } from './read-lines.ts';

/** A document longer than this is cut at a line boundary. */
export const MAX_DOCUMENT_CHARS = 32_000;

/**
 * Plain text and Markdown for continued pre-training. Text splits into documents at blank
 * lines; Markdown at headings outside code fences, so code blocks and lists stay whole.
 * Each document becomes {"text": ...}, its line the document's first line.
 */
export async function* readText(path: string, opts: ReadLinesOptions & { markdown?: boolean }): AsyncGenerator<RawRecord[]> {
  let doc: string[] = [];
  let docChars = 0;
  let docLine = 0;
  let inFence = false;
  const flush = (out: RawRecord[]) => {
    const text = doc.join('\n').trim();
    if (text.length > 0) out.push({ line: docLine, value: { text } });
    doc = [];
    docChars = 0;
  };
  for await (const batch of readLines(path, { ...opts, keepBlank: true })) {
    const out: RawRecord[] = [];
    for (const item of batch) {
      if (item.error) {
        flush(out);
        out.push({ line: item.line, error: item.error });
        continue;
      }
      const t = item.text;
      const blank = t.trim() === '';
      if (opts.markdown) {
        if (/^\s*(```|~~~)/.test(t)) inFence = !inFence;
        if (!inFence && /^#{1,6}\s/.test(t) && doc.length > 0) flush(out);
      } else if (blank) {
        flush(out);
        continue;
      }
      if (docChars + t.length > MAX_DOCUMENT_CHARS && doc.length > 0) flush(out);
      if (doc.length === 0) {
        if (blank) continue;
        docLine = item.line;
      }
      doc.push(t);
      docChars += t.length + 1;
    }
    if (out.length > 0) yield out;
  }
  const tail: RawRecord[] = [];
  flush(tail);
  if (tail.length > 0) yield tail;
}
