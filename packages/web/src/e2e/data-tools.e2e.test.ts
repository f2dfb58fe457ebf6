import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { consoleSuite, expectAccessible, screenshot, untranslatedLabels } from './console-page.ts';

/** Statuses the page asks for on purpose: a deleted model's 404, a connection whose endpoint is down (502). */
const expected = (errors: string[]) => errors.filter((e) => !/status of (404|502)/.test(e));

async function toChinese(page: Page, heading: string) {
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  expect(await untranslatedLabels(page)).toEqual([]);
}

const DOC = ['# Manual', 'About this tool.', '## Install', 'Run the installer.', '## Upgrade', 'Run it again.'].join('\n');

// The Data page's tools in the built console, served by the real server: the token calculator on
// the tiny model's tokenizer, and QA drafting through a connection to a real HTTP listener that
// answers in OpenAI's format, so the drafts are known in advance.
describe('token calculator and QA drafts in Chromium', () => {
  const suite = consoleSuite();
  let llm: Server;
  let gone = '';

  beforeAll(async () => {
    llm = createServer(async (req, res) => {
      let raw = '';
      for await (const c of req) raw += c;
      const user = JSON.parse(raw).messages[1].content as string;
      const section = /Section: (.*)/.exec(user)?.[1] ?? 'none';
      const content = JSON.stringify({ pairs: [{ question: `What does "${section}" say?`, answer: `It explains ${section}.` }] });
      // Slow enough that the page shows its waiting state.
      setTimeout(() => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] }));
      }, 800);
    });
    await new Promise<void>((r) => llm.listen(0, '127.0.0.1', r));
    const baseUrl = `http://127.0.0.1:${(llm.address() as AddressInfo).port}/v1`;
    expect((await suite.api.post('/models', { path: ensureTinyModel(), name: 'tiny' })).status).toBe(201);
    const second = await suite.api.post('/models', { path: ensureTinyModel(), name: 'tiny-gone' });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    gone = second.body.id;
    expect((await suite.api.post('/connections', { name: 'llm', base_url: baseUrl, model: 'any-model' })).status).toBe(201);
    expect((await suite.api.post('/connections', { name: 'llm-down', base_url: 'http://127.0.0.1:9/v1', model: 'any-model' })).status).toBe(201);
  });
  afterAll(async () => {
    await new Promise<void>((r) => (llm ? llm.close(() => r()) : r()));
  });

  it('token calculator: the count and the tokens are the API\'s, for text and for a chat', async () => {
    const c = await suite.open('/data');
    const page = c.page;
    await page.getByTestId('data-tools').getByRole('link', { name: 'Token calculator' }).click();
    await page.getByRole('heading', { level: 1, name: 'Token calculator' }).waitFor();
    await page.getByText('Type a text or a message to see its tokens.').waitFor();

    // Typing counts after a pause.
    const text = 'Hello world, hello tokens!\nSecond line.';
    await page.getByLabel('Text', { exact: true }).fill(text);
    const want = (await suite.api.post('/tokens', { model: 'tiny', text, return_tokens: true })).body;
    const result = page.getByTestId('token-result');
    await page.locator(`[data-testid=token-result][data-count="${want.count}"]`).waitFor();
    await expect(page.getByTestId('token-boxes').locator('li').count()).resolves.toBe(want.count);
    await expect(page.getByTestId('token-boxes').locator('li').first().getAttribute('data-token-id')).resolves.toBe(String(want.ids[0]));
    await expect(result.innerText()).resolves.toContain(String(want.characters));
    await screenshot(page, 'data-tokens-en');
    await expectAccessible(page);

    // Live counting off: the count waits for the button; special tokens change nothing for a tokenizer that adds none, so compare with the API.
    await page.getByLabel('Count as I type').uncheck();
    const longer = `${text} More words here.`;
    await page.getByLabel('Text', { exact: true }).fill(longer);
    await page.getByText('The text changed since this count').waitFor();
    await page.getByRole('button', { name: 'Count tokens' }).click();
    const wantLonger = (await suite.api.post('/tokens', { model: 'tiny', text: longer })).body.count;
    await page.locator(`[data-testid=token-result][data-count="${wantLonger}"]`).waitFor();

    // A chat: rows added and removed, counted through the chat template with the generation prompt.
    await page.getByLabel('Count as I type').check();
    await page.getByRole('button', { name: 'Chat messages' }).click();
    const rows = page.getByTestId('chat-rows');
    await rows.getByRole('group', { name: 'Message 1' }).getByLabel('Content').fill('What is two plus two?');
    await rows.getByRole('button', { name: 'Add a message' }).click();
    await rows.getByRole('group', { name: 'Message 2' }).getByLabel('Content').fill('Four.');
    await rows.getByRole('button', { name: 'Add a message' }).click();
    await rows.getByRole('button', { name: 'Remove message 3' }).click();
    await page.getByLabel(/Add the generation prompt/).check();
    const messages = [
      { role: 'user', content: 'What is two plus two?' },
      { role: 'assistant', content: 'Four.' },
    ];
    const wantChat = (await suite.api.post('/tokens', { model: 'tiny', messages, add_generation_prompt: true })).body.count;
    await page.locator(`[data-testid=token-result][data-count="${wantChat}"]`).waitFor();
    await expect(page.getByTestId('chat-note').innerText()).resolves.toMatch(/model's chat template/);
    await expectAccessible(page);

    // A model deleted since the page listed it: the server's error and hint sit under the input.
    await page.getByLabel('Model').selectOption({ label: 'tiny-gone' });
    await page.getByRole('button', { name: 'Text', exact: true }).click();
    expect((await suite.api.del(`/models/${gone}`)).status).toBe(200);
    await page.getByLabel('Text', { exact: true }).fill('Counted by a model that is gone.');
    const refusal = page.getByTestId('token-form').locator('[data-error-code=MODEL_NOT_FOUND]');
    await refusal.waitFor();
    await expect(refusal.locator('.error-hint').count()).resolves.toBe(1);
    await page.getByLabel('Model').selectOption({ label: 'tiny' });
    await refusal.waitFor({ state: 'detached' });
    await toChinese(page, 'Token 计算器');
    await screenshot(page, 'data-tokens-zh');
    expect(expected(c.errors)).toEqual([]);
    await c.close();
  });

  it('QA drafts: a failing endpoint is named beside the source; drafts are edited, survive a reload and are saved with the edit', async () => {
    const c = await suite.open('/data');
    c.page.on('dialog', (d) => void d.accept());
    const page = c.page;
    await page.getByTestId('data-tools').getByRole('link', { name: 'Documents to question-answer pairs' }).click();
    await page.getByRole('heading', { level: 1, name: 'Documents to question-answer pairs' }).waitFor();
    await page.getByText('No drafts yet').waitFor();

    const form = page.getByTestId('qa-form');
    await form.getByLabel('Document').setInputFiles({ name: 'manual.md', mimeType: 'text/markdown', buffer: Buffer.from(DOC) });
    await form.getByLabel('An outside endpoint (connection)').check();
    await form.getByLabel('Connection', { exact: true }).selectOption('llm-down');
    await form.getByRole('button', { name: 'Draft pairs' }).click();
    await form.locator('fieldset [data-error-code=ENDPOINT_FAILED]').waitFor({ timeout: 30_000 });

    await form.getByLabel('Connection', { exact: true }).selectOption('llm');
    await form.getByLabel('Chunk size (characters)').fill('200');
    await form.getByLabel('Pairs per chunk').fill('1');
    // Cancel while the model drafts: the wait ends, with no error and no drafts.
    await form.getByRole('button', { name: 'Draft pairs' }).click();
    await page.locator('[data-testid=qa-progress][data-phase=drafting]').waitFor();
    await form.getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('qa-progress').waitFor({ state: 'detached' });
    await expect(form.locator('[data-error-code]').count()).resolves.toBe(0);
    await page.getByText('No drafts yet').waitFor();

    await form.getByRole('button', { name: 'Draft pairs' }).click();
    await page.locator('[data-testid=qa-progress][data-phase=drafting]').waitFor();
    const table = page.getByTestId('qa-table');
    await table.waitFor({ timeout: 30_000 });
    await expect(form.locator('[data-error-code]').count()).resolves.toBe(0);
    await expect(table.locator('tbody tr').count()).resolves.toBe(3);
    await expect(table.getByLabel('Question 2').inputValue()).resolves.toBe('What does "Manual > Install" say?');
    await expect(table.locator('tr[data-row="2"]').innerText()).resolves.toContain('Run the installer.'); // the source excerpt

    // Review: edit one answer, delete the last pair, write one by hand.
    await table.getByLabel('Answer 2').fill('Run the installer, then restart.');
    await table.getByRole('button', { name: 'Delete pair 3' }).click();
    await page.getByRole('button', { name: 'Add a pair' }).click();
    await table.getByLabel('Question 3').fill('Who wrote the manual?');
    await page.getByText('Pairs 3 have an empty question or answer').waitFor();
    await table.getByLabel('Answer 3').fill('The tool\'s team.');

    // A reload keeps every edit.
    await page.reload();
    await table.waitFor();
    await expect(table.getByLabel('Answer 2').inputValue()).resolves.toBe('Run the installer, then restart.');
    await expect(table.getByLabel('Question 3').inputValue()).resolves.toBe('Who wrote the manual?');
    await page.getByText('These drafts were kept from earlier').waitFor();
    await screenshot(page, 'data-qa-en');
    await expectAccessible(page);
    await toChinese(page, '文档生成问答对');
    await screenshot(page, 'data-qa-zh');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'English' }).click();

    const save = page.getByTestId('qa-save');
    await save.getByLabel('Dataset name').fill('manual-qa');
    await save.getByRole('button', { name: 'Save as dataset' }).click();
    const saved = page.getByTestId('qa-saved');
    await saved.waitFor();
    await expect(saved.innerText()).resolves.toMatch(/Saved 3 pairs as the dataset manual-qa/);
    await saved.getByRole('link', { name: 'Open the dataset' }).click();
    await page.getByRole('heading', { level: 1, name: /manual-qa/ }).waitFor();
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    const rows = (await suite.api.get(`/datasets/${id}/rows?limit=10`)).body;
    expect(rows.total).toBe(3);
    expect(JSON.stringify(rows)).toContain('Run the installer, then restart.');
    expect(JSON.stringify(rows)).toContain('Who wrote the manual?');

    // Saved drafts are gone: the page starts empty again.
    await page.goto(`${suite.server.url}/data/qa`);
    await page.getByText('No drafts yet').waitFor();
    expect(expected(c.errors)).toEqual([]);
    await c.close();
  });
});
