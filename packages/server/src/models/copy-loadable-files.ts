import { copyFile, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * What a checkpoint holds that loading needs: weights (adapter or full), configs, tokenizer
 * files and the chat template. Training state stays behind: optimizer.pt, scheduler.pt,
 * rng_state*.pth, trainer_state.json, training_args.bin (as large as the weights, or larger).
 */
export function isLoadableFile(name: string): boolean {
  if (name === 'trainer_state.json') return false;
  if (/\.(safetensors|json|jinja|txt|model|tiktoken)$/.test(name)) return true;
  return /^(adapter_model|pytorch_model[\w.-]*)\.bin$/.test(name);
}

/**
 * Copy the loadable files of `from` into a new folder `to`, written under a temporary name and
 * renamed, so that a crash or a checkpoint rotated away mid-copy never leaves a half model.
 * Async, so the server keeps answering while gigabytes of weights are copied.
 */
export async function copyLoadableFiles(from: string, to: string): Promise<string[]> {
  const files = (await readdir(from, { withFileTypes: true })).filter((e) => e.isFile() && isLoadableFile(e.name)).map((e) => e.name);
  const tmp = `${to}.partial-${randomBytes(4).toString('hex')}`;
  try {
    await mkdir(tmp, { recursive: true });
    for (const f of files) await copyFile(join(from, f), join(tmp, f));
    await rm(to, { recursive: true, force: true }); // a stale copy of a model deleted since
    await rename(tmp, to);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  return files;
}
