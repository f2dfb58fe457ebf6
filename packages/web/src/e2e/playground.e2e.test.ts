import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerTinyTuned } from '../../../../test-support/tiny-adapter.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { consoleSuite, expectAccessible, screenshot, untranslatedLabels } from './console-page.ts';

/** Send a prompt from the playground's form with these sampling fields. */
async function send(page: Page, prompt: string, opts: { maxTokens: string; temperature?: string }) {
  await page.getByLabel('Max new tokens').fill(opts.maxTokens);
  await page.getByLabel('Temperature').fill(opts.temperature ?? '1');
  await page.getByLabel('Message').fill(prompt);
  await page.getByRole('button', { name: 'Send' }).click();
}

const lastTurn = (page: Page) => page.locator('.pg-turn').last();

// The built console on the real server, in Debian's Chromium; the real worker serves the tiny
// model and the tiny random adapter (tiny-tuned) on demand.
describe('playground in Chromium', () => {
  const suite = consoleSuite();

  beforeAll(async () => {
    const m = await suite.api.post('/models', { path: ensureTinyModel(), name: 'tiny' });
    expect(m.status).toBe(201);
    registerTinyTuned(suite.server.ctx.store, m.body);
  });

  it('chat: the answer streams in over several deltas with its latency and speed; Stop keeps what came', async () => {
    const c = await suite.open('/playground');
    const { page } = c;
    await page.getByRole('heading', { level: 1, name: 'Playground' }).waitFor();
    await page.getByLabel('Model', { exact: true }).fill('tiny');
    await page.getByLabel('System prompt').fill('You are terse.');
    // Record the answer's length each time the page changes it.
    await page.evaluate(() => {
      const w = window as unknown as { lengths: number[] };
      w.lengths = [];
      new MutationObserver(() => {
        const text = document.querySelector('.pg-answer .pg-text')?.textContent ?? '';
        if (text.length && text.length !== w.lengths.at(-1)) w.lengths.push(text.length);
      }).observe(document.querySelector('main')!, { subtree: true, childList: true, characterData: true });
    });
    await send(page, 'hello there', { maxTokens: '40' });
    const answer = lastTurn(page).locator('.pg-answer');
    await answer.and(page.locator('[data-status=done]')).waitFor({ timeout: 60_000 });
    const deltas = Number(await answer.locator('.pg-text').getAttribute('data-deltas'));
    expect(deltas).toBeGreaterThanOrEqual(2);
    const lengths = await page.evaluate(() => (window as unknown as { lengths: number[] }).lengths);
    expect(lengths.length).toBeGreaterThanOrEqual(2); // the text grew in at least two visible steps
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
    await expect(answer.locator('[data-metric=tokens-per-second]').innerText()).resolves.toMatch(/tokens\/s/);
    await expect(answer.locator('[data-metric=ttft]').innerText()).resolves.toMatch(/\d+ ms/);
    await screenshot(page, 'playground-chat-en');
    await expectAccessible(page);

    // A long answer, stopped after its first tokens: the request is aborted, the text stays. A
    // sampled answer may end on its own before the click (even before its first token): up to three tries.
    await page.getByRole('button', { name: 'Clear the conversation' }).click();
    await expect(page.locator('.pg-turn').count()).resolves.toBe(0);
    let status = '';
    for (let i = 0; i < 3 && status !== 'stopped'; i++) {
      await send(page, 'tell me a long story', { maxTokens: '400' });
      // Its first delta, or its end: the random model may sample its end token first (0 deltas).
      await page.waitForFunction(
        () => {
          const answer = document.querySelector('.pg-turn:last-child .pg-answer');
          return Number(answer?.querySelector('.pg-text')?.getAttribute('data-deltas')) >= 1 || (answer?.getAttribute('aria-busy') !== 'true' && !!answer?.getAttribute('data-status'));
        },
        null,
        { timeout: 30_000 },
      );
      await page.getByRole('button', { name: 'Stop' }).click({ timeout: 2000 }).catch(() => undefined);
      await lastTurn(page).locator('.pg-answer:not([aria-busy=true])').waitFor();
      status = (await lastTurn(page).locator('.pg-answer').getAttribute('data-status')) ?? '';
    }
    expect(status).toBe('stopped');
    expect((await lastTurn(page).locator('.pg-answer .pg-text').innerText()).length).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Send' }).waitFor(); // ready for the next prompt
    expect(c.errors).toEqual([]);
    await c.close();
  });

  it('compare: two models side by side with tokens/s; a bad model fails in its column while the other answers; all in Chinese too', async () => {
    const c = await suite.open('/playground');
    const { page } = c;
    await page.getByRole('radio', { name: 'Compare two models side by side' }).check();
    await page.getByLabel('First model').fill('tiny');
    await page.getByLabel('Second model').fill('tiny-tuned');
    await send(page, 'hello there', { maxTokens: '24' });
    const columns = lastTurn(page).locator('.pg-answer');
    await expect(columns.count()).resolves.toBe(2);
    for (const model of ['tiny', 'tiny-tuned']) {
      const col = lastTurn(page).locator(`.pg-answer[data-model="${model}"]`);
      await col.and(page.locator('[data-status=done]')).waitFor({ timeout: 60_000 });
      await expect(col.locator('[data-metric=tokens-per-second]').innerText()).resolves.toMatch(/^[\d.,]+ tokens\/s$/);
      await expect(col.locator('[data-metric=total]').innerText()).resolves.toMatch(/\d+ ms/);
    }
    // The two columns sit side by side.
    const [a, b] = await Promise.all([columns.nth(0).boundingBox(), columns.nth(1).boundingBox()]);
    expect(b!.x).toBeGreaterThan(a!.x + a!.width - 1);
    expect(Math.abs(b!.y - a!.y)).toBeLessThan(2);

    await page.getByLabel('Second model').fill('no-such-model');
    // From the keyboard: Ctrl+Enter in the message sends it, and the focus stays there.
    await page.getByLabel('Message').fill('hello again');
    await page.getByLabel('Message').press('Control+Enter');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('name'))).resolves.toBe('message');
    const bad = lastTurn(page).locator('.pg-answer[data-model="no-such-model"]');
    const good = lastTurn(page).locator('.pg-answer[data-model="tiny"]');
    await bad.and(page.locator('[data-status=error]')).waitFor({ timeout: 30_000 });
    await expect(bad.locator('[data-error-code=MODEL_NOT_FOUND]').innerText()).resolves.toMatch(/Model not found[\s\S]*GET \/v1\/models/);
    await good.and(page.locator('[data-status=done]')).waitFor({ timeout: 60_000 });
    expect((await good.locator('.pg-text').innerText()).length).toBeGreaterThan(0);
    await screenshot(page, 'playground-compare-en');
    await expectAccessible(page);

    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { level: 1, name: '体验场' }).waitFor();
    await expect(bad.locator('[data-error-code=MODEL_NOT_FOUND]').innerText()).resolves.toMatch(/模型不存在/);
    await expect(good.locator('[data-metric=tokens-per-second]').innerText()).resolves.toMatch(/每秒 [\d.,]+ 个词元/);
    expect(await untranslatedLabels(page)).toEqual([]);
    await screenshot(page, 'playground-compare-zh');
    await expectAccessible(page);
    expect(c.errors).toEqual([]);
    await c.close();
  });

  it('shows a field problem beside its field and sends nothing, keeps the settings over a reload; the Chinese page is translated', async () => {
    const c = await suite.open('/playground', 'zh-CN');
    const { page } = c;
    await page.getByRole('heading', { level: 1, name: '体验场' }).waitFor();
    await page.getByLabel('温度（temperature）').fill('3');
    await expect(page.getByRole('alert').innerText()).resolves.toMatch(/0 到 2/);
    await expect(page.getByLabel('温度（temperature）').getAttribute('aria-invalid')).resolves.toBe('true');
    await page.getByLabel('消息').fill('hi');
    await page.getByRole('button', { name: '发送' }).click();
    await expect(page.locator('.pg-turn').count()).resolves.toBe(0);
    // A reload keeps the settings (for the browser session), the problem still shown.
    await page.reload();
    await expect(page.getByLabel('温度（temperature）').inputValue()).resolves.toBe('3');
    await expect(page.getByRole('alert').innerText()).resolves.toMatch(/0 到 2/);
    expect(await untranslatedLabels(page)).toEqual([]);
    await screenshot(page, 'playground-empty-zh');
    await expectAccessible(page);
    expect(c.errors).toEqual([]);
    await c.close();
  });
});
