import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ChatTemplateFound {
  template: string;
  /** The file it came from, relative to the folder. */
  file: string;
}

const readJson = (path: string): Record<string, unknown> | null => {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
};

/** A template field: a string, or transformers' list of named templates (the "default" one, else the first). */
function pick(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const named = value.filter((v): v is { name?: unknown; template: string } => typeof v?.template === 'string');
    return (named.find((v) => v.name === 'default') ?? named[0])?.template ?? null;
  }
  return null;
}

/**
 * The chat template of a Hugging Face folder, where transformers looks for it, in its order:
 * chat_template.jinja, chat_template.json, then tokenizer_config.json. null when there is none.
 */
export function readChatTemplate(dir: string): ChatTemplateFound | null {
  const jinja = join(dir, 'chat_template.jinja');
  if (existsSync(jinja)) return { template: readFileSync(jinja, 'utf8'), file: 'chat_template.jinja' };
  for (const file of ['chat_template.json', 'tokenizer_config.json']) {
    const template = pick(readJson(join(dir, file))?.chat_template);
    if (template !== null) return { template, file };
  }
  return null;
}
