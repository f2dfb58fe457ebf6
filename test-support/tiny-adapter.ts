import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Model } from '@whetstone/core';
import { newId, nowIso } from '../packages/server/src/ids.ts';
import { FIXTURE_CACHE, REPO_ROOT, VENV_PYTHON } from './paths.ts';

const SCRIPT = `
import sys, torch
from transformers import AutoModelForCausalLM
from peft import LoraConfig, get_peft_model
torch.manual_seed(0)
model = AutoModelForCausalLM.from_pretrained(sys.argv[1], dtype=torch.float32)
# init_lora_weights=False: random A and B, so the adapter visibly changes the output
peft = get_peft_model(model, LoraConfig(r=4, lora_alpha=64, target_modules="all-linear", init_lora_weights=False))
peft.save_pretrained(sys.argv[2])
`;

/**
 * A PEFT LoRA adapter on the tiny model whose weights are random (not the usual zero B), so
 * that the base and the adapter answer differently: for per-request adapter tests. Cached.
 */
export function ensureTinyAdapter(tinyModel: string): string {
  const dir = join(FIXTURE_CACHE, 'tiny-adapter');
  if (existsSync(join(dir, 'adapter_config.json'))) return dir;
  mkdirSync(FIXTURE_CACHE, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  execFileSync(VENV_PYTHON, ['-c', SCRIPT, tinyModel, tmp], { cwd: join(REPO_ROOT, 'worker'), stdio: ['ignore', 'ignore', 'inherit'] });
  if (existsSync(join(dir, 'adapter_config.json'))) rmSync(tmp, { recursive: true, force: true });
  else renameSync(tmp, dir);
  return dir;
}

/**
 * Register the tiny adapter on a registered tiny base as a job's result would be
 * (registerJobOutput): an adapter model named `tiny-tuned` with its base.
 */
export function registerTinyTuned(store: { insertModel(m: Model): unknown }, base: Model): void {
  store.insertModel({
    ...base,
    id: newId('mdl'),
    name: 'tiny-tuned',
    source: 'job',
    kind: 'adapter',
    path: ensureTinyAdapter(base.path),
    base_model_id: base.id,
    job_id: 'job_fixture',
    created_at: nowIso(),
  });
}
