/** What the table needs of a job (a subset of `GET /api/v1/jobs/:id`). */
export interface ComparedJob {
  model_id: string;
  dataset_id: string;
  method: string;
  tuning: string;
  hyperparameters: Record<string, unknown>;
}

/** The rows that describe the run itself, before the resolved hyperparameters. */
export const SETUP_ROWS = ['model', 'dataset', 'method', 'tuning'] as const;
export type SetupRow = (typeof SETUP_ROWS)[number];

export interface HyperparameterRow {
  /** A setup row's name, or a hyperparameter's (e.g. `learning_rate`). */
  key: string;
  setup: boolean;
  /** One cell per job, in the jobs' order; null where the job has no such value. */
  values: (string | null)[];
  /** Not every job has the same value (a job without it counts as different). */
  differs: boolean;
}

const cell = (v: unknown): string | null => (v === undefined || v === null ? null : typeof v === 'string' ? v : JSON.stringify(v));

/**
 * One row per setup field (model, dataset, method, tuning) and per resolved hyperparameter any
 * job has, one value per job. Rows whose values differ come first; within each group the setup
 * rows lead and hyperparameters follow by name, so the table reads the same way every time.
 */
export function hyperparameterRows(jobs: readonly ComparedJob[]): HyperparameterRow[] {
  const setup: Record<SetupRow, (j: ComparedJob) => unknown> = {
    model: (j) => j.model_id,
    dataset: (j) => j.dataset_id,
    method: (j) => j.method,
    tuning: (j) => j.tuning,
  };
  const keys = [...new Set(jobs.flatMap((j) => Object.keys(j.hyperparameters)))].sort();
  const rows: HyperparameterRow[] = [
    ...SETUP_ROWS.map((key) => ({ key, setup: true, values: jobs.map((j) => cell(setup[key](j))) })),
    ...keys.map((key) => ({ key, setup: false, values: jobs.map((j) => cell(j.hyperparameters[key])) })),
  ].map((r) => ({ ...r, differs: r.values.some((v) => v !== r.values[0]) }));
  return [...rows.filter((r) => r.differs), ...rows.filter((r) => !r.differs)];
}
