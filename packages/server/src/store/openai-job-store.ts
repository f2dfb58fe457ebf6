import type Database from 'better-sqlite3';

/** What a job created through OpenAI's fine-tuning API keeps beside the native job. */
export interface OpenAiJobRecord {
  job_id: string;
  suffix: string | null;
  metadata: Record<string, string> | null;
  /** The owner part of the model name: the key's project, or "whetstone". */
  owner: string;
  /** The multiplier applied to the auto learning rate (1 when none was asked). */
  learning_rate_multiplier: number;
  created_at: string;
}

/**
 * The OpenAI side of jobs (table created by MIGRATIONS in sqlite-store.ts). A job made through
 * the native API has no record; readers fall back to defaults. A row whose job was deleted is
 * ignored and removed with `delete`.
 */
export class OpenAiJobStore {
  constructor(private readonly db: Database.Database) {}

  insert(r: OpenAiJobRecord): void {
    this.db.prepare('INSERT INTO openai_jobs (job_id, created_at, doc) VALUES (?, ?, ?)').run(r.job_id, r.created_at, JSON.stringify(r));
  }

  get(jobId: string): OpenAiJobRecord | undefined {
    const row = this.db.prepare('SELECT doc FROM openai_jobs WHERE job_id = ?').get(jobId) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as OpenAiJobRecord) : undefined;
  }

  delete(jobId: string): void {
    this.db.prepare('DELETE FROM openai_jobs WHERE job_id = ?').run(jobId);
  }
}
