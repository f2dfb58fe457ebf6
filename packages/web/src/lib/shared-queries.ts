import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './api-client.ts';

const newestFirst = <T extends { created_at: string }>(rows: readonly T[]): T[] => [...rows].sort((a, b) => b.created_at.localeCompare(a.created_at));

const fetchModels = async () => (await unwrap(api.models.$get())).data;
const fetchDatasets = async () => newestFirst((await unwrap(api.datasets.$get())).data);
const fetchJobs = async () => newestFirst((await unwrap(api.jobs.$get({ query: {} }))).data);

/**
 * The queries several features read: the lists of models, datasets, jobs and connections, and one
 * model or job. One query key and one fetcher each, so a page that narrows a list (the models a
 * job can train from, the datasets that are ready) does it with `select` on the same cache entry:
 * one request where there were up to six, and a change invalidated once (`['models']`,
 * `['jobs']`, ...) is fresh everywhere. Each feature's own key table (modelKeys.list, ...) points here.
 */
export const listQueries = {
  models: queryOptions({ queryKey: ['models', 'list'] as const, queryFn: fetchModels }),
  datasets: queryOptions({ queryKey: ['datasets', 'list'] as const, queryFn: fetchDatasets }),
  jobs: queryOptions({ queryKey: ['jobs', 'list'] as const, queryFn: fetchJobs }),
  connections: queryOptions({ queryKey: ['connections', 'list'] as const, queryFn: async () => (await unwrap(api.connections.$get())).data }),
  deployments: queryOptions({ queryKey: ['deployments', 'list'] as const, queryFn: async () => (await unwrap(api.deployments.$get())).data }),
};

/** One model or job by id, under the key its own page uses (a job page's link to its result model shares the models page's entry). */
export const detailQueries = {
  model: (id: string) => queryOptions({ queryKey: ['models', 'detail', id] as const, queryFn: () => unwrap(api.models[':id'].$get({ param: { id } })) }),
  job: (id: string) => queryOptions({ queryKey: ['jobs', 'detail', id] as const, queryFn: () => unwrap(api.jobs[':id'].$get({ param: { id } })) }),
};

type ModelRow = Awaited<ReturnType<typeof fetchModels>>[number];
type DatasetRow = Awaited<ReturnType<typeof fetchDatasets>>[number];
type JobRow = Awaited<ReturnType<typeof fetchJobs>>[number];

/** `select` for the models that train or count tokens: base models and full weights (an adapter uses its base's). */
export const withoutAdapters = (models: ModelRow[]): ModelRow[] => models.filter((m) => m.kind !== 'adapter');
/** `select` for the datasets that passed validation. */
export const readyDatasets = (datasets: DatasetRow[]): DatasetRow[] => datasets.filter((d) => d.status === 'ready');
/** `select` for the jobs that finished well (their result and held-out split can be evaluated). */
export const succeededJobs = (jobs: JobRow[]): JobRow[] => jobs.filter((j) => j.status === 'succeeded');
