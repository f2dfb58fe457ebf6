import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AppContext } from './context.ts';
import { createDatasetFromFile } from './datasets/create-dataset.ts';
import { logger } from './logger.ts';
import { registerModel } from './models/register-model.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../../..');
export const DEMO_MODEL_DIR = join(REPO_ROOT, '.cache', 'demo-model', 'SmolLM2-135M-Instruct');
export const DEMO_DATASET = join(REPO_ROOT, 'demo', 'demo-chat.jsonl');
const DEMO_MODEL_NAME = 'SmolLM2-135M-Instruct';
const DEMO_DATASET_NAME = 'demo-chat';

/** Register the demo model and dataset once; a second start finds them and does nothing. */
export async function registerDemo(ctx: AppContext) {
  if (!ctx.store.getModel(DEMO_MODEL_NAME) && existsSync(join(DEMO_MODEL_DIR, 'config.json'))) {
    const m = await registerModel(ctx, { path: DEMO_MODEL_DIR, name: DEMO_MODEL_NAME });
    logger.info('registered the demo model', { id: m.id, name: m.name });
  }
  if (!ctx.store.listDatasets().some((d) => d.name === DEMO_DATASET_NAME) && existsSync(DEMO_DATASET)) {
    const d = await createDatasetFromFile(ctx, DEMO_DATASET, { name: DEMO_DATASET_NAME });
    logger.info('registered the demo dataset', { id: d.id, rows: d.rows, status: d.status });
  }
}
