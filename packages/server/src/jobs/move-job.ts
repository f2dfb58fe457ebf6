import { type Job, type JobMove, WhetError } from '@whetstone/core';
import type { Store } from '../store/store.ts';

/** Why a job that is not queued has no place to move: what to do instead. */
function notQueued(job: Job, field?: 'before' | 'after'): WhetError {
  const what = field ? `job ${job.id} (named in "${field}") is ${job.status}, not queued, so nothing can move ${field} it` : `job ${job.id} is ${job.status}; only queued jobs can move in the queue`;
  return new WhetError('JOB_STATE_CONFLICT', what, {
    field,
    hint: 'List the queue with GET /api/v1/jobs?status=queued (`whet jobs queue`) and name a queued job, or use {"position": "top"} / {"position": "bottom"}.',
  });
}

/**
 * Move a queued job to the top or bottom of the queue, or just before or after another queued
 * job; the scheduler launches in that order. Returns the job with its new queue_position.
 */
export function moveJob(store: Store, jobId: string, move: JobMove): Job {
  const job = store.getJob(jobId);
  if (!job) throw new WhetError('JOB_NOT_FOUND', `no job with id "${jobId}"`);
  if (job.status !== 'queued') throw notQueued(job);
  const others = store.listQueue().filter((j) => j.id !== jobId);
  let index: number;
  if (move.position) {
    index = move.position === 'top' ? 0 : others.length;
  } else {
    const field = move.before !== undefined ? 'before' : 'after';
    const refId = (move.before ?? move.after)!;
    if (refId === jobId) {
      throw new WhetError('INVALID_REQUEST', `a job cannot move ${field} itself (${jobId})`, { field, hint: `Name another queued job in "${field}", or use "position".` });
    }
    const ref = store.getJob(refId);
    if (!ref) throw new WhetError('JOB_NOT_FOUND', `no job with id "${refId}" (named in "${field}")`, { field });
    if (ref.status !== 'queued') throw notQueued(ref, field);
    const at = others.findIndex((j) => j.id === refId);
    index = field === 'before' ? at : at + 1;
  }
  store.moveQueuedJob(jobId, index);
  return store.getJob(jobId)!;
}
