import { useT } from '../../../lib/i18n.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import { newJobMessages } from '../new-job.i18n.ts';
import { plannedSteps } from '../utils/planned-steps.ts';

/** How long the job will run: its optimizer steps, and the budget's limit when there is one. */
export function PlanSummary({ resolved, rows }: { resolved: Record<string, { value: unknown }>; rows: number }) {
  const t = useT(newJobMessages);
  const f = useFormatters();
  const plan = plannedSteps(resolved, rows);
  const budget = resolved.budget?.value as { minutes?: number } | undefined;
  if (!plan) return null;
  const epochs = resolved.epochs?.value as number;
  return (
    <p className="plan-summary" data-steps={plan.steps}>
      {plan.capped ? t('planStepsCapped', { steps: plan.steps, perStep: plan.perStep }) : t('planSteps', { steps: plan.steps, perStep: plan.perStep, epochs: f.number(epochs, 1), rows })}
      {budget?.minutes !== undefined && <> {t('planBudget', { minutes: budget.minutes })}</>}
    </p>
  );
}
