import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api-client.ts';
import { jobKeys, type JobLogLine } from './job-types.ts';

const KEEP = 500;

/** The last log lines of a job, fetched incrementally (`?after=seq`) every 2 s while it runs. */
export function useJobLogs(id: string, active: boolean) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: jobKeys.logs(id),
    queryFn: async () => {
      const before = qc.getQueryData<JobLogLine[]>(jobKeys.logs(id)) ?? [];
      const after = before.at(-1)?.seq ?? 0;
      // The route reads ?after without a validator, so its type lists only the path param.
      const args = { param: { id }, query: { after: String(after) } };
      const { data } = await unwrap(api.jobs[':id'].logs.$get(args));
      return data.length ? [...before, ...data].slice(-KEEP) : before;
    },
    refetchInterval: active ? 2000 : false,
  });
}
