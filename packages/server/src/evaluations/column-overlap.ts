import { existsSync } from 'node:fs';
import type { EvaluationModelRef, TrainingOverlap } from '@whetstone/core';
import { rowPrompt, trainingOverlap } from '@whetstone/data';
import { datasetDataPath } from '../jobs/create-job.ts';
import type { Store } from '../store/store.ts';
import type { TestRow } from './load-test-rows.ts';

/** The job whose training produced a column's model: a job column, or a registered job result or checkpoint; else null. */
export function columnJobId(ref: EvaluationModelRef, store: Store): string | null {
  if (ref.kind === 'job') return ref.job_id;
  if (ref.kind === 'model') return store.getModel(ref.model_id)?.job_id ?? null;
  return null;
}

/**
 * For each column whose model a job trained: how many test prompts that job trained on (its
 * prepared train file when it mixed, de-duplicated or split its data, else its dataset as
 * uploaded), exactly and once normalized. Null for other columns, and where the job or its
 * training file is gone or unreadable (nothing to compare against). Each job's file is read once.
 */
export async function columnOverlaps(refs: readonly EvaluationModelRef[], rows: readonly TestRow[], store: Store, home: string): Promise<(TrainingOverlap | null)[]> {
  const prompts = rows.map((r) => rowPrompt(r));
  const byJob = new Map<string, Promise<TrainingOverlap | null>>();
  const overlapOf = async (jobId: string): Promise<TrainingOverlap | null> => {
    const job = store.getJob(jobId);
    if (!job) return null;
    const path = job.data_mix?.paths.train ?? datasetDataPath(home, job.dataset_id);
    if (!existsSync(path)) return null;
    try {
      return { job_id: job.id, ...(await trainingOverlap(path, prompts)) };
    } catch {
      return null; // an unreadable training file is no reason to fail the evaluation
    }
  };
  return Promise.all(
    refs.map((ref) => {
      const jobId = columnJobId(ref, store);
      if (jobId === null) return null;
      if (!byJob.has(jobId)) byJob.set(jobId, overlapOf(jobId));
      return byJob.get(jobId)!;
    }),
  );
}
