import { useQuery } from '@tanstack/react-query';
import { listQueries, readyDatasets, succeededJobs } from '../../../lib/shared-queries.ts';

/** What the form offers as columns: registered models (base models and job results). */
export function useModelOptions() {
  return useQuery(listQueries.models);
}

/** Test sets and few-shot data: datasets that passed validation, newest first. */
export function useDatasetOptions() {
  return useQuery({ ...listQueries.datasets, select: readyDatasets });
}

/** Jobs that finished: their held-out split can be the test set. */
export function useJobOptions() {
  return useQuery({ ...listQueries.jobs, select: succeededJobs });
}

/** Outside OpenAI-compatible endpoints an admin configured, each a possible column (keys never leave the server). */
export function useConnectionOptions() {
  return useQuery(listQueries.connections);
}

/** Deployments that are up: each a possible judge. */
export function useDeploymentOptions() {
  return useQuery({ ...listQueries.deployments, select: (ds) => ds.filter((d) => d.status === 'ready' || d.status === 'loading') });
}
