import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { REPO_ROOT } from '../../../../test-support/paths.ts';
import { seriousAxeViolations, visibleLabels, watchPageErrors } from '../../../../test-support/browser.ts';

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
