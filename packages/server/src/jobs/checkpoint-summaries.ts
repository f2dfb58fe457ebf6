import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Checkpoint } from '@whetstone/core';
import { checkpointsDir } from './checkpoints.ts';

interface LogEntry {
  step?: unknown;
  loss?: unknown;
  eval_loss?: unknown;
}

/**
 * A job's complete checkpoints with their time and losses, newest last, for GET /jobs/:id/checkpoints.
 * Reads the folder names and each trainer_state.json once, never the weights: its log_history
 * holds the run that led to that checkpoint (a resume from an earlier step shows its own past,
 * not the discarded one the metrics table also holds). No server paths in the answer.
 */
export async function listCheckpointSummaries(outputDir: string): Promise<Checkpoint[]> {
  const dir = checkpointsDir(outputDir);
  const names = await readdir(dir).catch(() => [] as string[]);
  // Named by the folder's step, as listCheckpoints and an evaluation's checkpoint_step name it.
  const steps = names.map((n) => /^checkpoint-(\d+)$/.exec(n)?.[1]).filter((s): s is string => s !== undefined);
  const found = await Promise.all(steps.map((s) => summarize(Number(s), join(dir, `checkpoint-${s}`, 'trainer_state.json'))));
  return found.filter((c): c is Checkpoint => c !== null).sort((a, b) => a.step - b.step);
}

async function summarize(step: number, statePath: string): Promise<Checkpoint | null> {
  let state: { global_step?: unknown; log_history?: LogEntry[] };
  try {
    state = JSON.parse(await readFile(statePath, 'utf8'));
  } catch {
    return null; // missing, or truncated by a worker killed mid-write: no checkpoint (as in listCheckpoints)
  }
  if (typeof state.global_step !== 'number') return null;
  const history = Array.isArray(state.log_history) ? state.log_history : [];
  return {
    step,
    created_at: (await stat(statePath)).mtime.toISOString(),
    loss: lastAtOrBefore(history, step, 'loss'),
    eval_loss: lastAtOrBefore(history, step, 'eval_loss'),
  };
}

/** The metric logged at `step`, or at the nearest step before it (the history is in step order). */
function lastAtOrBefore(history: LogEntry[], step: number, name: 'loss' | 'eval_loss'): number | null {
  for (let i = history.length - 1; i >= 0; i--) {
    const e = history[i]!;
    if (typeof e.step === 'number' && e.step <= step && typeof e[name] === 'number' && Number.isFinite(e[name])) return e[name] as number;
  }
  return null;
}
