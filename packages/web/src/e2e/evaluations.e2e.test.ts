import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedAnswerEndpoint } from '../../../../test-support/labelled-reviews.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { writeJsonl } from '../../../../test-support/toy-data.ts';
import { consoleSuite, expectAccessible, screenshot, untranslatedLabels } from './console-page.ts';

const chat = (q: string, a: string) => ({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: a }] });
const TEST_ROWS = [
  chat('What is two plus two?', 'Four.'),
  chat('中国的首都是哪里？', '北京。'),
  chat('What colour is the sky?', 'The sky is blue.'),
  chat('Name a primary color.', 'Red.'),
  chat('What is one plus three?', 'Four.'),
];
const SHOTS = [chat('What is one plus one?', 'Two.')];

// The built console, served by the real server, in Debian's Chromium; the real worker generates
// with the tiny model. One server and one browser for the whole file.
describe('evaluations page in Chromium', () => {
  const suite = consoleSuite();
  /** The evaluation the first test creates (judged pairwise), judged again by the second. */
  let evaluationId: string;

  beforeAll(async () => {
    expect((await suite.api.post('/models', { path: ensureTinyModel(), name: 'tiny' })).status).toBe(201);
    expect((await suite.api.upload(writeJsonl(join(suite.home, 'test-set.jsonl'), TEST_ROWS))).status).toBe(201);
    expect((await suite.api.upload(writeJsonl(join(suite.home, 'shots.jsonl'), SHOTS))).status).toBe(201);
    // An outside endpoint an admin configured: offered as a column (not evaluated here).
    expect((await suite.api.post('/connections', { name: 'remote', base_url: 'http://127.0.0.1:9/v1', model: 'gpt-x' })).status).toBe(201);
  });

  it('the form checks what is missing, then creates an evaluation that completes live: metrics, bars, samples and a sample diff', async () => {
    const c = await suite.open('/evaluations');
    const page = c.page;
    await page.getByRole('heading', { level: 1, name: 'Evaluations' }).waitFor();
    await page.getByText('No evaluations yet').waitFor();
    await screenshot(page, 'evaluations-empty-en');
    await expectAccessible(page);

    // Nothing chosen: the problems show beside their fields.
    const form = page.locator('form.eval-form');
    await form.getByRole('button', { name: 'Start evaluation' }).click();
    await form.getByText('Choose a model for every row.').waitFor();
    await form.getByText('Choose a test set.').waitFor();

    // The tiny model and its 1-shot baseline on the 5-row test set.
    const col = (n: number) => form.getByRole('group', { name: `Model ${n}`, exact: true });
    const source = col(1).getByLabel('Model or endpoint');
    await source.locator('optgroup[label="Endpoints (connections)"] option[value="endpoint:remote"]', { hasText: 'remote (gpt-x)' }).waitFor({ state: 'attached' });
    await source.selectOption({ label: 'tiny' });
    await form.getByRole('button', { name: 'Add a model' }).click();
    await col(2).getByLabel('Few-shot examples').fill('1');
    await col(2).getByRole('radio', { name: 'Baseline: deltas are computed against model 2' }).check();
    await form.getByLabel('Test set', { exact: true }).selectOption({ label: 'test-set.jsonl (5 rows)' });
    await form.getByLabel('Few-shot data').selectOption({ label: 'shots.jsonl (1 rows)' });
    await form.getByLabel('Max new tokens').fill('12');

    // A label set the references do not use: the server's refusal shows beside the labels, with its hint.
    await form.getByLabel('Labels (optional)').fill('yes, no');
    await form.getByRole('button', { name: 'Start evaluation' }).click();
    const refusal = form.locator('.field', { has: page.getByLabel('Labels (optional)') }).locator('.error[data-error-code=INVALID_REQUEST]');
    await refusal.waitFor();
    await expect(refusal.innerText()).resolves.toMatch(/references outside the label set[\s\S]*Add them to labels/);
    await expect(form.getByLabel('Labels (optional)').getAttribute('aria-invalid')).resolves.toBe('true');
    await screenshot(page, 'evaluations-refused-en');
    await expectAccessible(page);
    await form.getByLabel('Labels (optional)').fill('');

    // A judge: the tiny model, on the user's own (short) rubric, comparing the two columns in both
    // orders, its decoding restricted to the verdict strings. An empty rubric is refused first.
    const judge = form.locator('fieldset[data-judge-fields]');
    await judge.getByLabel('Judge model', { exact: true }).selectOption({ label: 'tiny' });
    await judge.getByLabel('Rubric', { exact: true }).selectOption('own');
    await form.getByRole('button', { name: 'Start evaluation' }).click();
    await judge.getByText('Write the rubric, or pick a built-in one.').waitFor();
    await judge.getByLabel('Your instruction to the judge').fill('Prefer the answer that names a colour.');
    await judge.getByLabel('Mode', { exact: true }).selectOption('pairwise');
    await judge.getByLabel(/^Only the verdict/).check();
    await screenshot(page, 'evaluations-judge-form-en');
    await form.getByRole('button', { name: 'Start evaluation' }).click();

    // The detail page follows the evaluation's event stream (it has no polling) until it succeeds.
    await page.waitForURL(/\/evaluations\/[^/]+$/);
    const id = page.url().split('/').pop()!;
    evaluationId = id;
    // The worker takes seconds to load the model: the page shows the run before it finishes.
    await page.locator('.page-head .badge', { hasText: /Queued|Running/ }).waitFor({ timeout: 5000 });
    await screenshot(page, 'evaluation-running-en');
    await page.reload(); // a reload mid-run picks the stream up again
    const created = (await suite.api.get(`/evaluations/${id}`)).body;
    expect(created.models.map((m: { ref: { few_shot: number } }) => m.ref.few_shot)).toEqual([0, 1]);
    expect(created.baseline).toBe(1);
    expect(created.generation ?? created.request.generation).toMatchObject({ max_tokens: 12 });
    expect(created.request.judge).toMatchObject({ model: { kind: 'model' }, rubric: { text: 'Prefer the answer that names a colour.' }, mode: 'pairwise', constrain: true });
    await page.locator('.page-head .badge', { hasText: 'Succeeded' }).waitFor({ timeout: 90_000 });
    await expect(page.locator('#eval-columns tr[data-status=succeeded]').count()).resolves.toBe(2);
    await expect(page.locator('#eval-columns [role=progressbar]').first().getAttribute('aria-valuenow')).resolves.toBe('5');

    // The metric table with deltas against the baseline (column 2), and a bar chart per metric.
    const table = page.locator('table.metric-table');
    for (const m of ['bleu-4', 'rouge-1', 'rouge-2', 'rouge-l', 'exact_match']) await table.locator(`tr[data-metric="${m}"]`).waitFor();
    await expect(table.locator('tr[data-metric="bleu-4"] .delta').count()).resolves.toBe(1);
    await expect(page.locator('figure.bar-chart').count()).resolves.toBe(5);
    await expect(page.locator('figure.bar-chart rect.bar').count()).resolves.toBe(10);
    // The judge's win rate of column 1 over the baseline, beside the answers' lengths.
    const judged = (await suite.api.get(`/evaluations/${id}`)).body.judge;
    expect(judged.status).toBe('succeeded');
    const pairRow = page.locator('#eval-judge table.judge-pairs tr[data-judge-pair="tiny|tiny 1-shot"]');
    await pairRow.waitFor();
    const p = judged.pairs[0];
    expect(p.wins + p.ties + p.losses + p.invalid).toBe(5);
    await expect(pairRow.locator('td').nth(2).innerText()).resolves.toBe(`${p.wins} / ${p.ties} / ${p.losses}`);
    await expect(pairRow.locator('td').first().innerText()).resolves.toBe(`${(p.win_rate * 100).toLocaleString('en', { maximumFractionDigits: 1 })}%`);
    await page.locator('#eval-judge').getByText(/when the two verdicts disagree it counts as a tie/).waitFor();
    await screenshot(page, 'evaluation-done-en');
    await expectAccessible(page);

    // Samples: all five, then sorted by disagreement; a sample's detail shows the highlighted diff.
    const rows = page.locator('table.sample-table tbody tr');
    await page.waitForFunction(() => document.querySelectorAll('table.sample-table tbody tr').length === 5);
    await page.getByLabel('Sort by').selectOption('disagreement');
    await page.locator('table.sample-table[aria-busy=false]').waitFor();
    const first = Number(await rows.first().getAttribute('data-sample'));
    const bySpread = (await suite.api.get(`/evaluations/${id}/samples?sort=disagreement&limit=1`)).body.data[0].index;
    expect(first).toBe(bySpread);
    await rows.first().getByRole('button', { name: `Details of sample ${first + 1}` }).click();
    const dialog = page.getByRole('dialog', { name: `Sample ${first + 1}` });
    await dialog.waitFor();
    await expect(dialog.locator('.diff').count()).resolves.toBe(2);
    expect(await dialog.locator('.diff ins, .diff del').count()).toBeGreaterThan(0);
    // The judge's verdicts in both orders, each with what the judge wrote; a judge cell per row in the table.
    await expect(page.locator('table.sample-table td[data-judge-cell]').count()).resolves.toBe(5);
    const orders = dialog.locator('[data-verdict-pair="tiny|tiny 1-shot"] [data-order-first]');
    await expect(orders.evaluateAll((els) => els.map((el) => el.getAttribute('data-order-first')))).resolves.toEqual(['tiny', 'tiny 1-shot']);
    await expect(orders.first().innerText()).resolves.toMatch(/^tiny shown first: \[\[[ABC]\]\]\n+\[\[[ABC]\]\]$/);
    await screenshot(page, 'evaluation-sample-en');
    await expectAccessible(page);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // In Chinese: every label translated, the dialog too.
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { level: 2, name: '评测指标' }).waitFor();
    expect(await untranslatedLabels(page)).toEqual([]);
    await screenshot(page, 'evaluation-done-zh');
    await expectAccessible(page);
    await rows.first().getByRole('button', { name: `样本 ${first + 1} 的详情` }).click();
    await page.getByRole('dialog', { name: `样本 ${first + 1}` }).waitFor();
    expect(await untranslatedLabels(page)).toEqual([]);
    await screenshot(page, 'evaluation-sample-zh');
    await page.keyboard.press('Escape');

    // The list shows the run; in Chinese too.
    await page.getByRole('link', { name: '全部评测' }).click();
    await page.locator(`tr[data-evaluation-id="${id}"] .badge`, { hasText: '已完成' }).waitFor();
    expect(await untranslatedLabels(page)).toEqual([]);
    await screenshot(page, 'evaluations-zh');
    await expectAccessible(page);
    // The one expected failure: the refused request above (Chromium logs every 4xx answer).
    expect(c.errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
    expect(c.errors.length).toBeLessThanOrEqual(1);
    await c.close();
  });

  it('judges the finished evaluation again: a refusal shows its code and hint, then the new scores and verdicts arrive live', async () => {
    const c = await suite.open(`/evaluations/${evaluationId}`);
    const page = c.page;
    const section = page.locator('#eval-judge');
    await section.locator('table.judge-pairs').waitFor();
    await section.getByText('Judge again', { exact: true }).click();
    const form = section.locator('form');
    const start = form.getByRole('button', { name: 'Start judging' });
    const judgeModel = form.getByLabel('Judge model', { exact: true });
    await start.click();
    await form.getByText('Choose the model that judges.').waitFor();
    await expect(judgeModel.getAttribute('aria-invalid')).resolves.toBe('true');

    // A connection deleted after the form listed it: the server refuses, and says why and what to do.
    await judgeModel.locator('option[value="endpoint:remote"]').waitFor({ state: 'attached' });
    expect((await suite.api.del('/connections/remote')).status).toBe(200);
    await judgeModel.selectOption('endpoint:remote');
    await start.click();
    const refusal = form.locator('.error[data-error-code=CONNECTION_NOT_FOUND]');
    await refusal.waitFor();
    await expect(refusal.innerText()).resolves.toMatch(/no connection named "remote"[\s\S]*Ask an admin to create the connection/);
    await screenshot(page, 'evaluation-judge-again-refused-en');
    await expectAccessible(page);

    // The tiny model scores each answer alone (the previous judge compared pairs), verdicts only,
    // on a rubric short enough for its 512-token context (the built-in ones are not).
    await judgeModel.selectOption({ label: 'tiny' });
    await form.getByLabel('Rubric', { exact: true }).selectOption('own');
    await form.getByLabel('Your instruction to the judge').fill('Rate higher the answer that names a number.');
    await form.getByLabel(/^Only the verdict/).check();
    await start.click();
    // The results follow the new judge at once; the form waits while it runs (checked in one look).
    await page.waitForFunction(() => {
      const results = document.querySelector<HTMLElement>('#eval-judge .judge-results');
      const button = document.querySelector<HTMLButtonElement>('#eval-judge form button[type=submit]');
      return results !== null && ['queued', 'running'].includes(results.dataset.judgeStatus ?? '') && button?.disabled === true;
    });
    await expect(refusal.count()).resolves.toBe(0);
    const scoreRows = section.locator('table.judge-scores tbody tr');
    await section.locator('.judge-results[data-judge-status=succeeded], .judge-results[data-judge-status=failed]').waitFor({ timeout: 60_000 });
    const judged = (await suite.api.get(`/evaluations/${evaluationId}`)).body.judge;
    expect(judged).toMatchObject({ status: 'succeeded', error: null, mode: 'single', rubric: 'own', pairs: null });
    await expect(section.locator('table.judge-pairs').count()).resolves.toBe(0);
    const scores = judged.scores as { label: string; scored: number; unparseable: number; failed: number }[];
    expect(scores.map((s) => s.label)).toEqual(['tiny', 'tiny 1-shot']);
    await expect(scoreRows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-judge-model')))).resolves.toEqual(['tiny', 'tiny 1-shot']);
    for (const [i, s] of scores.entries()) {
      expect(s.scored + s.unparseable + s.failed).toBe(5);
      await expect(scoreRows.nth(i).locator('td').nth(2).innerText()).resolves.toBe(String(s.scored));
    }
    await expect(start.isDisabled()).resolves.toBe(false);

    // The sample table's judge cells show the new verdicts: each column's score, as the API has them.
    const samples = (await suite.api.get(`/evaluations/${evaluationId}/samples?sort=worst&limit=10`)).body.data as { judge: { scores: { label: string; score: number | null }[] } }[];
    const want = samples.map((s) => s.judge.scores.map((v) => `${v.label} ${v.score ?? '?'}`).join(' · '));
    // The rows are read again once the judge is done (the table is busy until they come).
    await page.locator('table.sample-table[aria-busy=false] td[data-judge-cell]').first().waitFor();
    await expect(page.locator('table.sample-table td[data-judge-cell]').allInnerTexts()).resolves.toEqual(want);
    await screenshot(page, 'evaluation-judged-again-en');
    await expectAccessible(page);

    await page.getByRole('button', { name: '中文' }).click();
    await section.getByRole('button', { name: '开始评审' }).waitFor();
    expect(await untranslatedLabels(page)).toEqual([]);
    await screenshot(page, 'evaluation-judged-again-zh');
    // The one expected failure: the refused request (Chromium logs every 4xx answer).
    expect(c.errors.filter((e) => !/status of 404/.test(e))).toEqual([]);
    await c.close();
  });

  it('cancels a running evaluation from its page (after a confirm), then deletes it and returns to the list', async () => {
    // An endpoint column that takes 2 s a row, one row at a time: the run lasts long enough to cancel.
    const slow = await fixedAnswerEndpoint('Four.', { delayMs: 2000 });
    try {
      expect((await suite.api.post('/connections', { name: 'slow', base_url: slow.url, model: 'm' })).status).toBe(201);
      const testSet = (await suite.api.get('/datasets')).body.data.find((d: { name: string }) => d.name === 'test-set.jsonl').id;
      const created = await suite.api.post('/evaluations', { name: 'slow one', dataset_id: testSet, models: [{ kind: 'endpoint', connection: 'slow', concurrency: 1 }] });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const id = created.body.id as string;

      const c = await suite.open(`/evaluations/${id}`);
      const page = c.page;
      page.on('dialog', (d) => void d.accept()); // the confirms
      await page.locator('.page-head .badge', { hasText: 'Running' }).waitFor();
      await expect(page.getByRole('button', { name: 'Delete' }).count()).resolves.toBe(0); // not while it runs
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.locator('.page-head .badge', { hasText: 'Cancelled' }).waitFor({ timeout: 10_000 });
      await page.locator('[data-cancelled=evaluation]', { hasText: /^Cancelled by the local user \(this server has no API keys\) on / }).waitFor();
      await expect(page.locator('#eval-columns tr[data-status=cancelled]').count()).resolves.toBe(1);
      await page.locator('#eval-metrics').getByText('No model finished, so there are no scores.').waitFor();
      await screenshot(page, 'evaluation-cancelled-en');
      await expectAccessible(page);
      await page.getByRole('button', { name: '中文' }).click();
      await page.locator('.page-head .badge', { hasText: '已取消' }).waitFor();
      expect(await untranslatedLabels(page)).toEqual([]);
      await page.getByRole('button', { name: 'English' }).click();

      await page.getByRole('button', { name: 'Delete' }).click();
      await page.waitForURL(/\/evaluations$/);
      expect((await suite.api.get(`/evaluations/${id}`)).status).toBe(404);
      // The list as loaded now: the others (the earlier tests' evaluation), or none.
      const others = (await suite.api.get('/evaluations')).body.data as { id: string }[];
      if (others.length) await page.locator(`tr[data-evaluation-id="${others[0]!.id}"]`).waitFor();
      else await page.getByText('No evaluations yet').waitFor();
      await expect(page.locator(`tr[data-evaluation-id="${id}"]`).count()).resolves.toBe(0);
      expect(c.errors).toEqual([]);
      await c.close();
    } finally {
      await slow.close();
    }
  });
});
