import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** PEFT types that train virtual tokens rather than weights: nothing to merge into the model. */
const PROMPT_LEARNING = new Set(['P_TUNING', 'PREFIX_TUNING', 'PROMPT_TUNING']);

function adapterConfig(adapterPath: string): { peft_type?: unknown; use_dora?: unknown } {
  try {
    return JSON.parse(readFileSync(join(adapterPath, 'adapter_config.json'), 'utf8')) as { peft_type?: unknown; use_dora?: unknown };
  } catch {
    return {};
  }
}

/** The adapter folder's PEFT type (adapter_config.json `peft_type`, e.g. "LORA"); null when unreadable. */
export function adapterPeftType(adapterPath: string): string | null {
  const type = adapterConfig(adapterPath).peft_type;
  return typeof type === 'string' ? type : null;
}

/** Whether a LoRA adapter is DoRA (weight-decomposed): vLLM serves plain LoRA only. */
export function isDoraAdapter(adapterPath: string): boolean {
  return adapterConfig(adapterPath).use_dora === true;
}

/** Whether an adapter trains virtual tokens (P-tuning, prefix or prompt tuning). */
export function isPromptLearningAdapter(adapterPath: string): boolean {
  return PROMPT_LEARNING.has(adapterPeftType(adapterPath) ?? '');
}
