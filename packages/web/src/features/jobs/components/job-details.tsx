import { lazy, Suspense, useState, useSyncExternalStore, type ReactNode } from 'react';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { Loading } from '../../../components/loading.tsx';
import { Section } from '../../../components/section.tsx';
import { paths } from '../../../config/paths.ts';
import { ApiError, storedError } from '../../../lib/api-error.ts';
import { useT } from '../../../lib/i18n.tsx';
import { Link } from '../../../lib/router.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import { isActive, type Job } from '../api/job-types.ts';
import { useJob } from '../api/use-job.ts';
import { useResultModel } from '../api/use-result-model.ts';
import { useJobDiagnosis } from '../api/use-job-diagnosis.ts';
import { useJobStream } from '../api/use-job-stream.ts';
import type { JobSeries } from '../api/job-series.ts';
import type { StreamState } from '../../../lib/event-stream.ts';
import { checkpointMessages, jobsMessages, tuningMessages } from '../jobs.i18n.ts';
import { CheckpointList } from './checkpoint-list.tsx';
import { DiagnosisPanel } from './diagnosis-panel.tsx';
import { JobActions } from './job-actions.tsx';
import { JobProgressCell } from './job-progress-cell.tsx';
import { JobStatusBadge } from './job-status-badge.tsx';
import { LogTail } from './log-tail.tsx';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';

// uPlot and the charts load after the page: the rest of the job shows at once.
const JobCharts = lazy(() => import('./job-charts.tsx'));
const NO_EVIDENCE: never[] = [];

/** One job: status and actions, live curves, the diagnosis and the log tail. */
export function JobDetails({ id }: { id: string }) {
  const t = useT(jobsMessages);
  const tc = useT(checkpointMessages);
  const q = useJob(id);
  const job = q.data;
  const stream = useJobStream(id, isActive(job?.status));
  // The panel asks for the same query; the charts mark its evidence.
  const diagnosis = useJobDiagnosis(id, job?.progress.step ?? 0);
  const [highlight, setHighlight] = useState<number | null>(null);
  useDocumentTitle(job ? t('jobTitle', { name: job.name }) : null);

  if (q.error) {
    const missing = q.error instanceof ApiError && q.error.code === 'JOB_NOT_FOUND';
    return missing ? <p className="muted">{t('notFound')}</p> : <ErrorMessage error={q.error} onRetry={() => void q.refetch()} />;
  }
  if (!job) return <Loading />;
  return (
    <>
      <div className="page-head">
        <h1>
          {t('jobHeading')} <span translate="no">{job.name}</span>
        </h1>
        <JobStatusBadge status={job.status} />
        <JobActions job={job} />
        <Link className="button" style={{ textDecoration: 'none' }} href={`${paths.newJob()}?from=${encodeURIComponent(job.id)}`}>
          {t('clone')}
        </Link>
      </div>
      {job.error && <ErrorMessage error={storedError(job.error)} />}
      <JobFacts job={job} />
      <Section title={t('curves')} id="curves" actions={<StreamStatus state={stream.state} active={isActive(job.status)} />}>
        <SeriesSummary series={stream.series} />
        <Suspense fallback={<p className="muted chart-placeholder">{t('chartLoading')}</p>}>
          <JobCharts series={stream.series} method={job.method} evidence={diagnosis.data?.evidence ?? NO_EVIDENCE} highlight={highlight} />
        </Suspense>
      </Section>
      <Section title={tc('title')} id="checkpoints">
        <CheckpointList jobId={id} active={isActive(job.status)} />
      </Section>
      <div className="columns">
        <Section title={t('diagnosis')} id="diagnosis">
          <DiagnosisPanel jobId={id} step={job.progress.step} highlight={highlight} onHighlight={setHighlight} />
        </Section>
        <Section title={t('logs')} id="logs">
          <LogTail jobId={id} active={isActive(job.status)} />
        </Section>
      </div>
    </>
  );
}

function JobFacts({ job }: { job: Job }) {
  const t = useT(jobsMessages);
  const tt = useT(tuningMessages);
  const f = useFormatters();
  const p = job.progress;
  const facts: [string, ReactNode][] = [
    [t('progress'), <JobProgressCell job={job} />],
    [t('model'), <Link href={paths.model(job.model_id)} translate="no">{job.model_id}</Link>],
    [t('dataset'), <Link href={paths.dataset(job.dataset_id)} translate="no">{job.dataset_id}</Link>],
    ...(job.output_model_id ? [[t('result'), <ResultLink id={job.output_model_id} />] as [string, ReactNode]] : []),
    [t('tuning'), tt(job.tuning)],
    ...(job.resources ? [[t('resources'), <ResourcesFact resources={job.resources} />] as [string, ReactNode]] : []),
    [t('epoch'), p.epoch === null ? '–' : f.number(p.epoch, 2)],
    [t('trainLoss'), p.loss === null ? '–' : f.metric(p.loss)],
    [t('evalLoss'), p.eval_loss === null ? '–' : f.metric(p.eval_loss)],
    [t('tokensPerSec'), p.tokens_per_sec === null ? '–' : f.number(p.tokens_per_sec)],
    // what the worker trained in (bfloat16 on a CPU with AMX), its reason on hover: the worker's words, not translated
    ...(job.resolved.dtype ? [[t('dtype'), <span translate="no" title={job.resolved.dtype.reason}>{String(job.resolved.dtype.value)}</span>] as [string, ReactNode]] : []),
  ];
  return (
    <dl className="facts">
      {facts.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Where the job trains: "torchrun: 1 node(s) x 2 process(es), CPU (gloo), ddp", and its shared folder when it names one. */
function ResourcesFact({ resources: r }: { resources: NonNullable<Job['resources']> }) {
  const t = useT(jobsMessages);
  const device = r.gpus_per_process ? t('resourcesGpu', { gpus: r.gpus_per_process }) : t('resourcesCpu');
  const where =
    r.executor === 'local' && r.processes_per_node === 1
      ? t('resourcesLocal')
      : t('resourcesMany', { executor: r.executor, nodes: r.nodes, processes: r.processes_per_node, device, strategy: r.strategy });
  return <>{r.shared_path ? t('resourcesShared', { where, path: r.shared_path }) : where}</>;
}

/** The model the job produced, by name, linking to its page (deploy, export, chat template). */
function ResultLink({ id }: { id: string }) {
  const name = useResultModel(id).data?.name ?? id;
  return (
    <Link href={paths.model(id)} translate="no">
      {name}
    </Link>
  );
}

function SeriesSummary({ series }: { series: JobSeries }) {
  const t = useT(jobsMessages);
  useSyncExternalStore(series.subscribe, series.getVersion);
  const text = series.counts.loss ? t('points', { loss: series.counts.loss, eval: series.counts.eval_loss }) : t('noPoints');
  return <p className="muted small-text series-summary">{text}</p>;
}

function StreamStatus({ state, active }: { state: StreamState; active: boolean }) {
  const t = useT(jobsMessages);
  if (!active && state === 'closed') return null;
  const label = state === 'open' ? t('live') : state === 'retrying' ? t('retrying') : state === 'closed' ? t('closed') : t('connecting');
  return (
    <span className={`stream stream-${state}`} role="status">
      {label}
    </span>
  );
}
