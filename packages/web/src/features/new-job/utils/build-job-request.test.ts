import { describe, expect, it } from 'vitest';
import { fieldApplies, JobCreateSchema, METHODS, TUNINGS } from '@whetstone/core';
import { buildJobRequest, emptyForm, fieldErrors, formFieldOf, formFromRequest, methodFields, tuningFields } from './build-job-request.ts';

describe('buildJobRequest', () => {
  it('sends "auto" for what the person left to the server, and only the chosen tuning\'s fields', () => {
    const body = buildJobRequest(emptyForm({ model: 'm1', dataset: 'd1' }));
    expect(body).toEqual({
      model: 'm1',
      dataset: 'd1',
      method: 'sft',
      tuning: 'lora',
      hyperparameters: { epochs: 'auto', learning_rate: 'auto', max_seq_len: 'auto', lora_r: 'auto', lora_alpha: 'auto', lora_dropout: 'auto' },
    });
    expect(JobCreateSchema.safeParse(body).success).toBe(true);
  });

  it('sends the method chosen, and a clone keeps it', () => {
    const body = buildJobRequest(emptyForm({ model: 'm1', dataset: 'd1', method: 'pretrain' }));
    expect(body.method).toBe('pretrain');
    expect(JobCreateSchema.safeParse(body).success).toBe(true);
    expect(formFromRequest(body).method).toBe('pretrain');
    expect(formFromRequest({ ...body, method: 'nonsense' }).method).toBe('sft');
    expect(formFieldOf('method')).toBe('method');
  });

  it('sends numbers typed, the freeze layers for freeze, the budget, max_steps and a trimmed name', () => {
    const body = buildJobRequest(
      emptyForm({
        model: 'm1',
        dataset: 'd1',
        name: '  run 1 ',
        tuning: 'freeze',
        epochs: { auto: false, value: '3' },
        learning_rate: { auto: false, value: '5e-5' },
        lora_r: { auto: false, value: '64' }, // not lora: left out
        freeze_trainable_layers: { auto: false, value: '4' },
        warmup_steps: { auto: false, value: '20' },
        early_stopping_patience: { auto: false, value: '0' },
        budget_minutes: '1.5',
        max_steps: '6',
      }),
    );
    expect(body).toMatchObject({ name: 'run 1', tuning: 'freeze', budget: { minutes: 1.5 } });
    // The schedule fields typed (0: early stopping off) are sent; those left on auto are not.
    expect(body.hyperparameters).toEqual({ epochs: 3, learning_rate: 5e-5, max_seq_len: 'auto', freeze_trainable_layers: 4, warmup_steps: 20, early_stopping_patience: 0, max_steps: 6 });
    expect(JobCreateSchema.safeParse(body).success).toBe(true);
  });

  it('sends packing: true only when ticked and the method and tuning read it', () => {
    const packed = (init: Parameters<typeof emptyForm>[0]) => buildJobRequest(emptyForm({ model: 'm', dataset: 'd', ...init })).hyperparameters as Record<string, unknown>;
    expect(packed({ packing: true })).toMatchObject({ packing: true });
    expect(packed({ packing: true, tuning: 'full' })).toMatchObject({ packing: true });
    expect(packed({})).not.toHaveProperty('packing');
    // Ticked before switching to a method or tuning that never reads it: left out, not refused.
    expect(packed({ packing: true, method: 'pretrain' })).not.toHaveProperty('packing');
    expect(packed({ packing: true, tuning: 'ptuning' })).not.toHaveProperty('packing');
    expect(formFieldOf('hyperparameters.packing')).toBe('packing');
  });

  it('passes what is not a number through as typed, for the server to name', () => {
    const body = buildJobRequest(emptyForm({ model: 'm', dataset: 'd', epochs: { auto: false, value: 'lots' }, max_seq_len: { auto: false, value: '' } }));
    expect(body.hyperparameters).toMatchObject({ epochs: 'lots', max_seq_len: '' });
    expect(JobCreateSchema.safeParse(body).success).toBe(false);
  });
});

describe('the fields each tuning and method shows (from core\'s table)', () => {
  it('gives LoRA tunings the LoRA numbers, freeze its layers, prompt tunings their tokens, DPO beta and ORPO lambda', () => {
    const lora = ['lora_r', 'lora_alpha', 'lora_dropout'];
    expect(Object.fromEntries(TUNINGS.map((t) => [t, tuningFields(t)]))).toEqual({ lora, dora: lora, qlora: lora, full: [], freeze: ['freeze_trainable_layers'], ptuning: ['num_virtual_tokens'], prefix: ['num_virtual_tokens'] });
    expect(Object.fromEntries(METHODS.map((m) => [m, methodFields(m)]))).toEqual({ sft: [], pretrain: [], dpo: ['beta'], orpo: ['orpo_lambda'] });
  });

  it('sends every number typed and packing where the method and tuning read them, and the server\'s schema accepts each combination', () => {
    const typed = { lora_r: '8', lora_alpha: '16', lora_dropout: '0.05', freeze_trainable_layers: '2', num_virtual_tokens: '10', beta: '0.2', orpo_lambda: '0.3' };
    const numbers = Object.fromEntries(Object.entries(typed).map(([k, value]) => [k, { auto: false, value }]));
    for (const method of METHODS) {
      for (const tuning of TUNINGS) {
        const body = buildJobRequest(emptyForm({ model: 'm', dataset: 'd', method, tuning, ...numbers, packing: true }));
        const sent = Object.fromEntries(Object.entries(typed).filter(([k]) => fieldApplies(k, method, tuning)).map(([k, v]) => [k, Number(v)]));
        const packing = method === 'sft' && !['ptuning', 'prefix'].includes(tuning) ? { packing: true } : {};
        expect(body.hyperparameters, `${method} + ${tuning}`).toEqual({ epochs: 'auto', learning_rate: 'auto', max_seq_len: 'auto', ...sent, ...packing });
        expect(JobCreateSchema.safeParse(body).success, `${method} + ${tuning}`).toBe(true);
      }
    }
  });
});

describe('fieldErrors', () => {
  it('maps server paths to form fields', () => {
    expect(['hyperparameters.lora_r', 'budget.minutes', 'model', 'datasets.0.id', 'hyperparameters.seed', undefined].map(formFieldOf)).toEqual([
      'lora_r',
      'budget_minutes',
      'model',
      'dataset',
      null,
      null,
    ]);
  });

  it('puts every zod issue beside its field, else the one field the error names', () => {
    expect(
      fieldErrors({
        message: 'a; b',
        field: 'hyperparameters.epochs',
        details: [
          { path: 'hyperparameters.epochs', message: 'hyperparameters.epochs: Too small' },
          { path: 'budget.minutes', message: 'budget.minutes: Too small' },
        ],
      }),
    ).toEqual({ epochs: 'hyperparameters.epochs: Too small', budget_minutes: 'budget.minutes: Too small' });
    expect(fieldErrors({ message: 'max_seq_len 9999 is above the context', field: 'hyperparameters.max_seq_len' })).toEqual({ max_seq_len: 'max_seq_len 9999 is above the context' });
    expect(fieldErrors({ message: 'boom' })).toEqual({});
    expect(fieldErrors(null)).toEqual({});
  });
});

describe('formFromRequest', () => {
  it('turns a job\'s request back into the form, so building it again gives the same request', () => {
    const request = {
      model: 'm1',
      dataset: 'd1',
      method: 'sft',
      tuning: 'lora',
      hyperparameters: { epochs: 3, learning_rate: 'auto', max_seq_len: 512, lora_r: 16, lora_alpha: 'auto', lora_dropout: 'auto', batch_size: 4, gradient_accumulation_steps: 2, max_steps: 40, packing: true },
      budget: { minutes: 10 },
    };
    const form = formFromRequest(request);
    expect(form).toMatchObject({ model: 'm1', dataset: 'd1', tuning: 'lora', epochs: { auto: false, value: '3' }, learning_rate: { auto: true }, batch_size: { auto: false, value: '4' }, warmup_steps: { auto: true }, packing: true, budget_minutes: '10', max_steps: '40' });
    expect(buildJobRequest(form)).toEqual(request);
    expect(formFromRequest({ ...request, hyperparameters: { ...request.hyperparameters, packing: undefined } }).packing).toBe(false);
  });

  it('brings a mix back as the builder\'s rows and leaves absent or "auto" values on auto', () => {
    const form = formFromRequest({ model: 'm', datasets: [{ id: 'a', weight: 1 }, { id: 'b' }, { id: 'c', samples: 30 }], tuning: 'freeze', hyperparameters: 'auto' });
    expect(form).toMatchObject({ dataset: 'a', mix: true, tuning: 'freeze', epochs: { auto: true }, freeze_trainable_layers: { auto: true }, max_steps: '' });
    expect(form.sources).toEqual([
      { dataset: 'a', by: 'weight', amount: '1' },
      { dataset: 'b', by: 'weight', amount: '' },
      { dataset: 'c', by: 'samples', amount: '30' },
    ]);
    expect(buildJobRequest(form).datasets).toEqual([{ id: 'a', weight: 1 }, { id: 'b' }, { id: 'c', samples: 30 }]);
    expect(formFromRequest(null)).toEqual(emptyForm());
  });

  it('sends resources only when chosen, maps their errors to the fields, and a clone keeps them', () => {
    expect(buildJobRequest(emptyForm({ model: 'm', dataset: 'd' }))).not.toHaveProperty('resources');
    const body = buildJobRequest(emptyForm({ model: 'm', dataset: 'd', executor: 'torchrun', processes: '2' }));
    expect(body.resources).toEqual({ executor: 'torchrun', processes_per_node: 2 });
    expect(['resources.processes_per_node', 'resources.strategy', 'resources.gpus_per_process', 'resources.nodes', 'resources.executor'].map(formFieldOf)).toEqual(['processes', 'strategy', 'gpus_per_process', 'executor', 'executor']);
    expect(formFromRequest(body)).toMatchObject({ executor: 'torchrun', processes: '2' });
    const shared = buildJobRequest(emptyForm({ model: 'm', dataset: 'd', executor: 'torchrun', shared_path: ' /mnt/shared ' }));
    expect(shared.resources).toEqual({ executor: 'torchrun', shared_path: '/mnt/shared' });
    expect(formFieldOf('resources.shared_path')).toBe('shared_path');
    expect(formFromRequest(shared)).toMatchObject({ shared_path: '/mnt/shared' });
  });

  it('sends strategy and devices per process with several processes only, and a clone keeps them', () => {
    const fsdp = { model: 'm', dataset: 'd', strategy: 'fsdp', gpus_per_process: '1' } as const;
    const body = buildJobRequest(emptyForm({ ...fsdp, executor: 'ray' }));
    expect(body.resources).toEqual({ executor: 'ray', gpus_per_process: 1, strategy: 'fsdp' });
    expect(formFromRequest(body)).toMatchObject({ executor: 'ray', strategy: 'fsdp', gpus_per_process: '1' });
    expect(buildJobRequest(emptyForm({ ...fsdp, executor: 'torchrun', gpus_per_process: '0' })).resources).toEqual({ executor: 'torchrun', gpus_per_process: 0, strategy: 'fsdp' });
    // Chosen under torchrun, then the executor changed: one local process (or the server's choice) takes neither.
    expect(buildJobRequest(emptyForm({ ...fsdp, executor: 'local' })).resources).toEqual({ executor: 'local' });
    expect(buildJobRequest(emptyForm(fsdp))).not.toHaveProperty('resources');
    // The server's refusal of fsdp on CPU (resolve-resources.ts: field resources.strategy, details without paths) lands on strategy.
    const refusal = { message: 'resources.strategy: strategy "fsdp" on CPU (gpus_per_process 0): ...', field: 'resources.strategy', details: [{ code: 'INVALID_REQUEST', field: 'resources.strategy', message: 'x', hint: 'y' }] };
    expect(fieldErrors(refusal)).toEqual({ strategy: refusal.message });
  });
});
