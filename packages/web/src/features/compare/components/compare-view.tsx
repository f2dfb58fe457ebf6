import type { JobStatus } from '@whetstone/core';
import { lazy, Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { Loading } from '../../../components/loading.tsx';
import { Section } from '../../../components/section.tsx';
import { paths } from '../../../config/paths.ts';
import { useT } from '../../../lib/i18n.tsx';
import { Link } from '../../../lib/router.tsx';
import { useCompareJobs } from '../api/use-compare-jobs.ts';
import { useRunsMetrics } from '../api/use-runs-metrics.ts';
import { compareMessages } from '../compare.i18n.ts';
import { alignRuns } from '../lib/align-runs.ts';
import { parseSelection } from '../lib/compare-selection.ts';
import '../compare.css';
import { HyperparameterTable } from './hyperparameter-table.tsx';
import { JobPicker } from './job-picker.tsx';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';

const RunsChart = lazy(() => import('./runs-chart.tsx'));

/**
 * Compare runs: pick jobs, see their loss curves overlaid and their settings side by side. The
 * choice lives in the URL (`?jobs=id1,id2`), so a reload or a shared link shows the same runs.
 */
export function CompareView({ statusBadge }: { statusBadge: (status: JobStatus) => ReactNode }) {
  const t = useT(compareMessages);
  const [selected, setSelected] = useState(() => parseSelection(window.location.search));
  const jobs = useCompareJobs();
  useDocumentTitle(t('title'));
  useEffect(() => {
    const url = paths.compare(selected);
    if (url !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, '', url);
  }, [selected]);

  const all = jobs.data ?? [];
  const chosen = useMemo(() => selected.flatMap((id) => all.filter((j) => j.id === id)), [selected, all]);
  const missing = jobs.data ? selected.filter((id) => !all.some((j) => j.id === id)) : [];
  const toggle = (id: string, on: boolean) => setSelected((s) => (on ? [...s.filter((x) => x !== id), id] : s.filter((x) => x !== id)));

  return (
    <>
      <h1>{t('title')}</h1>
      {jobs.error && <ErrorMessage error={jobs.error} onRetry={() => void jobs.refetch()} />}
      {!jobs.data && !jobs.error && <Loading />}
      {jobs.data && all.length === 0 && (
        <p className="muted">
          {t('noJobs')} <Link href={paths.newJob()}>{t('newJob')}</Link>
        </p>
      )}
      {all.length > 0 && (
        <Section title={t('pickJobs')} id="compare-pick">
          <JobPicker jobs={all} selected={selected} onToggle={toggle} statusBadge={statusBadge} />
          {missing.length > 0 && (
            <p className="muted">
              {t('missing')} <span translate="no">{missing.join(', ')}</span>
            </p>
          )}
        </Section>
      )}
      {jobs.data && all.length > 0 && chosen.length < 2 && <p className="empty-state">{t('pickMore')}</p>}
      {chosen.length >= 2 && (
        <>
          <Section title={t('curves')} id="compare-curves">
            <Curves jobs={chosen} />
          </Section>
          <Section title={t('settings')} id="compare-settings">
            <HyperparameterTable jobs={chosen} />
          </Section>
        </>
      )}
    </>
  );
}

function Curves({ jobs }: { jobs: Parameters<typeof useRunsMetrics>[0] }) {
  const t = useT(compareMessages);
  const metrics = useRunsMetrics(jobs);
  const failed = metrics.find((m) => m.error);
  const stamp = metrics.map((m) => m.dataUpdatedAt).join(',');
  // The stamp says when any run's points changed (useQueries gives a new array every render).
  const runs = useMemo(() => alignRuns(metrics.map((m) => m.data ?? [])), [stamp, jobs]);
  const names = useMemo(() => jobs.map((j) => j.name), [jobs]);
  if (failed?.error) return <ErrorMessage error={failed.error} onRetry={() => void failed.refetch()} />;
  if (metrics.some((m) => !m.data)) return <Loading />;
  return (
    <>
      {runs.steps.length === 0 && <p className="muted">{t('noPoints')}</p>}
      <Suspense fallback={<p className="muted chart-placeholder">{t('chartLoading')}</p>}>
        <RunsChart names={names} runs={runs} />
      </Suspense>
    </>
  );
}
