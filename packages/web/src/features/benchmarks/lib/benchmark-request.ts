import type { BenchmarkCreate } from '@whetstone/core';

export type FormProblem = 'needDataset' | 'needModels' | 'tooManyModels';

export interface BenchmarkDraft {
  name: string;
  datasetId: string;
  devId: string;
  shots: number;
  method: BenchmarkCreate['method'];
  limit: string;
  models: readonly string[];
}

/** The request body for a filled form, or what is missing (every problem at once). */
export function benchmarkRequest(d: BenchmarkDraft): { body: Pick<BenchmarkCreate, 'dataset_id' | 'models'> & Partial<BenchmarkCreate>; problems: Set<FormProblem> } | { body: null; problems: Set<FormProblem> } {
  const problems = new Set<FormProblem>();
  if (!d.datasetId) problems.add('needDataset');
  if (d.models.length === 0) problems.add('needModels');
  if (d.models.length > 8) problems.add('tooManyModels');
  if (problems.size) return { body: null, problems };
  const limit = Number(d.limit);
  return {
    body: {
      dataset_id: d.datasetId,
      models: [...d.models],
      num_fewshot: d.shots,
      method: d.method,
      ...(d.name.trim() ? { name: d.name.trim() } : {}),
      ...(d.devId ? { fewshot_dataset_id: d.devId } : {}),
      ...(d.limit && limit >= 1 ? { limit: Math.floor(limit) } : {}),
    },
    problems,
  };
}
