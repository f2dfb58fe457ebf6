import type { DiagnosisVerdict } from '@whetstone/core';
import { Badge, type Tone } from '../../../components/badge.tsx';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { Loading } from '../../../components/loading.tsx';
import { useT } from '../../../lib/i18n.tsx';
import { useJobDiagnosis } from '../api/use-job-diagnosis.ts';
import { jobsMessages, verdictMessages } from '../jobs.i18n.ts';

const TONES: Record<DiagnosisVerdict, Tone> = { healthy: 'success', too_early: 'neutral', not_converging: 'warning', overfitting: 'warning', unstable: 'danger' };

/**
 * The diagnosis in plain words: the verdict and what it means in the console's language, then
 * the server's evidence (with its numbers and steps) and advice.
 */
export function DiagnosisPanel({ jobId, step }: { jobId: string; step: number }) {
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
          <ul translate="no">
            {d.evidence.map((e, i) => (
              <li key={i}>{e.message}</li>
            ))}
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
