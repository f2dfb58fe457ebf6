import { describe, expect, it } from 'vitest';
import { autoEpochs, autoLearningRate, autoPretrainEpochs, pretrainBlockSize, resolveHyperparameters } from './resolve-hyperparameters.ts';

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
    const r = resolveHyperparameters({ hyperparameters: 'auto', tuning: 'lora', model, trainRows: 1000, budget: { minutes: 10 } });
    expect(r.values.learning_rate).toBeCloseTo(5.4e-4, 10);
    expect(r.resolved.learning_rate!.reason).toMatch(/^LoRA on a 135M model: 0.0002 is typical for 7B and smaller models take larger steps/);
  });

  it('lr_search: true tries the auto rate x0.5..4 on the slice the trials need', () => {
    const r = resolveHyperparameters({ hyperparameters: { lr_search: true, batch_size: 4, gradient_accumulation_steps: 2 }, tuning: 'lora', model, trainRows: 1000 });
    expect(r.values.learning_rate).toBeCloseTo(7.6e-4, 10); // 5.4e-4 x sqrt(8 / 4)
    expect(r.values.lr_search).toEqual({ candidates: [3.8e-4, 7.6e-4, 0.0015, 0.003], steps: 30, train_fraction: 0.24 });
    expect(r.resolved.lr_search!.reason).toMatch(/try 0.00038, 0.00076, 0.0015, 0.003 for 30 steps each on 24% of the data/);
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

// Issue 16: updates first. The scenarios of the issue, as create-job resolves them (the training
// rows are what is left after the automatic validation split: 48 -> 43, 1,000 -> 900, 50k -> 49k).
describe('auto recipe: updates first, a validation signal and early stopping', () => {
  const resolve = (trainRows: number, budget?: { minutes: number }) =>
    resolveHyperparameters({ hyperparameters: 'auto', tuning: 'lora', model, trainRows, hasValidation: true, budget });
  const picked = (r: ReturnType<typeof resolve>) => {
    const v = r.values;
    return { epochs: v.epochs, batch: v.batch_size, accumulation: v.gradient_accumulation_steps, lr: v.learning_rate, warmup: v.warmup_steps, patience: v.early_stopping_patience };
  };

  it("48 rows (the newcomer's demo data): batch 4, 165 updates, lr 5.4e-4, a 10-step warm-up, early stopping", () => {
    const r = resolve(43);
    expect(picked(r)).toEqual({ epochs: 15, batch: 4, accumulation: 1, lr: 5.4e-4, warmup: 10, patience: 2 });
    expect(r.resolved.gradient_accumulation_steps!.reason).toBe(
      'effective batch 4: 43 samples x 15 epochs: effective batch 4 keeps at least 150 updates where the data allows (batch 4 to 32); 165 updates of 4 samples over the epochs',
    );
    expect(r.resolved.warmup_steps!.reason).toMatch(/^10 steps: 5% of 165 planned updates, at least 10 and at most 100 steps/);
    expect(r.resolved.early_stopping_patience!.reason).toMatch(/^stop once the eval loss has not improved for 2 evaluations and keep the best checkpoint/);
    expect(r.values.lora_r).toBe(16);
    expect(r.values.lora_alpha).toBe(32);
    // A budget changes nothing here: the data already asks for the smallest batch.
    expect(picked(resolve(43, { minutes: 10 }))).toEqual(picked(r));
  });

  it('1,000 rows: effective batch 32 with lr x2 over 10 epochs; under a budget batch 4, no accumulation, lr 5.4e-4', () => {
    const r = resolve(900);
    expect(picked(r)).toEqual({ epochs: 10.2, batch: 4, accumulation: 8, lr: 1e-3, warmup: 15, patience: 2 });
    expect(r.resolved.learning_rate!.reason).toMatch(/effective batch 32: x2.00 \(the square root of 32\/4, at most x2, capped at 0.001\)$/);
    expect(r.resolved.batch_size!.reason).toMatch(/296 updates of 32 samples over the epochs$/);
    const budgeted = resolve(900, { minutes: 10 });
    // The hand-tuned run of issue 16 (73.3% against auto's 59.3%): batch 4, no accumulation, lr 5e-4.
    expect(picked(budgeted)).toEqual({ epochs: 10.2, batch: 4, accumulation: 1, lr: 5.4e-4, warmup: 100, patience: 2 });
    expect(budgeted.resolved.gradient_accumulation_steps!.reason).toMatch(/a budget ends the run when its time or tokens run out, so updates are scarce: the smallest effective batch \(4\)/);
    expect(budgeted.resolved.learning_rate!.reason).toMatch(/at effective batch 4$/);
  });

  it('50k rows: 2 epochs of effective batch 32 (3,064 updates), a 100-step warm-up; under a budget batch 4', () => {
    const r = resolve(49_000);
    expect(picked(r)).toEqual({ epochs: 2, batch: 4, accumulation: 8, lr: 1e-3, warmup: 100, patience: 2 });
    expect(r.resolved.warmup_steps!.reason).toMatch(/^100 steps: 5% of 3,064 planned updates/);
    expect(picked(resolve(49_000, { minutes: 10 }))).toEqual({ epochs: 2, batch: 4, accumulation: 1, lr: 5.4e-4, warmup: 100, patience: 2 });
  });

  it('full tuning takes a lower rate, scaled the same way', () => {
    const full = resolveHyperparameters({ hyperparameters: 'auto', tuning: 'full', model, trainRows: 43, hasValidation: true });
    expect(full.values.learning_rate).toBe(2.7e-5);
    expect(resolveHyperparameters({ hyperparameters: 'auto', tuning: 'full', model, trainRows: 49_000 }).values.learning_rate).toBe(5.4e-5);
  });

  it('a warm-up never takes more than a third of a short run, and a user warmup_ratio wins over auto steps', () => {
    const short = resolveHyperparameters({ hyperparameters: { max_steps: 12 }, tuning: 'lora', model, trainRows: 43 });
    expect(short.values.warmup_steps).toBe(4);
    expect(short.resolved.warmup_steps!.reason).toMatch(/a third of a short run at most/);
    const ratio = resolveHyperparameters({ hyperparameters: { warmup_ratio: 0.1 }, tuning: 'lora', model, trainRows: 43 });
    expect(ratio.values.warmup_steps).toBeNull();
    expect(ratio.resolved.warmup_steps!.reason).toMatch(/^warmup_ratio 0.1 is set in the request/);
  });

  it('early stopping is off without validation data, when checkpoints miss evaluations, or when max_steps is set', () => {
    const none = resolveHyperparameters({ hyperparameters: 'auto', tuning: 'lora', model, trainRows: 12, hasValidation: false });
    expect(none.values.early_stopping_patience).toBe(0);
    expect(none.resolved.early_stopping_patience!.reason).toMatch(/^off: no validation data/);
    const odd = resolveHyperparameters({ hyperparameters: { eval_steps: 10, save_steps: 15 }, tuning: 'lora', model, trainRows: 43, hasValidation: true });
    expect(odd.values.early_stopping_patience).toBe(0);
    expect(odd.resolved.early_stopping_patience!.reason).toMatch(/save_steps 15 is not a multiple of eval_steps 10/);
    const steps = resolveHyperparameters({ hyperparameters: { max_steps: 400 }, tuning: 'lora', model, trainRows: 43, hasValidation: true });
    expect(steps.values.early_stopping_patience).toBe(0);
    expect(steps.resolved.early_stopping_patience!.reason).toMatch(/^off: max_steps 400 is set, so the run takes the steps asked for/);
    const given = resolveHyperparameters({ hyperparameters: { early_stopping_patience: 5, batch_size: 8 }, tuning: 'lora', model, trainRows: 43, hasValidation: true });
    expect(given.values.early_stopping_patience).toBe(5);
    expect(given.values.batch_size).toBe(8);
    expect(given.values.gradient_accumulation_steps).toBe(1); // effective 4 asked, batch 8 given: no accumulation
  });
});

describe('auto recipe: continued pre-training', () => {
  it('passes over the text 3 times up to 1,000 blocks and once from 100,000, in blocks of 1024 within the context', () => {
    expect(autoPretrainEpochs(40)).toBe(3);
    expect(autoPretrainEpochs(1000)).toBe(3);
    expect(autoPretrainEpochs(10_000)).toBe(2);
    expect(autoPretrainEpochs(100_000)).toBe(1);
    expect(autoPretrainEpochs(5_000_000)).toBe(1);
    expect(pretrainBlockSize('auto', 2048)).toBe(1024);
    expect(pretrainBlockSize('auto', 512)).toBe(512);
    expect(pretrainBlockSize({ max_seq_len: 256 }, 2048)).toBe(256);

    const r = resolveHyperparameters({ hyperparameters: 'auto', method: 'pretrain', tuning: 'lora', model, trainRows: 10_000, hasValidation: true, tokensP99: 80 });
    expect(r.values.epochs).toBe(2);
    expect(r.resolved.epochs!.reason).toMatch(/about 10000 blocks of text.*Muennighoff/);
    // The block size, not the samples' p99 (documents are packed, nothing is cut).
    expect(r.values.max_seq_len).toBe(1024);
    expect(r.resolved.max_seq_len!.reason).toMatch(/packed into blocks of 1024 tokens/);
    expect(r.values.early_stopping_patience).toBe(2);
    // The same request as sft plans by rows and the p99.
    const sft = resolveHyperparameters({ hyperparameters: 'auto', tuning: 'lora', model, trainRows: 10_000, hasValidation: true, tokensP99: 80 });
    expect(sft.values.max_seq_len).toBe(128);
    expect(sft.values.epochs).toBe(2);
  });
});

describe('auto recipe: every tuning', () => {
  it('DoRA and QLoRA learn at LoRA\'s rate; P-tuning and prefix tuning at their guides\' rates, whatever the model size', () => {
    const rate = (tuning: Parameters<typeof autoLearningRate>[0], params: number) => autoLearningRate(tuning, params).value;
    expect(rate('dora', 135e6)).toBe(rate('lora', 135e6));
    expect(rate('qlora', 7e9)).toBeCloseTo(2e-4, 10);
    expect(rate('ptuning', 135e6)).toBe(1e-3);
    expect(rate('ptuning', 70e9)).toBe(1e-3);
    expect(rate('prefix', 135e6)).toBe(1e-2);
    expect(autoLearningRate('prefix', 135e6).reason).toMatch(/does not scale with model size/);
  });

  it('resolves only the chosen tuning\'s own fields: use_rslora for the LoRA family, virtual tokens for prompt learning, freeze_layers when given', () => {
    const dora = resolveHyperparameters({ hyperparameters: { use_rslora: true }, tuning: 'dora', model, trainRows: 100 });
    expect(dora.values).toMatchObject({ use_rslora: true });
    expect(dora.values.num_virtual_tokens).toBeUndefined();
    const lora = resolveHyperparameters({ hyperparameters: 'auto', tuning: 'lora', model, trainRows: 100 });
    expect(lora.values.use_rslora).toBe(false);
    expect(lora.resolved.use_rslora!.reason).toMatch(/^off: scaling alpha \/ r/);
    const prefix = resolveHyperparameters({ hyperparameters: 'auto', tuning: 'prefix', model, trainRows: 100 });
    expect(prefix.values.num_virtual_tokens).toBe(20);
    expect(prefix.values.use_rslora).toBeUndefined();
    const freeze = resolveHyperparameters({ hyperparameters: { freeze_layers: [28, 'layers.29'] }, tuning: 'freeze', model: { ...model, num_layers: 30 }, trainRows: 100 });
    expect(freeze.values.freeze_layers).toEqual([28, 'layers.29']);
    expect(() => resolveHyperparameters({ hyperparameters: { freeze_layers: [30] }, tuning: 'freeze', model: { ...model, num_layers: 30 }, trainRows: 100 })).toThrow(/layer 30, but m has layers 0 to 29/);
  });

  it('resolves packing for sft off by default with its reason, as given when set, and not at all where it does not apply', () => {
    const plain = resolveHyperparameters({ hyperparameters: 'auto', tuning: 'lora', model, trainRows: 100 });
    expect(plain.values.packing).toBe(false);
    expect(plain.resolved.packing).toMatchObject({ source: 'default', reason: expect.stringMatching(/^off: samples of similar length are batched together/) });
    const packed = resolveHyperparameters({ hyperparameters: { packing: true }, tuning: 'full', model, trainRows: 100 });
    expect(packed.values.packing).toBe(true);
    expect(resolveHyperparameters({ hyperparameters: 'auto', method: 'dpo', tuning: 'lora', model, trainRows: 100 }).values.packing).toBeUndefined();
    expect(resolveHyperparameters({ hyperparameters: 'auto', tuning: 'ptuning', model, trainRows: 100 }).values.packing).toBeUndefined();
  });
});

describe('auto recipe: preference learning', () => {
  it('DPO learns far slower than SFT, with beta 0.1 and the sigmoid loss; ORPO a little faster, with lambda 0.1; both over 1 to 3 epochs', () => {
    const dpo = resolveHyperparameters({ hyperparameters: 'auto', method: 'dpo', tuning: 'lora', model, trainRows: 500, budget: { minutes: 10 } });
    expect(dpo.values).toMatchObject({ beta: 0.1, loss_type: 'sigmoid', epochs: 3 });
    expect(dpo.values.orpo_lambda).toBeUndefined();
    const sft = resolveHyperparameters({ hyperparameters: 'auto', tuning: 'lora', model, trainRows: 500, budget: { minutes: 10 } });
    expect(dpo.values.learning_rate).toBeCloseTo(1.3e-5, 6); // 5e-6 at 7B, x2.7 at 135M
    expect(dpo.values.learning_rate).toBeLessThan(sft.values.learning_rate / 10);
    expect(dpo.resolved.learning_rate!.reason).toMatch(/^DPO with LoRA on a 135M model: 0.000005 is typical for 7B/);
    expect(dpo.resolved.epochs!.reason).toMatch(/500 preference pairs/);
    const full = resolveHyperparameters({ hyperparameters: 'auto', method: 'dpo', tuning: 'full', model, trainRows: 500, budget: { minutes: 10 } });
    expect(full.values.learning_rate).toBeLessThan(dpo.values.learning_rate);
    const orpo = resolveHyperparameters({ hyperparameters: { loss_type: 'auto' }, method: 'orpo', tuning: 'lora', model, trainRows: 20_000 });
    expect(orpo.values).toMatchObject({ orpo_lambda: 0.1, epochs: 1 });
    expect(orpo.values.beta).toBeUndefined();
    expect(orpo.values.learning_rate).toBeGreaterThan(dpo.values.learning_rate);
  });
});
