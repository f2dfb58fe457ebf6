import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerTinyTuned } from '../../../../test-support/tiny-adapter.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { writeJsonl } from '../../../../test-support/toy-data.ts';
import { consoleSuite, expectAccessible, screenshot, untranslatedLabels } from './console-page.ts';

// Two subjects of three questions: 1-shot takes each subject's first other question as its example.
const QUESTIONS = [
  { question: 'Which force keeps a planet in orbit?', choices: ['light', 'gravity', 'wind', 'heat'], answer: 'B', subject: 'astronomy' },
  { question: 'What is a comet made of?', choices: ['ice and dust', 'iron', 'gas only', 'glass'], answer: 'A', subject: 'astronomy' },
  { question: 'What orbits the Earth?', choices: ['Mars', 'the Moon', 'the Sun', 'Venus'], answer: 'B', subject: 'astronomy' },
  { question: 'Who prays in a temple?', choices: ['stars', 'monks', 'waves', 'comets'], answer: 'B', subject: 'world_religions' },
  { question: 'Which is a sacred text?', choices: ['a map', 'a law', 'a scripture', 'a bill'], answer: 'C', subject: 'world_religions' },
  { question: 'Where do monks live?', choices: ['a ship', 'a mine', 'a cave', 'a monastery'], answer: 'D', subject: 'world_religions' },
];

interface Model {
  label: string;
  acc: number;
  subjects: { subject: string; acc: number }[];
}

// The built console, served by the real server, in Debian's Chromium; the real worker scores the
// questions with the tiny model and a LoRA adapter on it (a fine-tuned model).
describe('benchmarks page in Chromium', () => {
  const suite = consoleSuite();

  beforeAll(async () => {
    const m = await suite.api.post('/models', { path: ensureTinyModel(), name: 'tiny' });
    expect(m.status).toBe(201);
    registerTinyTuned(suite.server.ctx.store, m.body);
    expect((await suite.api.upload(writeJsonl(join(suite.home, 'mc.jsonl'), QUESTIONS))).status).toBe(201);
  });

  it('creates a benchmark of a base and a fine-tuned model that completes live: ranking, chart, per subject and per question, in English and Chinese', async () => {
    const c = await suite.open('/benchmarks');
    const page = c.page;
    await page.getByRole('heading', { level: 1, name: 'Benchmarks' }).waitFor();
    await expect(page.getByRole('link', { name: 'Benchmarks' }).getAttribute('aria-current')).resolves.toBe('page');
    await page.getByText('No benchmarks yet').waitFor();

    // Nothing chosen: both problems show.
    const form = page.locator('form.bench-form');
    await form.getByRole('button', { name: 'Start benchmark' }).click();
    await form.getByText('Choose a dataset of questions.').waitFor();
    await form.getByText('Choose at least one model.').waitFor();

    await form.getByLabel('Dataset', { exact: true }).selectOption({ label: 'mc.jsonl (6 questions)' });
    await form.getByLabel('Shots (0–5)').fill('1');
    await form.getByRole('group', { name: 'Base models' }).getByLabel('tiny').check();
    await form.getByRole('group', { name: 'Fine-tuned models' }).getByLabel('tiny-tuned').check();
    await screenshot(page, 'benchmarks-form-en');
    await expectAccessible(page);
    await form.getByRole('button', { name: 'Start benchmark' }).click();

    // The detail page follows the event stream until the benchmark succeeds.
    await page.waitForURL(/\/benchmarks\/[^/]+$/);
    const id = page.url().split('/').pop()!;
    await page.locator('.page-head .badge', { hasText: /Queued|Running|Succeeded/ }).waitFor();
    await page.locator('.page-head .badge', { hasText: 'Succeeded' }).waitFor({ timeout: 60_000 });
    const b = (await suite.api.get(`/benchmarks/${id}`)).body as { num_fewshot: number; models: Model[]; ranking: { rank: number; label: string; acc: number }[] };
    expect(b.num_fewshot).toBe(1);
    expect(b.models.map((m) => m.label)).toEqual(['tiny', 'tiny-tuned']);
    await expect(page.locator('#bench-progress [role=progressbar]').first().getAttribute('aria-valuenow')).resolves.toBe('6');

    // The ranking as the API gives it, the chart with one bar per model at its accuracy.
    const ranking = page.locator('table.ranking-table tbody tr');
    await expect(ranking.count()).resolves.toBe(2);
    for (const [i, r] of b.ranking.entries()) {
      await expect(ranking.nth(i).locator('td').nth(1).innerText()).resolves.toBe(r.label);
      await expect(ranking.nth(i).locator('td[data-acc]').getAttribute('data-acc')).resolves.toBe(String(r.acc));
    }
    const bars = page.locator('figure.accuracy-chart rect.bar');
    await expect(bars.count()).resolves.toBe(2);
    await expect(bars.first().getAttribute('data-acc')).resolves.toBe(String(b.ranking[0]!.acc));
    await expect(page.locator('figure.accuracy-chart svg').getAttribute('aria-label')).resolves.toContain(`${b.ranking[0]!.label}: ${(b.ranking[0]!.acc * 100).toFixed(1).replace(/\.0$/, '')}%`);

    // Per subject: one row per subject, each model's accuracy there.
    const subjects = page.locator('table.subject-table tbody tr');
    await expect(subjects.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-subject')))).resolves.toEqual(['astronomy', 'world_religions']);
    for (const [i, m] of b.models.entries()) {
      const want = m.subjects.map((s) => String(s.acc));
      await expect(subjects.evaluateAll((rows, col) => rows.map((r) => r.querySelectorAll('td[data-acc]')[col]!.getAttribute('data-acc')), i)).resolves.toEqual(want);
    }
    await screenshot(page, 'benchmark-done-en');
    await expectAccessible(page);

    // Per question: all six with both picks; then only tiny's wrong answers; then one subject.
    const rows = page.locator('table.question-table tbody tr');
    await page.waitForFunction(() => document.querySelectorAll('table.question-table tbody tr').length === 6);
    await expect(rows.first().locator('td[data-correct]').count()).resolves.toBe(2);
    const wrong = (await suite.api.get(`/benchmarks/${id}/questions?wrong=tiny`)).body.total as number;
    expect(wrong).toBe(Math.round(6 - b.models[0]!.acc * 6));
    await page.getByLabel('Show').selectOption({ label: 'Wrong answers of tiny' });
    if (wrong > 0) {
      await page.waitForFunction((n) => document.querySelectorAll('table.question-table tbody tr').length === n, wrong);
      await expect(rows.evaluateAll((rs) => rs.every((r) => r.querySelectorAll('td[data-correct]')[0]!.getAttribute('data-correct') === 'false'))).resolves.toBe(true);
    } else {
      await page.getByText('No question matches.').waitFor();
    }
    await page.getByLabel('Show').selectOption({ label: 'All questions' });
    await page.getByLabel('Subject', { exact: true }).selectOption({ label: 'world_religions' });
    await page.waitForFunction(() => [...document.querySelectorAll('table.question-table tbody tr')].map((r) => r.getAttribute('data-question')).join() === '3,4,5');

    // In Chinese: every label translated.
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { level: 2, name: '各科目准确率' }).waitFor();
    await page.getByRole('heading', { level: 2, name: '排名' }).waitFor();
    await page.locator('table.ranking-table th', { hasText: '准确率' }).first().waitFor();
    expect(await untranslatedLabels(page)).toEqual([]);
    await screenshot(page, 'benchmark-done-zh');
    await expectAccessible(page);

    // The list shows the run; in Chinese too.
    await page.getByRole('link', { name: '全部基准测试' }).click();
    await page.locator(`tr[data-benchmark-id="${id}"] .badge`, { hasText: '已完成' }).waitFor();
    const leaders = b.ranking.filter((r) => r.rank === 1).map((r) => r.label).join(', ');
    await expect(page.locator(`tr[data-benchmark-id="${id}"] td`).nth(4).innerText()).resolves.toBe(`${leaders} (${(b.ranking[0]!.acc * 100).toFixed(1).replace(/\.0$/, '')}%)`);
    expect(await untranslatedLabels(page)).toEqual([]);
    await screenshot(page, 'benchmarks-zh');
    await expectAccessible(page);
    expect(c.errors).toEqual([]);
    await c.close();
  });
});
