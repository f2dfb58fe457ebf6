import type Database from 'better-sqlite3';
import type { Deployment, DeploymentStatus } from '@whetstone/core';

/** Deployments in the shared SQLite file (table created by MIGRATIONS in sqlite-store.ts). */
export class DeploymentStore {
  constructor(private readonly db: Database.Database) {}

  insert(d: Deployment) {
    this.db.prepare('INSERT INTO deployments (id, name, status, created_at, doc) VALUES (?, ?, ?, ?, ?)').run(d.id, d.name, d.status, d.created_at, JSON.stringify(d));
  }
  update(d: Deployment) {
    this.db.prepare('UPDATE deployments SET status = ?, doc = ? WHERE id = ?').run(d.status, JSON.stringify(d), d.id);
  }
  /** By id or name (names are unique). */
  get(idOrName: string): Deployment | undefined {
    const row = this.db.prepare('SELECT doc FROM deployments WHERE id = ? OR name = ? LIMIT 1').get(idOrName, idOrName) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as Deployment) : undefined;
  }
  list(filter: { status?: DeploymentStatus[] } = {}): Deployment[] {
    const rows = filter.status?.length
      ? this.db.prepare(`SELECT doc FROM deployments WHERE status IN (${filter.status.map(() => '?').join(',')}) ORDER BY created_at, id`).all(...filter.status)
      : this.db.prepare('SELECT doc FROM deployments ORDER BY created_at, id').all();
    return (rows as { doc: string }[]).map((r) => JSON.parse(r.doc));
  }
  delete(id: string) {
    this.db.prepare('DELETE FROM deployments WHERE id = ?').run(id);
  }
}
