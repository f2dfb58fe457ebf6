import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempHome } from '../../../../test-support/server.ts';
import { listCheckpointSummaries } from './checkpoint-summaries.ts';
import { checkpointsDir } from './checkpoints.ts';

/** A trainer_state.json as transformers writes it: a loss every step, an eval every `evalEvery`. */
const trainerState = (step: number, evalEvery: number) => ({
  global_step: step,
  log_history: Array.from({ length: step }, (_, i) => i + 1).flatMap((s) => [
    { step: s, loss: 3 - s / 1000, learning_rate: 1e-4, grad_norm: 1 },
    ...(s % evalEvery === 0 ? [{ step: s, eval_loss: 4 - s / 1000, eval_runtime: 0.1 }] : []),
  ]),
});

describe('listCheckpointSummaries', () => {
  const { home, cleanup } = tempHome();
  afterAll(cleanup);
  const write = (outputDir: string, step: number, state: unknown) => {
    const dir = join(checkpointsDir(outputDir), `checkpoint-${step}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'trainer_state.json'), typeof state === 'string' ? state : JSON.stringify(state));
  };

  it('lists complete checkpoints newest last, with the loss at the step and the eval loss of the nearest evaluation before', async () => {
    const out = join(home, 'a');
    write(out, 10, trainerState(10, 4));
    write(out, 4, trainerState(4, 4));
    write(out, 2, trainerState(2, 4));
    write(out, 12, '{"global_step": 12, "log_hi'); // cut short by a kill: not a checkpoint
    const list = await listCheckpointSummaries(out);
    expect(list.map((c) => c.step)).toEqual([2, 4, 10]);
    expect(list.map((c) => [c.loss, c.eval_loss])).toEqual([
      [3 - 0.002, null],
      [3 - 0.004, 4 - 0.004],
      [3 - 0.01, 4 - 0.008],
    ]);
    expect(Date.parse(list[0]!.created_at)).toBeGreaterThan(Date.now() - 60_000);
    expect(JSON.stringify(list)).not.toContain(home); // no server paths
  });

  it('answers an empty list for a job without checkpoints, and stays fast with hundreds of long ones', async () => {
    expect(await listCheckpointSummaries(join(home, 'none'))).toEqual([]);
    const out = join(home, 'many');
    for (let s = 5; s <= 1500; s += 5) write(out, s, trainerState(s, 50));
    const t0 = performance.now();
    const list = await listCheckpointSummaries(out);
    const ms = performance.now() - t0;
    expect(list).toHaveLength(300);
    expect(list.at(-1)).toMatchObject({ step: 1500, eval_loss: 4 - 1.5 });
    expect(ms).toBeLessThan(5000); // ~300 files of up to 1,500 log entries each (loaded 2-core machine)
  });
});
