import { describe, expect, it } from 'vitest';
import { detectLanguage, pairJudgePrompt, PAIR_VERDICTS, SCORE_VERDICTS, singleJudgePrompt } from './judge-prompts.ts';
import { parsePairVerdict, parseScore } from './parse-verdict.ts';

const prompt = [{ role: 'user', content: 'What is the capital of France?' }];

describe('judge prompts', () => {
  it('helpfulness shows no reference; correctness shows it before the answer', () => {
    const help = singleJudgePrompt({ rubric: 'helpfulness', language: 'en', prompt, reference: 'Paris', answer: 'Lyon' });
    expect(help[0].content).toMatch(/helpfulness, relevance, accuracy.*"Rating: \[\[5\]\]"/s);
    expect(help[1].content).not.toContain('Reference');
    const corr = singleJudgePrompt({ rubric: 'correctness', language: 'en', prompt, reference: 'Paris', answer: 'Lyon' });
    expect(corr[1].content).toBe(
      "[Question]\nWhat is the capital of France?\n\n[The Start of Reference Answer]\nParis\n[The End of Reference Answer]\n\n[The Start of Assistant's Answer]\nLyon\n[The End of Assistant's Answer]",
    );
  });

  it("makes the user's rubric the instruction, followed by the verdict format", () => {
    const own = { name: 'polite', text: 'Which answer is more polite?', reference: false };
    const [system] = pairJudgePrompt({ rubric: own, language: 'en', prompt, reference: 'Paris', answerA: 'x', answerB: 'y' });
    expect(system.content).toBe('Which answer is more polite?\n\nAfter a short explanation, give your verdict in exactly this format: "[[A]]" if assistant A is better, "[[B]]" if assistant B is better, "[[C]]" for a tie.');
    const [single] = singleJudgePrompt({ rubric: { ...own, reference: true }, language: 'zh', prompt, reference: '巴黎', answer: 'y' });
    expect(single.content).toBe('Which answer is more polite?\n\n先简短解释，再严格按此格式给出 1 到 10 分："评分：[[5]]"。');
  });

  it('pairwise shows A then B as given; Chinese prompts ask for the same format', () => {
    const [, user] = pairJudgePrompt({ rubric: 'helpfulness', language: 'zh', prompt, reference: '', answerA: 'first', answerB: 'second' });
    expect(user.content.indexOf('first')).toBeLessThan(user.content.indexOf('second'));
    expect(user.content).toContain('[助手 A 回答开始]\nfirst');
    const [system] = singleJudgePrompt({ rubric: 'correctness', language: 'zh', prompt, reference: '巴黎', answer: '里昂' });
    expect(system.content).toContain('"评分：[[5]]"');
  });

  it('renders earlier turns as a conversation', () => {
    const turns = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }, { role: 'user', content: 'Capital of France?' }];
    const [, user] = singleJudgePrompt({ rubric: 'helpfulness', language: 'en', prompt: turns, reference: '', answer: 'Paris' });
    expect(user.content.startsWith('[Conversation]\nSystem: Be brief.\n\nUser: Hi\n\nAssistant: Hello\n\nUser: Capital of France?')).toBe(true);
  });

  it('every constrained verdict string parses to its value', () => {
    expect(SCORE_VERDICTS.en.map((v) => parseScore(v))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(SCORE_VERDICTS.zh.map((v) => parseScore(v))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(PAIR_VERDICTS.map(parsePairVerdict)).toEqual(['A', 'B', 'tie']);
  });

  it('detects Chinese data by the share of prompts with Han characters', () => {
    expect(detectLanguage(['中国的首都是哪里？', '你好', 'hello'])).toBe('zh');
    expect(detectLanguage(['中国的首都是哪里？', 'hello'])).toBe('en');
    expect(detectLanguage([])).toBe('en');
  });
});
