import { describe, expect, it } from 'vitest';
import { plannedSteps, trainRows } from './planned-steps.ts';

const r = (values: Record<string, unknown>) => Object.fromEntries(Object.entries(values).map(([k, value]) => [k, { value }]));

describe('plannedSteps', () => {
  it('counts the steps of the epochs over the rows, as the server plans them', () => {
    expect(plannedSteps(r({ batch_size: 4, gradient_accumulation_steps: 2, epochs: 2.5, max_steps: null }), 30)).toEqual({ steps: 10, perStep: 8, capped: false });
    expect(plannedSteps(r({ batch_size: 4, gradient_accumulation_steps: 1, epochs: 15 }), 32)).toEqual({ steps: 120, perStep: 4, capped: false });
  });

  it('takes max_steps when set, and gives up when a value is missing', () => {
    expect(plannedSteps(r({ batch_size: 4, gradient_accumulation_steps: 1, epochs: 15, max_steps: 6 }), 32)).toEqual({ steps: 6, perStep: 4, capped: true });
    expect(plannedSteps(r({ batch_size: 4, epochs: 1 }), 32)).toBeNull();
  });
});

describe('trainRows', () => {
  it('leaves out the rows the server holds out for validation', () => {
    expect(trainRows(32, r({ validation_rows: 4 }))).toBe(28);
    expect(trainRows(12, r({ validation_rows: 0 }))).toBe(12);
    expect(trainRows(32, {})).toBe(32); // a job resolved before validation_rows existed
  });
});
