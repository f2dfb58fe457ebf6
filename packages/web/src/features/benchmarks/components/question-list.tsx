import { useState } from 'react';
import { PagedTable, usePageOffset } from '../../../components/paged-table.tsx';
import { TableFilter } from '../../../components/table-filter.tsx';
import { useT } from '../../../lib/i18n.tsx';
import { LETTERS, type Benchmark } from '../api/benchmark-types.ts';
import { useBenchmarkQuestions } from '../api/use-benchmark-questions.ts';
import { benchmarksMessages } from '../benchmarks.i18n.ts';
import { subjectsOf } from './subject-table.tsx';

const PAGE = 10;
/** The subject filter's value for "every subject" (a real subject may be ""). */
const ALL = '\u0000all';

/** Each question with its answer and every model's pick, filtered by subject or by one model's wrong answers, paged. */
export function QuestionList({ benchmark }: { benchmark: Benchmark }) {
  const t = useT(benchmarksMessages);
  const [subject, setSubject] = useState(ALL);
  const [wrong, setWrong] = useState('');
  const { offset, setOffset, refilter } = usePageOffset();
  const questions = useBenchmarkQuestions(benchmark.id, { subject: subject === ALL ? undefined : subject, wrong: wrong || undefined, limit: PAGE, offset }, true);
  const subjects = subjectsOf(benchmark);
  const finished = benchmark.models.filter((m) => m.status === 'succeeded');

  const controls = (
    <>
      <TableFilter
        label={t('filterSubject')}
        value={subject}
        onChange={refilter(setSubject)}
      >
        <option value={ALL}>{t('allSubjects')}</option>
        {subjects.map((s) => (
          <option key={s.subject} value={s.subject} translate="no">
            {s.subject || t('noSubject')}
          </option>
        ))}
      </TableFilter>
      <TableFilter
        label={t('filterWrong')}
        value={wrong}
        onChange={refilter(setWrong)}
      >
        <option value="">{t('allQuestions')}</option>
        {finished.map((m) => (
          <option key={m.model_id} value={m.label}>
            {t('wrongOf', { label: m.label })}
          </option>
        ))}
      </TableFilter>
    </>
  );

  return (
    <PagedTable
      query={questions}
      controls={controls}
      empty={t('noQuestions')}
      className="question-table"
      caption={t('perQuestion')}
      page={{ offset, size: PAGE, onOffset: setOffset, range: (r) => t('page', r) }}
      head={
        <>
          <th scope="col" className="num">
            {t('index')}
          </th>
          <th scope="col">{t('subject')}</th>
          <th scope="col">{t('question')}</th>
          <th scope="col">{t('answer')}</th>
          {benchmark.models.map((m) => (
            <th scope="col" key={m.model_id}>
              <span translate="no">{m.label}</span>
            </th>
          ))}
        </>
      }
      row={(q) => (
        <tr key={q.index} data-question={q.index}>
          <td className="num" translate="no">
            {q.index + 1}
          </td>
          <td translate="no">{q.subject || '–'}</td>
          <td className="clip" translate="no" title={q.question}>
            {q.question}
          </td>
          <td translate="no">
            <span className="pick">{LETTERS[q.answer]}</span> <span className="muted small-text">{q.choices[q.answer]}</span>
          </td>
          {q.picks.map((p, i) => (
            <td key={i} data-correct={p.correct === null ? '' : String(p.correct)}>
              {p.pred === null ? (
                '–'
              ) : (
                <span className={p.correct ? 'pick pick-right' : 'pick pick-wrong'} aria-label={t(p.correct ? 'pickCorrect' : 'pickWrong', { letter: LETTERS[p.pred]! })}>
                  {LETTERS[p.pred]} {p.correct ? '✓' : '✗'}
                </span>
              )}
            </td>
          ))}
        </tr>
      )}
    />
  );
}
