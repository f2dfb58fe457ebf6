import { ErrorMessage } from '../../../components/error-message.tsx';
import { ProgressBar } from '../../../components/progress-bar.tsx';
import { storedError } from '../../../lib/api-error.ts';
import { useT } from '../../../lib/i18n.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import type { Benchmark } from '../api/benchmark-types.ts';
import { benchmarksMessages } from '../benchmarks.i18n.ts';
import { BenchmarkStatusBadge } from './benchmark-status-badge.tsx';

/** Each model: its status, progress over the questions, questions per second and its error. */
export function ModelProgress({ benchmark }: { benchmark: Benchmark }) {
  const t = useT(benchmarksMessages);
  const f = useFormatters();
  return (
    <table className="table">
      <caption className="sr-only">{t('progress')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('model')}</th>
          <th scope="col">{t('status')}</th>
          <th scope="col">{t('progress')}</th>
          <th scope="col" className="num">
            {t('questionsPerSec')}
          </th>
        </tr>
      </thead>
      <tbody>
        {benchmark.models.map((m, i) => (
          <tr key={i} data-model={i} data-status={m.status}>
            <td>
              <span translate="no">{m.label}</span>
              {m.error && <ErrorMessage error={storedError(m.error)} />}
            </td>
            <td>
              <BenchmarkStatusBadge status={m.status} />
            </td>
            <td>
              <div className="progress-cell">
                <ProgressBar value={m.progress.done} max={m.progress.total || null} label={t('modelProgress', { label: m.label })} />
                <span className="small-text muted">{t('doneOf', { done: m.progress.done, total: m.progress.total })}</span>
              </div>
            </td>
            <td className="num" translate="no">
              {m.questions_per_sec === null ? '–' : f.number(m.questions_per_sec, 1)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
