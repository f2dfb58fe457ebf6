import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { RunningServer, ServerConfig } from '@whetstone/server';
import { apiAt } from '../../../../test-support/api-client.ts';
import { REPO_ROOT } from '../../../../test-support/paths.ts';
import { launchChromium, seriousAxeViolations, visibleLabels, watchPageErrors } from '../../../../test-support/browser.ts';
import { tempHome, testServer } from '../../../../test-support/server.ts';
// @ts-expect-error: a plain .mjs script without types
import { buildConsole } from '../../../../scripts/build-console.mjs';

/** Screenshots of every page in both languages: test artifacts, git-ignored. */
export const SCREENSHOTS = join(REPO_ROOT, '.cache', 'screenshots');

export interface ConsolePage {
  page: Page;
  /** Console errors, uncaught exceptions, failed requests seen so far. */
  errors: string[];
  close(): Promise<void>;
}

/** A fresh browser session (own sessionStorage) at 1280x720 whose browser prefers `language`. */
export async function openConsole(browser: Browser, url: string, language: 'en-US' | 'zh-CN' = 'en-US'): Promise<ConsolePage> {
  const context = await browser.newContext({ locale: language, viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await page.goto(url);
  return { page, errors, close: () => context.close() };
}

export interface ConsoleSuite {
  /** The server's state folder (a fresh one in /tmp). */
  home: string;
  server: RunningServer;
  api: ReturnType<typeof apiAt>;
  browser: Browser;
  /** openConsole at a path of the server ('/evaluations'). */
  open(path?: string, language?: 'en-US' | 'zh-CN'): Promise<ConsolePage>;
}

/**
 * What every console e2e file starts with, called inside its describe: the console built (a
 * no-op when its sources did not change), the real server on a fresh home and Chromium, started
 * side by side before the tests and closed after them. The fields are set by the time the
 * file's own beforeAll and tests run.
 */
export function consoleSuite(overrides: Partial<ServerConfig> = {}): ConsoleSuite {
  const { home, cleanup } = tempHome();
  const suite = { home, open: (path = '/', language) => openConsole(suite.browser, `${suite.server.url}${path}`, language) } as ConsoleSuite;
  beforeAll(async () => {
    (buildConsole as (o: { log(m: string): void }) => string)({ log: () => undefined });
    [suite.server, suite.browser] = await Promise.all([testServer(home, overrides), launchChromium()]);
    suite.api = apiAt(suite.server.url);
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.server?.close();
    cleanup();
  });
  return suite;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Labels that are still English in the Chinese console: Latin words and no Chinese character. */
export async function untranslatedLabels(page: Page): Promise<string[]> {
  return (await visibleLabels(page)).filter((s) => /[A-Za-z]{2,}/.test(s) && !/[\u3400-\u9fff]/.test(s));
}

export async function expectAccessible(page: Page): Promise<void> {
  const violations = await seriousAxeViolations(page);
  if (violations.length) throw new Error(`axe: ${JSON.stringify(violations, null, 2)}`);
}
