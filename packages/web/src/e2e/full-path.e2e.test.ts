import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { toyChatRows, writeJsonl } from '../../../../test-support/toy-data.ts';
import { consoleSuite, expectAccessible, screenshot } from './console-page.ts';

/** Points the job page's loss chart has drawn (its data-points attribute). */
const drawn = (page: Page) => page.evaluate(() => Number(document.querySelector('figure.chart')?.getAttribute('data-points')));
const untilDrawn = (page: Page, atLeast: number, timeout: number) =>
  page.waitForFunction((n) => Number(document.querySelector('figure.chart')?.getAttribute('data-points')) >= n, atLeast, { timeout });

// The whole path a product team takes, in one browser tab of the built console on the real
// server: upload data, read its statistics, fine-tune with LoRA from the form while the chart
// fills, evaluate the result, chat with it, deploy it and call the endpoint with the shown snippet.
describe('from data to a deployed fine-tune, all in the browser', () => {
  const suite = consoleSuite();

  beforeAll(async () => {
    // The base model is there already, as after `npm start`; the models page test registers one by hand.
    expect((await suite.api.post('/models', { path: ensureTinyModel(), name: 'tiny' })).status).toBe(201);
  });

  it('upload, statistics, LoRA job with a live chart, evaluation with a sample, streamed chat, deployment answering the copied snippet', async () => {
    const uploadTab = await suite.open('/data');
    let { page } = uploadTab;

    // 1. Upload: the report says the file is ready; its page shows token statistics.
    await page.locator('input[type=file]').setInputFiles(writeJsonl(join(suite.home, 'support.jsonl'), toyChatRows(48)));
    await page.locator('.report[data-status=ready]', { hasText: 'support.jsonl' }).waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: 'support.jsonl' }).click();
    const stats = page.locator('.dataset-stats[data-status=ready]');
    await stats.waitFor({ timeout: 30_000 });
    expect(await stats.locator('.histogram rect.bar').count()).toBeGreaterThan(1);
    await screenshot(page, 'path-1-dataset-en');

    // 2. The form, carried from the dataset page: LoRA, a run long enough to watch.
    await page.getByRole('link', { name: 'Fine-tune on this data' }).click();
    await page.getByRole('heading', { level: 1, name: 'New fine-tune' }).waitFor();
    await page.getByRole('radio', { name: 'LoRA', exact: true }).check();
    await page.getByLabel('Stop after steps (optional)').fill('80');
    await page.locator('.plan-summary[data-steps="80"]').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Launch fine-tune' }).click();
    await page.waitForURL(/\/jobs\/job_/);
    const jobId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);

    // 3. The chart gains points while the job runs. Closing the tab stops nothing: the job
    // trains on the server, and a tab opened later shows it finished with every point.
    await untilDrawn(page, 2, 90_000);
    await untilDrawn(page, (await drawn(page)) + 1, 60_000);
    expect(uploadTab.errors).toEqual([]);
    await uploadTab.close();
    const closedAt = (await suite.api.get(`/jobs/${jobId}`)).body.progress.step as number;
    for (let i = 0; i < 360 && (await suite.api.get(`/jobs/${jobId}`)).body.status !== 'succeeded'; i++) await new Promise((r) => setTimeout(r, 500));
    const c = await suite.open(`/jobs/${encodeURIComponent(jobId)}`);
    page = c.page;
    await page.locator('.page-head .badge', { hasText: 'Succeeded' }).waitFor({ timeout: 10_000 });
    const job = (await suite.api.get(`/jobs/${jobId}`)).body;
    expect(job).toMatchObject({ status: 'succeeded', tuning: 'lora', hyperparameters: { max_steps: 80 } });
    expect(job.progress.step).toBeGreaterThan(closedAt);
    // the precision the worker trained in, with its reason (bfloat16 on a CPU with AMX, else float32)
    const precision = page.locator('.facts div', { hasText: 'Precision' }).locator('dd span');
    await expect(precision.innerText()).resolves.toBe(job.resolved.dtype.value);
    await expect(precision.getAttribute('title')).resolves.toBe(job.resolved.dtype.reason);
    expect(job.resolved.dtype.value).toMatch(/^(bfloat16|float32)$/);
    await untilDrawn(page, 80, 10_000); // every step's loss
    expect(await drawn(page)).toBe(80);
    const result = (await suite.api.get(`/models/${job.output_model_id}`)).body as { id: string; name: string };
    await screenshot(page, 'path-2-job-en');

    // 4. Evaluate the result on a small test set; open one sample's detail.
    expect((await suite.api.upload(writeJsonl(join(suite.home, 'held-out.jsonl'), toyChatRows(4)))).status).toBe(201);
    await page.getByRole('link', { name: 'Evaluations' }).click();
    const form = page.locator('form.eval-form');
    await form.getByRole('group', { name: 'Model 1', exact: true }).getByLabel('Model or endpoint').selectOption(`model:${result.id}`);
    await form.getByLabel('Test set', { exact: true }).selectOption({ label: 'held-out.jsonl (4 rows)' });
    await form.getByLabel('Max new tokens').fill('8');
    await form.getByRole('button', { name: 'Start evaluation' }).click();
    await page.waitForURL(/\/evaluations\/[^/]+$/);
    const evaluationId = decodeURIComponent(page.url().split('/').pop()!);
    await page.locator('.page-head .badge', { hasText: 'Succeeded' }).waitFor({ timeout: 120_000 });
    await page.locator('table.metric-table tr[data-metric="rouge-l"]').waitFor();
    const first = page.locator('table.sample-table tbody tr').first();
    const index = Number(await first.getAttribute('data-sample'));
    await first.getByRole('button', { name: `Details of sample ${index + 1}` }).click();
    const dialog = page.getByRole('dialog', { name: `Sample ${index + 1}` });
    await dialog.waitFor();
    await screenshot(page, 'path-3-evaluation-en');
    await page.keyboard.press('Escape');

    // 5. Chat with the result: the answer streams in over several deltas.
    await page.getByRole('link', { name: 'Playground' }).click();
    await page.getByLabel('Model', { exact: true }).fill(result.name);
    await page.getByLabel('Max new tokens').fill('24');
    // Greedy: at the default temperature 0.7 the tiny model sometimes sampled an end of turn at
    // once, and an empty answer has no text to count deltas in (2 of 4 runs failed so).
    await page.getByLabel('Temperature').fill('0');
    await page.getByLabel('Message').fill('What colour is the sky?');
    await page.getByRole('button', { name: 'Send' }).click();
    const answer = page.locator('.pg-turn').last().locator('.pg-answer');
    await answer.and(page.locator('[data-status=done]')).waitFor({ timeout: 90_000 });
    expect(Number(await answer.locator('.pg-text').getAttribute('data-deltas'))).toBeGreaterThanOrEqual(2);
    await screenshot(page, 'path-4-playground-en');

    // 6. Deploy it from its model page, reached from the job; the shown curl answers as shown.
    await page.goto(`${suite.server.url}/jobs/${encodeURIComponent(jobId)}`);
    await page.getByRole('link', { name: result.name }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(`Model\\s+${result.name}`) }).waitFor();
    // The page lists what uses the model: the job that made it, the evaluation that scored it.
    await page.locator(`#jobs a[href="/jobs/${encodeURIComponent(jobId)}"]`).waitFor();
    await page.locator(`[data-testid=model-evaluations] tr[data-evaluation-id="${evaluationId}"]`).waitFor();
    const deploy = page.getByTestId('deploy-form');
    await deploy.getByLabel('Backend').selectOption('torch');
    await deploy.getByLabel(/Name clients send/).fill('support-bot');
    await deploy.getByRole('button', { name: 'Deploy' }).click();
    await page.locator('#deployments tr[data-status=ready]', { hasText: 'support-bot' }).waitFor({ timeout: 120_000 });
    const snippet = await page.locator('pre[data-snippet=curl]').innerText();
    const out = await promisify(execFile)('sh', ['-c', snippet], { encoding: 'utf8', timeout: 60_000 });
    const reply = JSON.parse(out.stdout);
    expect(reply.model).toBe('support-bot');
    expect(typeof reply.choices[0].message.content).toBe('string');
    await screenshot(page, 'path-5-deployed-en');
    await expectAccessible(page);
    expect(c.errors).toEqual([]);
    await c.close();
  }, 420_000); // the whole path trains, evaluates and serves on 2 shared cores
});
