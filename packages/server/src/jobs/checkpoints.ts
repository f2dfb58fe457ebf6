import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CheckpointRef {
  step: number;
  path: string;
}

export const checkpointsDir = (outputDir: string) => join(outputDir, 'checkpoints');

/**
 * Complete checkpoints on disk, newest last. Read from disk rather than from events, since a
 * worker killed mid-run or orphaned by a server restart may have saved one the server never heard of.
 * A checkpoint counts once its trainer_state.json is complete: transformers writes it last, in
 * place, so a worker killed mid-write leaves a truncated one, which is no checkpoint to resume.
 * The budget used so far is inside it too (the worker's BudgetPlanner state), never a file later.
 */
export function listCheckpoints(outputDir: string): CheckpointRef[] {
  const dir = checkpointsDir(outputDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => ({ name, m: /^checkpoint-(\d+)$/.exec(name) }))
    .filter((e) => e.m && isCompleteState(join(dir, e.name, 'trainer_state.json')))
    .map((e) => ({ step: Number(e.m![1]), path: join(dir, e.name) }))
    .sort((a, b) => a.step - b.step);
}

export const latestCheckpoint = (outputDir: string): CheckpointRef | null => listCheckpoints(outputDir).at(-1) ?? null;

function isCompleteState(path: string): boolean {
  try {
    return typeof JSON.parse(readFileSync(path, 'utf8')).global_step === 'number';
  } catch {
    return false;
  }
}
