import { existsSync, rmSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { type Model, type ModelCreate, WhetError } from '@whetstone/core';
import type { AppContext } from '../context.ts';
import { newId, nowIso } from '../ids.ts';
import { downloadModel } from './hub-download.ts';
import { insideModelRoots } from './inside-model-roots.ts';
import { inspectModelDir } from './inspect-model.ts';

function uniqueName(ctx: AppContext, wanted: string): string {
  if (ctx.store.getModel(wanted)) {
    throw new WhetError('CONFLICT', `a model named "${wanted}" is already registered`, {
      field: 'name',
      hint: 'Pass another "name", or use the registered model as it is.',
    });
  }
  return wanted;
}

/** Register a local Hugging Face folder (inside WHET_MODEL_ROOTS), or download one from the Hub / ModelScope first. */
export async function registerModel(ctx: AppContext, body: ModelCreate): Promise<Model> {
  if (body.path) {
    if (!isAbsolute(body.path)) {
      throw new WhetError('MODEL_PATH_INVALID', `"${body.path}" is not an absolute path`, { field: 'path', hint: 'Give the absolute path of the model folder on the server.' });
    }
    const path = insideModelRoots(body.path, ctx.config.modelRoots);
    const info = inspectModelDir(path);
    const model: Model = {
      id: newId('mdl'),
      name: uniqueName(ctx, body.name ?? basename(resolve(body.path))),
      source: 'local',
      path,
      hub_id: null,
      kind: 'base',
      ...info,
      base_model_id: null,
      job_id: null,
      created_at: nowIso(),
    };
    ctx.store.insertModel(model);
    return model;
  }
  const hubId = body.hub_id!;
  const source = body.source ?? 'hub';
  const name = uniqueName(ctx, body.name ?? hubId);
  const dest = join(ctx.config.home, 'models', `${source}--${hubId.replace('/', '--')}`);
  const fresh = !existsSync(join(dest, 'config.json'));
  if (fresh) await downloadModel(source, hubId, body.revision ?? 'main', dest);
  try {
    const info = inspectModelDir(dest);
    const model: Model = {
      id: newId('mdl'),
      name,
      source,
      path: dest,
      hub_id: hubId,
      kind: 'base',
      ...info,
      base_model_id: null,
      job_id: null,
      created_at: nowIso(),
    };
    ctx.store.insertModel(model);
    return model;
  } catch (e) {
    if (fresh) rmSync(dest, { recursive: true, force: true });
    throw e;
  }
}
