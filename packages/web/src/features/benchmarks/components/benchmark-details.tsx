import { DetailLoadError } from '../../../components/detail-load-error.tsx';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { LiveStatus } from '../../../components/live-status.tsx';
import { Loading } from '../../../components/loading.tsx';
import { Section } from '../../../components/section.tsx';
import { paths } from '../../../config/paths.ts';
import { storedError } from '../../../lib/api-error.ts';
import { useT } from '../../../lib/i18n.tsx';
import { Link } from '../../../lib/router.tsx';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { useFormatters } from '../../../lib/use-formatters.ts';
import { isFinished } from '../api/benchmark-types.ts';
import { useBenchmarkStream } from '../api/use-benchmark-stream.ts';
import { useBenchmark } from '../api/use-benchmarks.ts';
import { benchmarksMessages, methodMessages } from '../benchmarks.i18n.ts';
import { AccuracyChart } from './accuracy-chart.tsx';
import { BenchmarkStatusBadge } from './benchmark-status-badge.tsx';
import { ModelProgress } from './model-progress.tsx';
import { QuestionList } from './question-list.tsx';
import { RankingTable } from './ranking-table.tsx';
import { SubjectTable } from './subject-table.tsx';

/** A benchmark, live while it runs: each model's progress, then the ranking, its chart, accuracy per subject and each question's picks. */
export function BenchmarkDetails({ id }: { id: string }) {
  const t = useT(benchmarksMessages);
  const tm = useT(methodMessages);
  const f = useFormatters();
  const benchmark = useBenchmark(id);
  const running = benchmark.data !== undefined && !isFinished(benchmark.data.status);
  const stream = useBenchmarkStream(id, running);
  const name = benchmark.data?.name;
  useDocumentTitle(name ? t('benchmarkTitle', { name }) : t('benchmarkHeading'));

  if (benchmark.isPending) return <Loading />;
  if (benchmark.error) {
    return <DetailLoadError heading={t('benchmarkHeading')} error={benchmark.error} onRetry={() => void benchmark.refetch()} notFound={t('notFound')} back={{ href: paths.benchmarks(), label: t('backToList') }} />;
  }
  const b = benchmark.data;
  return (
    <>
      <p className="small-text">
        <Link href={paths.benchmarks()}>{t('backToList')}</Link>
      </p>
      <div className="page-head">
        <h1>
          {t('benchmarkHeading')} <span translate="no">{b.name}</span>
        </h1>
        <BenchmarkStatusBadge status={b.status} />
        {running && <LiveStatus state={stream} />}
      </div>
      <dl className="facts">
        <div>
          <dt>{t('questions')}</dt>
          <dd>
            {t('questionsCount', { n: b.dataset.questions })}, {t('subjectsCount', { n: b.dataset.subjects })}
          </dd>
        </div>
        <div>
          <dt>{t('method')}</dt>
          <dd>{t('setup', { shots: b.num_fewshot, method: tm(b.method) })}</dd>
        </div>
        <div>
          <dt>{t('created')}</dt>
          <dd>{f.dateTime(b.created_at)}</dd>
        </div>
      </dl>
      {b.error && <ErrorMessage error={storedError(b.error)} />}
      <Section title={t('progress')} id="bench-progress">
        <ModelProgress benchmark={b} />
      </Section>
      <Section title={t('ranking')} id="bench-ranking">
        <RankingTable benchmark={b} />
        <AccuracyChart benchmark={b} />
      </Section>
      <Section title={t('perSubject')} id="bench-subjects">
        <SubjectTable benchmark={b} />
      </Section>
      <Section title={t('perQuestion')} id="bench-questions">
        {b.status === 'succeeded' ? <QuestionList benchmark={b} /> : <p className="muted">{t('questionsWait')}</p>}
      </Section>
    </>
  );
}
