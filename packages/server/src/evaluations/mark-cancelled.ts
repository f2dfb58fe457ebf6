import { isEvaluationFinished, type Evaluation } from '@whetstone/core';
import { nowIso } from '../ids.ts';

/** Who cancelled and when: the reason handed to the run's AbortController. */
export interface CancelRequest {
  by: string;
  at: string;
}

const unfinished = (status: string | undefined) => !isEvaluationFinished(status);

/**
 * Record a cancel on the evaluation: what had not finished (the evaluation, its columns, its
 * judge) becomes `cancelled`; columns that finished keep their status and scores. On a finished
 * evaluation only its judge pass was running, so only the judge is cancelled.
 */
export function markCancelled(e: Evaluation, cancel: CancelRequest): Evaluation {
  const whole = unfinished(e.status);
  if (whole) {
    e.status = 'cancelled';
    e.finished_at = nowIso();
    for (const c of e.models) {
      if (unfinished(c.status)) Object.assign(c, { status: 'cancelled', worker_pid: null });
    }
  }
  if (e.judge && unfinished(e.judge.status)) e.judge.status = 'cancelled';
  e.cancelled = { ...cancel, what: whole ? 'evaluation' : 'judge' };
  return e;
}
