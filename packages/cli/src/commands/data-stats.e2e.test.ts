import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@whetstone/server';
import { tempHome, testServer } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { toyChatRows, writeJsonl } from '../../../../test-support/toy-data.ts';
import { runWhet } from '../../../../test-support/run-whet.ts';


// `whet data stats` and `whet tokens` against a real server on 127.0.0.1 with the tiny model.
describe('whet data stats and whet tokens', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  let datasetId = '';
  const whet = (...args: string[]) => runWhet(server.url, args, { timeoutMs: 60_000 });

  beforeAll(async () => {
    server = await testServer(home, { maxConcurrentJobs: 0 }); // jobs stay queued: nothing here trains
    expect((await whet('models', 'add', ensureTinyModel(), '--name', 'tiny')).code).toBe(0);
    const up = await whet('data', 'upload', writeJsonl(join(home, 'toy.jsonl'), toyChatRows(12)), '--json');
    datasetId = JSON.parse(up.stdout).id;
  });
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  it('prints token percentiles, a histogram and advice', async () => {
    const r = await whet('data', 'stats', datasetId, '--model', 'tiny', '--max-seq-len', '16');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/tokens \(tiny\): \d+ total; per sample p50 \d+, p95 \d+, p99 \d+, max \d+/);
    expect(r.stdout).toMatch(/0-127 +#+ +12/);
    expect(r.stdout).toMatch(/Only 12 samples/);
    expect(r.stdout).toMatch(/12 of 12 samples \(100%\) are longer than max_seq_len 16/);
    const j = JSON.parse((await whet('data', 'stats', datasetId, '--model', 'tiny', '--json')).stdout);
    expect(j.stats.tokens.total).toBeGreaterThan(0);
  });

  it('prints the label set of a labelling dataset and its skew advice', async () => {
    const rows = ['positive', 'negative', 'neutral'].flatMap((label, k) => Array.from({ length: [40, 18, 2][k]! }, (_, i) => ({ instruction: `Review ${k}-${i}`, output: label })));
    const up = JSON.parse((await whet('data', 'upload', writeJsonl(join(home, 'sentiment.jsonl'), rows), '--json')).stdout);
    const r = await whet('data', 'stats', up.id);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/labels: 3, covering 100\.0% of rows/);
    expect(r.stdout).toMatch(/^ +positive +#{30} +40 \(66\.7%\)$/m);
    expect(r.stdout).toMatch(/^ +neutral +#+ +2 \(3\.3%\)$/m);
    expect(r.stdout).toMatch(/! Label 'neutral' has 3\.3% of rows/);
  });

  it('counts the tokens of a text, and names an unknown model with a hint', async () => {
    const r = await whet('tokens', '--model', 'tiny', '--json', 'The sky is blue.');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.count).toBeGreaterThan(0);
    expect(j.characters).toBe(16);
    const human = await whet('tokens', '--model', 'tiny', '--show', 'The sky is blue.');
    expect(human.stdout).toMatch(new RegExp(`^${j.count} tokens \\(16 characters\\) with tiny`));
    const bad = await whet('tokens', '--model', 'ghost', 'hi');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/MODEL_NOT_FOUND/);
    expect(bad.stderr).toMatch(/hint:/);
  });

  it('shows the effective mix of a job', async () => {
    const up = await whet('data', 'upload', writeJsonl(join(home, 'more.jsonl'), toyChatRows(20).map((r, i) => ({ messages: [r.messages[0], { ...r.messages[1], content: `${i}` }] }))), '--json');
    const other = JSON.parse(up.stdout).id;
    const res = await fetch(`${server.url}/api/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tiny', datasets: [{ id: datasetId }, { id: other, samples: 5 }], hyperparameters: { max_steps: 1, seed: 11 } }),
    });
    expect(res.status).toBe(201);
    const job = (await res.json()) as { id: string };
    const show = await whet('jobs', 'show', job.id);
    expect(show.stdout).toMatch(/data +seed 11: 17 rows drawn; train 17, validation 0 \(none\), test 0/);
    expect(show.stdout).toMatch(new RegExp(`${other} +samples 5 +5 of 20 rows`));
  });

  it('drafts QA pairs from a document with an outside endpoint by connection, for review and upload', async () => {
    const llm = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const content = JSON.stringify({ pairs: [{ question: 'What is Whetstone?', answer: 'A fine-tuning platform.' }] });
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] }));
      });
    });
    await new Promise<void>((r) => llm.listen(0, '127.0.0.1', r));
    try {
      const doc = join(home, 'about.md');
      writeFileSync(doc, '# About\nWhetstone fine-tunes models.\n# Use\nUpload data, train.\n');
      const base = `http://127.0.0.1:${(llm.address() as AddressInfo).port}/v1`;
      // An admin adds the endpoint once, its key on stdin; then anyone drafts with it by name.
      const add = await runWhet(server.url, ['connections', 'add', 'drafter', '--base-url', base, '--api-key-stdin'], { input: 'sk-drafter-key' });
      expect(add.code, add.stderr).toBe(0);
      expect(add.stdout).toMatch(/added connection drafter .* key: stored/);
      expect((await whet('connections', 'list')).stdout).toMatch(/drafter +http:\/\/127\.0\.0\.1:\d+\/v1 +stored/);
      const r = await whet('data', 'qa', doc, '--connection', 'drafter', '--endpoint-model', 'm', '--system', 'Be brief.');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/2 pairs from 2 chunks written to .*about\.md\.qa\.jsonl/);
      const rows = readFileSync(`${doc}.qa.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(rows[0].messages.map((m: any) => m.role)).toEqual(['system', 'user', 'assistant']);
      const up = JSON.parse((await whet('data', 'upload', `${doc}.qa.jsonl`, '--json')).stdout);
      expect(up).toMatchObject({ status: 'ready', rows: 2 });
    } finally {
      await new Promise<void>((r) => llm.close(() => r()));
    }
  });
});
