import type { JobEstimate } from '@whetstone/core';
import { useT } from '../../../lib/i18n.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import { newJobMessages } from '../new-job.i18n.ts';

/** How long the job should train, from the dry run: the budget, the speed of earlier runs, or why there is no figure. */
export function DurationEstimate({ estimate }: { estimate: JobEstimate }) {
  const t = useT(newJobMessages);
  const f = useFormatters();
  const duration = estimate.seconds !== null ? f.duration(estimate.seconds) : '';
  const text =
    estimate.basis === 'budget'
      ? t('estimateBudget', { duration })
      : estimate.basis === 'history'
        ? t(estimate.runs === 1 ? 'estimateHistoryOne' : 'estimateHistory', { duration, runs: estimate.runs, speed: f.number(estimate.tokens_per_sec ?? 0) })
        : t('estimateNone');
  return (
    <div className="estimate" data-basis={estimate.basis}>
      <p>
        <strong>{t('estimate')}</strong> {text}
      </p>
      <p className="muted small-text">
        {t('estimateWhy')} <span translate="no">{estimate.reason}</span>
      </p>
    </div>
  );
}
