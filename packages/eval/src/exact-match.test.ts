import { describe, expect, it } from 'vitest';

import { exactMatch, normalizeAnswer } from './exact-match.ts';

describe('normalizeAnswer', () => {
  it('folds case and full-width forms, drops punctuation of every script, collapses whitespace', () => {
    expect(normalizeAnswer('  Hello,   WORLD!  ')).toBe('hello world');
    expect(normalizeAnswer('Ｗｈｅｔｓｔｏｎｅ　１２３')).toBe('whetstone 123');
    expect(normalizeAnswer('“正面”。')).toBe('正面');
    expect(normalizeAnswer('答案：\t是！\r\n')).toBe('答案 是');
    expect(normalizeAnswer('\u0085a\u001cb')).toBe('a b'); // Python's whitespace, not JavaScript's
    expect(normalizeAnswer('。，！？…')).toBe('');
  });

  it('keeps case when asked, and keeps symbols that are not punctuation', () => {
    expect(normalizeAnswer('Paris.', { caseSensitive: true })).toBe('Paris');
    expect(normalizeAnswer('1+1=2 $5')).toBe('1+1=2 $5');
  });
});

describe('exactMatch', () => {
  it('matches answers that differ only in case, punctuation and spacing', () => {
    expect(exactMatch('The capital is Paris.', 'the capital is  paris')).toBe(true);
    expect(exactMatch('负面。', '负面')).toBe(true);
    expect(exactMatch('Paris', 'paris', { caseSensitive: true })).toBe(false);
  });

  it('does not match different words or merged words', () => {
    expect(exactMatch('正面', '负面')).toBe(false);
    expect(exactMatch('new york', 'newyork')).toBe(false);
    expect(exactMatch('not positive', 'positive')).toBe(false);
  });

  it('treats two empty or punctuation-only answers as equal, and empty against text as different', () => {
    expect(exactMatch('', '')).toBe(true);
    expect(exactMatch('...', '！')).toBe(true);
    expect(exactMatch('', 'yes')).toBe(false);
  });
});
