import { describe, expect, it } from 'vitest';
import { alignRuns } from './align-runs.ts';

describe('alignRuns', () => {
  it('puts every run on the union of steps, with gaps where a run has no point, a 0 kept', () => {
    const a = [
      { step: 1, name: 'loss', value: 3 },
      { step: 2, name: 'loss', value: 2 },
      { step: 2, name: 'eval_loss', value: 2.5 },
      { step: 2, name: 'learning_rate', value: 1e-4 }, // not overlaid
    ];
    const b = [
      { step: 2, name: 'loss', value: 4 },
      { step: 3, name: 'loss', value: 0 },
    ];
    const { steps, columns } = alignRuns([a, b]);
    expect(steps).toEqual([1, 2, 3]);
    expect(columns).toEqual([
      [
        [3, 2, null],
        [null, 2.5, null],
      ],
      [
        [null, 4, 0],
        [null, null, null],
      ],
    ]);
  });

  it('sorts steps numerically and keeps the last value of a step recorded twice (a resumed run)', () => {
    const { steps, columns } = alignRuns([
      [
        { step: 10, name: 'loss', value: 1 },
        { step: 9, name: 'loss', value: 2 },
        { step: 10, name: 'loss', value: 5 },
      ],
    ]);
    expect(steps).toEqual([9, 10]);
    expect(columns[0]![0]).toEqual([2, 5]);
  });

  it('gives empty columns for no runs or runs without points', () => {
    expect(alignRuns([])).toEqual({ steps: [], columns: [] });
    expect(alignRuns([[]])).toEqual({ steps: [], columns: [[[], []]] });
  });
});
