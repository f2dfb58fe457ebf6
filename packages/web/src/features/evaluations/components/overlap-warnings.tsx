import { useT } from '../../../lib/i18n.tsx';
import type { Evaluation, EvaluationColumn } from '../api/evaluation-types.ts';
import { labelMetricsMessages } from '../label-metrics.i18n.ts';

/** A column whose job trained on some of the test prompts (exactly or once normalized). */
export const overlaps = (c: EvaluationColumn) => (c.overlap?.normalized ?? 0) > 0;
export const overlapWarningId = (index: number) => `overlap-warning-${index}`;

/** One warning per column whose scores partly measure memory: how many test rows its job trained on. */
export function OverlapWarnings({ evaluation }: { evaluation: Evaluation }) {
  const t = useT(labelMetricsMessages);
  const flagged = evaluation.models.map((c, i) => [c, i] as const).filter(([c]) => overlaps(c));
  if (flagged.length === 0) return null;
  return (
    <ul className="plain-list overlap-warnings">
      {flagged.map(([c, i]) => {
        const o = c.overlap!;
        return (
          <li key={i} id={overlapWarningId(i)} className="overlap-warning" data-column={i}>
            <strong>{t('overlap', { label: c.label, count: o.normalized, rows: o.test_rows, job: o.job_id })}</strong>{' '}
            <span>{t('overlapDetail', { exact: o.exact, more: o.normalized - o.exact })}</span>
          </li>
        );
      })}
    </ul>
  );
}

/** The mark beside a flagged column's name in the metric table, pointing at its warning. */
export function OverlapFlag({ column, index }: { column: EvaluationColumn; index: number }) {
  const t = useT(labelMetricsMessages);
  if (!overlaps(column)) return null;
  return (
    <a className="overlap-flag" href={`#${overlapWarningId(index)}`} aria-describedby={overlapWarningId(index)}>
      <span aria-hidden="true">⚠ </span>
      {t('overlapFlag', { count: column.overlap!.normalized })}
    </a>
  );
}
