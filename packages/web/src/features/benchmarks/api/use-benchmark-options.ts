import { useQuery } from '@tanstack/react-query';
import { listQueries, readyDatasets } from '../../../lib/shared-queries.ts';

/** Models a benchmark can rank: registered base models and fine-tuned results. */
export function useModelOptions() {
  return useQuery(listQueries.models);
}

/** Multiple-choice datasets that passed validation (questions and dev sets), newest first. */
export function useMultipleChoiceDatasets() {
  return useQuery({ ...listQueries.datasets, select: (rows) => readyDatasets(rows).filter((d) => d.purpose === 'multiple_choice') });
}
