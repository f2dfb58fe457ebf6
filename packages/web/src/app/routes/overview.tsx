import { paths } from '../../config/paths.ts';
import { Link } from '../../lib/router.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Loading } from '../../components/loading.tsx';
import { Section } from '../../components/section.tsx';
import { DeploymentList } from '../../features/deployments/components/deployment-list.tsx';
import { isActive } from '../../features/jobs/api/job-types.ts';
import { useJobs } from '../../features/jobs/api/use-jobs.ts';
import { JobList } from '../../features/jobs/components/job-list.tsx';
import { JobQueue } from '../../features/jobs/components/job-queue.tsx';
import { jobQueueMessages } from '../../features/jobs/job-queue.i18n.ts';
import { jobsMessages } from '../../features/jobs/jobs.i18n.ts';
import { ModelList } from '../../features/models/components/model-list.tsx';
import { QuickStart } from '../../features/overview/components/quick-start.tsx';
import { quickStartMessages } from '../../features/overview/overview.i18n.ts';
import { useT } from '../../lib/i18n.tsx';
import { overviewMessages } from '../app.i18n.ts';
import { useDocumentTitle } from '../../lib/use-document-title.ts';

/** Overview: running and recent jobs with live progress, deployments, models; a quick start when empty. */
export default function OverviewPage() {
  const t = useT(overviewMessages);
  const tj = useT(jobsMessages);
  const tq = useT(quickStartMessages);
  const tqueue = useT(jobQueueMessages);
  const jobs = useJobs();
  useDocumentTitle(t('title'));
  const all = jobs.data ?? [];
  const active = all.filter((j) => isActive(j.status) || j.status === 'paused');
  const recent = all.filter((j) => !active.includes(j)).slice(0, 10);
  return (
    <>
      <h1>{t('title')}</h1>
      {jobs.error && <ErrorMessage error={jobs.error} onRetry={() => void jobs.refetch()} />}
      {!jobs.data && !jobs.error && <Loading />}
      {jobs.data && all.length === 0 && (
        <Section title={tq('title')} id="quick-start">
          <QuickStart />
        </Section>
      )}
      {all.length > 0 && (
        <>
          <Section title={tj('activeJobs')} id="active-jobs">
            <JobList jobs={active} caption={tj('activeJobs')} empty={tj('noActiveJobs')} />
          </Section>
          <Section title={tqueue('queue')} id="queue">
            <JobQueue jobs={all} />
          </Section>
          <Section
            title={tj('recentJobs')}
            id="recent-jobs"
            actions={
              <Link className="button small" href={paths.compare()}>
                {tj('compareRuns')}
              </Link>
            }
          >
            <JobList jobs={recent} caption={tj('recentJobs')} empty={tj('noRecentJobs')} />
          </Section>
        </>
      )}
      <div className="columns">
        <Section title={t('deployments')} id="deployments">
          <DeploymentList />
        </Section>
        <Section title={t('models')} id="models">
          <ModelList />
        </Section>
      </div>
    </>
  );
}
