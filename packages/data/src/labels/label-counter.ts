import type { LabelSet } from '@whetstone/core';
import type { NormalizedRow } from '../types.ts';

/** A labelling set has at most this many labels... */
export const MAX_LABELS = 50;
/** ...covering at least this share of rows... */
export const MIN_LABEL_COVERAGE = 0.95;
/** ...and at least two of them (one answer is a template, not a label). */
export const MIN_LABELS = 2;
/**
 * An answer left out of the 50 labels may hold at most this share of rows (or one row): a stray or
 * misspelt answer, not a 51st label.
 */
export const MAX_LEFT_OUT_SHARE = 0.01;
/** Labels repeat: on average at least this many rows each (35 distinct answers in 40 rows are free text). */
export const MIN_ROWS_PER_LABEL = 4;
/** Longer answers (after trimming) are text, not labels. */
export const MAX_LABEL_CHARS = 64;
/**
 * Distinct short answers counted at most: past this the rows cannot be a labelling set unless the
 * file has millions of rows, and counting stops so memory stays bounded.
 */
export const MAX_TRACKED_ANSWERS = 100_000;

interface Answer {
  id: number;
  key: string;
  count: number;
  /** The spelling seen first, and the count of every spelling once a second one appears. */
  first: string;
  forms?: Map<string, number>;
}

/**
 * Counts the answers of rows, one at a time, and decides whether they come from a small closed
 * set. The answer of a chat (alpaca, ShareGPT and OpenAI rows are all chats once normalized) is
 * its last assistant turn, compared after trimming; preference pairs and raw text are never a
 * labelling set. Memory: one entry per distinct short answer (capped), none per row.
 */
export class LabelCounter {
  private rows = 0;
  private disqualified = false;
  private readonly answers = new Map<string, Answer>();
  private readonly order: Answer[] = [];

  /** Counts one row; returns its answer's id (stable, from 0) or -1 when it has no short answer. */
  add(row: NormalizedRow): number {
    if ('text' in row || 'chosen' in row || 'choices' in row) {
      this.rows++;
      this.disqualify();
      return -1;
    }
    return this.addAnswer(this.disqualified ? null : lastAssistant(row.messages));
  }

  /**
   * Counts one chat row by its answer (its last assistant turn; null when it has none, or when
   * the answer is known to be longer than MAX_LABEL_CHARS once trimmed): as add() does.
   */
  addAnswer(raw: string | null): number {
    this.rows++;
    if (this.disqualified) return -1;
    const key = raw?.trim() ?? '';
    if (key === '' || key.length > MAX_LABEL_CHARS) return -1;
    let a = this.answers.get(key);
    if (!a) {
      if (this.order.length >= MAX_TRACKED_ANSWERS) {
        this.disqualify();
        return -1;
      }
      a = { id: this.order.length, key, count: 0, first: raw! };
      this.answers.set(key, a);
      this.order.push(a);
    }
    a.count++;
    if (a.forms || raw !== a.first) {
      a.forms ??= new Map([[a.first, a.count - 1]]);
      a.forms.set(raw!, (a.forms.get(raw!) ?? 0) + 1);
    }
    return a.id;
  }

  /** The label set, or null when the rows are not a labelling set. */
  result(): LabelSet | null {
    return this.detect()?.set ?? null;
  }

  /**
   * The label set and, for each answer id `add` returned, the index of its label in `set.labels`
   * (-1: an answer outside the set, counted in other_rows).
   */
  detect(): { set: LabelSet; labelOfAnswer: Int32Array } | null {
    if (this.disqualified || this.rows === 0) return null;
    const ranked = [...this.order].sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const top = ranked.slice(0, MAX_LABELS);
    const covered = top.reduce((n, a) => n + a.count, 0);
    const leftOut = ranked[MAX_LABELS]?.count ?? 0;
    if (top.length < MIN_LABELS || covered < MIN_LABEL_COVERAGE * this.rows || covered < MIN_ROWS_PER_LABEL * top.length) return null;
    if (leftOut > Math.max(1, MAX_LEFT_OUT_SHARE * this.rows)) return null;
    const labelOfAnswer = new Int32Array(this.order.length).fill(-1);
    top.forEach((a, i) => (labelOfAnswer[a.id] = i));
    return {
      set: {
        labels: top.map((a) => ({ label: spelling(a), count: a.count, share: round4(a.count / this.rows) })),
        covered_share: round4(covered / this.rows),
        other_rows: this.rows - covered,
      },
      labelOfAnswer,
    };
  }

  private disqualify(): void {
    this.disqualified = true;
    this.answers.clear();
    this.order.length = 0;
  }
}

/** The label set of some rows (null when they are not a labelling set). */
export function detectLabelSet(rows: Iterable<NormalizedRow>): LabelSet | null {
  const c = new LabelCounter();
  for (const r of rows) c.add(r);
  return c.result();
}

function lastAssistant(messages: { role: string; content: string }[]): string | null {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.role === 'assistant') return typeof messages[i]!.content === 'string' ? messages[i]!.content : null;
  return null;
}

/** The most frequent spelling of an answer (the first seen among equals). */
function spelling(a: Answer): string {
  if (!a.forms) return a.first;
  let best = a.first;
  let n = -1;
  for (const [form, c] of a.forms) if (c > n) [best, n] = [form, c];
  return best;
}

function round4(v: number): number {
  return Math.round(v * 10_000) / 10_000;
}
