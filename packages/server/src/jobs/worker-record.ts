import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processIdentity } from './process-identity.ts';

/** jobs/<id>/worker.json: which process runs this job's worker, written when it is spawned. */
export const workerRecordPath = (jobDir: string) => join(jobDir, 'worker.json');

export interface WorkerRecord {
  pid: number;
  /** processIdentity() at spawn; null when it could not be read (then we never signal the pid). */
  identity: string | null;
}

export function writeWorkerRecord(jobDir: string, record: WorkerRecord) {
  const path = workerRecordPath(jobDir);
  writeFileSync(`${path}.tmp`, JSON.stringify(record));
  renameSync(`${path}.tmp`, path); // a server killed mid-write leaves the old record or the new one
}

export function clearWorkerRecord(jobDir: string) {
  rmSync(workerRecordPath(jobDir), { force: true });
}

/**
 * Whether `pid` is still the worker this job spawned: the record names that pid and the process
 * holding it now started when the recorded one did. A pid reused by any other process (another
 * job's worker included) fails the check, as does a job without a record.
 */
export function isRecordedWorkerAlive(jobDir: string, pid: number | null): boolean {
  if (!pid) return false;
  let record: WorkerRecord;
  try {
    record = JSON.parse(readFileSync(workerRecordPath(jobDir), 'utf8'));
  } catch {
    return false;
  }
  return record.pid === pid && record.identity !== null && processIdentity(pid) === record.identity;
}
