import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api-client.ts';

/** Models a job can train from: base models and full weights (an adapter trains from its base). */
export function useTrainableModels() {
  return useQuery({
    queryKey: ['new-job', 'models'],
    queryFn: async () => (await unwrap(api.models.$get())).data.filter((m) => m.kind !== 'adapter'),
  });
}

/** Datasets a fine-tune can use: ready, with supervised (chat) rows; newest first. */
export function useTrainableDatasets() {
  return useQuery({
    queryKey: ['new-job', 'datasets'],
    queryFn: async () =>
      (await unwrap(api.datasets.$get())).data.filter((d) => d.status === 'ready' && d.purpose === 'sft' && d.rows > 0).sort((a, b) => b.created_at.localeCompare(a.created_at)),
  });
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
    queryKey: ['new-job', 'from', id],
    queryFn: () => unwrap(api.jobs[':id'].$get({ param: { id: id! } })),
    enabled: id !== null,
    staleTime: Infinity,
  });
}
