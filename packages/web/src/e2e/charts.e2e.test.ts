import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Job, MetricPoint } from '@whetstone/core';
import type { RunningServer } from '@whetstone/server';
import { jobRow } from '../../../../test-support/job-row.ts';
import { consoleSuite, expectAccessible, screenshot, untranslatedLabels } from './console-page.ts';

// Two finished jobs whose curves are real recorded training runs (packages/eval's diagnosis
// fixtures: one over-fits, one is healthy), written through the real store as the scheduler
// writes a worker's events and metric points; the built console, served by the real server, in
// Debian's Chromium. Training two jobs on the tiny model would take minutes under load and give
// curves whose diagnosis varies; these give a known verdict with evidence at known steps.
const recorded = (name: string) =>
  (JSON.parse(readFileSync(new URL(`../../../eval/src/diagnosis/fixtures/recorded-${name}.json`, import.meta.url), 'utf8')) as { series: MetricPoint[] }).series;

function insertRecordedJob(server: RunningServer, id: string, name: string, curve: string, patch: Partial<Job>) {
  const { store } = server.ctx;
  const points = recorded(curve);
  const steps = [...new Set(points.map((p) => p.step))].sort((a, b) => a - b);
  const last = steps[steps.length - 1]!;
  store.insertJob(jobRow(server.ctx.config.home, id, { name, progress: { step: last, total_steps: last, epoch: 1, loss: null, eval_loss: null, learning_rate: null, tokens_per_sec: null, eta_seconds: null }, ...patch }));
  const at = (step: number, n: string) => points.find((p) => p.step === step && p.name === n)?.value;
  store.transaction(() => {
    for (const step of steps) {
      const loss = at(step, 'loss');
      if (loss !== undefined) {
        const tokens = 1000 + (step % 7) * 10;
        store.appendEvent(id, 'progress', { type: 'progress', step, total_steps: last, epoch: step / last, loss, learning_rate: at(step, 'learning_rate') ?? 0, grad_norm: at(step, 'grad_norm') ?? null, tokens_per_sec: tokens });
        store.appendMetrics(id, [{ step, name: 'tokens_per_sec', value: tokens }]);
      }
      const evalLoss = at(step, 'eval_loss');
      if (evalLoss !== undefined) store.appendEvent(id, 'eval', { type: 'eval', step, epoch: step / last, eval_loss: evalLoss });
    }
    store.appendMetrics(id, points);
  });
  return points.filter((p) => p.name === 'loss').length;
}

const figureData = (page: Page, selector: string, key: string) => page.evaluate(([s, k]) => (document.querySelector(s) as HTMLElement | null)?.dataset[k!] ?? null, [selector, key] as const);

describe('job charts and compare runs in Chromium', () => {
  const suite = consoleSuite();
  let overLoss = 0;

  beforeAll(async () => {
    overLoss = insertRecordedJob(suite.server, 'job_over', 'overfit-lr-high', 'overfitting', { hyperparameters: { learning_rate: 0.002, epochs: 3, lora_r: 8, batch_size: 4 } });
    insertRecordedJob(suite.server, 'job_ok', 'healthy-lr-low', 'healthy', { tuning: 'full', hyperparameters: { learning_rate: 0.0005, epochs: 3, lora_r: 8, batch_size: 4 } });
  }, 300_000);

  it('job page: smoothing changes the drawn loss and lasts through a reload; LR and tokens/s charts; evidence marked and linked', async () => {
    const c = await suite.open('/jobs/job_over');
    const { page } = c;
    const loss = 'figure.loss-chart';
    await page.waitForFunction((n) => Number((document.querySelector('figure.loss-chart') as HTMLElement | null)?.dataset.points) === n, overLoss, { timeout: 60_000 });

    // The learning-rate and tokens/s charts, one point per training step like the loss.
    for (const metric of ['learning_rate', 'tokens_per_sec']) {
      await page.waitForFunction(([m, n]) => Number((document.querySelector(`figure.metric-chart[data-metric=${m}]`) as HTMLElement | null)?.dataset.points) === n, [metric, overLoss] as const);
      expect(await page.locator(`figure.metric-chart[data-metric=${metric}] canvas`).count()).toBe(1);
    }

    // Smoothing: 0 draws the raw curve; a higher weight moves the smoothed line and the pixels.
    const slider = page.getByRole('slider', { name: 'Smoothing' });
    const canvas = () => page.evaluate(() => document.querySelector<HTMLCanvasElement>('figure.loss-chart canvas')!.toDataURL());
    await slider.fill('0');
    await page.waitForFunction(() => (document.querySelector('figure.loss-chart') as HTMLElement).dataset.smoothing === '0');
    const rawLast = Number(await figureData(page, loss, 'smoothedLast'));
    const rawPixels = await canvas();
    const lastLoss = recorded('overfitting').filter((p) => p.name === 'loss').at(-1)!.value;
    expect(rawLast).toBeCloseTo(lastLoss, 10);
    await slider.fill('0.9');
    await page.waitForFunction(() => (document.querySelector('figure.loss-chart') as HTMLElement).dataset.smoothing === '0.9');
    const smoothLast = Number(await figureData(page, loss, 'smoothedLast'));
    expect(Math.abs(smoothLast - rawLast)).toBeGreaterThan(1e-3);
    expect(await canvas()).not.toBe(rawPixels);

    // The evidence's steps are marked; focusing an evidence item highlights its marks.
    await page.locator('.diagnosis[data-verdict=overfitting]').waitFor();
    await page.waitForFunction(() => Number((document.querySelector('figure.loss-chart') as HTMLElement).dataset.marks) > 0);
    const item = page.locator('.evidence-item').first();
    const before = await canvas();
    await item.focus();
    await page.waitForFunction(() => (document.querySelector('figure.loss-chart') as HTMLElement).dataset.highlight === '0');
    expect(await item.getAttribute('data-active')).toBe('true');
    expect(await canvas()).not.toBe(before);
    await page.keyboard.press('Tab'); // on to the next item (or past the list): the first is no longer highlighted
    await page.waitForFunction(() => (document.querySelector('figure.loss-chart') as HTMLElement).dataset.highlight !== '0');
    await item.hover();
    await page.waitForFunction(() => (document.querySelector('figure.loss-chart') as HTMLElement).dataset.highlight === '0');
    await screenshot(page, 'job-charts-en');
    await expectAccessible(page);

    // A drag on the loss chart zooms the charts below with it.
    await page.locator('figure.loss-chart .u-over').scrollIntoViewIfNeeded();
    const box = (await page.locator('figure.loss-chart .u-over').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction(() => (document.querySelector('figure.loss-chart') as HTMLElement).dataset.zoomed === 'true');
    await page.waitForFunction(() => (document.querySelector('figure.metric-chart[data-metric=learning_rate]') as HTMLElement).dataset.zoomed === 'true');
    await page.getByRole('button', { name: 'Reset zoom' }).click();
    await page.waitForFunction(() => (document.querySelector('figure.metric-chart[data-metric=learning_rate]') as HTMLElement).dataset.zoomed === 'false');

    // The smoothing setting survives a reload.
    await page.reload();
    await page.waitForFunction(() => (document.querySelector('figure.loss-chart') as HTMLElement | null)?.dataset.smoothing === '0.9', null, { timeout: 30_000 });
    expect(await page.getByRole('slider', { name: 'Smoothing' }).inputValue()).toBe('0.9');

    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('slider', { name: '平滑' }).waitFor();
    await page.locator('.evidence-item').first().waitFor();
    expect(await untranslatedLabels(page)).toEqual([]);
    await screenshot(page, 'job-charts-zh');
    await expectAccessible(page);
    expect(c.errors).toEqual([]);
    await c.close();
  });

  it('job page opened before the first point: the charts wait, then draw the points as they stream in', async () => {
    const { store, bus } = suite.server.ctx;
    store.insertJob(jobRow(suite.home, 'job_live', { name: 'live', status: 'running', progress: { step: 0, total_steps: 10, epoch: 0, loss: null, eval_loss: null, learning_rate: null, tokens_per_sec: null, eta_seconds: null } }));
    const c = await suite.open('/jobs/job_live');
    await c.page.locator('figure.metric-chart[data-metric=tokens_per_sec] canvas').waitFor();
    await c.page.locator('.diagnosis').waitFor();
    for (let step = 1; step <= 3; step++) {
      // As the scheduler does with a worker's progress event: store it, then publish it.
      bus.publish('job_live', store.appendEvent('job_live', 'progress', { type: 'progress', step, total_steps: 10, epoch: step / 10, loss: 3 - step, learning_rate: 1e-4, grad_norm: 1, tokens_per_sec: 900 }));
    }
    await c.page.waitForFunction(() => (document.querySelector('figure.loss-chart') as HTMLElement).dataset.points === '3', null, { timeout: 30_000 });
    // The charts take turns and the learning-rate chart redraws at most 4 times a second while
    // points stream: its last points follow within a quarter second, not in the same frame.
    await c.page.waitForFunction(() => (document.querySelector('figure.metric-chart[data-metric=learning_rate]') as HTMLElement).dataset.points === '3', null, { timeout: 5_000 }).catch(() => undefined);
    expect(await figureData(c.page, 'figure.metric-chart[data-metric=learning_rate]', 'points')).toBe('3');
    store.updateJob({ ...store.getJob('job_live')!, status: 'succeeded' });
    expect(c.errors).toEqual([]);
    await c.close();
  });

  it('a 20,000-step run: drawn from a few rows per pixel with its one-step spike kept; a zoom is drawn again at its own resolution', async () => {
    const { store } = suite.server.ctx;
    const steps = 20_000;
    const spikeAt = 12_345;
    store.insertJob(jobRow(suite.home, 'job_long', { name: 'long', progress: { step: steps, total_steps: steps, epoch: 1, loss: null, eval_loss: null, learning_rate: null, tokens_per_sec: null, eta_seconds: null } }));
    store.transaction(() => {
      for (let step = 1; step <= steps; step++) {
        const loss = step === spikeAt ? 9 : 2 * Math.exp(-step / 5000) + 0.2 * Math.abs(Math.sin(step * 12.9898));
        store.appendEvent('job_long', 'progress', { type: 'progress', step, total_steps: steps, epoch: step / steps, loss, learning_rate: 1e-4, grad_norm: 1, tokens_per_sec: 900 });
      }
    });
    const c = await suite.open('/jobs/job_long');
    const { page } = c;
    const loss = 'figure.loss-chart';
    await page.waitForFunction((n) => (document.querySelector('figure.loss-chart') as HTMLElement | null)?.dataset.points === String(n), steps, { timeout: 60_000 });
    await page.waitForFunction(() => (document.querySelector('figure.loss-chart') as HTMLElement).dataset.drawn !== undefined);
    const width = await page.locator(`${loss} canvas`).evaluate((el) => (el as HTMLCanvasElement).width);
    const drawnAll = Number(await figureData(page, loss, 'drawn'));
    // At most first, last, a gap and each curve's min and max per pixel column; far fewer than the points.
    expect(drawnAll).toBeGreaterThan(width / 2);
    expect(drawnAll).toBeLessThan(Math.min(steps, width * 9));
    // The single spike still sets the top of the chart.
    expect(Number(await figureData(page, loss, 'yMax'))).toBeGreaterThanOrEqual(9);

    // Zoom into a few hundred steps: every step in view is drawn, plus an outline of the rest.
    await page.locator(`${loss} .u-over`).scrollIntoViewIfNeeded();
    const over = (await page.locator(`${loss} .u-over`).boundingBox())!;
    await page.mouse.move(over.x + over.width * 0.5, over.y + over.height / 2);
    await page.mouse.down();
    await page.mouse.move(over.x + over.width * 0.5 + 8, over.y + over.height / 2, { steps: 4 });
    await page.mouse.up();
    await page.waitForFunction(() => (document.querySelector('figure.loss-chart') as HTMLElement).dataset.zoomed === 'true');
    await page.waitForFunction((n) => Number((document.querySelector('figure.loss-chart') as HTMLElement).dataset.drawn) !== n, drawnAll);
    const drawnZoom = Number(await figureData(page, loss, 'drawn'));
    const inView = Math.round((8 / over.width) * steps);
    expect(drawnZoom).toBeGreaterThanOrEqual(inView * 0.8);
    expect(drawnZoom).toBeLessThan(inView * 1.2 + 2 * 32 * 9);
    await page.getByRole('button', { name: 'Reset zoom' }).click();
    await page.waitForFunction((n) => Number((document.querySelector('figure.loss-chart') as HTMLElement).dataset.drawn) === n, drawnAll);
    expect(c.errors).toEqual([]);
    await c.close();
  });

  it('compare: empty state, both jobs overlaid, the differing settings first and highlighted; reload keeps the choice', async () => {
    const c = await suite.open();
    const { page } = c;
    await page.getByRole('link', { name: 'Compare runs' }).click();
    await page.getByRole('heading', { level: 1, name: 'Compare runs' }).waitFor();
    await page.getByText('Pick two or more jobs').waitFor();
    await expectAccessible(page);

    await page.getByRole('checkbox', { name: 'overfit-lr-high' }).check();
    await page.getByRole('checkbox', { name: 'healthy-lr-low' }).check();
    expect(new URL(page.url()).search).toBe('?jobs=job_over,job_ok');
    const chart = page.locator('figure.runs-chart');
    await page.waitForFunction(() => (document.querySelector('figure.runs-chart') as HTMLElement | null)?.dataset.runs === '2', null, { timeout: 30_000 });
    const want = [recorded('overfitting'), recorded('healthy')].map((s) => s.filter((p) => p.name === 'loss').length).join(',');
    expect(await chart.getAttribute('data-points')).toBe(want);
    // The legend names both jobs, training (solid) and eval (dashed) loss each.
    for (const name of ['overfit-lr-high', 'healthy-lr-low']) {
      await chart.locator('.u-legend', { hasText: `${name}: training loss` }).waitFor();
      await chart.locator('.u-legend', { hasText: `${name}: eval loss` }).waitFor();
    }

    const table = page.locator('table.hyperparameters');
    const keys = await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [(r as HTMLElement).dataset.key, (r as HTMLElement).dataset.differs === 'true']));
    expect(keys.slice(0, 2)).toEqual([
      ['tuning', true],
      ['learning_rate', true],
    ]);
    expect(keys.slice(2).every(([, d]) => d === false)).toBe(true);
    await expect(table.locator('tr[data-key=learning_rate]').innerText()).resolves.toMatch(/0\.002\s+0\.0005/);
    expect(await table.locator('tr.differs .differs-badge').count()).toBe(2);
    await page.getByRole('checkbox', { name: 'Show only differences' }).check();
    expect(await table.locator('tbody tr').count()).toBe(2);
    await screenshot(page, 'compare-en');
    await expectAccessible(page);

    await page.reload();
    await page.waitForFunction(() => (document.querySelector('figure.runs-chart') as HTMLElement | null)?.dataset.runs === '2', null, { timeout: 30_000 });
    expect(await page.getByRole('checkbox', { name: 'overfit-lr-high' }).isChecked()).toBe(true);

    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { level: 1, name: '对比训练' }).waitFor();
    await page.locator('tr.differs .differs-badge', { hasText: '不同' }).first().waitFor();
    expect(await untranslatedLabels(page)).toEqual([]);
    await screenshot(page, 'compare-zh');
    await expectAccessible(page);
    expect(c.errors).toEqual([]);
    await c.close();
  });
});
