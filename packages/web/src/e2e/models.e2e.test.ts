import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { consoleSuite, expectAccessible, screenshot, untranslatedLabels, type ConsolePage } from './console-page.ts';

const ADMIN_KEY = 'models-admin-key';

/** Statuses the page asked for on purpose (a refused path, a failed pull, IN_USE, the key dialog's 401, a member's 403). */
const expected = (errors: string[]) => errors.filter((e) => !/status of (401|403|409|502)/.test(e));

async function enterKey(page: Page, key: string) {
  const dialog = page.getByRole('dialog', { name: 'API key required' });
  await dialog.getByLabel('API key').fill(key);
  await dialog.getByRole('button', { name: 'Continue' }).click();
}

async function toChinese(page: Page, heading: RegExp | string) {
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  expect(await untranslatedLabels(page)).toEqual([]);
}

// Models, deploy and API keys in the built console, served by the real server with API keys on;
// the real worker serves the tiny model on the torch backend. One server and one browser.
describe('models, deployments and API keys in Chromium', () => {
  const suite = consoleSuite({ apiKeys: [ADMIN_KEY] });
  let c: ConsolePage;
  // Async: the server runs in this process, so a blocking spawn would never get its answer.
  const curl = async (snippet: string, key: string) =>
    JSON.parse((await promisify(execFile)('sh', ['-c', snippet], { encoding: 'utf8', env: { ...process.env, WHET_API_KEY: key }, timeout: 60_000 })).stdout);

  beforeAll(async () => {
    c = await suite.open('/models');
    await c.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.server.url });
    c.page.on('dialog', (d) => void d.accept());
    await enterKey(c.page, ADMIN_KEY);
  });
  afterAll(async () => {
    await c?.close();
  });

  it('models: a path outside the roots is refused next to the field, a hub pull fails clearly offline, the tiny model registers', async () => {
    const { page } = c;
    await page.getByRole('heading', { level: 1, name: 'Models' }).waitFor();
    await page.getByText('No model registered yet').waitFor();
    const local = page.getByTestId('register-local');
    await local.getByLabel('Folder path').fill('/usr/share');
    await local.getByRole('button', { name: 'Register' }).click();
    const pathError = local.getByTestId('path-error').locator('[data-error-code=PATH_NOT_ALLOWED]');
    await pathError.waitFor();
    await expect(pathError.innerText()).resolves.toMatch(/WHET_MODEL_ROOTS/); // the server's hint
    expect(await local.getByLabel('Folder path').getAttribute('aria-invalid')).toBe('true');

    const hub = page.getByTestId('pull-hub');
    await hub.getByLabel('Model id').fill('whetstone-test/no-such-model');
    await hub.getByRole('button', { name: 'Pull' }).click();
    await hub.getByTestId('hub-error').locator('[data-error-code=MODEL_DOWNLOAD_FAILED]').waitFor({ timeout: 45_000 });

    await local.getByLabel('Folder path').fill(ensureTinyModel());
    await local.getByLabel('Name (optional)').fill('tiny');
    await local.getByRole('button', { name: 'Register' }).click();
    await page.locator('#models tr', { hasText: 'tiny' }).waitFor();
    await expect(page.locator('#models tr', { hasText: 'tiny' }).innerText()).resolves.toMatch(/Base model/);
    await screenshot(page, 'models-en');
    await expectAccessible(page);
    await toChinese(page, '模型');
    await screenshot(page, 'models-zh');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'English' }).click();
  });

  it('details: chat template, deploy on torch (the copied curl snippet answers), GGUF export and download, delete shows IN_USE, then force', async () => {
    const { page } = c;
    await page.locator('#models').getByRole('link', { name: 'tiny' }).click();
    await page.getByRole('heading', { level: 1, name: /Model\s+tiny/ }).waitFor();
    await expect(page.locator('.facts').innerText()).resolves.toMatch(/Context length/);
    await page.getByText('Show the chat template').click();
    await expect(page.getByTestId('chat-template').innerText()).resolves.toContain('<|im_start|>');

    const form = page.getByTestId('deploy-form');
    await form.getByLabel('Backend').selectOption('torch');
    await form.getByLabel('Compute dtype').selectOption('bfloat16');
    await form.getByLabel(/Name clients send/).fill('tiny-chat');
    await form.getByLabel(/Requests at once/).fill('2');
    await form.getByRole('button', { name: 'Deploy' }).click();
    await page.locator('#deployments tr[data-status=ready]', { hasText: 'tiny-chat' }).waitFor({ timeout: 90_000 });
    await expect(page.locator('#deployments tr', { hasText: 'tiny-chat' }).innerText()).resolves.toContain('torch bfloat16');

    await page.getByRole('button', { name: 'Copy: curl' }).click();
    await page.getByText('Copied').waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(await page.locator('pre[data-snippet=curl]').innerText());
    expect(copied).toContain(`${suite.server.url}/v1/chat/completions`);
    expect(copied).toContain('$WHET_API_KEY');
    const answer = await curl(copied, ADMIN_KEY);
    expect(answer.model).toBe('tiny-chat');
    expect(typeof answer.choices[0].message.content).toBe('string');

    await page.getByRole('tab', { name: 'Python (openai SDK)' }).click();
    await expect(page.locator('pre[data-snippet=python]').innerText()).resolves.toContain(`base_url="${suite.server.url}/v1"`);
    await screenshot(page, 'model-en');
    await expectAccessible(page);
    await toChinese(page, /模型\s+tiny/);
    await screenshot(page, 'model-zh');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'English' }).click();

    // Export as GGUF q8_0: the row follows it to Done, and its file downloads (with the key).
    const exportForm = page.getByTestId('export-form');
    await exportForm.getByLabel('Format').selectOption('gguf');
    await exportForm.getByLabel('Quantization').selectOption('q8_0');
    await exportForm.getByRole('button', { name: 'Export' }).click();
    const exportRow = page.locator('#exports tr[data-export-id]');
    await exportRow.locator('.badge', { hasText: 'Done' }).waitFor({ timeout: 90_000 });
    const link = exportRow.getByRole('link', { name: /^Download .*\.gguf$/ });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/\.gguf$/);
    expect(statSync(await download.path()).size).toBeGreaterThan(1000);

    await page.getByRole('button', { name: 'Delete model' }).click();
    const inUse = page.getByTestId('in-use');
    await inUse.waitFor();
    await expect(inUse.innerText()).resolves.toMatch(/Deployment/);
    await page.locator('[data-error-code=IN_USE]').waitFor();
    await inUse.getByRole('button', { name: 'Stop them and delete' }).click();
    await page.getByRole('heading', { level: 1, name: 'Models' }).waitFor();
    await page.getByText('No model registered yet').waitFor();
  });

  it('API keys: an inference key is shown once, calls the endpoint, and is revoked; a member sees FORBIDDEN', async () => {
    const { page } = c;
    await page.goto(`${suite.server.url}/settings/keys`);
    await page.getByRole('heading', { level: 1, name: 'API keys' }).waitFor();
    await page.getByText('No stored key').waitFor();
    const form = page.getByTestId('key-form');
    await form.getByLabel('Name').fill('app');
    await form.getByLabel('Role').selectOption('inference');
    await form.getByLabel(/Rate limit/).fill('60');
    await form.getByRole('button', { name: 'Create key' }).click();
    const secret = await page.getByTestId('secret').inputValue();
    await page.getByText('this is the only time it is shown').waitFor();
    const row = page.locator('#keys tr', { hasText: 'app' });
    await row.waitFor();
    await expect(row.innerText()).resolves.toMatch(/Inference only[\s\S]*60 per minute[\s\S]*Never/);
    expect(secret.startsWith((await row.locator('code').innerText()).replace('…', ''))).toBe(true);
    await screenshot(page, 'keys-en');
    await expectAccessible(page);
    await toChinese(page, 'API 密钥');
    await screenshot(page, 'keys-zh');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'English' }).click();

    // The inference key may chat with any model...
    const snippet = `curl -s '${suite.server.url}/v1/models' -H "Authorization: Bearer $WHET_API_KEY"`;
    expect((await curl(snippet, secret)).data).toBeDefined();
    // ...and once shown, the secret is gone from the page for good.
    await page.reload();
    await row.waitFor();
    expect(await page.getByTestId('secret').count()).toBe(0);
    await row.getByRole('button', { name: 'Revoke app' }).click();
    await row.waitFor({ state: 'detached' });
    await expect(curl(`curl -sf '${suite.server.url}/v1/models' -H "Authorization: Bearer $WHET_API_KEY"`, secret)).rejects.toThrow();

    // A member key reaches the page but the server refuses the list: its message shows.
    const member = await (
      await fetch(`${suite.server.url}/api/v1/keys`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` }, body: JSON.stringify({ name: 'dev', role: 'member' }) })
    ).json();
    const m = await suite.open('/settings/keys');
    await enterKey(m.page, member.key);
    await m.page.locator('#keys [data-error-code=FORBIDDEN]').waitFor();
    await expect(m.page.locator('#keys [data-error-code=FORBIDDEN]').innerText()).resolves.toMatch(/needs the role "admin"/);
    expect(expected(m.errors)).toEqual([]);
    await m.close();
    expect(expected(c.errors)).toEqual([]);
  });
});
