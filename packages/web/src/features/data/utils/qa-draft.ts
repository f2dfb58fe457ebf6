/** One reviewed pair in the table; `chunk` names the document chunk it came from (none for rows added by hand). */
export interface QaRow {
  key: number;
  question: string;
  answer: string;
  chunk: number | null;
}

/** Drafts under review: what the table shows and sessionStorage keeps until they are saved or discarded. */
export interface QaDraft {
  filename: string;
  rows: QaRow[];
  /** The start of each chunk pairs came from, by chunk index, to review an answer against its source. */
  excerpts: Record<number, string>;
  /** Chunks that gave no pair, with the reason. */
  failures: { chunk_index: number; code: string; message: string }[];
  chunksUsed: number;
  chunksTotal: number;
}

/** The drafting route's answer, as far as the table needs it. */
export interface QaDraftAnswer {
  filename: string;
  pairs: { question: string; answer: string; chunk_index: number }[];
  failures: { chunk_index: number; code: string; message: string }[];
  chunks: { index: number; text: string }[];
  chunks_used: number;
}

/** Enough of a chunk to recognise it; the whole chunk would fill sessionStorage on a long document. */
export const EXCERPT_CHARS = 300;

export function excerpt(text: string, max = EXCERPT_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The table's rows and excerpts from the route's answer. */
export function draftFromAnswer(a: QaDraftAnswer): QaDraft {
  const used = new Set(a.pairs.map((p) => p.chunk_index));
  const excerpts: Record<number, string> = {};
  for (const c of a.chunks) if (used.has(c.index)) excerpts[c.index] = excerpt(c.text);
  return {
    filename: a.filename,
    rows: a.pairs.map((p, i) => ({ key: i + 1, question: p.question, answer: p.answer, chunk: p.chunk_index })),
    excerpts,
    failures: a.failures,
    chunksUsed: a.chunks_used,
    chunksTotal: a.chunks.length,
  };
}

export function updateRow(d: QaDraft, key: number, patch: Partial<Pick<QaRow, 'question' | 'answer'>>): QaDraft {
  return { ...d, rows: d.rows.map((r) => (r.key === key ? { ...r, ...patch } : r)) };
}

export function deleteRow(d: QaDraft, key: number): QaDraft {
  return { ...d, rows: d.rows.filter((r) => r.key !== key) };
}

/** An empty row at the end, for a pair written by hand. */
export function addRow(d: QaDraft): QaDraft {
  const key = d.rows.reduce((m, r) => Math.max(m, r.key), 0) + 1;
  return { ...d, rows: [...d.rows, { key, question: '', answer: '', chunk: null }] };
}

/** 1-based positions of rows whose question or answer is blank: the server refuses them, so the table says which first. */
export function blankRows(rows: QaRow[]): number[] {
  return rows.flatMap((r, i) => (r.question.trim() === '' || r.answer.trim() === '' ? [i + 1] : []));
}

/** The pairs to save, in table order. */
export function pairsOf(rows: QaRow[]): { question: string; answer: string }[] {
  return rows.map((r) => ({ question: r.question.trim(), answer: r.answer.trim() }));
}

/** "handbook.md" → "handbook-qa", a dataset name to start from. */
export function datasetNameFor(filename: string): string {
  const base = filename.replace(/\.[^.]+$/, '') || 'document';
  return `${base}-qa`.slice(0, 200);
}

/** A stored draft, or null when there is none or it is not one (an older shape, hand-edited storage). */
export function parseStoredDraft(raw: string | null): QaDraft | null {
  if (raw === null) return null;
  try {
    const d = JSON.parse(raw) as QaDraft;
    const ok =
      typeof d?.filename === 'string' &&
      Array.isArray(d.rows) &&
      d.rows.every((r) => typeof r?.key === 'number' && typeof r.question === 'string' && typeof r.answer === 'string') &&
      typeof d.excerpts === 'object' &&
      Array.isArray(d.failures);
    return ok ? d : null;
  } catch {
    return null;
  }
}
