import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { toyChatRows, writeJsonl } from '../../../../test-support/toy-data.ts';
import { consoleSuite, expectAccessible, screenshot, untranslatedLabels } from './console-page.ts';

// The job page's checkpoints in the built console, served by the real server; the real worker
// trains the tiny model with a checkpoint every 2 steps. One server and one browser.
describe('job checkpoints in Chromium', () => {
  const suite = consoleSuite();
  let modelId: string;
  let datasetId: string;
  const job = async (name: string) => {
    const created = await suite.api.post('/jobs', {
      name,
      model: modelId,
      dataset: datasetId,
      validation_split: 0.25,
      hyperparameters: { max_steps: 6, save_steps: 2, eval_steps: 2, learning_rate: 5e-3, batch_size: 4, gradient_accumulation_steps: 1, lora_r: 8 },
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };

  beforeAll(async () => {
    modelId = (await suite.api.post('/models', { path: ensureTinyModel(), name: 'tiny' })).body.id;
    datasetId = (await suite.api.upload(writeJsonl(join(suite.home, 'toy.jsonl'), toyChatRows(32)))).body.id;
  }, 180_000);

  it('lists the steps with their losses, evaluates one through the prefilled form, and registers one that opens on its model page', async () => {
    const trained = await job('colours');
    const waiting = await job('colours-next'); // queued behind the first: no checkpoint yet
    const c = await suite.open(`/jobs/${waiting}`);
    const { page } = c;
    await page.locator('#checkpoints').getByText('No checkpoint yet').waitFor({ timeout: 30_000 });
    await suite.api.post(`/jobs/${waiting}/cancel`);
    expect((await suite.api.waitFor(trained, ['succeeded', 'failed'], 300_000)).status).toBe('succeeded');

    await page.goto(`${suite.server.url}/jobs/${trained}`);
    const rows = page.locator('#checkpoints tbody tr');
    await rows.nth(2).waitFor();
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-step')))).toEqual(['2', '4', '6']);
    const row4 = page.locator('#checkpoints tr[data-step="4"]');
    expect((await row4.locator('td.num').allInnerTexts()).slice(1).every((v) => /^\d+(\.\d+)?$/.test(v))).toBe(true); // loss, eval loss
    await screenshot(page, 'job-checkpoints-en');
    await expectAccessible(page);
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { level: 2, name: '检查点' }).waitFor();
    expect(await untranslatedLabels(page)).toEqual([]);
    await screenshot(page, 'job-checkpoints-zh');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'English' }).click();

    // Evaluate: the form opens with this checkpoint as the model and the job's held-out data as the test set.
    await row4.getByRole('link', { name: 'Evaluate (step 4)' }).click();
    await page.getByRole('heading', { level: 1, name: 'Evaluations' }).waitFor();
    const form = page.locator('form.eval-form');
    const source = form.getByRole('group', { name: 'Model 1', exact: true }).getByLabel('Model or endpoint');
    await source.locator(`option[value="checkpoint:${trained}@4"]`, { hasText: 'colours at step 4' }).waitFor({ state: 'attached' });
    expect(await source.inputValue()).toBe(`checkpoint:${trained}@4`);
    expect(await form.getByLabel('Job', { exact: true }).inputValue()).toBe(trained);
    await form.getByLabel('Max new tokens').fill('8');
    await form.getByLabel(/Only the first N rows/).fill('3');
    await form.getByRole('button', { name: 'Start evaluation' }).click();
    await page.waitForURL(/\/evaluations\/[^/]+$/);
    await page.locator('.page-head .badge', { hasText: 'Succeeded' }).waitFor({ timeout: 120_000 });
    await expect(page.locator('body').innerText()).resolves.toContain(`${trained}@4`); // the column's label

    // Use as model: the row turns into a link to the new model, whose page deploys and exports it.
    await page.goto(`${suite.server.url}/jobs/${trained}`);
    await row4.getByRole('button', { name: 'Use as model (step 4)' }).click();
    const open = row4.getByRole('link', { name: 'Open colours-step-4 (step 4)' });
    await open.waitFor({ timeout: 30_000 });
    await open.click();
    await page.getByRole('heading', { level: 1, name: /colours-step-4/ }).waitFor();
    await page.locator('#deployments').waitFor();
    await page.locator('#exports').waitFor();
    await expectAccessible(page);
    const models = (await suite.api.get('/models')).body.data as { name: string; checkpoint_step?: number }[];
    expect(models.find((m) => m.name === 'colours-step-4')?.checkpoint_step).toBe(4);
    expect(c.errors).toEqual([]);
    await c.close();
  }, 600_000);
});
