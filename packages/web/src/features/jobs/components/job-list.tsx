import { Link } from '../../../lib/router.tsx';
import { useT } from '../../../lib/i18n.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import { paths } from '../../../config/paths.ts';
import type { Job } from '../api/job-types.ts';
import { jobsMessages } from '../jobs.i18n.ts';
import { JobProgressCell } from './job-progress-cell.tsx';
import { JobStatusBadge } from './job-status-badge.tsx';

/** A table of jobs: name (a link to the job), status, progress, last loss, created. */
export function JobList({ jobs, caption, empty }: { jobs: Job[]; caption: string; empty: string }) {
  const t = useT(jobsMessages);
  const f = useFormatters();
  if (jobs.length === 0) return <p className="muted">{empty}</p>;
  return (
    <table className="table">
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('name')}</th>
          <th scope="col">{t('status')}</th>
          <th scope="col">{t('progress')}</th>
          <th scope="col">{t('loss')}</th>
          <th scope="col">{t('created')}</th>
        </tr>
      </thead>
      <tbody>
        {jobs.map((job) => (
          <tr key={job.id} data-job-id={job.id}>
            <td>
              <Link href={paths.job(job.id)} translate="no">
                {job.name}
              </Link>
            </td>
            <td>
              <JobStatusBadge status={job.status} />
            </td>
            <td>
              <JobProgressCell job={job} />
            </td>
            <td className="num" translate="no">
              {job.progress.loss === null ? '–' : f.metric(job.progress.loss)}
            </td>
            <td className="nowrap">
              {f.dateTime(job.created_at)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
