import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { toyChatRows, writeJsonl } from '../../../../test-support/toy-data.ts';
import { consoleSuite, expectAccessible, screenshot, untranslatedLabels } from './console-page.ts';

// The built console, served by the real server, in Debian's Chromium; the real worker trains
// the tiny model. One server and one browser for the whole file.
describe('web console in Chromium', () => {
  const suite = consoleSuite();
  let modelId: string;
  let datasetId: string;

  beforeAll(async () => {
    const m = await suite.api.post('/models', { path: ensureTinyModel(), name: 'tiny' });
    expect(m.status).toBe(201);
    modelId = m.body.id;
  });

  it('opens the overview in the browser language, with a quick start, no console errors and no axe violations', async () => {
    for (const [language, heading, name] of [
      ['en-US', 'Overview', 'overview-empty-en'],
      ['zh-CN', '概览', 'overview-empty-zh'],
    ] as const) {
      const c = await suite.open('/', language);
      await c.page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await c.page.locator('#quick-start').waitFor();
      await c.page.getByRole('cell', { name: 'tiny' }).waitFor(); // the models list
      await screenshot(c.page, name);
      await expectAccessible(c.page);
      expect(c.errors).toEqual([]);
      await c.close();
    }
  });

  it('data: an invalid file shows each bad line with its field; a good one is ready', async () => {
    const c = await suite.open('/data');
    const input = c.page.locator('input[type=file]');
    const bad = join(suite.home, 'bad.jsonl');
    writeFileSync(bad, ['{"instruction": "Say hi", "output": "Hi"}', '{"instruction": "Say hi", "output": ', '{"instruction": "Say bye"}', ''].join('\n'));
    await input.setInputFiles(bad);
    const report = c.page.locator('.report[data-status=invalid]');
    await report.waitFor();
    await expect(report.locator('tr[data-line="2"]').innerText()).resolves.toMatch(/Not valid JSON/);
    await expect(report.locator('tr[data-line="3"]').innerText()).resolves.toMatch(/output/);
    await screenshot(c.page, 'data-invalid-en');
    await expectAccessible(c.page);

    // A slow link (256 KB/s up): the progress bar moves while the file uploads.
    const cdp = await c.page.context().newCDPSession(c.page);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 256 * 1024 });
    await input.setInputFiles(writeJsonl(join(suite.home, 'big.jsonl'), toyChatRows(8000)));
    await c.page.waitForFunction(() => Number(document.querySelector('.upload-progress [role=progressbar]')?.getAttribute('aria-valuenow')) > 0, null, { timeout: 10_000 });
    await screenshot(c.page, 'data-uploading-en');
    await c.page.locator('.report[data-status=ready]').waitFor({ timeout: 30_000 });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await expect(c.page.locator('.report').innerText()).resolves.toMatch(/8,000 rows/);

    await input.setInputFiles(writeJsonl(join(suite.home, 'toy.jsonl'), toyChatRows(32)));
    await c.page.locator('.report[data-status=ready]', { hasText: 'toy.jsonl' }).waitFor();
    await expect(c.page.locator('.report').innerText()).resolves.toMatch(/32 rows/);
    datasetId = (await suite.api.get('/datasets')).body.data.find((d: { name: string }) => d.name === 'toy.jsonl').id;

    await c.page.getByRole('button', { name: '中文' }).click();
    await c.page.getByRole('heading', { level: 1, name: '数据' }).waitFor();
    await input.setInputFiles(bad);
    await c.page.locator('.report[data-status=invalid]').waitFor();
    await expect(c.page.locator('tr[data-line="2"]').innerText()).resolves.toMatch(/不是有效的 JSON/);
    expect(await untranslatedLabels(c.page)).toEqual([]);
    await screenshot(c.page, 'data-invalid-zh');
    await expectAccessible(c.page);
    expect(c.errors).toEqual([]);
    await c.close();
  });

  it('job: the loss chart gains points live, a reload mid-run resumes it with the earlier points, and every point is drawn', async () => {
    const created = await suite.api.post('/jobs', {
      model: modelId,
      dataset: datasetId,
      tuning: 'lora',
      validation_split: 0.25,
      // Long enough (tens of seconds on the tiny model) to watch and reload while it runs.
      hyperparameters: { max_steps: 240, learning_rate: 5e-3, batch_size: 4, gradient_accumulation_steps: 1, save_steps: 120, eval_steps: 20, lora_r: 8 },
    });
    expect(created.status).toBe(201);
    const job = created.body;
    const c = await suite.open(`/jobs/${job.id}`);
    const chart = c.page.locator('figure.chart');
    const points = async () => Number((await chart.getAttribute('data-points')) ?? 0);
    await chart.locator('canvas').first().waitFor();
    await c.page.waitForFunction(() => Number(document.querySelector('figure.chart')?.getAttribute('data-points')) >= 3, null, { timeout: 90_000 });
    const first = await points();
    await c.page.waitForFunction((n) => Number(document.querySelector('figure.chart')?.getAttribute('data-points')) > n, first, { timeout: 30_000 });

    // Meanwhile the overview shows the job running, its progress moving.
    const overview = await c.page.context().newPage();
    await overview.goto(suite.server.url);
    const row = overview.locator(`#active-jobs tr[data-job-id="${job.id}"]`);
    await row.locator('.badge', { hasText: 'Running' }).waitFor();
    const step = async () => Number((await row.getByRole('progressbar').getAttribute('aria-valuenow')) ?? 0);
    const seen = await step();
    await overview.waitForFunction(
      ([id, n]) => Number(document.querySelector(`#active-jobs tr[data-job-id="${id}"] [role=progressbar]`)?.getAttribute('aria-valuenow')) > Number(n),
      [job.id, seen] as const,
      { timeout: 15_000 },
    );
    await overview.close();

    const beforeReload = await points();
    expect((await suite.api.get(`/jobs/${job.id}`)).body.status).toBe('running');
    await c.page.reload();
    await chart.locator('canvas').first().waitFor();
    // The replay brings back every earlier point at once, then the live ones follow.
    await c.page.waitForFunction((n) => Number(document.querySelector('figure.chart')?.getAttribute('data-points')) >= n, beforeReload, { timeout: 10_000 });
    await screenshot(c.page, 'job-running-en');

    await c.page.locator('.badge', { hasText: 'Succeeded' }).waitFor({ timeout: 120_000 });
    const metrics = (await suite.api.get(`/jobs/${job.id}/metrics?names=loss,eval_loss`)).body.data as { name: string }[];
    const loss = metrics.filter((m) => m.name === 'loss').length;
    expect(loss).toBe(240);
    await c.page.waitForFunction((n) => Number(document.querySelector('figure.chart')?.getAttribute('data-points')) === n, loss, { timeout: 10_000 });
    expect(Number(await chart.getAttribute('data-eval-points'))).toBe(metrics.filter((m) => m.name === 'eval_loss').length);
    await c.page.locator('.diagnosis').waitFor();
    await screenshot(c.page, 'job-done-en');
    await expectAccessible(c.page);

    await c.page.getByRole('checkbox', { name: 'Log scale' }).check();
    await c.page.getByRole('button', { name: '中文' }).click();
    await c.page.getByRole('heading', { level: 2, name: '损失曲线' }).waitFor();
    expect(await untranslatedLabels(c.page)).toEqual([]);
    await screenshot(c.page, 'job-done-zh');
    await expectAccessible(c.page);
    expect(c.errors).toEqual([]);
    await c.close();
  }, 300_000); // trains on 2 cores the other test files share

  it('job: pause, resume (the chart picks up where it stopped) and cancel from the page; Resume stays after a cancel', async () => {
    const job = (
      await suite.api.post('/jobs', {
        model: modelId,
        dataset: datasetId,
        tuning: 'lora',
        hyperparameters: { max_steps: 5000, learning_rate: 5e-3, batch_size: 4, gradient_accumulation_steps: 1, save_steps: 50, eval_steps: 1000, lora_r: 8 },
      })
    ).body;
    const c = await suite.open(`/jobs/${job.id}`);
    const points = () => c.page.evaluate(() => Number(document.querySelector('figure.chart')?.getAttribute('data-points')));
    const badge = (text: string) => c.page.locator('.page-head .badge', { hasText: text }).waitFor({ timeout: 90_000 });
    await c.page.waitForFunction(() => Number(document.querySelector('figure.chart')?.getAttribute('data-points')) >= 5, null, { timeout: 90_000 });

    await c.page.getByRole('button', { name: 'Pause' }).click();
    await badge('Paused');
    const paused = await points();
    // Resume with more epochs: the new total reaches the server, which extends the schedule.
    await c.page.getByLabel('Epochs in all (optional)').fill('7');
    await c.page.getByRole('button', { name: 'Resume' }).click();
    await badge('Running');
    expect((await suite.api.get(`/jobs/${job.id}`)).body.resolved.epochs).toMatchObject({ value: 7, source: 'user' });
    await c.page.waitForFunction((n) => Number(document.querySelector('figure.chart')?.getAttribute('data-points')) > n, paused, { timeout: 90_000 });

    c.page.once('dialog', (d) => void d.accept());
    await c.page.getByRole('button', { name: 'Cancel' }).click();
    await badge('Cancelled');
    await c.page.getByRole('button', { name: 'Resume' }).waitFor();
    expect((await suite.api.get(`/jobs/${job.id}`)).body).toMatchObject({ status: 'cancelled', resumable: true });
    expect(c.errors).toEqual([]);
    await c.close();
  }, 240_000);

  it('switching the language changes every label of the overview, with no English left', async () => {
    const c = await suite.open();
    await c.page.locator('#recent-jobs').waitFor();
    await screenshot(c.page, 'overview-en');
    await expectAccessible(c.page);
    await c.page.getByRole('button', { name: '中文' }).click();
    await c.page.getByRole('heading', { level: 1, name: '概览' }).waitFor();
    expect(await c.page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await untranslatedLabels(c.page)).toEqual([]);
    await screenshot(c.page, 'overview-zh');
    await expectAccessible(c.page);
    // The choice lasts through a reload of the tab.
    await c.page.reload();
    await c.page.getByRole('heading', { level: 1, name: '概览' }).waitFor();
    expect(c.errors).toEqual([]);
    await c.close();
  });
});

describe('web console with API keys', () => {
  const suite = consoleSuite({ apiKeys: ['console-key'] });

  it('asks for the key once, keeps it in sessionStorage only, and asks again after a wrong one', async () => {
    const c = await suite.open();
    const dialog = c.page.getByRole('dialog', { name: 'API key required' });
    await dialog.waitFor();
    await screenshot(c.page, 'api-key-en');
    await expectAccessible(c.page);
    await dialog.getByLabel('API key').fill('wrong-key');
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await dialog.getByText('did not accept').waitFor();
    await dialog.getByLabel('API key').fill('console-key');
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await c.page.locator('#quick-start').waitFor();
    expect(await dialog.isVisible()).toBe(false);
    const stored = await c.page.evaluate(() => ({ session: { ...sessionStorage }, local: { ...localStorage } }));
    expect(stored.session['whet.apiKey']).toBe('console-key');
    expect(stored.local).toEqual({});
    await c.page.reload();
    await c.page.locator('#quick-start').waitFor();
    expect(await dialog.isVisible()).toBe(false);
    // The 401s that opened the dialog are expected; nothing else may fail.
    expect(c.errors.filter((e) => !e.includes('401'))).toEqual([]);
    await c.close();
  });
});
