import type Database from 'better-sqlite3';
import type { StoredJob } from './store.ts';

/** SQL for "after every queued job": where a new or resumed job enters the queue. */
export const QUEUE_END = "(SELECT COALESCE(MAX(queue_order), 0) + 1 FROM jobs WHERE status = 'queued')";

/** The stored document leaves out queue_position: it changes whenever another job moves. */
export function withoutPosition(j: StoredJob): Omit<StoredJob, 'queue_position'> {
  const { queue_position: _, ...doc } = j;
  return doc;
}

function queuedIds(db: Database.Database): string[] {
  return (db.prepare("SELECT id FROM jobs WHERE status = 'queued' ORDER BY queue_order, created_at, id").all() as { id: string }[]).map((r) => r.id);
}

/** Each queued job's 1-based place in the queue. */
export function queuePositions(db: Database.Database): Map<string, number> {
  return new Map(queuedIds(db).map((id, i) => [id, i + 1]));
}

/** Take a queued job out of the order and put it back at `index` (clamped), renumbering 1..n; run inside a transaction. */
export function moveInQueue(db: Database.Database, id: string, index: number) {
  const order = queuedIds(db).filter((q) => q !== id);
  order.splice(Math.max(0, Math.min(index, order.length)), 0, id);
  const set = db.prepare('UPDATE jobs SET queue_order = ? WHERE id = ?');
  order.forEach((q, i) => set.run(i + 1, q));
}
