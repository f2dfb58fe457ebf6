import { describe, expect, it } from 'vitest';
import { parseSelection, selectionSearch } from './compare-selection.ts';

describe('compare selection in the URL', () => {
  it('reads ids in order, without blanks or repeats', () => {
    expect(parseSelection('?jobs=job_b,%20job_a,,job_b')).toEqual(['job_b', 'job_a']);
    expect(parseSelection('')).toEqual([]);
    expect(parseSelection('?other=1')).toEqual([]);
  });

  it('writes what it reads back', () => {
    expect(selectionSearch(['job_a', 'job b'])).toBe('?jobs=job_a,job%20b');
    expect(parseSelection(selectionSearch(['job_a', 'job b']))).toEqual(['job_a', 'job b']);
    expect(selectionSearch([])).toBe('');
  });
});
