import { Badge, type Tone } from '../../../components/badge.tsx';
import { useT } from '../../../lib/i18n.tsx';
import type { EvaluationStatus } from '../api/evaluation-types.ts';
import { evaluationStatusMessages } from '../evaluations.i18n.ts';

const TONES: Record<EvaluationStatus, Tone> = { queued: 'neutral', running: 'info', succeeded: 'success', failed: 'danger', cancelled: 'warning' };

export function EvaluationStatusBadge({ status }: { status: EvaluationStatus }) {
  const t = useT(evaluationStatusMessages);
  return <Badge tone={TONES[status]}>{t(status)}</Badge>;
}
