import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { paths } from '../../../config/paths.ts';
import { useBrowserNotifications } from '../../../lib/browser-notifications.ts';
import { useT } from '../../../lib/i18n.tsx';
import { navigate } from '../../../lib/router.tsx';
import { listQueries } from '../../../lib/shared-queries.ts';
import { isActive } from '../api/job-types.ts';
import { jobNotificationMessages } from '../job-notifications.i18n.ts';

const POLL_MS = 4000;
const FINAL = ['succeeded', 'failed', 'cancelled'] as const;
type Final = (typeof FINAL)[number];

/**
 * While browser notifications are on and any console page is open, poll GET /jobs and show a
 * notification when a job this page saw queued or running reaches a final state. Jobs that
 * already ended before the page saw them move are never announced.
 */
export function useJobFinishNotifications() {
  const on = useBrowserNotifications();
  const t = useT(jobNotificationMessages);
  const moving = useRef(new Set<string>());
  const jobs = useQuery({
    ...listQueries.jobs, // the overview's list: one cache entry, polled at the faster of the two
    enabled: on,
    refetchInterval: POLL_MS,
    refetchIntervalInBackground: true, // the point is to hear about it in another tab
  });
  useEffect(() => {
    if (!on || !jobs.data) return;
    for (const job of jobs.data) {
      if (isActive(job.status)) moving.current.add(job.id);
      else if (moving.current.has(job.id) && (FINAL as readonly string[]).includes(job.status)) {
        moving.current.delete(job.id);
        const n = new Notification(t(`title_${job.status as Final}`), { body: t('body', { name: job.name }), tag: `whet-job-${job.id}` });
        n.onclick = () => {
          window.focus();
          navigate(paths.job(job.id));
        };
      }
    }
  }, [on, jobs.data, t]);
}
