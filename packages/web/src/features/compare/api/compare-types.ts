import type { JobStatus } from '@whetstone/core';
import type { api, Ok } from '../../../lib/api-client.ts';

/** A job as `GET /api/v1/jobs` lists it (typed from the server's route). */
export type CompareJob = Ok<Awaited<ReturnType<(typeof api.jobs)['$get']>>>['data'][number];

/** Still moving, so its curves are asked for again while the page is open. */
export const isMoving = (status: JobStatus) => status === 'queued' || status === 'validating' || status === 'running';

export const compareKeys = {
  metrics: (id: string) => ['compare', 'metrics', id] as const,
};
