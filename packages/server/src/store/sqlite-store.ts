import Database from 'better-sqlite3';
import type { Benchmark, Dataset, Job, JobLog, JobStatus, MetricPoint, Model } from '@whetstone/core';
import { nowIso } from '../ids.ts';
import { moveInQueue, QUEUE_END, queuePositions, withoutPosition } from './job-queue-order.ts';
import type { Store, StoredEvent, StoredJob } from './store.ts';

/**
 * Schema versions in order (user_version counts how many ran). A resource with its own store
 * (store/<resource>-store.ts) appends its CREATE TABLE statements here as a new entry.
 */
const MIGRATIONS = [
  `CREATE TABLE models (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, doc TEXT NOT NULL);
   CREATE TABLE datasets (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, doc TEXT NOT NULL);
   CREATE TABLE jobs (id TEXT PRIMARY KEY, status TEXT NOT NULL, model_id TEXT NOT NULL, dataset_id TEXT NOT NULL,
     validation_dataset_id TEXT, created_at TEXT NOT NULL, doc TEXT NOT NULL);
   CREATE INDEX jobs_status ON jobs(status, created_at);
   CREATE TABLE job_events (job_id TEXT NOT NULL, seq INTEGER NOT NULL, time TEXT NOT NULL, type TEXT NOT NULL,
     data TEXT NOT NULL, PRIMARY KEY (job_id, seq));
   CREATE TABLE metrics (job_id TEXT NOT NULL, step INTEGER NOT NULL, name TEXT NOT NULL, value REAL NOT NULL, time TEXT NOT NULL);
   CREATE INDEX metrics_job ON metrics(job_id, name, step);`,
  // deployments and API keys (store/deployment-store.ts, store/api-key-store.ts)
  `CREATE TABLE IF NOT EXISTS deployments (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, status TEXT NOT NULL, created_at TEXT NOT NULL, doc TEXT NOT NULL);
   CREATE TABLE IF NOT EXISTS api_keys (id TEXT PRIMARY KEY, name TEXT NOT NULL, prefix TEXT NOT NULL, salt TEXT NOT NULL, hash TEXT NOT NULL,
     rate_limit_per_minute INTEGER, created_at TEXT NOT NULL, last_used_at TEXT);`,
  // evaluations (store/evaluation-store.ts)
  `CREATE TABLE IF NOT EXISTS evaluations (id TEXT PRIMARY KEY, status TEXT NOT NULL, created_at TEXT NOT NULL, doc TEXT NOT NULL);`,
  // exports (store/export-store.ts)
  `CREATE TABLE IF NOT EXISTS exports (id TEXT PRIMARY KEY, model_id TEXT NOT NULL, format TEXT NOT NULL, quantization TEXT, status TEXT NOT NULL,
     created_at TEXT NOT NULL, doc TEXT NOT NULL);
   CREATE INDEX IF NOT EXISTS exports_model ON exports(model_id, format, quantization);`,
  // connections to outside endpoints, with their secret keys (store/connection-store.ts)
  `CREATE TABLE IF NOT EXISTS connections (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, base_url TEXT NOT NULL, model TEXT,
     api_key TEXT, api_key_env TEXT, created_at TEXT NOT NULL);`,
  // the queue's order (queue_order: smaller runs first, set while queued) and run-time settings (store/settings-store.ts)
  `ALTER TABLE jobs ADD COLUMN queue_order INTEGER;
   UPDATE jobs SET queue_order = rowid WHERE status = 'queued';
   CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  // what OpenAI's fine-tuning API adds to a job: suffix, metadata, owner (store/openai-job-store.ts)
  `CREATE TABLE IF NOT EXISTS openai_jobs (job_id TEXT PRIMARY KEY, created_at TEXT NOT NULL, doc TEXT NOT NULL);`,
  // multiple-choice benchmarks (the benchmark methods below); per-question picks live in benchmarks/<id>/
  `CREATE TABLE IF NOT EXISTS benchmarks (id TEXT PRIMARY KEY, status TEXT NOT NULL, created_at TEXT NOT NULL, doc TEXT NOT NULL);`,
];

/** The embedded store: one SQLite file, WAL mode, entities as JSON documents plus the columns we query. */
export class SqliteStore implements Store {
  /** The open database, for the per-resource stores (evaluations, deployments, ...) that share it. */
  readonly db: Database.Database;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // WAL with NORMAL stays consistent after a crash and skips an fsync per commit; a running
    // job commits on every step, and on 2 cores those fsyncs slowed the worker beside it.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
  }

  private migrate() {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close() {
    this.db.close();
  }

  // ---- models
  insertModel(m: Model) {
    this.db.prepare('INSERT INTO models (id, name, created_at, doc) VALUES (?, ?, ?, ?)').run(m.id, m.name, m.created_at, JSON.stringify(m));
  }
  getModel(idOrName: string): Model | undefined {
    const row = this.db.prepare('SELECT doc FROM models WHERE id = ? OR name = ? ORDER BY id = ? DESC LIMIT 1').get(idOrName, idOrName, idOrName) as
      | { doc: string }
      | undefined;
    return row ? (JSON.parse(row.doc) as Model) : undefined;
  }
  listModels(): Model[] {
    return (this.db.prepare('SELECT doc FROM models ORDER BY created_at, id').all() as { doc: string }[]).map((r) => JSON.parse(r.doc));
  }
  deleteModel(id: string) {
    this.db.prepare('DELETE FROM models WHERE id = ?').run(id);
  }

  // ---- datasets
  insertDataset(d: Dataset) {
    this.db.prepare('INSERT INTO datasets (id, created_at, doc) VALUES (?, ?, ?)').run(d.id, d.created_at, JSON.stringify(d));
  }
  updateDataset(d: Dataset) {
    this.db.prepare('UPDATE datasets SET doc = ? WHERE id = ?').run(JSON.stringify(d), d.id);
  }
  getDataset(id: string): Dataset | undefined {
    const row = this.db.prepare('SELECT doc FROM datasets WHERE id = ?').get(id) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as Dataset) : undefined;
  }
  listDatasets(): Dataset[] {
    return (this.db.prepare('SELECT doc FROM datasets ORDER BY created_at, id').all() as { doc: string }[]).map((r) => JSON.parse(r.doc));
  }
  deleteDataset(id: string) {
    this.db.prepare('DELETE FROM datasets WHERE id = ?').run(id);
  }

  // ---- benchmarks
  insertBenchmark(b: Benchmark) {
    this.db.prepare('INSERT INTO benchmarks (id, status, created_at, doc) VALUES (?, ?, ?, ?)').run(b.id, b.status, b.created_at, JSON.stringify(b));
  }
  updateBenchmark(b: Benchmark) {
    this.db.prepare('UPDATE benchmarks SET status = ?, doc = ? WHERE id = ?').run(b.status, JSON.stringify(b), b.id);
  }
  getBenchmark(id: string): Benchmark | undefined {
    const row = this.db.prepare('SELECT doc FROM benchmarks WHERE id = ?').get(id) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as Benchmark) : undefined;
  }
  listBenchmarks(): Benchmark[] {
    return (this.db.prepare('SELECT doc FROM benchmarks ORDER BY created_at, id').all() as { doc: string }[]).map((r) => JSON.parse(r.doc));
  }

  // ---- jobs (queue_position is derived from queue_order on every read, never stored in doc)
  insertJob(j: StoredJob) {
    this.db
      .prepare(`INSERT INTO jobs (id, status, model_id, dataset_id, validation_dataset_id, created_at, doc, queue_order)
        VALUES (?, ?, ?, ?, ?, ?, ?, CASE WHEN ? = 'queued' THEN ${QUEUE_END} END)`)
      .run(j.id, j.status, j.model_id, j.dataset_id, j.validation_dataset_id, j.created_at, JSON.stringify(withoutPosition(j)), j.status);
  }
  /** A job that (re-)enters the queue goes to its end; one that leaves it loses its place. */
  updateJob(j: StoredJob) {
    this.db
      .prepare(
        `UPDATE jobs SET doc = ?, queue_order = CASE WHEN ? <> 'queued' THEN NULL WHEN status = 'queued' THEN queue_order ELSE ${QUEUE_END} END, status = ? WHERE id = ?`,
      )
      .run(JSON.stringify(withoutPosition(j)), j.status, j.status, j.id);
  }
  getJob(id: string): Job | undefined {
    const row = this.db.prepare('SELECT doc FROM jobs WHERE id = ?').get(id) as { doc: string } | undefined;
    if (!row) return undefined;
    const job = JSON.parse(row.doc) as Job;
    // Only a queued job has a place: the scheduler reads running jobs on every progress event.
    return { ...job, queue_position: job.status === 'queued' ? (queuePositions(this.db).get(id) ?? null) : null };
  }
  listJobs(filter: { status?: JobStatus[] } = {}): Job[] {
    const rows = filter.status?.length
      ? this.db.prepare(`SELECT doc FROM jobs WHERE status IN (${filter.status.map(() => '?').join(',')}) ORDER BY created_at, id`).all(...filter.status)
      : this.db.prepare('SELECT doc FROM jobs ORDER BY created_at, id').all();
    const jobs = (rows as { doc: string }[]).map((r) => JSON.parse(r.doc) as Job);
    const positions = jobs.some((j) => j.status === 'queued') ? queuePositions(this.db) : null;
    return jobs.map((job) => ({ ...job, queue_position: positions?.get(job.id) ?? null }));
  }
  listQueue(): Job[] {
    const rows = this.db.prepare("SELECT doc FROM jobs WHERE status = 'queued' ORDER BY queue_order, created_at, id").all() as { doc: string }[];
    return rows.map((r, i) => ({ ...(JSON.parse(r.doc) as Job), queue_position: i + 1 }));
  }
  moveQueuedJob(id: string, index: number) {
    this.transaction(() => moveInQueue(this.db, id, index));
  }
  deleteJob(id: string) {
    this.transaction(() => {
      this.db.prepare('DELETE FROM job_events WHERE job_id = ?').run(id);
      this.db.prepare('DELETE FROM metrics WHERE job_id = ?').run(id);
      this.db.prepare('DELETE FROM jobs WHERE id = ?').run(id);
    });
  }
  jobsUsingDataset(datasetId: string): Job[] {
    const rows = this.db.prepare('SELECT doc FROM jobs WHERE dataset_id = ? OR validation_dataset_id = ?').all(datasetId, datasetId);
    return (rows as { doc: string }[]).map((r) => JSON.parse(r.doc));
  }
  jobsUsingModel(modelId: string): Job[] {
    const rows = this.db.prepare('SELECT doc FROM jobs WHERE model_id = ?').all(modelId);
    return (rows as { doc: string }[]).map((r) => JSON.parse(r.doc));
  }

  // ---- events, metrics, logs
  appendEvent(jobId: string, type: string, data: Record<string, unknown>): StoredEvent {
    const time = nowIso();
    const { next } = this.db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM job_events WHERE job_id = ?').get(jobId) as { next: number };
    this.db.prepare('INSERT INTO job_events (job_id, seq, time, type, data) VALUES (?, ?, ?, ?, ?)').run(jobId, next, time, type, JSON.stringify(data));
    return { seq: next, time, type, data };
  }
  listEvents(jobId: string, afterSeq = 0, types?: string[]): StoredEvent[] {
    const typeClause = types?.length ? ` AND type IN (${types.map(() => '?').join(',')})` : '';
    const rows = this.db
      .prepare(`SELECT seq, time, type, data FROM job_events WHERE job_id = ? AND seq > ?${typeClause} ORDER BY seq`)
      .all(jobId, afterSeq, ...(types ?? [])) as { seq: number; time: string; type: string; data: string }[];
    return rows.map((r) => ({ seq: r.seq, time: r.time, type: r.type, data: JSON.parse(r.data) }));
  }
  appendMetrics(jobId: string, points: Omit<MetricPoint, 'time'>[]) {
    const time = nowIso();
    const stmt = this.db.prepare('INSERT INTO metrics (job_id, step, name, value, time) VALUES (?, ?, ?, ?, ?)');
    this.transaction(() => points.forEach((p) => stmt.run(jobId, p.step, p.name, p.value, time)));
  }
  listMetrics(jobId: string, names?: string[]): MetricPoint[] {
    const nameClause = names?.length ? ` AND name IN (${names.map(() => '?').join(',')})` : '';
    return this.db
      .prepare(`SELECT step, name, value, time FROM metrics WHERE job_id = ?${nameClause} ORDER BY rowid`)
      .all(jobId, ...(names ?? [])) as MetricPoint[];
  }
  listLogs(jobId: string, afterSeq = 0): JobLog[] {
    return this.listEvents(jobId, afterSeq, ['log', 'error', 'status']).map((e) => ({
      seq: e.seq,
      time: e.time,
      level: e.type === 'error' ? 'error' : e.type === 'status' ? 'info' : String(e.data.level ?? 'info'),
      message:
        e.type === 'status'
          ? `status: ${String(e.data.status)}${e.data.reason ? ` (${String(e.data.reason)})` : ''}`
          : e.type === 'error'
            ? `${String(e.data.code)}: ${String(e.data.message)}`
            : String(e.data.message ?? ''),
    }));
  }
}
