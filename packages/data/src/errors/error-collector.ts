import type { LineError } from '../types.ts';

/** Keeps the first `max` line errors and counts every one by code. */
export class ErrorCollector {
  readonly errors: LineError[] = [];
  readonly counts: Record<string, number> = {};
  total = 0;
  /** Lines that had at least one error. */
  badLines = 0;

  constructor(private readonly max: number) {}

  /** Record every problem of one row (a row may have several). */
  addRow(errors: readonly LineError[]): void {
    if (errors.length === 0) return;
    this.badLines++;
    for (const e of errors) {
      this.total++;
      this.counts[e.code] = (this.counts[e.code] ?? 0) + 1;
      if (this.errors.length < this.max) this.errors.push(e);
    }
  }
}
