import { MAX_LABELS, WhetError, type Model } from '@whetstone/core';

/** The label set a fine-tuned model remembers from its labelling data; older records and base models have none. */
export function rememberedLabels(model: Model | undefined): string[] | null {
  const labels = model?.label_set?.labels.map((l) => l.label) ?? [];
  return labels.length ? labels.slice(0, MAX_LABELS) : null;
}

/** `labels: "model"`: the first of `models` (the adapter before its base) that remembers a label set, else a 400. */
export function labelsOfModel(models: (Model | undefined | null)[], name: string): string[] {
  for (const m of models) {
    const labels = rememberedLabels(m ?? undefined);
    if (labels) return labels;
  }
  throw new WhetError('INVALID_REQUEST', `labels "model": the model "${name}" remembers no label set`, {
    field: 'labels',
    hint: 'Give the labels as a list instead, e.g. "labels": ["positive", "negative"]; a model remembers its label set when it was fine-tuned on labelling data.',
  });
}
