import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvaluationSampleSchema, EvaluationSchema, type EvaluationSample } from '@whetstone/core';
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

/**
 * The one double: an OpenAI-compatible judge on 127.0.0.1 that reads the two answers out of the
 * pairwise prompt and names the longer one ("[[C]]" when equal), with a reason.
 */
async function longerAnswerJudge(): Promise<{ url: string; hold: () => () => void; close: () => Promise<void> }> {
  let gate: Promise<void> = Promise.resolve();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      await gate;
      const prompt = (JSON.parse(body) as { messages: { content: string }[] }).messages.at(-1)!.content;
      const answer = (x: 'A' | 'B') => [...(new RegExp(`\\[The Start of Assistant ${x}'s Answer\\]\\n([^]*?)\\n\\[The End of Assistant ${x}'s Answer\\]`).exec(prompt)?.[1] ?? '')].length;
      const [a, b] = [answer('A'), answer('B')];
      const content = `A has ${a} characters, B has ${b}. ${a > b ? '[[A]]' : a < b ? '[[B]]' : '[[C]]'}`;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`,
    /** Answers wait until the returned release is called. */
    hold: () => {
      let release!: () => void;
      gate = new Promise((r) => (release = r));
      return release;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/**
 * LLM-as-judge end to end: the real server on 127.0.0.1, the real worker generating two
 * columns' answers with the tiny random model (sampled, so they differ), and the tiny model
 * judging them through a torch deployment: first with its decoding forced to one judgment
 * (every verdict known in advance), then judged again from the stored answers with decoding
 * constrained to the verdict strings (each stored judgment checked against the judge asked
 * directly), by an endpoint that prefers the longer answer (the swap decides), and graded 1-10
 * by the CLI.
 */
describe('judge: the tiny model grades the answers of an evaluation', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  let api: ReturnType<typeof apiAt>;
  let dataset: string;
  let lengthJudge: Awaited<ReturnType<typeof longerAnswerJudge>>;

  const finished = async (id: string) => {
    let e = EvaluationSchema.parse((await api.get(`/evaluations/${id}`)).body);
    for (let t0 = Date.now(); e.status === 'queued' || e.status === 'running'; ) {
      if (Date.now() - t0 > 240_000) throw new Error(`evaluation still ${e.status}`);
      await new Promise((r) => setTimeout(r, 200));
      e = EvaluationSchema.parse((await api.get(`/evaluations/${id}`)).body);
    }
    expect(e.status, JSON.stringify(e.error)).toBe('succeeded');
    const samples: EvaluationSample[] = (await api.get(`/evaluations/${id}/samples`)).body.data.map((s: unknown) => EvaluationSampleSchema.parse(s));
    return { e, samples };
  };

  beforeAll(async () => {
    lengthJudge = await longerAnswerJudge();
    server = await testServer(home);
    api = apiAt(server.url);
    expect((await api.post('/connections', { name: 'longer-wins', base_url: lengthJudge.url, model: 'm' })).status).toBe(201);
    expect((await api.post('/models', { path: ensureTinyModel(), name: 'tiny' })).status).toBe(201);
    dataset = (await api.upload(writeJsonl(join(home, 'colours.jsonl'), toyChatRows(4)))).body.id;
    const dep = await api.post('/deployments', { name: 'forced-judge', model: 'tiny', backend: 'torch', labels: [FORCED], max_concurrency: 4 });
    expect(dep.status, JSON.stringify(dep.body)).toBe(201);
    for (let i = 0; i < 600 && (await api.get('/deployments/forced-judge')).body.status === 'loading'; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await api.get('/deployments/forced-judge')).body.status).toBe('ready');
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await lengthJudge?.close();
    cleanup();
  });

  it('refuses a judge that does not exist, and pairs outside the columns, before anything runs', async () => {
    const judge = { model: { kind: 'deployment', deployment: 'nope' }, rubric: RUBRIC };
    const gone = await api.post('/evaluations', { dataset_id: dataset, models: [{ kind: 'model', model_id: 'tiny' }], judge });
    expect(gone.status).toBe(404);
    expect(gone.body.error).toMatchObject({ code: 'DEPLOYMENT_NOT_FOUND', message: 'no deployment with id or name "nope"' });
    const pairs = await api.post('/evaluations', { dataset_id: dataset, models: [{ kind: 'model', model_id: 'tiny' }, { kind: 'model', model_id: 'tiny', label: 'b' }], judge: { ...judge, mode: 'pairwise', pairs: [[0, 2]] } });
    expect(pairs.status).toBe(400);
    expect(pairs.body.error).toMatchObject({ message: 'pair 0 names column 2, but the evaluation has 2 (0..1)', field: 'judge.pairs.0' });
    const self = await api.post('/evaluations', { dataset_id: dataset, models: [{ kind: 'model', model_id: 'tiny' }, { kind: 'model', model_id: 'tiny', label: 'b' }], judge: { ...judge, mode: 'pairwise', pairs: [[1, 1]] } });
    expect(self.body.error).toMatchObject({ message: 'pair 0 compares column 1 with itself', hint: 'Name two different columns by their index in models (0..1).' });
    const lonely = await api.post('/evaluations', { dataset_id: dataset, models: [{ kind: 'model', model_id: 'tiny' }], judge: { ...judge, mode: 'pairwise' } });
    expect(lonely.status).toBe(400);
    expect(lonely.body.error.message).toBe('a pairwise judge needs at least two models to compare');
    const constrained = await api.post('/evaluations', { dataset_id: dataset, models: [{ kind: 'model', model_id: 'tiny' }], judge: { model: { kind: 'endpoint', connection: 'x' }, constrain: true } });
    expect(constrained.status).toBe(400);
    expect(constrained.body.error.message).toMatch(/judge\.constrain: constrain works with local judges only/);
  });

  let evaluationId: string;
  let answers: { base: string; shot: string }[];

  it('pairwise: a judge that always names assistant A wins nothing once each sample is judged in both orders', async () => {
    const res = await api.post('/evaluations', {
      dataset_id: dataset,
      few_shot_dataset_id: dataset,
      limit: 3,
      generation: { max_tokens: 8, temperature: 1, seed: 3 },
      models: [{ kind: 'model', model_id: 'tiny', label: 'base' }, { kind: 'model', model_id: 'tiny', label: 'shot', few_shot: 1 }],
      judge: { model: { kind: 'deployment', deployment: 'forced-judge' }, rubric: RUBRIC, mode: 'pairwise' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.judge).toMatchObject({ status: 'queued', judge: 'forced-judge', request: { mode: 'pairwise', rubric: RUBRIC, constrain: false } });
    const early = await api.post(`/evaluations/${res.body.id}/judge`, { model: { kind: 'deployment', deployment: 'forced-judge' } });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(/only a succeeded evaluation can be judged again/);
    const { e, samples } = await finished(res.body.id);
    evaluationId = e.id;
    answers = samples.map((s) => ({ base: s.outputs[0]!.prediction!, shot: s.outputs[1]!.prediction! }));

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
    const meanLength = (xs: string[]) => Math.round((xs.reduce((n, x) => n + [...x].length, 0) / xs.length) * 100) / 100;
    expect(e.judge!.pairs![0]!.mean_length_chars).toEqual({ a: meanLength(answers.map((x) => x.shot)), b: meanLength(answers.map((x) => x.base)) });
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

  it('judged again, constrained to the verdict strings: each stored order is what the judge says for that order', async () => {
    const res = await api.post(`/evaluations/${evaluationId}/judge`, { model: { kind: 'deployment', deployment: 'forced-judge' }, rubric: RUBRIC, mode: 'pairwise', constrain: true, max_tokens: 8 });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    let e = EvaluationSchema.parse(res.body);
    for (let t0 = Date.now(); e.judge!.status === 'queued' || e.judge!.status === 'running'; ) {
      if (Date.now() - t0 > 120_000) throw new Error('judge still running');
      await new Promise((r) => setTimeout(r, 100));
      e = EvaluationSchema.parse((await api.get(`/evaluations/${evaluationId}`)).body);
    }
    expect(e.status).toBe('succeeded');
    expect(e.judge).toMatchObject({ status: 'succeeded', request: { constrain: true } });
    const samples = (await api.get(`/evaluations/${evaluationId}/samples`)).body.data.map((s: unknown) => EvaluationSampleSchema.parse(s)) as EvaluationSample[];
    const pair = e.judge!.pairs![0]!;
    expect(pair.invalid).toBe(0); // constrained: every verdict reads
    const outcomes = samples.map((s) => s.judge!.pairs![0]!);
    const judgments: string[] = [];
    for (const [k, o] of outcomes.entries()) {
      const [first, swapped] = o.orders;
      expect(samples[k]!.outputs.map((x) => x.prediction)).toEqual([answers[k]!.base, answers[k]!.shot]); // the stored answers, not new ones
      // The stored judgments are the judge's answers to the prompt in that order: ask it again directly.
      for (const [order, [a, b]] of [[first!, ['shot', 'base']], [swapped!, ['base', 'shot']]] as const) {
        expect(PAIR_VERDICTS).toContain(order.judgment);
        judgments.push(order.judgment!);
        const messages = pairJudgePrompt({ rubric: RUBRIC, language: 'en', prompt: samples[k]!.messages, reference: samples[k]!.reference, answerA: answers[k]![a], answerB: answers[k]![b] });
        const direct = await fetch(`${server.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'forced-judge', messages, labels: PAIR_VERDICTS, temperature: 0, max_tokens: 8 }),
        });
        expect((await direct.json()).choices[0].message.content).toBe(order.judgment);
      }
      // MT-Bench's rule, spelt out independently: a winner only when both orders agree after the swap.
      const winner = (j: string, shownFirst: string, shownSecond: string) => (j === '[[A]]' ? shownFirst : j === '[[B]]' ? shownSecond : 'tie');
      const w1 = winner(first!.judgment!, 'shot', 'base');
      const w2 = winner(swapped!.judgment!, 'base', 'shot');
      expect(o.outcome).toBe(w1 === w2 ? (w1 === 'shot' ? 'a' : w1 === 'base' ? 'b' : 'tie') : 'tie');
      expect(o.inconsistent).toBe(w1 !== w2);
    }
    expect(judgments.some((j) => j !== FORCED)).toBe(true); // the request's labels replaced the deployment's default
    const count = (x: string) => outcomes.filter((o) => o.outcome === x).length;
    expect(pair).toMatchObject({ wins: count('a'), losses: count('b'), ties: count('tie'), inconsistent: outcomes.filter((o) => o.inconsistent).length });
    expect(pair.win_rate).toBeCloseTo((count('a') + count('tie') / 2) / 3, 12);
    expect(pair.ci95![0]).toBeLessThanOrEqual(pair.win_rate!);
    expect(pair.ci95![1]).toBeGreaterThanOrEqual(pair.win_rate!);
  }, 300_000);

  it('judged again by an endpoint that prefers the longer answer: the longer one wins in both orders, so the swap decides', async () => {
    // The tiny random judge above is insensitive to the order (it says the same for both), so
    // this one shows that the second order really shows the answers swapped: a judge that picks
    // the longer answer names A in one order and B in the other for the same column.
    const release = lengthJudge.hold();
    const res = await api.post(`/evaluations/${evaluationId}/judge`, { model: { kind: 'endpoint', connection: 'longer-wins' }, rubric: RUBRIC, mode: 'pairwise' });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    // While the judge waits on it, the connection cannot be deleted, nor another judge started.
    const del = await api.del('/connections/longer-wins');
    expect(del.status).toBe(409);
    expect(del.body.error).toMatchObject({ code: 'IN_USE', message: `connection longer-wins is in use by evaluation ${evaluationId} (judging)` });
    expect((await api.post(`/evaluations/${evaluationId}/judge`, { model: { kind: 'model', model_id: 'tiny' } })).body.error.message).toBe(`evaluation ${evaluationId} is being judged already`);
    release();
    let e = EvaluationSchema.parse(res.body);
    for (let t0 = Date.now(); e.judge!.status === 'queued' || e.judge!.status === 'running'; ) {
      if (Date.now() - t0 > 60_000) throw new Error('judge still running');
      await new Promise((r) => setTimeout(r, 100));
      e = EvaluationSchema.parse((await api.get(`/evaluations/${evaluationId}`)).body);
    }
    expect(e.judge).toMatchObject({ judge: 'm', status: 'succeeded' });
    const samples = (await api.get(`/evaluations/${evaluationId}/samples`)).body.data as EvaluationSample[];
    const longer = answers.map((x) => ([...x.shot].length > [...x.base].length ? 'a' : [...x.shot].length < [...x.base].length ? 'b' : 'tie'));
    expect(longer.filter((o) => o !== 'tie').length).toBeGreaterThan(0); // the columns' answers differ in length
    expect(samples.map((s) => s.judge!.pairs![0]!.outcome)).toEqual(longer);
    expect(samples.map((s) => s.judge!.pairs![0]!.inconsistent)).toEqual(longer.map(() => false));
    const p = e.judge!.pairs![0]!;
    expect([p.wins, p.ties, p.losses]).toEqual(['a', 'tie', 'b'].map((x) => longer.filter((o) => o === x).length));
  }, 120_000);

  it('single, through `whet eval judge`: every answer gets the forced 7 with its reason, shown by `whet eval show`', async () => {
    const rubricFile = join(home, 'colour.txt');
    writeFileSync(rubricFile, RUBRIC.text);
    const r = await runWhet(server.url, ['eval', 'judge', evaluationId, '--judge', 'dep:forced-judge', '--rubric', `@${rubricFile}`, '--follow']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/judge {4}forced-judge {2}single {2}rubric colour \(en\) {2}succeeded/);
    expect(r.stdout).toMatch(/\nbase\s+7\.00\s+\[7\.00, 7\.00\]\s+3\s+0\s+0\s+[\d.]+\nshot\s+7\.00\s+\[7\.00, 7\.00\]\s+3\s+0\s+0\s+[\d.]+\n/);
    const e = EvaluationSchema.parse((await api.get(`/evaluations/${evaluationId}`)).body);
    expect(e.judge!.scores!.map((s) => ({ ...s, mean_length_chars: 0 }))).toEqual(
      ['base', 'shot'].map((label) => ({ label, mean_score: 7, ci95: [7, 7], scored: 3, unparseable: 0, failed: 0, mean_length_chars: 0 })),
    );
    const samples = (await api.get(`/evaluations/${evaluationId}/samples`)).body.data as EvaluationSample[];
    for (const s of samples) {
      expect(s.judge).toEqual({ scores: ['base', 'shot'].map((label) => ({ label, score: 7, judgment: FORCED, error: null })) }); // the pairwise verdicts replaced
    }
    const shown = await runWhet(server.url, ['eval', 'show', evaluationId, '--samples', '1', '--sort', 'index']);
    expect(shown.stdout).toContain(`  judge shot: 7 ${JSON.stringify(FORCED)}`);
  }, 300_000);
});
