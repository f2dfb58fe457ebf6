import { z } from 'zod';
import { LORA_TUNINGS, type Method, PROMPT_TUNINGS, type Tuning, TUNINGS } from './hyperparameters.ts';

/**
 * Hyperparameters that only some methods or tunings read; every other field applies to all.
 * One table for the server (refusals), the CLI and the console (which fields a form shows).
 */
export const METHOD_ONLY_FIELDS: Record<string, readonly Method[]> = {
  beta: ['dpo'],
  loss_type: ['dpo'],
  orpo_lambda: ['orpo'],
  packing: ['sft'],
};
export const TUNING_ONLY_FIELDS: Record<string, readonly Tuning[]> = {
  lora_r: LORA_TUNINGS,
  lora_alpha: LORA_TUNINGS,
  lora_dropout: LORA_TUNINGS,
  lora_target: LORA_TUNINGS,
  use_rslora: LORA_TUNINGS,
  freeze_trainable_layers: ['freeze'],
  freeze_layers: ['freeze'],
  num_virtual_tokens: PROMPT_TUNINGS,
  // Virtual tokens go before the whole row, so packed samples would share one prompt.
  packing: TUNINGS.filter((t) => !PROMPT_TUNINGS.includes(t)),
};

/** Whether a hyperparameter is read by this method and tuning. */
export function fieldApplies(field: string, method: Method, tuning: Tuning): boolean {
  return (METHOD_ONLY_FIELDS[field]?.includes(method) ?? true) && (TUNING_ONLY_FIELDS[field]?.includes(tuning) ?? true);
}

/**
 * A job body's refinement: a value set (not "auto") for a field the job's method or tuning never
 * reads is refused, naming the field and what reads it, instead of being silently ignored.
 */
export function refuseFieldsThatDoNotApply(body: { method: Method; tuning: Tuning; hyperparameters: unknown }, ctx: z.RefinementCtx): void {
  if (!body.hyperparameters || typeof body.hyperparameters !== 'object') return;
  for (const [field, value] of Object.entries(body.hyperparameters)) {
    if (value === undefined || value === 'auto' || fieldApplies(field, body.method, body.tuning)) continue;
    const methods = METHOD_ONLY_FIELDS[field];
    const why = methods && !methods.includes(body.method)
      ? `applies to method ${methods.map((m) => `"${m}"`).join(' or ')}, not "${body.method}"`
      : `applies to tuning ${TUNING_ONLY_FIELDS[field]!.map((t) => `"${t}"`).join(', ')}, not "${body.tuning}"`;
    ctx.addIssue({ code: 'custom', path: ['hyperparameters', field], message: `${field} ${why}: leave it out, or change the method or tuning` });
  }
}

/** Default method and tuning when a job body leaves them out. */
const DEFAULT_METHOD: Method = 'sft';
const DEFAULT_TUNING: Tuning = 'lora';

/** JSON Schema of "if `hyperparameters.<field>` is set (not "auto"), `key` must be one of `allowed`". */
function documentedRule(field: string, key: 'method' | 'tuning', allowed: readonly string[], fallback: string) {
  const given = { properties: { [key]: { enum: [...allowed] } }, required: [key] };
  return {
    if: { properties: { hyperparameters: { type: 'object', required: [field], properties: { [field]: { not: { const: 'auto' } } } } }, required: ['hyperparameters'] },
    // A body without the key gets the default method or tuning.
    then: allowed.includes(fallback) ? { anyOf: [given, { not: { required: [key] } }] } : given,
  };
}

/**
 * The same rules for the OpenAPI document (JSON Schema if/then), so the documented request
 * schema allows exactly the bodies the handler accepts.
 */
export const DOCUMENTED_FIELD_RULES = [
  ...Object.entries(METHOD_ONLY_FIELDS).map(([f, methods]) => documentedRule(f, 'method', methods, DEFAULT_METHOD)),
  ...Object.entries(TUNING_ONLY_FIELDS).map(([f, tunings]) => documentedRule(f, 'tuning', tunings, DEFAULT_TUNING)),
];
