import type { Dataset, Job, OpenAiFile } from '@whetstone/core';
import type { AppContext } from '../context.ts';
import { metricsCsv } from './metrics-csv.ts';

const unix = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** A dataset as OpenAI's file object: the id is the dataset's. */
export function datasetAsFile(d: Dataset): OpenAiFile {
  const status = d.status === 'ready' ? 'processed' : d.status === 'invalid' ? 'error' : 'uploaded';
  return {
    id: d.id,
    object: 'file',
    bytes: d.size_bytes,
    created_at: unix(d.created_at),
    filename: d.filename,
    purpose: 'fine-tune',
    status,
    status_details: status === 'error' ? describeLineErrors(d) : null,
    expires_at: null,
  };
}

/** "3 invalid lines: line 2: ...; line 5: ..." (the first five), as messages and status_details say it. */
export function describeLineErrors(d: Dataset): string {
  const n = d.errors.length;
  const shown = d.errors
    .slice(0, 5)
    .map((e) => `line ${e.line}${e.field ? ` (${e.field})` : ''}: ${e.message}`)
    .join('; ');
  return `${n} invalid line${n === 1 ? '' : 's'}${n > 5 ? ' (the first 5)' : ''}: ${shown}`;
}

/** A succeeded job's metrics file: an id derived from the job, nothing stored. */
const RESULT_PREFIX = 'file-metrics-';
export const resultFileId = (jobId: string) => `${RESULT_PREFIX}${jobId}`;
export const RESULT_FILENAME = 'step_metrics.csv';

/** The job whose result file this id names, when it has one (succeeded). */
export function resultFileJob(ctx: AppContext, id: string): Job | undefined {
  if (!id.startsWith(RESULT_PREFIX)) return undefined;
  const job = ctx.store.getJob(id.slice(RESULT_PREFIX.length));
  return job?.status === 'succeeded' ? job : undefined;
}

export function resultFileContent(ctx: AppContext, job: Job): string {
  return metricsCsv(ctx.store.listMetrics(job.id, ['loss', 'mean_token_accuracy', 'eval_loss', 'eval_mean_token_accuracy']));
}

export function resultFile(ctx: AppContext, job: Job): OpenAiFile {
  return {
    id: resultFileId(job.id),
    object: 'file',
    bytes: Buffer.byteLength(resultFileContent(ctx, job)),
    created_at: unix(job.finished_at ?? job.created_at),
    filename: RESULT_FILENAME,
    purpose: 'fine-tune-results',
    status: 'processed',
    status_details: null,
    expires_at: null,
  };
}
