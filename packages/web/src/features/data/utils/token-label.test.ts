import { describe, expect, it } from 'vitest';
import { tokenLabel, tokenText } from './token-label.ts';

describe('tokenText / tokenLabel', () => {
  it('reads byte-level BPE tokens back as text', () => {
    expect(tokenText('Ġhello')).toBe(' hello');
    expect(tokenText('ĊĊ')).toBe('\n\n');
    // "你" is E4 BD A0 in UTF-8, spelled ä½ł in the byte-level alphabet
    expect(tokenText('ä½ł')).toBe('你');
  });

  it('keeps tokens that are not whole UTF-8 (half a character) and special tokens as spelled', () => {
    expect(tokenText('ä½')).toBe('ä½');
    expect(tokenText('<|im_start|>')).toBe('<|im_start|>');
  });

  it('turns SentencePiece word starts into spaces', () => {
    expect(tokenText('▁world')).toBe(' world');
  });

  it('makes white space visible', () => {
    expect(tokenLabel('Ġa')).toBe('·a');
    expect(tokenLabel('Ċ')).toBe('↵');
    expect(tokenLabel('ĉx')).toBe('→x');
  });
});
