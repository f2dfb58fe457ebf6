import type { JobCreate } from '@whetstone/core';

/** One source row of the mix builder: a dataset and its weight or exact sample count, as typed. */
export interface MixSource {
  dataset: string;
  by: 'weight' | 'samples';
  amount: string;
}

export const newMixSource = (dataset = ''): MixSource => ({ dataset, by: 'weight', amount: '1' });

type MixEntry = NonNullable<JobCreate['datasets']>[number];

/** Text as the number it spells; anything else as typed, so the server's check names the field. */
function numberOr(text: string): number | string {
  const t = text.trim();
  const n = Number(t);
  return t !== '' && Number.isFinite(n) ? n : t;
}

/**
 * The request's `datasets` for the builder's rows: rows with no dataset chosen yet are left
 * out; an empty weight means the default share (1); a sample count goes as typed. `rowOf[i]` is
 * the builder row of `datasets[i]`, so the server's `datasets.<i>` errors land on the right row.
 */
export function buildMixEntries(sources: MixSource[]): { datasets: MixEntry[]; rowOf: number[] } {
  const datasets: MixEntry[] = [];
  const rowOf: number[] = [];
  sources.forEach((s, row) => {
    if (!s.dataset) return;
    const entry: Record<string, unknown> = { id: s.dataset };
    if (s.by === 'samples') entry.samples = numberOr(s.amount);
    else if (s.amount.trim() !== '') entry.weight = numberOr(s.amount);
    datasets.push(entry as MixEntry);
    rowOf.push(row);
  });
  return { datasets, rowOf };
}

/** The builder's rows for a request's `datasets` (cloning a job that mixed). */
export function mixSourcesOf(datasets: unknown): MixSource[] {
  if (!Array.isArray(datasets)) return [];
  return (datasets as { id?: unknown; weight?: unknown; samples?: unknown }[])
    .filter((d) => typeof d?.id === 'string')
    .map((d) =>
      typeof d.samples === 'number' ? { dataset: d.id as string, by: 'samples', amount: String(d.samples) } : { dataset: d.id as string, by: 'weight', amount: typeof d.weight === 'number' ? String(d.weight) : '' },
    );
}

/**
 * Each builder row a server error names (`datasets.<i>...` in `field` or in each zod issue of
 * `details`), with the message for it; `rowOf` from buildMixEntries.
 */
export function mixRowErrors(error: { field?: string; message: string; details?: unknown } | null, rowOf: number[]): Record<number, string> {
  if (!error) return {};
  const out: Record<number, string> = {};
  const rowFor = (path: unknown) => {
    const m = typeof path === 'string' ? /^datasets\.(\d+)/.exec(path) : null;
    return m ? rowOf[Number(m[1])] : undefined;
  };
  const details = Array.isArray(error.details) ? (error.details as { path?: unknown; message?: unknown }[]) : [];
  for (const d of details) {
    const row = rowFor(d.path);
    if (row !== undefined && typeof d.message === 'string') out[row] = out[row] ? `${out[row]}; ${d.message}` : d.message;
  }
  if (Object.keys(out).length === 0) {
    const row = rowFor(error.field);
    if (row !== undefined) out[row] = error.message;
  }
  return out;
}
