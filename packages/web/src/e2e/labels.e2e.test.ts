import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Model } from '@whetstone/core';
import { json } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { consoleSuite, expectAccessible, screenshot, untranslatedLabels, type ConsolePage } from './console-page.ts';

async function inChinese(page: Page, heading: RegExp | string, name: string) {
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  expect(await untranslatedLabels(page)).toEqual([]);
  await screenshot(page, `${name}-zh`);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'English' }).click();
}

// Answers constrained to labels from the console: the deploy form's choice (the model's
// remembered label set) and the evaluation form's per-column checkbox. The real server and
// worker on the tiny model, in Chromium.
describe('labels in the console', () => {
  const suite = consoleSuite();
  let c: ConsolePage;
  const api = (path: string, body?: unknown) =>
    fetch(`${suite.server.url}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    const tiny = await json(await api('/api/v1/models', { path: ensureTinyModel(), name: 'tiny' }));
    // What data analysis records on a model fine-tuned on labelling data.
    const label_set = { labels: [{ label: 'yes', count: 3, share: 0.6 }, { label: 'no', count: 2, share: 0.4 }], covered_share: 1, other_rows: 0 };
    suite.server.ctx.store.insertModel({ ...tiny, id: 'mdl_labelled', name: 'tiny-labelled', created_at: new Date().toISOString(), label_set } as Model);
    const form = new FormData();
    form.set('file', new Blob([['yes', 'no'].map((a) => JSON.stringify({ messages: [{ role: 'user', content: 'Is it?' }, { role: 'assistant', content: a }] })).join('\n')]), 'yes-no.jsonl');
    expect((await fetch(`${suite.server.url}/api/v1/datasets`, { method: 'POST', body: form })).status).toBe(201);
    c = await suite.open('/models/mdl_labelled');
  });
  afterAll(async () => {
    await c?.close();
  });

  it("deploys with the model's remembered label set, and the deployment answers only labels", async () => {
    const { page } = c;
    await page.getByRole('heading', { level: 1, name: /Model\s+tiny-labelled/ }).waitFor();
    const form = page.getByTestId('deploy-form');
    const constrain = form.getByLabel('Constrain answers to labels');
    await constrain.selectOption({ label: "The model's label set: yes, no" });
    await form.getByLabel(/Name clients send/).fill('yes-no');
    await form.getByRole('button', { name: 'Deploy' }).click();
    const row = page.locator('#deployments tr[data-status=ready]', { hasText: 'yes-no' });
    await row.waitFor({ timeout: 120_000 });
    await expect(row.innerText()).resolves.toMatch(/Answers: yes, no/);
    for (const q of ['Is the sky blue?', 'Do fish fly?', 'Hello']) {
      const res = await json(await api('/v1/chat/completions', { model: 'yes-no', messages: [{ role: 'user', content: q }], temperature: 0 }));
      expect(['yes', 'no']).toContain(res.choices[0].message.content);
    }
    // A list typed by hand: the field appears with the choice.
    await constrain.selectOption({ label: 'These labels…' });
    await form.getByLabel('Labels, comma-separated').waitFor();
    await screenshot(page, 'labels-deploy-en');
    await expectAccessible(page);
    await inChinese(page, /模型\s+tiny-labelled/, 'labels-deploy');
    expect(c.errors).toEqual([]);
  });

  it('the evaluation form offers "Answer only with a label" per column once labels are given', async () => {
    const { page } = c;
    await page.goto(`${suite.server.url}/evaluations`);
    await page.getByRole('heading', { level: 1, name: 'Evaluations' }).waitFor();
    const col = page.locator('[data-column="0"]');
    await col.getByLabel('Model or endpoint').selectOption({ label: 'tiny' });
    expect(await col.getByLabel('Answer only with a label').count()).toBe(0);
    await page.getByLabel('Test set', { exact: true }).selectOption({ label: 'yes-no.jsonl (2 rows)' });
    await page.getByLabel('Labels (optional)').fill('yes, no');
    await col.getByLabel('Answer only with a label').check();
    await page.getByLabel('Max new tokens').fill('8');
    await screenshot(page, 'labels-eval-form-en');
    await expectAccessible(page);
    await inChinese(page, '评测', 'labels-eval-form');
    await page.getByRole('button', { name: 'Start evaluation' }).click();
    await page.waitForURL(/\/evaluations\/eval_/);
    const id = page.url().split('/').pop()!;
    let e = await json(await api(`/api/v1/evaluations/${id}`));
    expect(e.request.models[0].constrain_to_labels).toBe(true);
    for (let i = 0; i < 1200 && (e.status === 'queued' || e.status === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      e = await json(await api(`/api/v1/evaluations/${id}`));
    }
    expect(e.models[0].label_accuracy).toMatchObject({ total: 2, invalid: 0 });
    expect(c.errors).toEqual([]);
  });
});
