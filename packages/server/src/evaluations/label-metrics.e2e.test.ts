import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvaluationSchema } from '@whetstone/core';
import type { RunningServer } from '@whetstone/server';
import { apiAt } from '../../../../test-support/api-client.ts';
import { runWhet } from '../../../../test-support/run-whet.ts';
import { tempHome, testServer } from '../../../../test-support/server.ts';
import { fixedAnswerEndpoint, REVIEW_TEST as TEST, REVIEW_TRAIN as TRAIN } from '../../../../test-support/labelled-reviews.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { writeJsonl } from '../../../../test-support/toy-data.ts';

// The real server over HTTP, the real worker training a tiny LoRA job and generating with it;
// one double: an OpenAI-compatible endpoint on 127.0.0.1 that answers "Positive!" to everything,
// so that one column's per-label figures are known in advance.
describe('labelled evaluation of a job result: per-label metrics, confusion matrix, training overlap', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  let endpoint: Awaited<ReturnType<typeof fixedAnswerEndpoint>>;
  let api: ReturnType<typeof apiAt>;

  beforeAll(async () => {
    endpoint = await fixedAnswerEndpoint('Positive!');
    server = await testServer(home);
    api = apiAt(server.url);
    expect((await api.post('/models', { path: ensureTinyModel(), name: 'tiny' })).status).toBe(201);
    expect((await api.post('/connections', { name: 'always-positive', base_url: endpoint.url, model: 'm' })).status).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await endpoint?.close();
    cleanup();
  });

  it('reports per-label precision, recall, F1, macro-F1 and a confusion matrix per column, and the job column\'s overlap with its training rows', async () => {
    const train = (await api.upload(writeJsonl(join(home, 'reviews.jsonl'), TRAIN))).body.id as string;
    const testSet = (await api.upload(writeJsonl(join(home, 'reviews-test.jsonl'), TEST))).body.id as string;
    const created = await api.post('/jobs', {
      model: 'tiny',
      dataset: train,
      tuning: 'lora',
      hyperparameters: { learning_rate: 5e-3, batch_size: 4, gradient_accumulation_steps: 1, lora_r: 4, max_steps: 2 },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const job = await api.waitFor(created.body.id, ['succeeded', 'failed'], 300_000);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.data_mix ?? null).toBeNull(); // the dataset is trained as uploaded: it is the training data

    const res = await api.post('/evaluations', {
      dataset_id: testSet,
      models: [
        { kind: 'job', job_id: job.id, label: 'tuned' },
        { kind: 'model', model_id: 'tiny', label: 'base' },
        { kind: 'endpoint', connection: 'always-positive', label: 'always' },
      ],
      labels: ['positive', 'negative'],
      generation: { max_tokens: 4, temperature: 0, top_p: 1, seed: 0 },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    let e = EvaluationSchema.parse(res.body);
    for (let t0 = Date.now(); e.status !== 'succeeded' && e.status !== 'failed'; ) {
      if (Date.now() - t0 > 300_000) throw new Error(`evaluation still ${e.status}`);
      await new Promise((r) => setTimeout(r, 250));
      e = EvaluationSchema.parse((await api.get(`/evaluations/${e.id}`)).body);
    }
    expect(e.status, JSON.stringify(e.error)).toBe('succeeded');
    const [tuned, base, always] = e.models;

    // Exact = the prompt character for character (2 rows); normalized = also equal once case,
    // width, spacing and punctuation are ignored (those 2 and the rewritten third).
    expect(tuned!.overlap).toEqual({ job_id: job.id, exact: 2, normalized: 3, test_rows: 5 });
    expect(base!.overlap).toBeNull();
    expect(always!.overlap).toBeNull();

    for (const c of [tuned!, base!, always!]) {
      expect(c.status, JSON.stringify(c.error)).toBe('succeeded');
      const m = c.label_metrics!;
      expect(m.labels).toEqual(['positive', 'negative']);
      expect(m.confusion.map((r) => r.length)).toEqual([3, 3]); // 2 labels + invalid
      expect(m.confusion.flat().reduce((a, b) => a + b, 0)).toBe(5);
      expect(m.per_label.map((s) => s.support)).toEqual([3, 2]);
      // the invalid column agrees with label accuracy's count
      expect(m.confusion[0]![2]! + m.confusion[1]![2]!).toBe(c.label_accuracy!.invalid);
      expect(m.confusion[0]![0]! + m.confusion[1]![1]!).toBe(c.label_accuracy!.correct);
    }
    // "Positive!" everywhere: positive p 3/5 r 1 f1 3/4, negative 0; macro 37.5, weighted 45.
    const a = always!.label_metrics!;
    expect(a.confusion).toEqual([
      [3, 0, 0],
      [2, 0, 0],
    ]);
    expect(a.per_label[0]).toEqual({ label: 'positive', precision: 60, recall: 100, f1: expect.closeTo(75, 10), support: 3 });
    expect(a.per_label[1]).toEqual({ label: 'negative', precision: 0, recall: 0, f1: 0, support: 2 });
    expect(a.macro_f1).toBeCloseTo(37.5, 10);
    expect(a.weighted_f1).toBeCloseTo(45, 10);

    // `whet eval show` prints the same, the warning included.
    const shown = await runWhet(server.url, ['eval', 'show', e.id]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`warning: tuned: 3 of 5 test rows also appear in the training data of ${job.id} (2 exact, 1 more once case, spacing and punctuation are ignored)`);
    expect(shown.stdout).toMatch(/always: macro-F1 37\.50, weighted-F1 45\.00\nLABEL\s+PRECISION\s+RECALL\s+F1\s+SUPPORT\npositive\s+60\.00\s+100\.00\s+75\.00\s+3\n/);
  }, 600_000);
});
