import { describe, expect, it } from 'vitest';
import { isWhetError, JobCreateSchema } from '@whetstone/core';
import { parseDataOptions, parseDataValue } from './parse-data-options.ts';

const problemOf = (v: string) => {
  const r = parseDataValue(v);
  if (!('problem' in r)) throw new Error(`"${v}" parsed as ${JSON.stringify(r)}`);
  return r.problem;
};

const errorOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (isWhetError(e)) return e;
    throw e;
  }
  throw new Error('no error thrown');
};

describe('parseDataValue', () => {
  it('reads a bare ref, a weight and a sample count', () => {
    expect(parseDataValue('support-tickets')).toEqual({ ref: 'support-tickets' });
    expect(parseDataValue('general:w=0.2')).toEqual({ ref: 'general', weight: 0.2 });
    expect(parseDataValue('general:weight=3')).toEqual({ ref: 'general', weight: 3 });
    expect(parseDataValue('ds_abc:n=500')).toEqual({ ref: 'ds_abc', samples: 500 });
    expect(parseDataValue('ds_abc:samples=7')).toEqual({ ref: 'ds_abc', samples: 7 });
  });

  it('keeps colons that belong to the name', () => {
    expect(parseDataValue('team:faq.jsonl')).toEqual({ ref: 'team:faq.jsonl' });
    expect(parseDataValue('team:faq.jsonl:w=2')).toEqual({ ref: 'team:faq.jsonl', weight: 2 });
  });

  it('refuses each bad value with the value and the reason', () => {
    expect(problemOf('general:w=0')).toBe('--data "general:w=0": the weight w must be a number > 0, got "0"');
    expect(problemOf('general:w=-1')).toMatch(/weight w must be a number > 0, got "-1"/);
    expect(problemOf('general:w=abc')).toMatch(/weight w must be a number > 0, got "abc"/);
    expect(problemOf('general:w=')).toMatch(/weight w must be a number > 0, got ""/);
    expect(problemOf('general:w=Infinity')).toMatch(/weight w must be a number > 0/);
    expect(problemOf('general:n=0')).toBe('--data "general:n=0": the number of samples n must be a positive integer, got "0"');
    expect(problemOf('general:n=1.5')).toMatch(/n must be a positive integer, got "1\.5"/);
    expect(problemOf('general:n=-3')).toMatch(/n must be a positive integer, got "-3"/);
    expect(problemOf('general:w=0.2:n=5')).toBe('--data "general:w=0.2:n=5": give a weight (w=) or a number of samples (n=), not both');
    expect(problemOf('general:w=1:w=2')).toMatch(/weight is given twice/);
    expect(problemOf(':w=0.2')).toBe('--data ":w=0.2": no dataset id or name before ":"');
    expect(problemOf('')).toMatch(/no dataset id or name/);
    expect(problemOf('  ')).toMatch(/no dataset id or name/);
    expect(problemOf('general:')).toMatch(/nothing after ":"/);
    expect(problemOf('general:x=1')).toMatch(/unknown option "x" \(use w= or n=\)/);
    expect(problemOf('general:0.2')).toMatch(/"0\.2" after ":" needs a name: w=0\.2 for a weight or n=0\.2/);
  });
});

describe('parseDataOptions', () => {
  it('sends one plain --data as `dataset`, as before', () => {
    expect(parseDataOptions({ data: ['ds_a'] })).toEqual({ dataset: 'ds_a' });
  });

  it('sends several, or any with w= or n=, as `datasets`', () => {
    expect(parseDataOptions({ data: ['tickets', 'general:w=0.2'] })).toEqual({ datasets: [{ id: 'tickets' }, { id: 'general', weight: 0.2 }] });
    expect(parseDataOptions({ data: ['general:n=500'] })).toEqual({ datasets: [{ id: 'general', samples: 500 }] });
  });

  it('reads the split and de-duplication options, and the body passes the job schema', () => {
    const data = parseDataOptions({ data: ['a:w=1', 'b:n=3'], validationSplit: '0.1', testSplit: '0.05', dedup: 'normalized' });
    expect(data).toEqual({ datasets: [{ id: 'a', weight: 1 }, { id: 'b', samples: 3 }], validation_split: 0.1, test_split: 0.05, dedup: 'normalized' });
    expect(JobCreateSchema.safeParse({ model: 'm', ...data }).success).toBe(true);
    expect(parseDataOptions({ data: ['a'], validationSplit: 'auto', validationData: 'v' })).toEqual({ dataset: 'a', validation_split: 'auto', validation_dataset: 'v' });
  });

  it('reports every bad value in one error with the accepted forms', () => {
    const e = errorOf(() => parseDataOptions({ data: ['a:w=0', 'b', 'b:n=2', 'c:n=x'], testSplit: '0.9', dedup: 'fuzzy' }));
    expect(e.code).toBe('INVALID_REQUEST');
    expect(e.field).toBe('datasets');
    expect(e.message).toContain('--data "a:w=0": the weight w must be a number > 0, got "0"');
    expect(e.message).toContain('--data "b" is given twice');
    expect(e.message).toContain('--data "c:n=x": the number of samples n must be a positive integer, got "x"');
    expect(e.message).toContain('--test-split must be a fraction from 0 to 0.5 (0.05 = 5%), got "0.9"');
    expect(e.message).toContain('--dedup must be "exact" or "normalized", got "fuzzy"');
    expect(e.hint).toMatch(/ID_OR_NAME:w=WEIGHT .* ID_OR_NAME:n=SAMPLES/);
  });

  it('refuses bad splits alone with their own hint', () => {
    const e = errorOf(() => parseDataOptions({ data: ['a'], validationSplit: 'lots' }));
    expect(e.message).toBe('--validation-split must be "auto" or a fraction from 0 to 0.5 (0.05 = 5%), got "lots"');
    expect(e.hint).toMatch(/Fix the options/);
    expect(errorOf(() => parseDataOptions({ data: ['a'], testSplit: 'auto' })).message).toMatch(/--test-split must be a fraction/);
    expect(errorOf(() => parseDataOptions({ data: ['a'], validationSplit: '0.1', validationData: 'v' })).message).toMatch(/give one/);
  });
});
