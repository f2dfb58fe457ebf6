import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** PEFT types that train virtual tokens rather than weights: nothing to merge into the model. */
const PROMPT_LEARNING = new Set(['P_TUNING', 'PREFIX_TUNING', 'PROMPT_TUNING']);

/** The adapter folder's PEFT type (adapter_config.json `peft_type`, e.g. "LORA"); null when unreadable. */
export function adapterPeftType(adapterPath: string): string | null {
  try {
    const config = JSON.parse(readFileSync(join(adapterPath, 'adapter_config.json'), 'utf8')) as { peft_type?: unknown };
    return typeof config.peft_type === 'string' ? config.peft_type : null;
  } catch {
    return null;
  }
}

/** Whether an adapter trains virtual tokens (P-tuning, prefix or prompt tuning). */
export function isPromptLearningAdapter(adapterPath: string): boolean {
  return PROMPT_LEARNING.has(adapterPeftType(adapterPath) ?? '');
}
