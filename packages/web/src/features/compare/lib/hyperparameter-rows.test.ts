import { describe, expect, it } from 'vitest';
import { hyperparameterRows, type ComparedJob } from './hyperparameter-rows.ts';

const job = (patch: Partial<ComparedJob>): ComparedJob => ({ model_id: 'mdl_a', dataset_id: 'ds_a', method: 'sft', tuning: 'lora', hyperparameters: {}, ...patch });

describe('hyperparameterRows', () => {
  const rows = hyperparameterRows([
    job({ hyperparameters: { learning_rate: 5e-4, lora_r: 8, epochs: 3, lora_target: ['q_proj', 'v_proj'] } }),
    job({ tuning: 'full', hyperparameters: { learning_rate: 2e-3, lora_r: 8, epochs: 3, lora_target: ['q_proj', 'v_proj'], warmup_ratio: 0.03 } }),
  ]);

  it('puts the rows that differ first (setup rows, then hyperparameters by name), then the equal ones', () => {
    expect(rows.map((r) => [r.key, r.differs])).toEqual([
      ['tuning', true],
      ['learning_rate', true],
      ['warmup_ratio', true],
      ['model', false],
      ['dataset', false],
      ['method', false],
      ['epochs', false],
      ['lora_r', false],
      ['lora_target', false],
    ]);
  });

  it('gives one cell per job, null where a job lacks the value, lists compared by value', () => {
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(byKey.learning_rate!.values).toEqual(['0.0005', '0.002']);
    expect(byKey.warmup_ratio!.values).toEqual([null, '0.03']);
    expect(byKey.lora_target!.values).toEqual(['["q_proj","v_proj"]', '["q_proj","v_proj"]']);
    expect(byKey.tuning).toMatchObject({ setup: true, values: ['lora', 'full'] });
  });

  it('finds no difference between equal jobs, and none with one job', () => {
    expect(hyperparameterRows([job({}), job({})]).some((r) => r.differs)).toBe(false);
    expect(hyperparameterRows([job({ hyperparameters: { seed: 1 } })]).map((r) => r.differs)).toEqual([false, false, false, false, false]);
  });
});
