import { describe, expect, it } from 'vitest';
import { queryInt } from './query-int.ts';

describe('queryInt', () => {
  it('takes plain digits within the bounds, and absence', () => {
    expect(queryInt('limit', '20')).toBe(20);
    expect(queryInt('limit', '0')).toBe(0);
    expect(queryInt('limit', undefined)).toBeUndefined();
    expect(queryInt('wait_ms', '600000', { max: 600_000 })).toBe(600_000);
  });

  it('refuses what Number() would quietly take, and out-of-range values, naming the parameter', () => {
    for (const raw of ['', ' 1', '1e3', '0x10', '1.5', '-1', 'abc', '99999999999999999']) {
      expect(() => queryInt('after', raw), raw).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST', field: 'after' }));
    }
    expect(() => queryInt('max_seq_len', '0', { min: 1 })).toThrow(/max_seq_len must be a whole number from 1 to/);
    expect(() => queryInt('wait_ms', '600001', { max: 600_000 })).toThrow(/got "600001"/);
  });
});
