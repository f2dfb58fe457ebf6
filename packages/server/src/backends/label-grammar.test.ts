import { describe, expect, it } from 'vitest';
import { gbnfLiteral, labelsGrammar } from './label-grammar.ts';

describe('labelsGrammar', () => {
  it('is one alternative per distinct label', () => {
    expect(labelsGrammar(['pos', 'positive', 'negative', 'pos'])).toBe('root ::= "pos" | "positive" | "negative"\n');
  });

  it('escapes quotes, backslashes and control characters, and keeps other text as is', () => {
    expect(gbnfLiteral('say "hi"')).toBe('"say \\"hi\\""');
    expect(gbnfLiteral('a\\b')).toBe('"a\\\\b"');
    expect(gbnfLiteral('line\nnext\ttab\r\u0001')).toBe('"line\\nnext\\ttab\\r\\x01"');
    expect(gbnfLiteral('北京 ✓')).toBe('"北京 ✓"');
  });
});
