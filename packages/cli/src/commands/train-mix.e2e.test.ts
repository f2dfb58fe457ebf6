import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@whetstone/server';
import { apiAt } from '../../../../test-support/api-client.ts';
import { tempHome, testServer } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { toyChatRows, writeJsonl } from '../../../../test-support/toy-data.ts';
import { runWhet } from '../../../../test-support/run-whet.ts';

const chat = (q: string, a: string) => ({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: a }] });

// `whet train --data` repeated with weights and sample counts, against a real server on
// 127.0.0.1 with the tiny model. Nothing here needs training: the server queues jobs but never
// starts a worker, and the mix is prepared and stored when the job is created.
describe('whet train mixes datasets', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  let api: ReturnType<typeof apiAt>;
  let tickets = '';
  let general = '';
  const whet = (...args: string[]) => runWhet(server.url, args, { timeoutMs: 60_000 });
  const train = (...args: string[]) => whet('train', '--model', 'tiny', ...args);
  const jobCount = async () => (await api.get('/jobs')).body.data.length as number;

  beforeAll(async () => {
    server = await testServer(home, { maxConcurrentJobs: 0 });
    api = apiAt(server.url);
    expect((await whet('models', 'add', ensureTinyModel(), '--name', 'tiny')).code).toBe(0);
    // 24 tickets (4 distinct chats repeated) and 40 distinct general chats
    const t = await whet('data', 'upload', writeJsonl(join(home, 'tickets.jsonl'), toyChatRows(24)), '--name', 'support-tickets', '--json');
    const g = await whet('data', 'upload', writeJsonl(join(home, 'general.jsonl'), Array.from({ length: 40 }, (_, i) => chat(`general question ${i}`, `general answer ${i}`))), '--name', 'general', '--json');
    expect([t.code, g.code], t.stderr + g.stderr).toEqual([0, 0]);
    tickets = JSON.parse(t.stdout).id;
    general = JSON.parse(g.stdout).id;
  });
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  it('mixes two datasets 1 : 0.5 by name and id, stores the mix, and shows it', async () => {
    const r = await train('--data', 'support-tickets', '--data', `${general}:w=0.5`, '--json');
    expect(r.code, r.stderr).toBe(0);
    const job = JSON.parse(r.stdout);
    expect(job.request.dataset).toBeUndefined();
    expect(job.request.datasets).toEqual([{ id: tickets }, { id: general, weight: 0.5 }]);

    // read back: the body as sent and the effective mix
    const shown = JSON.parse((await whet('jobs', 'show', job.id, '--json')).stdout);
    expect(shown.request.datasets).toEqual([{ id: tickets }, { id: general, weight: 0.5 }]);
    const mix = shown.data_mix;
    // all 24 tickets at weight 1; general at 0.5 gets 24 * 0.5 = 12
    expect(mix.sources.map((s: any) => [s.dataset_id, s.name, s.weight, s.samples, s.available, s.taken, s.repeated])).toEqual([
      [tickets, 'support-tickets', 1, null, 24, 24, false],
      [general, 'general', 0.5, null, 40, 12, false],
    ]);
    expect(mix.sources[0].share).toBeCloseTo(1 / 1.5, 2);
    expect(mix.sources[1].share).toBeCloseTo(0.5 / 1.5, 2);
    expect(mix.rows).toBe(36);
    expect(mix.train + mix.validation + mix.test).toBe(36);

    const human = await whet('jobs', 'show', job.id);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/datasets: a mix of 2 \(below\) +sft \/ lora/);
    expect(human.stdout).toMatch(new RegExp(`data +seed \\d+: 36 rows drawn; train ${mix.train}, validation ${mix.validation} \\((split|none)\\), test 0`));
    expect(human.stdout).toMatch(new RegExp(`${tickets} +weight 1 +24 of 24 rows \\(66\\.7%\\) +support-tickets`));
    expect(human.stdout).toMatch(new RegExp(`${general} +weight 0\\.5 +12 of 40 rows \\(33\\.3%\\) +general`));
  });

  it('draws exact sample counts with n=, and splits and de-duplicates on request', async () => {
    const r = await train('--data', 'support-tickets:n=30', '--data', 'general:n=5', '--validation-split', '0', '--test-split', '0.2', '--json');
    expect(r.code, r.stderr).toBe(0);
    const job = JSON.parse(r.stdout);
    expect(job.request).toMatchObject({ datasets: [{ id: tickets, samples: 30 }, { id: general, samples: 5 }], validation_split: 0, test_split: 0.2 });
    const mix = job.data_mix;
    expect(mix.sources.map((s: any) => [s.samples, s.taken, s.repeated])).toEqual([
      [30, 30, true], // 30 asked of 24 rows: some drawn twice
      [5, 5, false],
    ]);
    // 35 rows: test round(7) = 7, no validation, train 28
    expect([mix.rows, mix.train, mix.validation, mix.test]).toEqual([35, 28, 0, 7]);
    const shown = await whet('jobs', 'show', job.id);
    expect(shown.stdout).toMatch(/data +seed \d+: 35 rows drawn; train 28, validation 0 \(none\), test 7/);
    expect(shown.stdout).toMatch(new RegExp(`${tickets} +samples 30 +30 of 24 rows \\(85\\.7%\\), rows repeated +support-tickets`));
    expect(shown.stdout).toMatch(new RegExp(`${general} +samples 5 +5 of 40 rows \\(14\\.3%\\) +general`));
    expect(shown.stdout).toMatch(/test set +\S+test\.jsonl/);

    // one plain --data (a name) still sends `dataset`, with its id
    const d = await train('--data', 'support-tickets', '--dedup', 'exact');
    expect(d.code, d.stderr).toBe(0);
    const id = /created (job_\w+)/.exec(d.stdout)![1]!;
    expect(d.stdout).toMatch(new RegExp(`dataset ${tickets} +sft / lora`));
    expect(d.stdout).toMatch(/24 rows drawn, 20 exact duplicates removed; train 4, validation 0 \(none\), test 0/);
    const dedup = (await api.get(`/jobs/${id}`)).body;
    expect(dedup.request).toMatchObject({ dataset: tickets, dedup: 'exact' });
    expect(dedup.request.datasets).toBeUndefined();
  });

  it('refuses each bad --data value with its message, creating no job', async () => {
    await api.upload(writeJsonl(join(home, 'twin-a.jsonl'), toyChatRows(4)), { name: 'twin' });
    await api.upload(writeJsonl(join(home, 'twin-b.jsonl'), toyChatRows(4)), { name: 'twin' });
    const before = await jobCount();
    const cases: [string[], RegExp][] = [
      [['--data', 'general:w=0'], /error INVALID_REQUEST: --data "general:w=0": the weight w must be a number > 0, got "0"/],
      [['--data', 'general:w=abc'], /--data "general:w=abc": the weight w must be a number > 0, got "abc"/],
      [['--data', 'general:n=1.5'], /--data "general:n=1\.5": the number of samples n must be a positive integer, got "1\.5"/],
      [['--data', 'general:w=0.2:n=5'], /--data "general:w=0\.2:n=5": give a weight \(w=\) or a number of samples \(n=\), not both/],
      [['--data', ':w=0.2'], /--data ":w=0\.2": no dataset id or name before ":"/],
      [['--data', 'general:x=1'], /--data "general:x=1": unknown option "x"/],
      [['--data', 'general', '--data', 'general:w=2'], /--data "general" is given twice/],
      [['--data', 'general', '--data', `${general}:w=2`], new RegExp(`--data "general" and --data "${general}" are the same dataset \\(${general}\\)`)],
      [['--data', 'twin'], /--data "twin": 2 datasets have this name: ds_\w+ \(ready, 4 rows\), ds_\w+ \(ready, 4 rows\)\nhint: Give the dataset id instead/],
      [['--data', 'general', '--test-split', '0.9', '--dedup', 'fuzzy'], /--test-split must be a fraction from 0 to 0\.5 \(0\.05 = 5%\), got "0\.9"; --dedup must be "exact" or "normalized", got "fuzzy"/],
      [['--data', 'no-such-data:w=1', '--data', 'general'], /error DATASET_NOT_FOUND: no dataset with id "no-such-data"/],
    ];
    for (const [args, message] of cases) {
      const r = await train(...args);
      expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr, args.join(' ')).toMatch(/\nhint: \S/);
    }
    // the value errors name the accepted forms
    expect((await train('--data', 'general:n=0')).stderr).toMatch(/hint: Give --data as ID_OR_NAME, ID_OR_NAME:w=WEIGHT .* or ID_OR_NAME:n=SAMPLES/);
    expect(await jobCount()).toBe(before);
  });
});
