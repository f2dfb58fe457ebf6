import { describe, expect, it } from 'vitest';
import { DEFAULT_SAMPLING, parseSampling } from './sampling-params.ts';

describe('parseSampling', () => {
  it('turns the defaults into numbers', () => {
    expect(parseSampling(DEFAULT_SAMPLING)).toEqual({ params: { temperature: 0.7, top_p: 1, max_tokens: 256 }, problems: {} });
  });

  it('names every field outside the range the server accepts, at once', () => {
    const r = parseSampling({ temperature: '2.5', top_p: '0', max_tokens: '1.5' });
    expect(r.params).toBeNull();
    expect(r.problems).toEqual({
      temperature: { key: 'range', vars: { min: 0, max: 2 } },
      top_p: { key: 'rangeOpenMin', vars: { min: 0, max: 1 } },
      max_tokens: { key: 'wholeNumber', vars: { min: 1, max: 8192 } },
    });
    expect(Object.keys(parseSampling({ temperature: '', top_p: 'x', max_tokens: '9000' }).problems)).toEqual(['temperature', 'top_p', 'max_tokens']);
  });
});
