import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedAnswerEndpoint, REVIEW_TEST, REVIEW_TRAIN } from '../../../../test-support/labelled-reviews.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { writeJsonl } from '../../../../test-support/toy-data.ts';
import { consoleSuite, expectAccessible, screenshot, untranslatedLabels } from './console-page.ts';

// The built console, served by the real server, in Debian's Chromium. The real worker trains a
// tiny LoRA job and generates with it; an endpoint on 127.0.0.1 that answers "Positive!" to
// everything is the column whose figures are known in advance.
describe('labelled evaluation page in Chromium', () => {
  const suite = consoleSuite();
  let endpoint: Awaited<ReturnType<typeof fixedAnswerEndpoint>>;
  let evaluationId = '';
  let jobId = '';

  beforeAll(async () => {
    endpoint = await fixedAnswerEndpoint('Positive!');
    expect((await suite.api.post('/models', { path: ensureTinyModel(), name: 'tiny' })).status).toBe(201);
    expect((await suite.api.post('/connections', { name: 'always-positive', base_url: endpoint.url, model: 'm' })).status).toBe(201);
    const train = (await suite.api.upload(writeJsonl(join(suite.home, 'reviews.jsonl'), REVIEW_TRAIN))).body.id;
    const testSet = (await suite.api.upload(writeJsonl(join(suite.home, 'reviews-test.jsonl'), REVIEW_TEST))).body.id;
    const created = await suite.api.post('/jobs', {
      model: 'tiny',
      dataset: train,
      tuning: 'lora',
      hyperparameters: { learning_rate: 5e-3, batch_size: 4, gradient_accumulation_steps: 1, lora_r: 4, max_steps: 2 },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const job = await suite.api.waitFor(created.body.id, ['succeeded', 'failed'], 300_000);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    jobId = job.id;
    const e = await suite.api.post('/evaluations', {
      name: 'sentiment',
      dataset_id: testSet,
      models: [
        { kind: 'model', model_id: 'tiny', label: 'base' },
        { kind: 'job', job_id: jobId, label: 'tuned' },
        { kind: 'endpoint', connection: 'always-positive', label: 'always' },
      ],
      labels: ['positive', 'negative'],
      generation: { max_tokens: 4, temperature: 0, top_p: 1, seed: 0 },
    });
    expect(e.status, JSON.stringify(e.body)).toBe(201);
    evaluationId = e.body.id;
  }, 420_000);
  afterAll(async () => {
    await endpoint?.close();
  });

  it('shows macro-F1, the per-label table, a confusion matrix per model and the overlap warning beside the tuned model, in English and Chinese', async () => {
    const c = await suite.open(`/evaluations/${evaluationId}`);
    const page = c.page;
    await page.locator('.page-head .badge', { hasText: 'Succeeded' }).waitFor({ timeout: 240_000 });

    // The warning sits in the metrics section, and the tuned column's name carries a flag pointing at it.
    const warning = page.locator('#eval-metrics .overlap-warning');
    await expect(warning.count()).resolves.toBe(1);
    await expect(warning.getAttribute('data-column')).resolves.toBe('1');
    await expect(warning.innerText()).resolves.toMatch(
      new RegExp(`^tuned: 3 of 5 test rows also appear in this model's training data \\(job ${jobId}\\): those scores measure memory, not skill\\. 2 are exact copies; 1 more match once case`),
    );
    const flag = page.locator('table.metric-table thead .overlap-flag');
    await expect(flag.count()).resolves.toBe(1);
    await expect(flag.innerText()).resolves.toMatch(/Trained on 3 test rows/);
    await expect(flag.getAttribute('aria-describedby')).resolves.toBe('overlap-warning-1');

    // Macro-F1 is a metric row: the always-positive column scores 37.5.
    const macro = page.locator('table.metric-table tr[data-metric="macro_f1"]');
    await expect(macro.locator('th').innerText()).resolves.toBe('Macro-F1');
    await expect(macro.locator('td').nth(2).innerText()).resolves.toMatch(/^37\.5/);

    // Per label: one row per label, precision / recall / F1 under each model, support once.
    const perLabel = page.locator('#eval-labels table.label-metrics-table');
    await expect(perLabel.locator('thead th[scope=colgroup]').allInnerTexts()).resolves.toEqual(['base', 'tuned', 'always']);
    const positive = perLabel.locator('tbody tr[data-label="positive"] td');
    // support, then base (3), tuned (3), always: precision 60, recall 100, F1 75
    await expect(positive.first().innerText()).resolves.toBe('3');
    await expect(positive.nth(7).innerText()).resolves.toBe('60');
    await expect(positive.nth(8).innerText()).resolves.toBe('100');
    await expect(positive.nth(9).innerText()).resolves.toBe('75');
    await expect(perLabel.locator('tbody tr[data-label="negative"] td').first().innerText()).resolves.toBe('2');
    await expect(perLabel.locator('tfoot tr[data-row="macro_f1"] td').last().innerText()).resolves.toBe('37.5');

    // A confusion matrix per model: 2 label rows x (2 labels + no label), cells summing to the 5 rows,
    // the diagonal outlined and named for screen readers; the always-positive one known exactly.
    const matrices = page.locator('#eval-confusion table.confusion-matrix');
    await expect(matrices.count()).resolves.toBe(3);
    for (let i = 0; i < 3; i++) {
      const counts = (await matrices.nth(i).locator('td.cell').evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-count'))))) as number[];
      expect(counts).toHaveLength(6);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(5);
      await expect(matrices.nth(i).locator('td.diagonal').count()).resolves.toBe(2);
    }
    const always = matrices.nth(2);
    await expect(always.locator('caption').innerText()).resolves.toBe('Confusion matrix of always');
    await expect(always.locator('thead th').allInnerTexts()).resolves.toEqual(['Reference ↓ · answer →', 'positive', 'negative', 'No label']);
    await expect(always.locator('tbody th[scope=row]').allInnerTexts()).resolves.toEqual(['positive', 'negative']);
    await expect(always.locator('td.cell').evaluateAll((tds) => tds.map((td) => td.getAttribute('data-count')))).resolves.toEqual(['3', '0', '0', '2', '0', '0']);
    await expect(always.locator('td.diagonal').first().innerText()).resolves.toMatch(/^3/);
    // shaded by count: the fullest cell is the darkest, an empty one white
    const bg = (n: number) => always.locator('td.cell').nth(n).evaluate((td) => getComputedStyle(td).backgroundColor);
    await expect(bg(1)).resolves.toBe('rgb(255, 255, 255)');
    await expect(bg(0)).resolves.not.toBe(await bg(3));
    await page.locator('#eval-labels').scrollIntoViewIfNeeded();
    await screenshot(page, 'evaluation-labels-en');
    await expectAccessible(page);

    // In Chinese: every label translated, the warning too.
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { level: 2, name: '各标签指标' }).waitFor();
    await page.getByRole('heading', { level: 2, name: '混淆矩阵' }).waitFor();
    await expect(warning.innerText()).resolves.toMatch(/^tuned：测试集 5 行中有 3 行也出现在该模型的训练数据中/);
    await expect(flag.innerText()).resolves.toMatch(/3 行测试数据参与过训练/);
    expect(await untranslatedLabels(page)).toEqual([]);
    await screenshot(page, 'evaluation-labels-zh');
    await expectAccessible(page);
    expect(c.errors).toEqual([]);
    await c.close();
  }, 420_000);
});
