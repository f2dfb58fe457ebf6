/**
 * The label set a fine-tuned model remembers from its labelling data (`label_set.labels` on the
 * model record, when data analysis recorded one), read loosely: most models have none.
 */
export function rememberedLabels(model: unknown): string[] {
  const set = (model as { label_set?: { labels?: { label?: unknown }[] } | null } | undefined)?.label_set;
  return (set?.labels ?? []).map((l) => l.label).filter((l): l is string => typeof l === 'string' && l.length > 0);
}

/** "positive, negative , neutral" -> ["positive", "negative", "neutral"]. */
export const splitLabels = (text: string) => text.split(',').map((l) => l.trim()).filter(Boolean);
