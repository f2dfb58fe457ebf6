import { ErrorMessage } from '../../../components/error-message.tsx';
import { paths } from '../../../config/paths.ts';
import { useT } from '../../../lib/i18n.tsx';
import { navigate } from '../../../lib/router.tsx';
import { isFinished, type Evaluation } from '../api/evaluation-types.ts';
import { useCancelEvaluation, useDeleteEvaluation } from '../api/use-evaluation-actions.ts';
import { evaluationActionsMessages } from '../evaluation-actions.i18n.ts';

/**
 * Cancel (a queued or running evaluation, or a judge pass under way) and delete (once nothing
 * runs), each after a confirm; a refusal shows beside the buttons.
 */
export function EvaluationActions({ evaluation: e }: { evaluation: Evaluation }) {
  const t = useT(evaluationActionsMessages);
  const cancel = useCancelEvaluation(e.id);
  const del = useDeleteEvaluation(e.id);
  const running = !isFinished(e.status);
  const judging = e.judge != null && !isFinished(e.judge.status);
  const stopping = Boolean(e.cancelled) && (running || judging);
  const onCancel = () => {
    if (window.confirm(t(running ? 'confirmCancel' : 'confirmCancelJudge'))) cancel.mutate();
  };
  const onDelete = () => {
    if (window.confirm(t('confirmDelete', { name: e.name }))) del.mutate(undefined, { onSuccess: () => navigate(paths.evaluations()) });
  };
  const error = cancel.error ?? del.error;
  return (
    <div className="evaluation-actions">
      <div className="actions">
        {(running || judging) && !stopping && (
          <button type="button" className="button danger" disabled={cancel.isPending} onClick={onCancel}>
            {t(running ? 'cancel' : 'cancelJudge')}
          </button>
        )}
        {!running && !judging && (
          <button type="button" className="button danger" disabled={del.isPending} onClick={onDelete}>
            {del.isPending ? t('deleting') : t('delete')}
          </button>
        )}
      </div>
      {error && <ErrorMessage error={error} />}
    </div>
  );
}
