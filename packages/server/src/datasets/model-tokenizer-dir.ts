import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Model, WhetError } from '@whetstone/core';
import type { AppContext } from '../context.ts';

/**
 * The folder holding a model's tokenizer.json, by model id or name: its own folder, or for an
 * adapter without its own tokenizer, its base model's.
 */
export function modelTokenizerDir(ctx: AppContext, ref: string, field = 'model'): { model: Model; dir: string } {
  const model = ctx.store.getModel(ref);
  if (!model) throw new WhetError('MODEL_NOT_FOUND', `no model with id or name "${ref}"`, { field });
  if (existsSync(join(model.path, 'tokenizer.json'))) return { model, dir: model.path };
  const base = model.base_model_id ? ctx.store.getModel(model.base_model_id) : undefined;
  if (base && existsSync(join(base.path, 'tokenizer.json'))) return { model, dir: base.path };
  throw new WhetError('MODEL_PATH_INVALID', `model "${model.name}" has no tokenizer.json in ${model.path}`, {
    field,
    hint: 'Token counts need the model\'s Hugging Face tokenizer.json; save it with tokenizer.save_pretrained into the model folder.',
  });
}
