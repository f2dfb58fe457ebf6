import { describe, expect, it } from 'vitest';
import { cappedMeanTokens, describeSeconds, estimateDuration, median, type PlannedTraining } from './estimate-duration.ts';

const plan: PlannedTraining = { modelName: 'tiny', tuning: 'lora', epochs: 3, trainRows: 100, steps: 75, perStep: 4, capped: false, maxSeqLen: 512, tokensPerSample: 200 };

describe('estimateDuration', () => {
  it('a time budget is the estimate', () => {
    expect(estimateDuration({ budget: { minutes: 12 }, runSpeeds: [1000], plan })).toMatchObject({ seconds: 720, basis: 'budget', reason: expect.stringMatching(/time budget of 12 minutes/) });
  });

  it('no earlier run: no figure, and says why', () => {
    expect(estimateDuration({ runSpeeds: [], plan })).toEqual({
      seconds: null,
      basis: 'none',
      reason: 'no earlier run of tiny with lora on this server to measure speed from',
      tokens_per_sec: null,
      runs: 0,
      tokens: null,
    });
  });

  it('history: the data tokens x epochs over the median speed of earlier runs', () => {
    // 100 rows x 200 tokens x 3 epochs = 60,000 tokens at median(500, 1000, 3000) = 1,000 tokens/s
    const e = estimateDuration({ runSpeeds: [3000, 500, 1000], plan });
    expect(e).toMatchObject({ seconds: 60, basis: 'history', tokens_per_sec: 1000, runs: 3, tokens: 60_000 });
    expect(e.reason).toBe('about 60 s: 60,000 training tokens (20,000 tokens of training data for tiny x 3 epochs) at 1,000 tokens/s, the median of 3 earlier runs of tiny with lora');
  });

  it('history with max_steps: steps x samples per step x mean tokens a sample', () => {
    const e = estimateDuration({ runSpeeds: [100, 300], plan: { ...plan, capped: true, steps: 10 } });
    // 10 x 4 x 200 = 8,000 tokens at 200 tokens/s
    expect(e).toMatchObject({ seconds: 40, tokens: 8000, tokens_per_sec: 200, runs: 2 });
    expect(e.reason).toMatch(/10 steps x 4 samples x 200 tokens a sample \(the data's mean\)/);
  });

  it('history over uncounted data: max_seq_len per sample, called an upper bound', () => {
    const e = estimateDuration({ runSpeeds: [512], plan: { ...plan, tokensPerSample: null } });
    // 75 steps x 4 x 512 = 153,600 tokens at 512 tokens/s = 300 s
    expect(e).toMatchObject({ seconds: 300, tokens: 153_600 });
    expect(e.reason).toMatch(/^about 5 min: .*max_seq_len, an upper bound/);
  });

  it('a token budget: those tokens at the measured speed', () => {
    expect(estimateDuration({ budget: { tokens: 90_000 }, runSpeeds: [1500], plan })).toMatchObject({ seconds: 60, basis: 'history', tokens: 90_000, reason: expect.stringMatching(/token budget of 90,000/) });
  });

  it('ignores runs that measured nothing', () => {
    expect(estimateDuration({ runSpeeds: [0, Number.NaN], plan }).basis).toBe('none');
  });
});

describe('the small arithmetic', () => {
  it('median of odd and even counts', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it('mean tokens per sample cut at max_seq_len', () => {
    expect(cappedMeanTokens([[100, 2], [1000, 2]], 512)).toBe(306);
    expect(cappedMeanTokens([], 512)).toBeNull();
  });
  it('durations read as seconds, minutes or hours', () => {
    expect(describeSeconds(0.2)).toBe('about 1 s');
    expect(describeSeconds(720)).toBe('about 12 min');
    expect(describeSeconds(9000)).toBe('about 2.5 h');
  });
});
