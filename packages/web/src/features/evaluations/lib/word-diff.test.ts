import { describe, expect, it } from 'vitest';
import { tokenize, wordDiff } from './word-diff.ts';

describe('wordDiff', () => {
  it('marks the words only the answer has and only the reference has', () => {
    expect(wordDiff('The sky is blue.', 'The sky is green.')).toEqual([
      { kind: 'same', text: 'The sky is ' },
      { kind: 'removed', text: 'blue.' },
      { kind: 'added', text: 'green.' },
    ]);
  });

  it('gives back both texts: same + removed is the reference, same + added the answer', () => {
    const ref = 'Four. It is four, not five.';
    const ans = 'It is four or five,  really.';
    const parts = wordDiff(ref, ans);
    expect(parts.filter((p) => p.kind !== 'added').map((p) => p.text).join('').trimEnd()).toBe(ref);
    expect(parts.filter((p) => p.kind !== 'removed').map((p) => p.text).join('')).toBe(ans);
  });

  it('treats identical texts as one same part and empty answers as all removed', () => {
    expect(wordDiff('Red.', 'Red.')).toEqual([{ kind: 'same', text: 'Red.' }]);
    expect(wordDiff('Red.', '')).toEqual([{ kind: 'removed', text: 'Red.' }]);
  });

  it('splits Chinese into characters', () => {
    expect(tokenize('北京。')).toEqual(['北', '京', '。']);
    expect(wordDiff('北京。', '南京。')).toEqual([
      { kind: 'removed', text: '北' },
      { kind: 'added', text: '南' },
      { kind: 'same', text: '京。' },
    ]);
  });

  it('falls back to whole texts past the word limit', () => {
    expect(wordDiff('a b c', 'a b d', 2)).toEqual([
      { kind: 'removed', text: 'a b c' },
      { kind: 'added', text: 'a b d' },
    ]);
  });
});
