export interface DocumentChunk {
  /** 0-based position among the document's chunks. */
  index: number;
  text: string;
  /** The Markdown headings above the chunk, outermost first ("Install > Linux"); empty for plain text. */
  headings: string[];
  /** 1-based lines of the source the chunk starts and ends on. */
  start_line: number;
  end_line: number;
}

export interface ChunkOptions {
  /** Markdown: split at headings (outside code fences) and keep the heading path. */
  markdown?: boolean;
  /** Longest chunk, in characters (default 2,000), or in what `measure` counts. */
  maxSize?: number;
  /** Carried from the end of one chunk into the next when a section is cut (default 200). */
  overlap?: number;
  /** How a size is measured (default: characters); pass a tokenizer's count for token-sized chunks. */
  measure?: (text: string) => number;
}

interface Block {
  text: string;
  headings: string[];
  start: number;
  end: number;
}

/**
 * Cuts a document into chunks to generate question-answer pairs from: paragraphs (and, for
 * Markdown, sections under their headings) are packed together up to `maxSize`; a section never
 * shares a chunk with the next one; a paragraph longer than `maxSize` is cut at sentence ends,
 * then anywhere, with `overlap` carried over so no fact is cut in two without context.
 */
export function chunkDocument(text: string, opts: ChunkOptions = {}): DocumentChunk[] {
  const maxSize = opts.maxSize ?? 2000;
  const overlap = Math.min(opts.overlap ?? 200, Math.floor(maxSize / 2));
  const measure = opts.measure ?? ((s: string) => s.length);
  if (!(maxSize > 0)) throw new RangeError(`maxSize must be > 0, got ${maxSize}`);

  const sections = splitSections(text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'), opts.markdown ?? false);
  const chunks: DocumentChunk[] = [];
  const emit = (b: Block) => {
    const t = b.text.trim();
    if (t) chunks.push({ index: chunks.length, text: t, headings: b.headings, start_line: b.start, end_line: b.end });
  };
  for (const section of sections) {
    let cur: Block | null = null;
    for (const para of section) {
      const pieces = measure(para.text) > maxSize ? cutLong(para, maxSize, overlap, measure) : [para];
      for (const p of pieces) {
        if (cur && measure(`${cur.text}\n\n${p.text}`) <= maxSize) {
          cur = { text: `${cur.text}\n\n${p.text}`, headings: cur.headings, start: cur.start, end: p.end };
        } else {
          if (cur) emit(cur);
          cur = p;
        }
      }
    }
    if (cur) emit(cur);
  }
  return chunks;
}

/** Sections (a heading with what follows it) of paragraphs, each paragraph with its lines. */
function splitSections(text: string, markdown: boolean): Block[][] {
  const lines = text.split('\n');
  const sections: Block[][] = [];
  let section: Block[] = [];
  let para: string[] = [];
  let paraStart = 0;
  let headings: string[] = [];
  let inFence = false;
  const endPara = (endLine: number) => {
    if (para.some((l) => l.trim())) section.push({ text: para.join('\n'), headings, start: paraStart, end: endLine });
    para = [];
  };
  lines.forEach((line, i) => {
    const n = i + 1;
    if (markdown && /^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const heading = markdown && !inFence ? /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line) : null;
    if (heading) {
      endPara(n - 1);
      if (section.length) sections.push(section);
      section = [];
      const level = heading[1]!.length;
      headings = [...headings.slice(0, level - 1), heading[2]!];
      // keep the heading in the text of the section's first paragraph
      para = [line];
      paraStart = n;
      return;
    }
    if (!inFence && line.trim() === '') {
      if (markdown && para.length === 1 && /^#{1,6}\s/.test(para[0]!)) return; // a heading stays with the paragraph after it
      endPara(n - 1);
      return;
    }
    if (para.length === 0) paraStart = n;
    para.push(line);
  });
  endPara(lines.length);
  if (section.length) sections.push(section);
  return sections;
}

/** A paragraph over the size, cut at sentence ends where it can be, with overlap. */
function cutLong(p: Block, maxSize: number, overlap: number, measure: (s: string) => number): Block[] {
  const sentences = p.text.match(/[^.!?。！？\n]+[.!?。！？]*[\s]*|\n+/g) ?? [p.text];
  const out: Block[] = [];
  let cur = '';
  const push = (s: string) => {
    if (s.trim()) out.push({ ...p, text: s.trim() });
  };
  for (const s of sentences) {
    if (measure(cur + s) <= maxSize) {
      cur += s;
      continue;
    }
    push(cur);
    const carry = cur ? tail(cur, overlap, measure) : '';
    cur = measure(carry + s) <= maxSize ? carry + s : s;
    while (measure(cur) > maxSize) {
      const cut = fit(cur, maxSize, measure);
      const head = cur.slice(0, cut);
      push(head);
      const carry = tail(head, overlap, measure);
      cur = (carry.length < cut ? carry : '') + cur.slice(cut); // always move forward
    }
  }
  push(cur);
  return out;
}

/** The longest prefix length that fits in `maxSize` (binary search over characters). */
function fit(s: string, maxSize: number, measure: (s: string) => number): number {
  let lo = 1;
  let hi = s.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(s.slice(0, mid)) <= maxSize) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The end of a text up to `size`, starting at a word boundary where there is one. */
function tail(s: string, size: number, measure: (s: string) => number): string {
  if (size <= 0) return '';
  let start = Math.max(0, s.length - size);
  while (start < s.length && measure(s.slice(start)) > size) start++;
  const space = s.indexOf(' ', start);
  if (space > start && space - start < size / 2) start = space + 1;
  return s.slice(start);
}
