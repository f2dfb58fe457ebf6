import { ErrorMessage } from '../../../components/error-message.tsx';
import { Loading } from '../../../components/loading.tsx';
import { paths } from '../../../config/paths.ts';
import { useT } from '../../../lib/i18n.tsx';
import { Link } from '../../../lib/router.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import { useBenchmarks } from '../api/use-benchmarks.ts';
import { benchmarksMessages } from '../benchmarks.i18n.ts';
import { BenchmarkStatusBadge } from './benchmark-status-badge.tsx';

/** Every benchmark: name (a link), status, its questions, the models, the leader and its accuracy, created. */
export function BenchmarkList() {
  const t = useT(benchmarksMessages);
  const f = useFormatters();
  const list = useBenchmarks();
  if (list.isPending) return <Loading />;
  if (list.error) return <ErrorMessage error={list.error} onRetry={() => void list.refetch()} />;
  if (list.data.length === 0) return <p className="muted">{t('noBenchmarks')}</p>;
  return (
    <table className="table">
      <caption className="sr-only">{t('allBenchmarks')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('name')}</th>
          <th scope="col">{t('status')}</th>
          <th scope="col">{t('questions')}</th>
          <th scope="col">{t('models')}</th>
          <th scope="col">{t('leader')}</th>
          <th scope="col">{t('created')}</th>
        </tr>
      </thead>
      <tbody>
        {list.data.map((b) => (
          <tr key={b.id} data-benchmark-id={b.id}>
            <td>
              <Link href={paths.benchmark(b.id)} translate="no">
                {b.name}
              </Link>
            </td>
            <td>
              <BenchmarkStatusBadge status={b.status} />
            </td>
            <td className="nowrap">{t('questionsCount', { n: b.dataset.questions })}</td>
            <td translate="no">{b.models.map((m) => m.label).join(', ')}</td>
            <td translate="no" className="nowrap">{b.ranking[0] ? `${b.ranking.filter((r) => r.rank === 1).map((r) => r.label).join(', ')} (${f.number(b.ranking[0].acc * 100, 1)}%)` : '–'}</td>
            <td className="nowrap">{f.dateTime(b.created_at)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
