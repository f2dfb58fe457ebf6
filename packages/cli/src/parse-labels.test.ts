import { describe, expect, it } from 'vitest';
import { parseLabelsOption } from './parse-labels.ts';

describe('parseLabelsOption', () => {
  it('reads a comma-separated list, "model" and "none"', () => {
    expect(parseLabelsOption(' positive, negative ,neutral')).toEqual(['positive', 'negative', 'neutral']);
    expect(parseLabelsOption('model')).toBe('model');
    expect(parseLabelsOption('none')).toEqual([]);
  });
});
