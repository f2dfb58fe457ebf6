import type Database from 'better-sqlite3';
import type { Evaluation } from '@whetstone/core';

/** Evaluations in the shared SQLite file (table created by MIGRATIONS in sqlite-store.ts); samples live in evals/<id>/samples.jsonl. */
export class EvaluationStore {
  constructor(private readonly db: Database.Database) {}

  insert(e: Evaluation) {
    this.db.prepare('INSERT INTO evaluations (id, status, created_at, doc) VALUES (?, ?, ?, ?)').run(e.id, e.status, e.created_at, JSON.stringify(e));
  }
  update(e: Evaluation) {
    this.db.prepare('UPDATE evaluations SET status = ?, doc = ? WHERE id = ?').run(e.status, JSON.stringify(e), e.id);
  }
  delete(id: string) {
    this.db.prepare('DELETE FROM evaluations WHERE id = ?').run(id);
  }
  get(id: string): Evaluation | undefined {
    const row = this.db.prepare('SELECT doc FROM evaluations WHERE id = ?').get(id) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as Evaluation) : undefined;
  }
  list(): Evaluation[] {
    return (this.db.prepare('SELECT doc FROM evaluations ORDER BY created_at, id').all() as { doc: string }[]).map((r) => JSON.parse(r.doc));
  }
}
