import type { DiagnosisVerdict } from '@whetstone/core';
import { Badge, type Tone } from '../../../components/badge.tsx';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { Loading } from '../../../components/loading.tsx';
import { useT } from '../../../lib/i18n.tsx';
import { useJobDiagnosis } from '../api/use-job-diagnosis.ts';
import { jobsMessages, verdictMessages } from '../jobs.i18n.ts';

const TONES: Record<DiagnosisVerdict, Tone> = { healthy: 'success', too_early: 'neutral', not_converging: 'warning', overfitting: 'warning', rewards_falling: 'warning', unstable: 'danger' };

export interface DiagnosisPanelProps {
  jobId: string;
  step: number;
  /** The evidence item pointed at (hover or keyboard focus): the loss chart draws its marks bold. */
  highlight: number | null;
  onHighlight: (item: number | null) => void;
}

/**
 * The diagnosis in plain words: the verdict and what it means in the console's language, then
 * the server's evidence (with its numbers and steps) and advice. An evidence item about steps
 * carries the number its marks have on the loss chart; pointing at it or tabbing to it
 * highlights those marks.
 */
export function DiagnosisPanel({ jobId, step, highlight, onHighlight }: DiagnosisPanelProps) {
  const t = useT(jobsMessages);
  const tv = useT(verdictMessages);
  const q = useJobDiagnosis(jobId, step);
  if (q.error) return <ErrorMessage error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <Loading />;
  const d = q.data;
  return (
    <div className="diagnosis" data-verdict={d.verdict}>
      <p>
        <Badge tone={TONES[d.verdict]}>{tv(d.verdict)}</Badge> {tv(`${d.verdict}_text`)}
      </p>
      {d.evidence.length > 0 && (
        <>
          <h3>{t('evidence')}</h3>
          <ul className="evidence">
            {d.evidence.map((e, i) =>
              e.steps.length === 0 ? (
                <li key={i} translate="no">
                  {e.message}
                </li>
              ) : (
                <li key={i}>
                  <button
                    type="button"
                    className="evidence-item"
                    data-item={i}
                    data-active={highlight === i || undefined}
                    onMouseEnter={() => onHighlight(i)}
                    onMouseLeave={() => onHighlight(null)}
                    onFocus={() => onHighlight(i)}
                    onBlur={() => onHighlight(null)}
                  >
                    <span className="evidence-number" aria-hidden="true">
                      {i + 1}
                    </span>
                    <span translate="no">{e.message}</span>
                    <span className="sr-only">{t('markedOnChart', { n: i + 1 })}</span>
                  </button>
                </li>
              ),
            )}
          </ul>
        </>
      )}
      {d.advice.length > 0 && (
        <>
          <h3>{t('advice')}</h3>
          <ul translate="no">
            {d.advice.map((a, i) => (
              <li key={i}>{a}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
