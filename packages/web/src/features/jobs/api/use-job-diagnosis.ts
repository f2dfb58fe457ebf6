import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api-client.ts';
import { jobKeys } from './job-types.ts';

/** The verdict on a job's curves; asked again as the run gains steps (every `everySteps`). */
export function useJobDiagnosis(id: string, step: number, everySteps = 10) {
  const bucket = Math.floor(step / everySteps);
  return useQuery({
    queryKey: [...jobKeys.diagnosis(id), bucket],
    queryFn: () => unwrap(api.jobs[':id'].diagnosis.$get({ param: { id } })),
    placeholderData: keepPreviousData,
  });
}
