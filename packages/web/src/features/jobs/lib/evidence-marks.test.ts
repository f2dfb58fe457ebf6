import { describe, expect, it } from 'vitest';
import { evidenceMarks } from './evidence-marks.ts';

describe('evidenceMarks', () => {
  it('marks each step of each item once, keeping the item it belongs to; items without steps mark nothing', () => {
    expect(evidenceMarks([{ steps: [24, 180] }, { steps: [] }, { steps: [24, 24, 90] }])).toEqual([
      { step: 24, item: 0 },
      { step: 180, item: 0 },
      { step: 24, item: 2 },
      { step: 90, item: 2 },
    ]);
  });
});
