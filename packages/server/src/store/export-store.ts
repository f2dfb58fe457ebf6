import type Database from 'better-sqlite3';
import type { Export } from '@whetstone/core';

/** Exports in the shared SQLite file (table created by MIGRATIONS in sqlite-store.ts). */
export class ExportStore {
  constructor(private readonly db: Database.Database) {}

  insert(e: Export) {
    this.db
      .prepare('INSERT INTO exports (id, model_id, format, quantization, status, created_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(e.id, e.model_id, e.format, e.quantization, e.status, e.created_at, JSON.stringify(e));
  }
  update(e: Export) {
    this.db.prepare('UPDATE exports SET status = ?, doc = ? WHERE id = ?').run(e.status, JSON.stringify(e), e.id);
  }
  get(id: string): Export | undefined {
    const row = this.db.prepare('SELECT doc FROM exports WHERE id = ?').get(id) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as Export) : undefined;
  }
  /** The newest running or succeeded export of this model, format and quantization. */
  findLive(modelId: string, format: Export['format'], quantization: Export['quantization']): Export | undefined {
    const row = this.db
      .prepare("SELECT doc FROM exports WHERE model_id = ? AND format = ? AND quantization IS ? AND status IN ('running', 'succeeded') ORDER BY created_at DESC, id DESC LIMIT 1")
      .get(modelId, format, quantization) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as Export) : undefined;
  }
  list(filter: { status?: Export['status'] } = {}): Export[] {
    const rows = filter.status
      ? this.db.prepare('SELECT doc FROM exports WHERE status = ? ORDER BY created_at, id').all(filter.status)
      : this.db.prepare('SELECT doc FROM exports ORDER BY created_at, id').all();
    return (rows as { doc: string }[]).map((r) => JSON.parse(r.doc));
  }
}
