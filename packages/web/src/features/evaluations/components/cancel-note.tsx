import { useT } from '../../../lib/i18n.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import { isFinished, type Evaluation } from '../api/evaluation-types.ts';
import { evaluationActionsMessages } from '../evaluation-actions.i18n.ts';

/** Who cancelled and when; while the worker is still stopping, that the cancel is under way. */
export function CancelNote({ evaluation: e }: { evaluation: Evaluation }) {
  const t = useT(evaluationActionsMessages);
  const f = useFormatters();
  const c = e.cancelled;
  if (!c) return null;
  const done = c.what === 'judge' ? isFinished(e.judge?.status) : isFinished(e.status);
  const text = !done ? t('stopping', { by: c.by }) : t(c.what === 'judge' ? 'judgeCancelledBy' : 'cancelledBy', { by: c.by, at: f.dateTime(c.at) });
  return (
    <p className="muted" role="status" data-cancelled={c.what}>
      {text}
    </p>
  );
}
