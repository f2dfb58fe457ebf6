import type { Benchmark, Dataset, Job, JobLog, JobStatus, MetricPoint, Model } from '@whetstone/core';

/** A stored job event (worker event or status change), replayed over SSE by `seq`. */
export interface StoredEvent {
  seq: number;
  time: string;
  type: string;
  data: Record<string, unknown>;
}

/** A job as written: queue_position is derived on each read, so a writer may leave it out. */
export type StoredJob = Omit<Job, 'queue_position'> & { queue_position?: number | null };

/**
 * Everything the server keeps. SQLite is the embedded default; a PostgreSQL store
 * (WHET_DATABASE_URL) implements the same interface in a later round.
 */
export interface Store {
  insertModel(m: Model): void;
  getModel(idOrName: string): Model | undefined;
  listModels(): Model[];
  deleteModel(id: string): void;

  insertDataset(d: Dataset): void;
  updateDataset(d: Dataset): void;
  getDataset(id: string): Dataset | undefined;
  listDatasets(): Dataset[];
  deleteDataset(id: string): void;

  insertJob(j: StoredJob): void;
  updateJob(j: StoredJob): void;
  getJob(id: string): Job | undefined;
  listJobs(filter?: { status?: JobStatus[] }): Job[];
  /** Queued jobs in the order they will run (queue_position 1 first). */
  listQueue(): Job[];
  /** Put a queued job at this 0-based index of the queue (the others keep their order). */
  moveQueuedJob(id: string, index: number): void;
  deleteJob(id: string): void;
  jobsUsingDataset(datasetId: string): Job[];
  jobsUsingModel(modelId: string): Job[];

  /** Multiple-choice benchmarks (the whole document); per-question picks live in files under benchmarks/<id>/. */
  insertBenchmark(b: Benchmark): void;
  updateBenchmark(b: Benchmark): void;
  getBenchmark(id: string): Benchmark | undefined;
  /** Oldest first. */
  listBenchmarks(): Benchmark[];

  appendEvent(jobId: string, type: string, data: Record<string, unknown>): StoredEvent;
  listEvents(jobId: string, afterSeq?: number, types?: string[]): StoredEvent[];
  appendMetrics(jobId: string, points: Omit<MetricPoint, 'time'>[]): void;
  listMetrics(jobId: string, names?: string[]): MetricPoint[];
  listLogs(jobId: string, afterSeq?: number): JobLog[];

  /** Run fn in one transaction: all of it or nothing. */
  transaction<T>(fn: () => T): T;
  close(): void;
}
