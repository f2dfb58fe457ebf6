import type { ResolvedValue } from '@whetstone/core';

/**
 * OpenAI's learning_rate_multiplier: the auto learning rate (chosen by model size and tuning)
 * times the multiplier, the reason saying both. A rate the caller gave is never scaled.
 */
export function scaleLearningRate<T extends { values: { learning_rate: number }; resolved: Record<string, ResolvedValue> }>(r: T, multiplier: number | undefined): T {
  const lr = r.resolved.learning_rate;
  if (multiplier === undefined || multiplier === 1 || lr?.source === 'user') return r;
  const value = r.values.learning_rate * multiplier;
  const resolved = { ...r.resolved, learning_rate: { value, source: 'auto' as const, reason: `${lr?.reason ?? 'the auto rate'}, x learning_rate_multiplier ${multiplier}` } };
  return { ...r, values: { ...r.values, learning_rate: value }, resolved };
}
