import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchPageErrors } from '../../../../test-support/browser.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { toyChatRows, writeJsonl } from '../../../../test-support/toy-data.ts';
import { consoleSuite, expectAccessible, screenshot, untranslatedLabels, type ConsolePage } from './console-page.ts';

/** The 400 the webhook form provokes on purpose (an ftp:// URL); nothing else may fail. */
const unexpected = (errors: string[]) => errors.filter((e) => !/status of 400/.test(e));

/** Wraps window.Notification before the console loads: every notification's title and body land in window.__notifications. */
const RECORD_NOTIFICATIONS = `(() => {
  const Real = window.Notification;
  window.__notifications = [];
  class Recorded extends Real {
    constructor(title, options) {
      super(title, options);
      window.__notifications.push({ title, body: options && options.body });
    }
  }
  window.Notification = Recorded;
})();`;

/** A console tab at 1280x720 allowed to show notifications, with them recorded. */
async function openRecordingConsole(browser: Browser, url: string): Promise<ConsolePage> {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 720 } });
  await context.grantPermissions(['notifications'], { origin: new URL(url).origin });
  await context.addInitScript(RECORD_NOTIFICATIONS);
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  page.on('dialog', (d) => void d.accept()); // the cancel confirmation
  await page.goto(url);
  return { page, errors, close: () => context.close() };
}

async function checkChinese(page: Page, heading: string) {
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  expect(await untranslatedLabels(page)).toEqual([]);
  await screenshot(page, `${heading === '概览' ? 'queue' : 'notifications'}-zh`);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'English' }).click();
}

// The Queue section and the notifications page in the built console, served by the real server
// (one job at a time); the real worker trains the tiny model. One server and one browser.
describe('the job queue and notifications in Chromium', () => {
  const suite = consoleSuite({ maxConcurrentJobs: 1 });
  let c: ConsolePage;
  const jobs: Record<string, string> = {};
  const serverOrder = () => suite.server.ctx.store.listQueue().map((j) => j.name);

  beforeAll(async () => {
    const model = (await suite.api.post('/models', { path: ensureTinyModel(), name: 'tiny' })).body.id;
    const dataset = (await suite.api.upload(writeJsonl(join(suite.home, 'toy.jsonl'), toyChatRows(16)))).body.id;
    const hp = { max_steps: 400, learning_rate: 5e-3, batch_size: 4, gradient_accumulation_steps: 1, save_steps: 200, eval_steps: 400, lora_r: 8 };
    for (const name of ['blocker', 'alpha', 'beta', 'gamma']) {
      const r = await suite.api.post('/jobs', { name, model, dataset, hyperparameters: hp });
      expect(r.status).toBe(201);
      jobs[name] = r.body.id;
    }
    await suite.api.waitFor(jobs.blocker!, ['running']);
    c = await openRecordingConsole(suite.browser, suite.server.url);
  }, 300_000);
  afterAll(async () => {
    await c?.close();
  });

  it('the Queue section moves jobs up, down and to the top, and cancels one: the server\'s order follows', async () => {
    const { page } = c;
    const queue = page.locator('#queue');
    await queue.getByRole('link', { name: 'gamma' }).waitFor();
    const names = () => queue.locator('tbody tr td:nth-child(2)').allInnerTexts();
    expect(await names()).toEqual(['alpha', 'beta', 'gamma']);
    await expect(queue.getByRole('button', { name: 'Move alpha up' }).isDisabled()).resolves.toBe(true);

    await queue.getByRole('button', { name: 'Move gamma to top' }).click();
    await expect.poll(names).toEqual(['gamma', 'alpha', 'beta']);
    expect(serverOrder()).toEqual(['gamma', 'alpha', 'beta']);
    await queue.getByRole('button', { name: 'Move gamma down' }).click();
    await expect.poll(names).toEqual(['alpha', 'gamma', 'beta']);
    await queue.getByRole('button', { name: 'Move beta up' }).click();
    await expect.poll(names).toEqual(['alpha', 'beta', 'gamma']);
    expect(serverOrder()).toEqual(['alpha', 'beta', 'gamma']);
    await screenshot(page, 'queue-en');
    await expectAccessible(page);
    await checkChinese(page, '概览');

    // Keyboard: the buttons are reachable and work with Enter.
    await queue.getByRole('button', { name: 'Move beta to top' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(names).toEqual(['beta', 'alpha', 'gamma']);
    expect(serverOrder()).toEqual(['beta', 'alpha', 'gamma']);

    await queue.getByRole('button', { name: 'Cancel alpha' }).click();
    await expect.poll(names).toEqual(['beta', 'gamma']);
    expect((await suite.api.get(`/jobs/${jobs.alpha}`)).body.status).toBe('cancelled');
    expect(c.errors).toEqual([]);
  }, 120_000);

  it('the notifications page saves the webhook, shows a bad URL next to its field, and a finished job raises a browser notification', async () => {
    const { page } = c;
    await page.getByRole('link', { name: 'Notifications' }).click();
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();

    const form = page.getByTestId('webhook-form');
    await form.getByLabel('Webhook URL').fill('ftp://example.com/hook');
    // type=url accepts ftp:, so the server's refusal is what shows, beside the field
    await form.getByRole('button', { name: 'Save webhook' }).click();
    await form.locator('[data-error-code=INVALID_REQUEST]').waitFor();
    expect(await form.getByLabel('Webhook URL').getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('Webhook URL').fill('https://hooks.example.com/whetstone');
    await form.getByLabel('Signing secret').fill('a-secret-for-the-browser-test');
    await form.getByRole('button', { name: 'Save webhook' }).click();
    await page.getByTestId('webhook-saved').waitFor();
    expect(suite.server.ctx.settings.jobWebhook()).toEqual({ url: 'https://hooks.example.com/whetstone', secret: 'a-secret-for-the-browser-test' });
    await page.getByText('A secret is set.').waitFor();
    expect(await form.getByLabel('Signing secret').inputValue()).toBe('');

    // On: the page starts watching GET /jobs and sees the blocker running; its end is announced.
    const seen = page.waitForResponse((r) => /\/api\/v1\/jobs(\?|$)/.test(new URL(r.url()).pathname + new URL(r.url()).search) && r.ok());
    await page.getByRole('switch', { name: 'Notify me in this browser when a job ends' }).check();
    await seen;
    expect(await page.evaluate(() => localStorage.getItem('whet.notifications'))).toBe('on');
    await screenshot(page, 'notifications-en');
    await expectAccessible(page);
    await checkChinese(page, '通知');

    expect((await suite.api.post(`/jobs/${jobs.gamma}/pause`)).status).toBe(200); // fewer runs to wait for at shutdown
    expect((await suite.api.post(`/jobs/${jobs.blocker}/cancel`)).status).toBe(200);
    await page.waitForFunction(() => ((window as unknown as { __notifications: unknown[] }).__notifications ?? []).length > 0, undefined, { timeout: 120_000 });
    const shown = await page.evaluate(() => (window as unknown as { __notifications: { title: string; body: string }[] }).__notifications);
    expect(shown[0]).toEqual({ title: 'Fine-tune cancelled', body: 'blocker · open Whetstone to see the result' });
    expect(unexpected(c.errors)).toEqual([]);
  }, 200_000);
});
