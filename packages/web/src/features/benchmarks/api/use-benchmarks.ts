import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { BenchmarkCreate } from '@whetstone/core';
import { api, unwrap } from '../../../lib/api-client.ts';
import { benchmarkKeys, isFinished, type Benchmark } from './benchmark-types.ts';

/** Every benchmark, newest first; refreshed every 2 s while one runs. */
export function useBenchmarks() {
  return useQuery({
    queryKey: benchmarkKeys.list(),
    queryFn: async () => [...(await unwrap(api.benchmarks.$get())).data].sort((a, b) => b.created_at.localeCompare(a.created_at)),
    refetchInterval: (q) => (q.state.data?.some((b) => !isFinished(b.status)) ? 2000 : 15_000),
  });
}

/** One benchmark; its event stream keeps it current (written into this query's cache). */
export function useBenchmark(id: string) {
  return useQuery({
    queryKey: benchmarkKeys.detail(id),
    queryFn: () => unwrap(api.benchmarks[':id'].$get({ param: { id } })),
  });
}

/** `POST /api/v1/benchmarks`. */
export function useCreateBenchmark() {
  const qc = useQueryClient();
  return useMutation({
    // The route parses its body with BenchmarkCreateSchema itself (no validator in its type).
    mutationFn: (body: Partial<BenchmarkCreate> & Pick<BenchmarkCreate, 'dataset_id' | 'models'>) =>
      unwrap(api.benchmarks.$post({ json: body } as Parameters<typeof api.benchmarks.$post>[0])) as Promise<Benchmark>,
    onSuccess: (b) => {
      qc.setQueryData(benchmarkKeys.detail(b.id), b);
      void qc.invalidateQueries({ queryKey: benchmarkKeys.list() });
    },
  });
}
