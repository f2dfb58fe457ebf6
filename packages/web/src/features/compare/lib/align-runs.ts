/** A metric point as `GET /api/v1/jobs/:id/metrics` lists it. */
export interface RunPoint {
  step: number;
  name: string;
  value: number;
}

/** The curves each run contributes to the overlay, in this order. */
export const RUN_CURVES = ['loss', 'eval_loss'] as const;

export interface AlignedRuns {
  /** Every step any run has a point at, ascending. */
  steps: number[];
  /** Per run, per curve of RUN_CURVES: a value per step, null where that run has none. */
  columns: (number | null)[][][];
}

/**
 * Put several runs' curves on one step axis (uPlot draws every series against one x column):
 * the union of their steps, each run's values at its own steps and gaps elsewhere. Every point
 * is kept, a value of exactly 0 included; a step recorded twice keeps its last value.
 */
export function alignRuns(runs: readonly (readonly RunPoint[])[]): AlignedRuns {
  const wanted = new Set<string>(RUN_CURVES);
  const all = new Set<number>();
  for (const points of runs) for (const p of points) if (wanted.has(p.name)) all.add(p.step);
  const steps = [...all].sort((a, b) => a - b);
  const row = new Map(steps.map((s, i) => [s, i]));
  const columns = runs.map((points) => {
    const cols = RUN_CURVES.map(() => new Array<number | null>(steps.length).fill(null));
    for (const p of points) {
      const c = RUN_CURVES.indexOf(p.name as (typeof RUN_CURVES)[number]);
      if (c >= 0) cols[c]![row.get(p.step)!] = p.value;
    }
    return cols;
  });
  return { steps, columns };
}
