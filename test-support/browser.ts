import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium: the browser the console tests drive (never Playwright's own download). */
export const CHROMIUM = '/usr/bin/chromium';

/** A Chinese font, so screenshots of the Chinese console show characters rather than boxes. */
const CJK_FONT = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';

/**
 * Make sure Debian's `chromium` is installed: when it is missing and we are root (as on CI),
 * install it (and a small Chinese font) with apt-get. A browser that is still missing is a
 * set-up failure with the command to run, never a skipped test.
 */
export function ensureChromium(): string {
  const missing = [existsSync(CHROMIUM) ? null : 'chromium', existsSync(CJK_FONT) ? null : 'fonts-wqy-microhei'].filter((p): p is string => p !== null);
  if (missing.length === 0) return CHROMIUM;
  if (process.getuid?.() !== 0) {
    if (existsSync(CHROMIUM)) return CHROMIUM; // only the font is missing: Chinese screenshots show boxes
    throw new Error(`${CHROMIUM} is missing; install Debian's chromium: sudo apt-get install -y chromium fonts-wqy-microhei`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...missing]]) {
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env, timeout: 600_000 });
    if (r.status !== 0) throw new Error(`\`apt-get ${args.join(' ')}\` failed (exit ${r.status ?? r.signal}); install Debian's chromium by hand`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is still missing`);
  return CHROMIUM;
}

/** Headless Chromium through playwright-core (installing Debian's package first if needed). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: ensureChromium(),
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
}

/**
 * Collect what a page reports as broken: console errors, uncaught exceptions and failed
 * requests. Tests assert the list is empty.
 */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => {
    // An EventSource or fetch the page itself aborts on navigation is not an error.
    const failure = r.failure()?.errorText ?? '';
    if (!failure.includes('ERR_ABORTED')) errors.push(`requestfailed: ${r.url()} ${failure}`);
  });
  return errors;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Run axe-core (the npm package, injected into the page) and return the serious and critical
 * violations. Evaluated through the DevTools protocol, so the page's CSP stays on.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  const { createRequire } = await import('node:module');
  const { readFileSync } = await import('node:fs');
  const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(source);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
}

/**
 * Every label a person sees (visible text nodes, aria-label, placeholder, title, the page
 * title), leaving out what is marked `translate="no"` (names, ids, numbers, log lines, code).
 */
export function visibleLabels(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [document.title];
    const skip = (el: Element | null) => !el || el.closest('[translate="no"], script, style, noscript') !== null;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (skip(el) || !el!.checkVisibility()) continue;
      const text = (n.textContent ?? '').trim();
      if (text) out.push(text);
    }
    for (const el of document.querySelectorAll('[aria-label], [placeholder], [title]')) {
      if (skip(el)) continue;
      for (const a of ['aria-label', 'placeholder', 'title']) {
        const v = el.getAttribute(a);
        if (v) out.push(v);
      }
    }
    return out;
  });
}
