import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { toyChatRows, writeJsonl } from '../../../../test-support/toy-data.ts';
import { consoleSuite, expectAccessible, screenshot, untranslatedLabels } from './console-page.ts';

/** The 400 the form provokes on purpose (a max_seq_len over the model's context); nothing else may fail. */
const unexpected = (errors: string[]) => errors.filter((e) => !/status of 400/.test(e));

// A dataset's statistics and the new fine-tune form in the built console, served by the real
// server; the real worker trains the tiny model. One server and one browser for the file.
describe('dataset statistics and the new fine-tune form in Chromium', () => {
  const suite = consoleSuite();
  let datasetId: string;
  let animalsId: string;
  let text: { id: string; purpose: string };

  beforeAll(async () => {
    expect((await suite.api.post('/models', { path: ensureTinyModel(), name: 'tiny' })).status).toBe(201);
    const d = await suite.api.upload(writeJsonl(join(suite.home, 'colours.jsonl'), toyChatRows(32)));
    expect(d.status).toBe(201);
    datasetId = d.body.id;
    const animals = Array.from({ length: 40 }, (_, i) => ({ messages: [{ role: 'user', content: `What sound does animal ${i} make?` }, { role: 'assistant', content: `Animal ${i} says hello.` }] }));
    const a = await suite.api.upload(writeJsonl(join(suite.home, 'animals.jsonl'), animals));
    expect(a.status).toBe(201);
    animalsId = a.body.id;
    writeFileSync(join(suite.home, 'manual.txt'), 'Check the pump every morning.\n\nLog a worn valve and call the shift lead.\n');
    text = (await suite.api.upload(join(suite.home, 'manual.txt'))).body;
    expect(text.purpose).toBe('pretrain');
  });

  it('a dataset page shows its token statistics for the tiny model: histogram, advice, paged rows', async () => {
    const c = await suite.open('/data');
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

  it('a labelling dataset shows its labels with counts and share bars, and advice on the rare label', async () => {
    const rows = ['positive', 'negative', 'neutral'].flatMap((label, k) => Array.from({ length: [40, 18, 2][k]! }, (_, i) => ({ instruction: `Classify review ${k}-${i}.`, output: label })));
    const up = await suite.api.upload(writeJsonl(join(suite.home, 'reviews.jsonl'), rows));
    expect(up.status).toBe(201);
    const c = await suite.open(`/data/${up.body.id}`);
    const stats = c.page.locator('.dataset-stats[data-status=ready]');
    await stats.waitFor({ timeout: 30_000 });
    const table = stats.getByRole('table', { name: /3 labels cover 100% of rows/ });
    expect(await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td as HTMLElement).innerText.trim())))).toEqual([
      ['positive', '40', '66.7%'],
      ['negative', '18', '30%'],
      ['neutral', '2', '3.3%'],
    ]);
    const bar = (label: string) => table.locator(`tr[data-label=${label}] .share-bar > span`).evaluate((e) => (e as HTMLElement).style.width);
    expect([await bar('positive'), await bar('neutral')]).toEqual(['100%', '5%']);
    await expect(stats.locator('[data-advice=label_skew]').innerText()).resolves.toMatch(/Label 'neutral' has 3\.3% of rows \(2\) against 40 for 'positive' \(20×\): the model may never predict it/);
    await screenshot(c.page, 'dataset-labels-en');
    await expectAccessible(c.page);

    await c.page.getByRole('button', { name: '中文' }).click();
    await stats.getByRole('table', { name: /3 个标签覆盖了 100% 的行/ }).waitFor();
    await expect(stats.locator('[data-advice=label_skew]').innerText()).resolves.toMatch(/标签“neutral”只占 3\.3% 的行/);
    expect(await untranslatedLabels(c.page)).toEqual([]);
    await screenshot(c.page, 'dataset-labels-zh');
    await expectAccessible(c.page);
    expect(c.errors).toEqual([]);
    await c.close();
  });

  it('the form resolves "auto" with reasons, puts the server\'s complaint beside its field, launches LoRA and lands on the job, which succeeds', async () => {
    const c = await suite.open(`/data/${datasetId}`);
    await c.page.getByRole('link', { name: 'Fine-tune on this data' }).click();
    await c.page.getByRole('heading', { level: 1, name: 'New fine-tune' }).waitFor();
    const page = c.page;
    expect(await page.getByLabel('Training data').inputValue()).toBe(datasetId); // carried from the dataset page
    expect(await page.getByLabel('Model', { exact: true }).locator('option:checked').innerText()).toBe('tiny');
    await page.locator('.fit[data-fit=ok]').waitFor();
    await expect(page.locator('.fit').innerText()).resolves.toMatch(/tiny reads 512 tokens/);
    // Against the max_seq_len the dry run resolved, once it has.
    await page.locator('.fit [data-fit-seq-len]').waitFor();
    await expect(page.locator('.fit').innerText()).resolves.toMatch(/Every sample fits in \d+ tokens \(the max_seq_len the job will use\)/);
    // No run of tiny yet: no speed to estimate from.
    await expect(page.locator('#resolved .estimate[data-basis=none]').innerText()).resolves.toMatch(/not known yet: no earlier run of this model/);

    // Each tuning shows the fields it needs; sft offers packing with every tuning but the prompt ones.
    const packing = page.getByRole('checkbox', { name: 'Pack short samples (padding-free)' });
    expect(await packing.isVisible()).toBe(true); // sft + LoRA
    await page.getByRole('radio', { name: 'Freeze (last layers trained)' }).check();
    await page.locator('[data-field=freeze_trainable_layers]').waitFor();
    expect(await page.locator('[data-field=lora_r]').count()).toBe(0);
    expect(await packing.isVisible()).toBe(true);
    await page.getByRole('radio', { name: 'P-tuning', exact: true }).check();
    await page.locator('[data-field=num_virtual_tokens]').waitFor();
    expect(await packing.count()).toBe(0);
    await page.getByRole('radio', { name: 'Prefix tuning' }).check();
    await page.locator('[data-field=num_virtual_tokens]').waitFor();
    expect(await page.locator('[data-field=lora_r]').count()).toBe(0);
    expect(await packing.count()).toBe(0);
    await page.getByRole('radio', { name: 'DoRA' }).check();
    await page.locator('[data-field=lora_r]').waitFor();
    expect(await page.locator('[data-field=num_virtual_tokens]').count()).toBe(0);
    await page.getByRole('radio', { name: 'LoRA', exact: true }).check();
    await page.locator('[data-field=lora_r]').waitFor();
    expect(await page.locator('[data-field=freeze_trainable_layers]').count()).toBe(0);

    // Continued pre-training offers only raw-text datasets; sft only chats.
    await page.getByLabel('Training method').selectOption('pretrain');
    await page.getByText(/documents are packed into blocks and every token is a target/).waitFor();
    expect(await packing.count()).toBe(0);
    const offered = () => page.getByLabel('Training data').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
    await expect.poll(offered).toEqual([text.id]);
    await page.getByLabel('Training method').selectOption('sft');
    await expect.poll(async () => (await offered()).includes(text.id)).toBe(false);
    await page.getByLabel('Training data').selectOption(datasetId);

    // The dry run resolves every auto value, with its source and the server's reason.
    const row = (key: string) => page.locator(`#resolved tr[data-key="${key}"]`);
    await row('epochs').waitFor();
    await expect(row('epochs').innerText()).resolves.toMatch(/Auto[\s\S]*28 training samples/);
    await expect(row('learning_rate').innerText()).resolves.toMatch(/Auto[\s\S]*LoRA on a/);
    await expect(row('max_seq_len').innerText()).resolves.toMatch(/covers 99% of samples/);
    await expect(row('lora_r').innerText()).resolves.toMatch(/rank 16/);
    await expect(row('validation_rows').innerText()).resolves.toMatch(/4[\s\S]*10% of the 32 rows/);
    // 15 epochs over the 28 samples left after the validation split, 4 a step
    await expect(page.locator('.plan-summary').innerText()).resolves.toMatch(/105 optimizer steps of 4 samples each \(15 epochs over 28 samples\)/);

    // Packing: off by the server's default; ticked, the dry run sends it and the server takes it as set.
    await expect(row('packing').innerText()).resolves.toMatch(/false\s+Default/);
    const packedPlan = page.waitForRequest((r) => r.url().includes('dry_run=true') && r.postDataJSON()?.hyperparameters?.packing === true);
    await packing.check();
    await packedPlan;
    await row('packing').locator('td', { hasText: 'Set by you' }).waitFor();
    await expect(row('packing').innerText()).resolves.toMatch(/true\s+Set by you/);
    // Off again, it is left out of the request (the tiny run below trains without it).
    await packing.uncheck();
    await row('packing').locator('td', { hasText: 'Default' }).waitFor();

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
    const job = (await suite.api.get(`/jobs/${jobId}`)).body;
    expect(job).toMatchObject({ tuning: 'lora', dataset_id: datasetId, hyperparameters: { max_steps: 6 } });
    expect(job.request.hyperparameters).toMatchObject({ epochs: 'auto', learning_rate: 'auto', max_seq_len: 'auto', lora_r: 'auto', max_steps: 6 });
    expect(job.request.hyperparameters).not.toHaveProperty('packing');
    await page.locator('.page-head .badge', { hasText: 'Succeeded' }).waitFor({ timeout: 120_000 });

    // Clone: the job's request fills a new form, and the address drops `from`.
    await page.getByRole('link', { name: 'Clone into a new fine-tune' }).click();
    await page.getByRole('status').filter({ hasText: 'Settings copied from job' }).waitFor();
    expect(await page.getByLabel('Stop after steps (optional)').inputValue()).toBe('6');
    expect(await page.getByLabel('Training data').inputValue()).toBe(datasetId);
    expect(await page.getByRole('radio', { name: 'LoRA', exact: true }).isChecked()).toBe(true);
    expect(new URL(page.url()).search).toBe('');
    expect(unexpected(c.errors)).toEqual([]);
    await c.close();
  });

  // After the LoRA run above succeeded, so the estimate has a speed to go on.
  it('mixes two datasets by weight and by sample count, shows the effective mix, fit and estimate, puts a bad row\'s error beside it, and launches the mix', async () => {
    const c = await suite.open('/data');
    const page = c.page;
    await page.getByRole('link', { name: 'Mix datasets into one fine-tune' }).click();
    await page.getByRole('heading', { level: 1, name: 'New fine-tune' }).waitFor();
    expect(new URL(page.url()).search).toBe('?mix=1');
    expect(await page.getByRole('radio', { name: 'A mix of datasets' }).isChecked()).toBe(true);
    const mixRow = (n: number) => page.locator(`[data-mix-row="${n}"]`);
    await mixRow(1).getByLabel('Dataset 1', { exact: true }).selectOption(datasetId);
    await mixRow(2).getByLabel('Dataset 2', { exact: true }).selectOption(animalsId);
    await mixRow(2).getByLabel('Weight', { exact: true }).fill('0.5');

    // 32 colours at weight 1 and 40 animals at 0.5: all 32 colours and 16 animals, no repeats.
    const source = (id: string) => page.locator(`#resolved .effective-mix tr[data-mix-source="${id}"]`);
    await page.locator(`#resolved .effective-mix tr[data-mix-source="${animalsId}"] td[data-share="0.3333"]`).waitFor();
    await expect(source(datasetId).innerText()).resolves.toMatch(/colours\.jsonl\s+weight 1\s+32\s+32\s+66\.7%\s+No/);
    await expect(source(animalsId).innerText()).resolves.toMatch(/animals\.jsonl\s+weight 0\.5\s+40\s+16\s+33\.3%\s+No/);
    await expect(page.locator('#resolved .effective-mix [data-splits]').innerText()).resolves.toMatch(/48 rows mixed, 0 duplicates removed: 43 to train on, 5 for validation, 0 for testing/);

    // A sample count: 50 animals from 40 rows repeats some.
    await mixRow(2).getByLabel('Amount given as').selectOption('samples');
    await mixRow(2).getByLabel('Samples', { exact: true }).fill('50');
    await source(animalsId).locator('td', { hasText: 'Yes: rows repeat' }).waitFor();
    await expect(source(animalsId).innerText()).resolves.toMatch(/50 samples\s+40\s+50\s+61%/);

    // A count the server refuses: its words under that row, with its hint, then fixed.
    await mixRow(2).getByLabel('Samples', { exact: true }).fill('0');
    await expect(mixRow(2).locator('.field-error').innerText()).resolves.toMatch(/datasets\.1\.samples: Too small[\s\S]+\S/);
    expect(await mixRow(2).getByLabel('Samples', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await mixRow(1).locator('.field-error').count()).toBe(0);
    await screenshot(page, 'new-job-mix-error-en');
    await mixRow(2).getByLabel('Samples', { exact: true }).fill('12');
    await mixRow(2).locator('.field-error').waitFor({ state: 'detached' });
    await source(animalsId).locator('td', { hasText: '12 samples' }).waitFor();

    // Each source's fit to the model, and an estimate from the earlier run's speed.
    await page.locator('.fits .fit [data-fit-seq-len]').nth(1).waitFor();
    await expect(page.locator('.fits .fit').nth(0).innerText()).resolves.toMatch(/^colours\.jsonl: Every sample fits in \d+ tokens/);
    await expect(page.locator('.fits .fit').nth(1).innerText()).resolves.toMatch(/^animals\.jsonl: Every sample fits in \d+ tokens/);
    await expect(page.locator('#resolved .estimate[data-basis=history]').innerText()).resolves.toMatch(/about \d+ (s|min)[\s\S]*from 1 earlier run at [\d,]+ tokens\/s/);

    await page.getByLabel('Stop after steps (optional)').fill('2');
    await page.locator('.plan-summary[data-steps="2"]').waitFor();
    await page.locator('#resolved [data-plan=current]').waitFor();
    await screenshot(page, 'new-job-mix-en');
    await expectAccessible(page);
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { level: 1, name: '新建微调' }).waitFor();
    await source(animalsId).locator('td', { hasText: '12 个样本' }).waitFor();
    await expect(page.locator('#resolved .estimate').innerText()).resolves.toMatch(/依据此前 1 次运行的速度/);
    expect(await untranslatedLabels(page)).toEqual([]);
    await screenshot(page, 'new-job-mix-zh');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'English' }).click();

    const shown = await page.locator('#resolved .effective-mix td[data-share]').evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-share'))));
    await page.getByRole('button', { name: 'Launch fine-tune' }).click();
    await page.waitForURL(/\/jobs\/job_/);
    const jobId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    const job = (await suite.api.get(`/jobs/${jobId}`)).body;
    expect(job.request.datasets).toEqual([{ id: datasetId, weight: 1 }, { id: animalsId, samples: 12 }]);
    expect(job.data_mix.sources.map((s: any) => [s.dataset_id, s.taken, s.repeated])).toEqual([
      [datasetId, 32, false],
      [animalsId, 12, false],
    ]);
    expect(job.data_mix.sources.map((s: any) => s.share)).toEqual(shown);
    expect((await suite.api.waitFor(jobId, ['succeeded', 'failed'], 120_000)).status).toBe('succeeded');
    expect(unexpected(c.errors)).toEqual([]);
    await c.close();
  });

  it('torchrun offers strategy and devices per process: fsdp on CPU is refused beside the strategy field, ddp on 2 processes launches with what was chosen', async () => {
    const c = await suite.open(`/jobs/new?dataset=${datasetId}`);
    const page = c.page;
    await page.getByRole('heading', { level: 1, name: 'New fine-tune' }).waitFor();
    const strategy = page.getByLabel('Strategy', { exact: true });
    const devices = page.getByLabel('Devices per process', { exact: true });
    // One local process (or the server's choice) has no strategy to pick.
    await page.getByLabel('Executor', { exact: true }).selectOption('local');
    expect(await strategy.count()).toBe(0);
    await page.getByLabel('Executor', { exact: true }).selectOption('torchrun');
    await strategy.selectOption('fsdp');
    await devices.selectOption('0');
    await page.getByLabel('Stop after steps (optional)').fill('2');

    // Launch: the server refuses FSDP on CPU (400, field resources.strategy); its reason and hint sit under the strategy.
    const launched = (status: number) => page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/jobs' && !r.url().includes('dry_run') && r.request().method() === 'POST' && r.status() === status);
    const refused = launched(400);
    await page.getByRole('button', { name: 'Launch fine-tune' }).click();
    const body = await (await refused).json();
    expect(body.error ?? body).toMatchObject({ field: 'resources.strategy' });
    const strategyError = page.locator('[data-field=strategy] .field-error');
    await expect(strategyError.innerText()).resolves.toMatch(/strategy "fsdp" on CPU \(gpus_per_process 0\): FSDP through the Hugging Face Trainer needs a GPU[\s\S]*Use strategy "ddp" on CPU/);
    expect(await strategy.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('[data-field=executor] .field-error').count()).toBe(0);
    expect(new URL(page.url()).pathname).toBe('/jobs/new');
    await screenshot(page, 'new-job-fsdp-refused-en');
    await expectAccessible(page);
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByText(/FSDP 能训练更大的模型，但需要 CUDA GPU/).waitFor();
    expect(await untranslatedLabels(page)).toEqual([]);
    await page.getByRole('button', { name: 'English' }).click();

    // DDP on two CPU processes: accepted, and the job keeps exactly the resources chosen.
    await strategy.selectOption('ddp');
    await page.getByLabel('Processes per node').fill('2');
    await strategyError.waitFor({ state: 'detached' });
    const created = launched(201);
    await page.getByRole('button', { name: 'Launch fine-tune' }).click();
    await created;
    await page.waitForURL(/\/jobs\/job_/);
    const jobId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    // Not trained here: two torchrun ranks are the executor tests' work, not the form's.
    expect((await suite.api.post(`/jobs/${jobId}/cancel`)).status).toBe(200);
    const job = (await suite.api.get(`/jobs/${jobId}`)).body;
    expect(job.request.resources).toEqual({ executor: 'torchrun', processes_per_node: 2, gpus_per_process: 0, strategy: 'ddp' });
    expect(job.resources).toMatchObject({ executor: 'torchrun', nodes: 1, processes_per_node: 2, gpus_per_process: 0, strategy: 'ddp' });
    await page.getByText('torchrun: 1 node(s) x 2 process(es), CPU (gloo), ddp').waitFor();
    await suite.api.waitFor(jobId, ['cancelled', 'failed', 'succeeded'], 30_000);
    expect(unexpected(c.errors)).toEqual([]);
    await c.close();
  });
});
