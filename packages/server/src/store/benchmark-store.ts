import type Database from 'better-sqlite3';
import type { Benchmark } from '@whetstone/core';

/** Benchmarks in the shared SQLite file (table created by MIGRATIONS in sqlite-store.ts); per-question scores live in benchmarks/<id>/. */
export class BenchmarkStore {
  constructor(private readonly db: Database.Database) {}

  insert(b: Benchmark) {
    this.db.prepare('INSERT INTO benchmarks (id, status, created_at, doc) VALUES (?, ?, ?, ?)').run(b.id, b.status, b.created_at, JSON.stringify(b));
  }
  update(b: Benchmark) {
    this.db.prepare('UPDATE benchmarks SET status = ?, doc = ? WHERE id = ?').run(b.status, JSON.stringify(b), b.id);
  }
  get(id: string): Benchmark | undefined {
    const row = this.db.prepare('SELECT doc FROM benchmarks WHERE id = ?').get(id) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as Benchmark) : undefined;
  }
  list(): Benchmark[] {
    return (this.db.prepare('SELECT doc FROM benchmarks ORDER BY created_at, id').all() as { doc: string }[]).map((r) => JSON.parse(r.doc));
  }
}
