import { describe, expect, it } from 'vitest';
import { locateJsonError } from './json-error-position.ts';

describe('locateJsonError', () => {
  it.each([
    ['{"a":}', 6, 'expected a value'],
    ['{"a":1', 7, 'expected "," or "}"'],
    ['{"a":1}x', 8, 'end of the line'],
    ["{'a':1}", 2, 'property name'],
    ['{"a":"b\tc"}', 8, 'control character'],
    ['{"a":"x\\q"}', 8, 'invalid escape'],
    ['{"a":[1,2}', 10, 'expected "," or "]"'],
    ['{"a": "😀", "b": tru}', 18, 'expected a value'],
    ['{"a":"unclosed', 15, 'not closed'],
  ])('%s fails at column %i', (text, column, detail) => {
    const p = locateJsonError(text);
    expect(p.column).toBe(column);
    expect(p.detail).toContain(detail);
    expect(() => JSON.parse(text)).toThrow();
  });
});
