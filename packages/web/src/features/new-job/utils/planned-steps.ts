/** The resolved values the plan reads (each as the server's `resolved[key].value`). */
type Resolved = Record<string, { value: unknown } | undefined>;

export interface StepPlan {
  steps: number;
  /** Samples per optimizer step (batch x accumulation). */
  perStep: number;
  /** Whether max_steps decides the length rather than the epochs. */
  capped: boolean;
}

/**
 * The optimizer steps a job will run, as the server plans them: max_steps when set, else the
 * steps of its epochs over the training rows (`ceil(rows / per step) x epochs`). Null when a value is missing.
 */
export function plannedSteps(resolved: Resolved, trainRows: number): StepPlan | null {
  const num = (k: string) => (typeof resolved[k]?.value === 'number' ? (resolved[k]!.value as number) : null);
  const batch = num('batch_size');
  const accumulation = num('gradient_accumulation_steps');
  const epochs = num('epochs');
  if (batch === null || accumulation === null || epochs === null) return null;
  const perStep = batch * accumulation;
  const maxSteps = num('max_steps');
  if (maxSteps !== null) return { steps: maxSteps, perStep, capped: true };
  const perEpoch = Math.max(1, Math.ceil(trainRows / perStep));
  return { steps: Math.max(1, Math.ceil(perEpoch * epochs)), perStep, capped: false };
}

/** The rows a dataset trains on once the server held out its validation rows (`resolved.validation_rows`). */
export function trainRows(datasetRows: number, resolved: Resolved): number {
  const heldOut = resolved.validation_rows?.value;
  return typeof heldOut === 'number' && datasetRows > heldOut ? datasetRows - heldOut : datasetRows;
}
