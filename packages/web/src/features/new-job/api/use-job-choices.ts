import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, unwrap } from '../../../lib/api-client.ts';
import { detailQueries, listQueries, readyDatasets, withoutAdapters } from '../../../lib/shared-queries.ts';
import { type Method, PURPOSE_OF_METHOD } from '../utils/build-job-request.ts';

/** Models a job can train from: base models and full weights (an adapter trains from its base). */
export function useTrainableModels() {
  return useQuery({ ...listQueries.models, select: withoutAdapters });
}

/** Datasets the method can train on: ready, with rows of its kind (chats for sft, raw text for pretrain); newest first. */
export function useTrainableDatasets(method: Method) {
  const purpose = PURPOSE_OF_METHOD[method];
  const select = useCallback((all: Parameters<typeof readyDatasets>[0]) => readyDatasets(all).filter((d) => d.purpose === purpose && d.rows > 0), [purpose]);
  return useQuery({ ...listQueries.datasets, select });
}

/** Whether the data fits the model: its token lengths with the model's tokenizer (202 "counting" is asked again). */
export function useDataFit(dataset: string, model: string) {
  return useQuery({
    queryKey: ['new-job', 'fit', dataset, model],
    queryFn: () => unwrap(api.datasets[':id'].stats.$get({ param: { id: dataset }, query: { model } } as { param: { id: string } })),
    enabled: dataset !== '' && model !== '',
    refetchInterval: (q) => (q.state.data?.status === 'counting' ? 1500 : false),
  });
}

/** The job a new form is cloned from (`?from=<job id>`); off when there is none. */
export function useSourceJob(id: string | null) {
  return useQuery({
    ...detailQueries.job(id ?? ''),
    enabled: id !== null,
    staleTime: Infinity,
  });
}
