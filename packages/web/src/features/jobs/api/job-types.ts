import type { JobStatus } from '@whetstone/core';
import type { api, Ok } from '../../../lib/api-client.ts';
import { detailQueries, listQueries } from '../../../lib/shared-queries.ts';

/** A job as `GET /api/v1/jobs/:id` answers it (typed from the server's route). */
export type Job = Ok<Awaited<ReturnType<(typeof api.jobs)[':id']['$get']>>>;
export type JobDiagnosis = Ok<Awaited<ReturnType<(typeof api.jobs)[':id']['diagnosis']['$get']>>>;
export type JobCheckpoint = Ok<Awaited<ReturnType<(typeof api.jobs)[':id']['checkpoints']['$get']>>>['data'][number];
export type JobLogLine = Ok<Awaited<ReturnType<(typeof api.jobs)[':id']['logs']['$get']>>>['data'][number];

/** Still moving: the worker runs or will run (paused jobs wait for a person). */
export const ACTIVE_STATUSES: readonly JobStatus[] = ['queued', 'validating', 'running'];
export const isActive = (status: JobStatus | undefined) => status !== undefined && ACTIVE_STATUSES.includes(status);

export const jobKeys = {
  all: ['jobs'] as const,
  list: () => listQueries.jobs.queryKey,
  detail: (id: string) => detailQueries.job(id).queryKey,
  diagnosis: (id: string) => ['jobs', 'diagnosis', id] as const,
  logs: (id: string) => ['jobs', 'logs', id] as const,
  checkpoints: (id: string) => ['jobs', 'checkpoints', id] as const,
};
