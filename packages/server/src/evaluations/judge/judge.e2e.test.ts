import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvaluationSampleSchema, EvaluationSchema, type Evaluation, type EvaluationSample } from '@whetstone/core';
import { pairJudgePrompt, PAIR_VERDICTS } from '@whetstone/eval';
import { apiAt } from '../../../../../test-support/api-client.ts';
import { runWhet } from '../../../../../test-support/run-whet.ts';
import { tempHome, testServer } from '../../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../../test-support/tiny-model.ts';
import { toyChatRows, writeJsonl } from '../../../../../test-support/toy-data.ts';
import type { RunningServer } from '../../start-server.ts';

// A toy rubric short enough for the tiny model's 512-token context (MT-Bench's prompts are ~670).
const RUBRIC = { name: 'colour', text: 'Prefer the answer that names a colour.' };
// One forced judgment that reads as the score 7 and as "assistant A is better": a torch
// deployment of the tiny model whose label default is this one string answers nothing else.
const FORCED = 'Rating: [[7]] [[A]]';
const codePoints = (s: string | null) => (s === null ? 0 : [...s].length);

/**
 * LLM-as-judge end to end: the real server on 127.0.0.1, the real worker generating the
 * columns' answers with the tiny random model, and the tiny model judging them, through a
 * deployment (its decoding forced to one judgment, so every verdict is known in advance) and
 * on demand with its decoding constrained to the verdict strings.
 */
describe('judge: the tiny model grades the answers of an evaluation', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  let api: ReturnType<typeof apiAt>;
  let dataset: string;

  const evaluate = async (body: Record<string, unknown>): Promise<{ e: Evaluation; samples: EvaluationSample[] }> => {
    const res = await api.post('/evaluations', { dataset_id: dataset, few_shot_dataset_id: dataset, limit: 3, generation: { max_tokens: 6 }, ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.judge).toMatchObject({ status: 'queued' });
    return finished(res.body.id);
  };
  const finished = async (id: string) => {
    let e = EvaluationSchema.parse((await api.get(`/evaluations/${id}`)).body);
    for (let t0 = Date.now(); e.status === 'queued' || e.status === 'running'; ) {
      if (Date.now() - t0 > 240_000) throw new Error(`evaluation still ${e.status}`);
      await new Promise((r) => setTimeout(r, 200));
      e = EvaluationSchema.parse((await api.get(`/evaluations/${id}`)).body);
    }
    expect(e.status, JSON.stringify(e.error)).toBe('succeeded');
    const samples = (await api.get(`/evaluations/${id}/samples`)).body.data.map((s: unknown) => EvaluationSampleSchema.parse(s));
    return { e, samples };
  };

  beforeAll(async () => {
    server = await testServer(home);
    api = apiAt(server.url);
    expect((await api.post('/models', { path: ensureTinyModel(), name: 'tiny' })).status).toBe(201);
    dataset = (await api.upload(writeJsonl(join(home, 'colours.jsonl'), toyChatRows(4)))).body.id;
    const dep = await api.post('/deployments', { name: 'forced-judge', model: 'tiny', backend: 'torch', labels: [FORCED], max_concurrency: 4 });
    expect(dep.status, JSON.stringify(dep.body)).toBe(201);
    for (let i = 0; i < 600 && (await api.get('/deployments/forced-judge')).body.status === 'loading'; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await api.get('/deployments/forced-judge')).body.status).toBe('ready');
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  it('refuses a judge that does not exist, and pairs outside the columns, before anything runs', async () => {
    const judge = { model: { kind: 'deployment', deployment: 'nope' }, rubric: RUBRIC };
    const gone = await api.post('/evaluations', { dataset_id: dataset, models: [{ kind: 'model', model_id: 'tiny' }], judge });
    expect(gone.status).toBe(404);
    expect(gone.body.error).toMatchObject({ code: 'DEPLOYMENT_NOT_FOUND', message: 'no deployment with id or name "nope"' });
    const pairs = await api.post('/evaluations', { dataset_id: dataset, models: [{ kind: 'model', model_id: 'tiny' }, { kind: 'model', model_id: 'tiny', label: 'b' }], judge: { ...judge, mode: 'pairwise', pairs: [[0, 2]] } });
    expect(pairs.status).toBe(400);
    expect(pairs.body.error.message).toMatch(/judge\.pairs\.0: pair 0 names column 2, but models has 2 \(0\.\.1\)/);
    const constrained = await api.post('/evaluations', { dataset_id: dataset, models: [{ kind: 'model', model_id: 'tiny' }], judge: { model: { kind: 'endpoint', connection: 'x' }, constrain: true } });
    expect(constrained.status).toBe(400);
    expect(constrained.body.error.message).toMatch(/judge\.constrain: constrain works with local judges only/);
  });

  it('pairwise: a judge that always names assistant A wins nothing once each sample is judged in both orders', async () => {
    const { e, samples } = await evaluate({
      models: [{ kind: 'model', model_id: 'tiny', label: 'base' }, { kind: 'model', model_id: 'tiny', label: 'shot', few_shot: 1 }],
      judge: { model: { kind: 'deployment', deployment: 'forced-judge' }, rubric: RUBRIC, mode: 'pairwise' },
    });
    // Without the swap this judge would hand "shot" (shown first) every sample: a win rate of 1.
    expect(e.judge).toMatchObject({ judge: 'forced-judge', mode: 'pairwise', rubric: 'colour', language: 'en', status: 'succeeded', progress: { done: 6, total: 6 }, scores: null });
    expect(e.judge!.pairs).toEqual([
      {
        a: 'shot',
        b: 'base',
        wins: 0,
        losses: 0,
        ties: 3,
        inconsistent: 3,
        invalid: 0,
        win_rate: 0.5,
        ci95: [0.5, 0.5],
        mean_length_chars: { a: expect.any(Number), b: expect.any(Number) },
      },
    ]);
    const lengths = (k: number) => Math.round((samples.reduce((n, s) => n + codePoints(s.outputs[k]!.prediction), 0) / 3) * 100) / 100;
    expect(e.judge!.pairs![0]!.mean_length_chars).toEqual({ a: lengths(1), b: lengths(0) });
    for (const s of samples) {
      // Both orders stored: "shot" shown first, then "base" shown first, each with the judge's text.
      expect(s.judge!.pairs).toEqual([
        {
          a: 'shot',
          b: 'base',
          orders: [
            { first: 'shot', verdict: 'A', judgment: FORCED, error: null },
            { first: 'base', verdict: 'A', judgment: FORCED, error: null },
          ],
          outcome: 'tie',
          inconsistent: true,
        },
      ]);
    }
  }, 300_000);

  it('single, through `whet eval run --judge`: every answer gets the forced 7 with its reason, shown by `whet eval show`', async () => {
    const rubricFile = join(home, 'colour.txt');
    writeFileSync(rubricFile, RUBRIC.text);
    const r = await runWhet(server.url, ['eval', 'run', '--models', 'tiny', '--data', dataset, '--limit', '3', '--max-tokens', '6', '--judge', 'dep:forced-judge', '--rubric', `@${rubricFile}`, '--follow']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const id = /created (eval_\w+)/.exec(r.stdout)![1]!;
    expect(r.stdout).toMatch(/judge {4}forced-judge {2}single {2}rubric colour \(en\) {2}succeeded/);
    expect(r.stdout).toMatch(/\ntiny\s+7\.00\s+\[7\.00, 7\.00\]\s+3\s+0\s+0\s+[\d.]+\n/);
    const { e, samples } = await finished(id);
    expect(e.judge!.scores).toEqual([{ label: 'tiny', mean_score: 7, ci95: [7, 7], scored: 3, unparseable: 0, failed: 0, mean_length_chars: expect.any(Number) }]);
    for (const s of samples) expect(s.judge!.scores).toEqual([{ label: 'tiny', score: 7, judgment: FORCED, error: null }]);
    const shown = await runWhet(server.url, ['eval', 'show', id, '--samples', '1', '--sort', 'index']);
    expect(shown.stdout).toContain(`  judge tiny: 7 ${JSON.stringify(FORCED)}`);
  }, 300_000);

  it('pairwise with the tiny model constrained to the verdict strings: each order is what the judge says for that order', async () => {
    const { e, samples } = await evaluate({
      models: [{ kind: 'model', model_id: 'tiny', label: 'base' }, { kind: 'model', model_id: 'tiny', label: 'shot', few_shot: 1 }],
      judge: { model: { kind: 'model', model_id: 'tiny' }, rubric: RUBRIC, mode: 'pairwise', constrain: true, max_tokens: 8 },
    });
    const pair = e.judge!.pairs![0]!;
    expect(e.judge!.status).toBe('succeeded');
    expect(pair.invalid).toBe(0); // constrained: every verdict reads
    const outcomes = samples.map((s) => s.judge!.pairs![0]!);
    for (const [k, o] of outcomes.entries()) {
      const [first, swapped] = o.orders;
      expect(PAIR_VERDICTS).toContain(first!.judgment);
      expect(PAIR_VERDICTS).toContain(swapped!.judgment);
      // The stored judgments are the judge's answers to the prompt in that order: ask it again directly.
      const answers = { shot: samples[k]!.outputs[1]!.prediction!, base: samples[k]!.outputs[0]!.prediction! };
      for (const [order, [a, b]] of [[first!, ['shot', 'base']], [swapped!, ['base', 'shot']]] as const) {
        const messages = pairJudgePrompt({ rubric: RUBRIC, language: 'en', prompt: samples[k]!.messages, reference: samples[k]!.reference, answerA: answers[a], answerB: answers[b] });
        const direct = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'tiny', messages, labels: PAIR_VERDICTS, temperature: 0, max_tokens: 8 }) });
        expect((await direct.json()).choices[0].message.content).toBe(order.judgment);
      }
      // MT-Bench's rule, spelt out independently: a winner only when both orders agree after the swap.
      const winner = (j: string, shownFirst: string, shownSecond: string) => (j === '[[A]]' ? shownFirst : j === '[[B]]' ? shownSecond : 'tie');
      const w1 = winner(first!.judgment!, 'shot', 'base');
      const w2 = winner(swapped!.judgment!, 'base', 'shot');
      expect(o.outcome).toBe(w1 === w2 ? (w1 === 'shot' ? 'a' : w1 === 'base' ? 'b' : 'tie') : 'tie');
      expect(o.inconsistent).toBe(w1 !== w2);
    }
    const count = (x: string) => outcomes.filter((o) => o.outcome === x).length;
    expect(pair).toMatchObject({ wins: count('a'), losses: count('b'), ties: count('tie'), inconsistent: outcomes.filter((o) => o.inconsistent).length });
    expect(pair.win_rate).toBeCloseTo((count('a') + count('tie') / 2) / 3, 12);
    expect(pair.ci95![0]).toBeLessThanOrEqual(pair.win_rate!);
    expect(pair.ci95![1]).toBeGreaterThanOrEqual(pair.win_rate!);
  }, 300_000);
});
