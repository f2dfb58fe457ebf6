import { DetailLoadError } from '../../../components/detail-load-error.tsx';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { LiveStatus } from '../../../components/live-status.tsx';
import { Loading } from '../../../components/loading.tsx';
import { Section } from '../../../components/section.tsx';
import { paths } from '../../../config/paths.ts';
import { storedError } from '../../../lib/api-error.ts';
import { useT } from '../../../lib/i18n.tsx';
import { Link } from '../../../lib/router.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import { LABEL_METRICS, METRICS, isFinished, type MetricName } from '../api/evaluation-types.ts';
import { useEvaluationStream } from '../api/use-evaluation-stream.ts';
import { useEvaluation } from '../api/use-evaluations.ts';
import { evaluationsMessages } from '../evaluations.i18n.ts';
import { judgeMessages } from '../judge.i18n.ts';
import { labelMetricsMessages } from '../label-metrics.i18n.ts';
import { CancelNote } from './cancel-note.tsx';
import { ColumnStatus } from './column-status.tsx';
import { ConfusionMatrix } from './confusion-matrix.tsx';
import { EvaluationActions } from './evaluation-actions.tsx';
import { EvaluationStatusBadge } from './evaluation-status-badge.tsx';
import { JudgeAgainForm } from './judge-again-form.tsx';
import { JudgeResults } from './judge-results.tsx';
import { LabelMetricsTable } from './label-metrics-table.tsx';
import { MetricBars } from './metric-bars.tsx';
import { MetricTable } from './metric-table.tsx';
import { OverlapWarnings } from './overlap-warnings.tsx';
import { SampleList } from './sample-list.tsx';
import { TestSetName } from './test-set-name.tsx';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';

/** An evaluation, live while it runs: columns' progress, the metric table and bars, then the samples. */
export function EvaluationDetails({ id }: { id: string }) {
  const t = useT(evaluationsMessages);
  const tl = useT(labelMetricsMessages);
  const tj = useT(judgeMessages);
  const f = useFormatters();
  const evaluation = useEvaluation(id);
  const running = evaluation.data !== undefined && !isFinished(evaluation.data.status);
  const stream = useEvaluationStream(id, running);
  const name = evaluation.data?.name;
  useDocumentTitle(name ? t('evaluationTitle', { name }) : t('evaluationHeading'));

  if (evaluation.isPending) return <Loading />;
  if (evaluation.error) {
    return <DetailLoadError heading={t('evaluationHeading')} error={evaluation.error} onRetry={() => void evaluation.refetch()} notFound={t('notFound')} back={{ href: paths.evaluations(), label: t('backToList') }} />;
  }
  const e = evaluation.data;
  const labelled = (e.request as { labels?: unknown } | null)?.labels !== undefined || e.models.some((c) => c.label_accuracy);
  const metrics: MetricName[] = [...METRICS, ...(labelled ? LABEL_METRICS : [])];
  // A cancelled evaluation keeps the samples of the models that finished.
  const hasSamples = e.status === 'succeeded' || (e.status === 'cancelled' && e.models.some((c) => c.status === 'succeeded'));
  return (
    <>
      <p className="small-text">
        <Link href={paths.evaluations()}>{t('backToList')}</Link>
      </p>
      <div className="page-head">
        <h1>
          {t('evaluationHeading')} <span translate="no">{e.name}</span>
        </h1>
        <EvaluationStatusBadge status={e.status} />
        {running && <LiveStatus state={stream} />}
        <EvaluationActions evaluation={e} />
      </div>
      <CancelNote evaluation={e} />
      <dl className="facts">
        <div>
          <dt>{t('testSet')}</dt>
          <dd>
            <TestSetName dataset={e.dataset} /> <span className="muted small-text">({t('rows', { rows: e.dataset.rows })})</span>
          </dd>
        </div>
        <div>
          <dt>{t('created')}</dt>
          <dd>{f.dateTime(e.created_at)}</dd>
        </div>
      </dl>
      {e.error && <ErrorMessage error={storedError(e.error)} />}
      <Section title={t('models')} id="eval-columns">
        <ColumnStatus evaluation={e} />
      </Section>
      <Section title={t('metrics')} id="eval-metrics">
        <OverlapWarnings evaluation={e} />
        <MetricTable evaluation={e} metrics={metrics} />
      </Section>
      {labelled && (
        <>
          <Section title={tl('perLabel')} id="eval-labels">
            <LabelMetricsTable evaluation={e} />
          </Section>
          <Section title={tl('confusion')} id="eval-confusion">
            {e.models.some((c) => c.label_metrics) ? (
              <>
                <p className="muted small-text">{tl('confusionLegend')}</p>
                <div className="confusion-grid">
                  {e.models.map((c, i) => c.label_metrics && <ConfusionMatrix key={i} column={c} index={i} />)}
                </div>
              </>
            ) : (
              <p className="muted">{tl('labelsWait')}</p>
            )}
          </Section>
        </>
      )}
      {(e.judge || e.status === 'succeeded') && (
        <Section title={tj('judgeTitle')} id="eval-judge">
          {e.judge && <JudgeResults judge={e.judge} answered={e.status === 'succeeded'} />}
          {e.status === 'succeeded' && <JudgeAgainForm evaluation={e} />}
        </Section>
      )}
      <Section title={t('charts')} id="eval-charts">
        <MetricBars evaluation={e} metrics={metrics} />
      </Section>
      <Section title={t('samples')} id="eval-samples">
        {hasSamples ? <SampleList evaluation={e} /> : <p className="muted">{t(e.status === 'cancelled' ? 'noneFinished' : e.status === 'failed' ? 'noSamples' : 'samplesWait')}</p>}
      </Section>
    </>
  );
}
