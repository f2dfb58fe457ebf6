import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleSuite, expectAccessible, screenshot, untranslatedLabels, type ConsolePage } from './console-page.ts';

const ADMIN_KEY = 'connections-admin-key';
const SECRET = 'sk-never-shown-4242';

/** Statuses the page asks for on purpose (the key dialog's 401, refused fields' 400, a member's 403). */
const expected = (errors: string[]) => errors.filter((e) => !/status of (400|401|403)/.test(e));

async function enterKey(page: Page, key: string) {
  const dialog = page.getByRole('dialog', { name: 'API key required' });
  await dialog.getByLabel('API key').fill(key);
  await dialog.getByRole('button', { name: 'Continue' }).click();
}

// The Connections page in the built console, served by the real server with API keys on: an admin
// adds, lists and deletes; a member lists, and is told in their language that changes are for admins.
describe('connections page in Chromium', () => {
  const suite = consoleSuite({ apiKeys: [ADMIN_KEY], endpointKeyEnvs: ['WHET_TEST_ENDPOINT_KEY'] });
  let c: ConsolePage;
  const asAdmin = (path: string, init: RequestInit = {}) =>
    fetch(`${suite.server.url}/api/v1${path}`, { ...init, headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` } }).then((r) => r.json());

  beforeAll(async () => {
    c = await suite.open('/data');
    c.page.on('dialog', (d) => void d.accept());
    await enterKey(c.page, ADMIN_KEY);
  });
  afterAll(async () => {
    await c?.close();
  });

  it('an admin adds connections (refused fields named beside them), sees them without the key, and deletes one', async () => {
    const { page } = c;
    await page.getByRole('navigation').getByRole('link', { name: 'Connections' }).click();
    await page.getByRole('heading', { level: 1, name: 'Connections' }).waitFor();
    await page.getByText('No connection yet').waitFor();
    const form = page.getByTestId('connection-form');

    // A base URL the server refuses: its error sits beside the field.
    await form.getByLabel('Name').fill('openai');
    await form.getByLabel('Base URL').fill('http://user:pw@example.com/v1');
    await form.getByLabel('Key', { exact: true }).fill(SECRET);
    await form.getByRole('button', { name: 'Add connection' }).click();
    await form.locator('[data-error-code=INVALID_REQUEST]').waitFor();
    expect(await form.getByLabel('Base URL').getAttribute('aria-invalid')).toBe('true');

    await form.getByLabel('Base URL').fill('https://api.openai.com/v1');
    await form.getByLabel('Default model (optional)').fill('gpt-4o-mini');
    await form.getByRole('button', { name: 'Add connection' }).click();
    const row = page.locator('#connections tr', { hasText: 'openai' });
    await row.waitFor();
    await expect(row.innerText()).resolves.toMatch(/https:\/\/api\.openai\.com\/v1[\s\S]*gpt-4o-mini[\s\S]*Stored on the server/);
    expect(await form.getByLabel('Name').inputValue()).toBe(''); // the form, and the typed key, are cleared

    // A variable that is not allow-listed is refused beside its field; an allow-listed one is taken.
    await form.getByLabel('Name').fill('local-vllm');
    await form.getByLabel('Base URL').fill('http://127.0.0.1:8000/v1');
    await form.getByLabel('Read it from a server environment variable').check();
    await form.getByLabel('Variable name').fill('HOME');
    await form.getByRole('button', { name: 'Add connection' }).click();
    await form.locator('.key-source [data-error-code=INVALID_REQUEST]').waitFor();
    await expect(form.locator('.key-source [data-error-code=INVALID_REQUEST]').innerText()).resolves.toMatch(/WHET_ENDPOINT_KEYS/);
    await form.getByLabel('Variable name').fill('WHET_TEST_ENDPOINT_KEY');
    await form.getByRole('button', { name: 'Add connection' }).click();
    await expect(page.locator('#connections tr', { hasText: 'local-vllm' }).innerText()).resolves.toMatch(/From WHET_TEST_ENDPOINT_KEY/);

    // The key is nowhere: not on the page, not in the API's answer.
    expect(await page.content()).not.toContain(SECRET);
    expect(JSON.stringify(await asAdmin('/connections'))).not.toContain(SECRET);
    await screenshot(page, 'connections-en');
    await expectAccessible(page);
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { level: 1, name: '外部连接' }).waitFor();
    expect(await untranslatedLabels(page)).toEqual([]);
    await screenshot(page, 'connections-zh');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'English' }).click();

    await page.locator('#connections tr', { hasText: 'local-vllm' }).getByRole('button', { name: 'Delete local-vllm' }).click();
    await page.locator('#connections tr', { hasText: 'local-vllm' }).waitFor({ state: 'detached' });
    expect((await asAdmin('/connections')).data.map((x: { name: string }) => x.name)).toEqual(['openai']);
    expect(expected(c.errors)).toEqual([]);
  });

  it('a member sees the list, and an "admins only" message with the server\'s hint when adding or deleting, in both languages', async () => {
    const member = await asAdmin('/keys', { method: 'POST', body: JSON.stringify({ name: 'dev', role: 'member' }) });
    const m = await suite.open('/settings/connections', 'zh-CN');
    m.page.on('dialog', (d) => void d.accept());
    await m.page.getByRole('dialog').getByRole('textbox').fill(member.key);
    await m.page.getByRole('dialog').getByRole('button').last().click();
    const page = m.page;
    await page.getByRole('heading', { level: 1, name: '外部连接' }).waitFor();
    await page.locator('#connections tr', { hasText: 'openai' }).waitFor();

    await page.locator('#connections').getByRole('button', { name: '删除 openai' }).click();
    const refusal = page.locator('#connections [data-testid=admins-only]');
    await refusal.waitFor();
    await expect(refusal.innerText()).resolves.toMatch(/仅限管理员[\s\S]*只有管理员密钥可以添加或删除连接/);
    await expect(refusal.locator('[data-error-code=FORBIDDEN]').innerText()).resolves.toMatch(/此 API 密钥无权执行该操作[\s\S]*needs the role "admin"[\s\S]*WHET_API_KEYS/);
    expect(await untranslatedLabels(page)).toEqual([]);
    await screenshot(page, 'connections-member-zh');
    await expectAccessible(page);

    await page.getByRole('button', { name: 'English' }).click();
    const form = page.getByTestId('connection-form');
    await form.getByLabel('Name').fill('mine');
    await form.getByLabel('Base URL').fill('http://127.0.0.1:8000/v1');
    await form.getByLabel('No key').check();
    await form.getByRole('button', { name: 'Add connection' }).click();
    await form.getByTestId('admins-only').getByText('Admins only').waitFor();
    await screenshot(page, 'connections-member-en');
    expect((await asAdmin('/connections')).data.map((x: { name: string }) => x.name)).toEqual(['openai']);
    expect(expected(m.errors)).toEqual([]);
    await m.close();
  });
});
