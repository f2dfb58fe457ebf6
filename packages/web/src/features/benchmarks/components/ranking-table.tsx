import { useT } from '../../../lib/i18n.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import type { Benchmark } from '../api/benchmark-types.ts';
import { benchmarksMessages } from '../benchmarks.i18n.ts';

/** Finished models, best accuracy first (ties share a rank), accuracies in percent. */
export function RankingTable({ benchmark }: { benchmark: Benchmark }) {
  const t = useT(benchmarksMessages);
  const f = useFormatters();
  if (benchmark.ranking.length === 0) return <p className="muted">{t('noRanking')}</p>;
  return (
    <table className="table ranking-table">
      <caption className="sr-only">{t('ranking')}</caption>
      <thead>
        <tr>
          <th scope="col" className="num">
            {t('rank')}
          </th>
          <th scope="col">{t('model')}</th>
          <th scope="col" className="num">
            {t('acc')}
          </th>
          <th scope="col" className="num">
            {t('accNorm')}
          </th>
        </tr>
      </thead>
      <tbody>
        {benchmark.ranking.map((r) => (
          <tr key={r.model_id} data-rank={r.rank} data-model-id={r.model_id}>
            <td className="num" translate="no">
              {r.rank}
            </td>
            <td translate="no">{r.label}</td>
            <td className="num" translate="no" data-acc={r.acc}>
              {f.number(r.acc * 100, 1)}%
            </td>
            <td className="num" translate="no">
              {f.number(r.acc_norm * 100, 1)}%
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
