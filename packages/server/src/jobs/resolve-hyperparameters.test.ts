import { describe, expect, it } from 'vitest';
import { autoEpochs, autoLearningRate, resolveHyperparameters } from './resolve-hyperparameters.ts';

const model = { name: 'm', params: 135_000_000, context_length: 2048 };

describe('auto hyperparameters', () => {
  it('epochs follow the published table on a log scale', () => {
    expect(autoEpochs(50)).toBe(15);
    expect(autoEpochs(100)).toBe(15);
    expect(autoEpochs(1000)).toBe(10);
    expect(autoEpochs(10_000)).toBe(2);
    expect(autoEpochs(1_000_000)).toBe(2);
    // halfway between 100 and 1,000 on a log scale (~316) is halfway between 15 and 10
    expect(autoEpochs(316)).toBeCloseTo(12.5, 1);
    expect(autoEpochs(3162)).toBeCloseTo(6, 1);
  });

  it('learning rate grows as models shrink and differs by tuning', () => {
    const small = autoLearningRate('lora', 135e6).value;
    const big = autoLearningRate('lora', 7e9).value;
    expect(big).toBeCloseTo(2e-4, 10);
    expect(small).toBeGreaterThan(4e-4);
    expect(small).toBeLessThanOrEqual(1e-3);
    expect(autoLearningRate('full', 135e6).value).toBeLessThan(small);
  });

  it('stores every value with its source and reason', () => {
    const r = resolveHyperparameters({ hyperparameters: { learning_rate: 1e-3, epochs: 'auto' }, tuning: 'lora', model, trainRows: 1000 });
    expect(r.values.learning_rate).toBe(1e-3);
    expect(r.resolved.learning_rate).toMatchObject({ source: 'user' });
    expect(r.values.epochs).toBe(10);
    expect(r.resolved.epochs!.source).toBe('auto');
    expect(r.resolved.epochs!.reason).toMatch(/1000 training samples/);
    expect(r.resolved.lora_r!.source).toBe('default');
    for (const key of Object.keys(r.values).filter((k) => k !== 'max_steps')) expect(r.resolved[key], key).toBeDefined();
  });

  it('refuses max_seq_len above the model context', () => {
    expect(() => resolveHyperparameters({ hyperparameters: { max_seq_len: 4096 }, tuning: 'lora', model, trainRows: 10 })).toThrow(/above the context length/);
  });
});

describe('auto recipe: learning-rate search and budget', () => {
  it('explains the learning rate in plain words', () => {
    const r = resolveHyperparameters({ hyperparameters: 'auto', tuning: 'lora', model, trainRows: 1000 });
    expect(r.values.learning_rate).toBeCloseTo(5.4e-4, 10);
    expect(r.resolved.learning_rate!.reason).toMatch(/^LoRA on a 135M model: 0.0002 is typical for 7B and smaller models take larger steps/);
  });

  it('lr_search: true tries the auto rate x0.5..4 on the slice the trials need', () => {
    const r = resolveHyperparameters({ hyperparameters: { lr_search: true }, tuning: 'lora', model, trainRows: 1000 });
    expect(r.values.lr_search).toEqual({ candidates: [2.7e-4, 5.4e-4, 0.0011, 0.0022], steps: 30, train_fraction: 0.48 });
    expect(r.resolved.lr_search!.reason).toMatch(/try 0.00027, 0.00054, 0.0011, 0.0022 for 30 steps each on 48% of the data/);
    const given = resolveHyperparameters({ hyperparameters: { lr_search: { candidates: [1e-4, 1e-3], steps: 5 } }, tuning: 'full', model, trainRows: 10 });
    expect(given.values.lr_search).toMatchObject({ candidates: [1e-4, 1e-3], steps: 5, train_fraction: 1 });
    expect(resolveHyperparameters({ hyperparameters: 'auto', tuning: 'lora', model, trainRows: 10 }).values.lr_search).toBeNull();
  });

  it('a budget is stored with how the worker will use it', () => {
    const r = resolveHyperparameters({ hyperparameters: 'auto', tuning: 'lora', model, trainRows: 100, budget: { minutes: 10 } });
    expect(r.resolved.budget).toMatchObject({ value: { minutes: 10 }, source: 'user' });
    expect(r.resolved.budget!.reason).toMatch(/10 minutes of training: the worker times its first steps, plans the steps that fit \(at most the 375 steps of 15 epochs\)/);
    expect(r.resolved.epochs!.reason).toMatch(/the budget may end training sooner/);
  });
});
