import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { ConnectionSchema } from '@whetstone/core';
import { api, unwrap } from '../../../lib/api-client.ts';
import { apiFetch } from '../../../lib/api-fetch.ts';
import { errorFromResponse, networkError } from '../../../lib/api-error.ts';
import { evaluationKeys } from './evaluation-types.ts';

const ConnectionListSchema = z.object({ data: z.array(ConnectionSchema) });

/** What the form offers as columns: registered models (base models and job results). */
export function useModelOptions() {
  return useQuery({
    queryKey: evaluationKeys.options('models'),
    queryFn: async () => (await unwrap(api.models.$get())).data,
  });
}

/** Test sets and few-shot data: datasets that passed validation, newest first. */
export function useDatasetOptions() {
  return useQuery({
    queryKey: evaluationKeys.options('datasets'),
    queryFn: async () =>
      (await unwrap(api.datasets.$get())).data.filter((d) => d.status === 'ready').sort((a, b) => b.created_at.localeCompare(a.created_at)),
  });
}

/** Jobs that finished: their held-out split can be the test set. */
export function useJobOptions() {
  return useQuery({
    queryKey: evaluationKeys.options('jobs'),
    queryFn: async () => (await unwrap(api.jobs.$get({ query: {} }))).data.filter((j) => j.status === 'succeeded'),
  });
}

/**
 * Outside OpenAI-compatible endpoints an admin configured (`GET /api/v1/connections`), each a
 * possible column. The route is not in the typed client yet, so the answer is parsed with
 * core's own ConnectionSchema.
 */
export function useConnectionOptions() {
  return useQuery({
    queryKey: evaluationKeys.options('connections'),
    queryFn: async () => {
      let res: Response;
      try {
        res = await apiFetch('/api/v1/connections');
      } catch (e) {
        throw networkError(e);
      }
      if (!res.ok) throw await errorFromResponse(res);
      return ConnectionListSchema.parse(await res.json()).data;
    },
  });
}
