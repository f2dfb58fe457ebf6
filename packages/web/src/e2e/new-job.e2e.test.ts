import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@whetstone/server';
import { apiAt } from '../../../../test-support/api-client.ts';
import { launchChromium } from '../../../../test-support/browser.ts';
import { tempHome, testServer } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { toyChatRows, writeJsonl } from '../../../../test-support/toy-data.ts';
// @ts-expect-error: a plain .mjs script without types
import { buildConsole } from '../../../../scripts/build-console.mjs';
import { expectAccessible, openConsole, screenshot, untranslatedLabels } from './console-page.ts';

/** The 400 the form provokes on purpose (a max_seq_len over the model's context); nothing else may fail. */
const unexpected = (errors: string[]) => errors.filter((e) => !/status of 400/.test(e));

// A dataset's statistics and the new fine-tune form in the built console, served by the real
// server; the real worker trains the tiny model. One server and one browser for the file.
describe('dataset statistics and the new fine-tune form in Chromium', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  let browser: Browser;
  let api: ReturnType<typeof apiAt>;
  let datasetId: string;

  beforeAll(async () => {
    (buildConsole as (o: { log(m: string): void }) => string)({ log: () => undefined });
    [server, browser] = await Promise.all([testServer(home), launchChromium()]);
    api = apiAt(server.url);
    expect((await api.post('/models', { path: ensureTinyModel(), name: 'tiny' })).status).toBe(201);
    const d = await api.upload(writeJsonl(join(home, 'colours.jsonl'), toyChatRows(32)));
    expect(d.status).toBe(201);
    datasetId = d.body.id;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    cleanup();
  });

  it('a dataset page shows its token statistics for the tiny model: histogram, advice, paged rows', async () => {
    const c = await openConsole(browser, `${server.url}/data`);
    await c.page.getByRole('link', { name: 'colours.jsonl' }).click();
    await c.page.getByRole('heading', { level: 1, name: /Dataset colours\.jsonl/ }).waitFor();
    expect(new URL(c.page.url()).pathname).toBe(`/data/${datasetId}`);
    const stats = c.page.locator('.dataset-stats[data-status=ready]');
    await stats.waitFor({ timeout: 30_000 });
    expect(await c.page.getByLabel('Count tokens with the tokenizer of').locator('option:checked').innerText()).toBe('tiny');
    expect(await stats.locator('.histogram rect.bar').count()).toBeGreaterThan(1);
    await expect(stats.locator('[data-advice=fits95]').innerText()).resolves.toMatch(/A max_seq_len of 256 keeps 95% of samples whole/);
    await expect(stats.locator('[data-advice=context]').innerText()).resolves.toMatch(/Every sample fits the context of tiny \(512 tokens\)/);
    await expect(stats.locator('[data-advice=too_few_samples]').innerText()).resolves.toMatch(/Only 32 samples/);

    // The preview pages through the stored rows, each chat turn with its role.
    const preview = c.page.locator('#preview');
    await expect(preview.locator('tr[data-row="1"]').innerText()).resolves.toMatch(/User\s+What colour is the sky\?[\s\S]*Assistant\s+The sky is blue\./);
    await preview.getByRole('button', { name: 'Next rows' }).click();
    await preview.locator('tr[data-row="11"]').waitFor();
    await expect(preview.innerText()).resolves.toMatch(/Rows 11 to 20 of 32/);
    await screenshot(c.page, 'dataset-stats-en');
    await expectAccessible(c.page);

    await c.page.getByRole('button', { name: '中文' }).click();
    await c.page.getByRole('heading', { level: 1, name: /数据集/ }).waitFor();
    await expect(stats.locator('[data-advice=fits95]').innerText()).resolves.toMatch(/max_seq_len 设为 256/);
    expect(await untranslatedLabels(c.page)).toEqual([]);
    await screenshot(c.page, 'dataset-stats-zh');
    await expectAccessible(c.page);
    expect(c.errors).toEqual([]);
    await c.close();
  });

  it('the form resolves "auto" with reasons, puts the server\'s complaint beside its field, launches LoRA and lands on the job, which succeeds', async () => {
    const c = await openConsole(browser, `${server.url}/data/${datasetId}`);
    await c.page.getByRole('link', { name: 'Fine-tune on this data' }).click();
    await c.page.getByRole('heading', { level: 1, name: 'New fine-tune' }).waitFor();
    const page = c.page;
    expect(await page.getByLabel('Training data').inputValue()).toBe(datasetId); // carried from the dataset page
    expect(await page.getByLabel('Model', { exact: true }).locator('option:checked').innerText()).toBe('tiny');
    await page.locator('.fit[data-fit=ok]').waitFor();
    await expect(page.locator('.fit').innerText()).resolves.toMatch(/tiny reads 512 tokens/);

    // Each tuning shows the fields it needs.
    await page.getByRole('radio', { name: 'Freeze (last layers trained)' }).check();
    await page.locator('[data-field=freeze_trainable_layers]').waitFor();
    expect(await page.locator('[data-field=lora_r]').count()).toBe(0);
    await page.getByRole('radio', { name: 'LoRA' }).check();
    await page.locator('[data-field=lora_r]').waitFor();
    expect(await page.locator('[data-field=freeze_trainable_layers]').count()).toBe(0);

    // The dry run resolves every auto value, with its source and the server's reason.
    const row = (key: string) => page.locator(`#resolved tr[data-key="${key}"]`);
    await row('epochs').waitFor();
    await expect(row('epochs').innerText()).resolves.toMatch(/Auto[\s\S]*32 training samples/);
    await expect(row('learning_rate').innerText()).resolves.toMatch(/Auto[\s\S]*LoRA on a/);
    await expect(row('max_seq_len').innerText()).resolves.toMatch(/covers 99% of samples/);
    await expect(row('lora_r').innerText()).resolves.toMatch(/rank 8/);
    // 15 epochs over 32 samples, 4 a step
    await expect(page.locator('.plan-summary').innerText()).resolves.toMatch(/120 optimizer steps of 4 samples each \(15 epochs over 32 samples\)/);

    // A value the model cannot take: the server's reason shows under the field, then it is fixed.
    const seqLen = page.locator('[data-field=max_seq_len]');
    await seqLen.getByRole('checkbox').uncheck();
    await seqLen.getByRole('textbox').fill('100000');
    await expect(seqLen.locator('.field-error').innerText()).resolves.toMatch(/above the context length of tiny \(512\)[\s\S]*Use max_seq_len <= 512, or "auto"/);
    expect(await seqLen.getByRole('textbox').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'new-job-error-en');
    await seqLen.getByRole('checkbox').check();
    await seqLen.locator('.field-error').waitFor({ state: 'detached' });

    // A short run: six steps.
    await page.getByLabel('Stop after steps (optional)').fill('6');
    await expect(row('max_steps').innerText()).resolves.toMatch(/6\s+Set by you/);
    await page.locator('.plan-summary[data-steps="6"]').waitFor();
    // A reload keeps the configuration (a draft in this tab's sessionStorage).
    await page.reload();
    await page.locator('.plan-summary[data-steps="6"]').waitFor();
    expect(await page.getByLabel('Stop after steps (optional)').inputValue()).toBe('6');
    expect(await page.getByLabel('Training data').inputValue()).toBe(datasetId);
    await page.locator('#resolved [data-plan=current]').waitFor();
    await screenshot(page, 'new-job-en');
    await expectAccessible(page);

    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { level: 1, name: '新建微调' }).waitFor();
    await expect(row('max_steps').innerText()).resolves.toMatch(/你设置的/);
    expect(await untranslatedLabels(page)).toEqual([]);
    await screenshot(page, 'new-job-zh');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'English' }).click();

    await page.getByRole('button', { name: 'Launch fine-tune' }).click();
    await page.waitForURL(/\/jobs\/job_/);
    const jobId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    const job = (await api.get(`/jobs/${jobId}`)).body;
    expect(job).toMatchObject({ tuning: 'lora', dataset_id: datasetId, hyperparameters: { max_steps: 6 } });
    expect(job.request.hyperparameters).toMatchObject({ epochs: 'auto', learning_rate: 'auto', max_seq_len: 'auto', lora_r: 'auto', max_steps: 6 });
    await page.locator('.page-head .badge', { hasText: 'Succeeded' }).waitFor({ timeout: 120_000 });

    // Clone: the job's request fills a new form, and the address drops `from`.
    await page.getByRole('link', { name: 'Clone into a new fine-tune' }).click();
    await page.getByRole('status').filter({ hasText: 'Settings copied from job' }).waitFor();
    expect(await page.getByLabel('Stop after steps (optional)').inputValue()).toBe('6');
    expect(await page.getByLabel('Training data').inputValue()).toBe(datasetId);
    expect(await page.getByRole('radio', { name: 'LoRA' }).isChecked()).toBe(true);
    expect(new URL(page.url()).search).toBe('');
    expect(unexpected(c.errors)).toEqual([]);
    await c.close();
  });
});
