import { describe, expect, it } from 'vitest';
import { paths } from '../../../config/paths.ts';
import { parseSelection } from './compare-selection.ts';

describe('compare selection in the URL', () => {
  it('reads ids in order, without blanks or repeats', () => {
    expect(parseSelection('?jobs=job_b,%20job_a,,job_b')).toEqual(['job_b', 'job_a']);
    expect(parseSelection('')).toEqual([]);
    expect(parseSelection('?other=1')).toEqual([]);
  });

  it('reads back what paths.compare writes', () => {
    expect(paths.compare(['job_a', 'job b'])).toBe('/compare?jobs=job_a,job%20b');
    expect(parseSelection(paths.compare(['job_a', 'job b']).split('?')[1]!)).toEqual(['job_a', 'job b']);
    expect(paths.compare([])).toBe('/compare');
  });
});
