import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
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
