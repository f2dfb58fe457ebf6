import { useT } from '../../../lib/i18n.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import type { Benchmark } from '../api/benchmark-types.ts';
import { benchmarksMessages } from '../benchmarks.i18n.ts';

/** The subjects any finished model scored, in the order they first appear, with their question counts. */
export function subjectsOf(benchmark: Benchmark): { subject: string; questions: number }[] {
  const seen = new Map<string, number>();
  for (const m of benchmark.models) for (const s of m.subjects) if (!seen.has(s.subject)) seen.set(s.subject, s.questions);
  return [...seen].map(([subject, questions]) => ({ subject, questions }));
}

/** Accuracy per subject (rows) and model (columns), in percent; a row's leader in bold. */
export function SubjectTable({ benchmark }: { benchmark: Benchmark }) {
  const t = useT(benchmarksMessages);
  const f = useFormatters();
  const subjects = subjectsOf(benchmark);
  if (subjects.length === 0) return <p className="muted">{t('noRanking')}</p>;
  return (
    <div className="table-scroll">
      <table className="table subject-table">
        <caption className="sr-only">{t('perSubject')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('subject')}</th>
            <th scope="col" className="num">
              {t('count')}
            </th>
            {benchmark.models.map((m) => (
              <th scope="col" className="num" key={m.model_id}>
                <span translate="no">{m.label}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {subjects.map(({ subject, questions }) => {
            const accs = benchmark.models.map((m) => m.subjects.find((s) => s.subject === subject)?.acc ?? null);
            const best = Math.max(...accs.map((a) => a ?? -1));
            const lead = accs.filter((a) => a === best).length < accs.filter((a) => a !== null).length; // bold only a lead, not a tie of all
            return (
              <tr key={subject} data-subject={subject}>
                <th scope="row">{subject ? <span translate="no">{subject}</span> : t('noSubject')}</th>
                <td className="num" translate="no">
                  {f.number(questions)}
                </td>
                {accs.map((a, i) => (
                  <td key={i} className={lead && a === best ? 'num best' : 'num'} translate="no" data-acc={a ?? ''}>
                    {a === null ? '–' : `${f.number(a * 100, 1)}%`}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
