import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempHome } from '../../../../test-support/server.ts';
import { checkpointsDir, latestCheckpoint, listCheckpoints } from './checkpoints.ts';

describe('listCheckpoints', () => {
  const { home, cleanup } = tempHome();
  afterAll(cleanup);

  const checkpoint = (step: number, state: string | null) => {
    const dir = join(checkpointsDir(home), `checkpoint-${step}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'adapter_model.safetensors'), 'weights');
    if (state !== null) writeFileSync(join(dir, 'trainer_state.json'), state);
  };

  it('counts a checkpoint once its trainer_state.json is complete, not while it is missing or cut short', () => {
    checkpoint(2, JSON.stringify({ global_step: 2, stateful_callbacks: {} }));
    checkpoint(10, JSON.stringify({ global_step: 10 }));
    checkpoint(4, null); // killed before the state was written
    checkpoint(6, '{\n  "best_global_step": null,\n  "global_step": 6,\n  "log_hi'); // killed mid-write
    checkpoint(8, ''); // killed right after open()
    expect(listCheckpoints(home).map((c) => c.step)).toEqual([2, 10]);
    checkpoint(12, '{"global_step": 1');
    expect(latestCheckpoint(home)).toEqual({ step: 10, path: join(checkpointsDir(home), 'checkpoint-10') });
  });
});
