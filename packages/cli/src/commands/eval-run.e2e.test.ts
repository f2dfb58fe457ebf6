import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@whetstone/server';
import { tempHome, testServer } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { toyChatRows, writeJsonl } from '../../../../test-support/toy-data.ts';
import { parseModelItem } from './eval.ts';
import { runWhet } from '../../../../test-support/run-whet.ts';


describe('--models items', () => {
  it('name registered models, jobs and checkpoints, connections, few-shot and labels', () => {
    expect(parseModelItem('tiny')).toEqual({ kind: 'model', model_id: 'tiny', few_shot: 0 });
    expect(parseModelItem('tiny:3shot=prompting')).toEqual({ kind: 'model', model_id: 'tiny', few_shot: 3, label: 'prompting' });
    expect(parseModelItem('job_abc12@40')).toEqual({ kind: 'job', job_id: 'job_abc12', checkpoint_step: 40, few_shot: 0 });
    expect(parseModelItem('conn:openai#gpt-4o-mini=api')).toEqual({
      kind: 'endpoint', connection: 'openai', model: 'gpt-4o-mini', timeout_s: 60, concurrency: 4, few_shot: 0, label: 'api',
    });
    expect(parseModelItem('conn:local-vllm', { concurrency: 8 })).toEqual({ kind: 'endpoint', connection: 'local-vllm', timeout_s: 60, concurrency: 8, few_shot: 0 });
    // A URL is refused: only connections an admin configured carry keys to outside hosts.
    expect(() => parseModelItem('https://api.example.com/v1#gpt-4o-mini')).toThrow(/named by connection/);
  });
});

// `whet eval run --follow` and `whet eval show` as a user runs them, against a real server and worker.
describe('whet eval run / show', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  const whet = (...args: string[]) => runWhet(server.url, args, { timeoutMs: 180_000 });
  beforeAll(async () => {
    server = await testServer(home);
  });
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  it('evaluates the base model with and without few-shot examples and shows the comparison and the worst samples', async () => {
    expect((await whet('models', 'add', ensureTinyModel(), '--name', 'tiny')).code).toBe(0);
    const up = await whet('data', 'upload', writeJsonl(join(home, 'test.jsonl'), toyChatRows(6)), '--json');
    const dataset = JSON.parse(up.stdout).id as string;

    const r = await whet('eval', 'run', '--models', 'tiny,tiny:2shot=prompting,gone', '--data', dataset, '--few-shot-data', dataset, '--max-tokens', '4', '--limit', '4', '--follow');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const id = /created (eval_\w+): 3 models x 4 rows/.exec(r.stdout)![1];
    expect(r.stdout).toMatch(/status {3}succeeded/);
    expect(r.stdout).toMatch(/MODEL {6}STATUS\s+BLEU-4\s+ROUGE-1/);
    expect(r.stdout).toMatch(/\nprompting\s+succeeded\s+[\d.]+ \([+-][\d.]+\)/); // deltas against the baseline column
    expect(r.stdout).toMatch(/gone: MODEL_NOT_FOUND: no model with id or name "gone"/);
    // --follow read the event stream: a bar line per change, a line as each column ends.
    const bars = r.stdout.split('\n').filter((l) => /^\[[#.]{28}\] \d+\/12 answers/.test(l));
    expect(bars.length).toBeGreaterThan(1);
    expect(bars.at(-1)).toBe(`[${'#'.repeat(28)}] 12/12 answers`);
    expect(r.stdout).toMatch(/\ntiny: done\n[^]*\nprompting: done\n[^]*\ngone: failed \(MODEL_NOT_FOUND\)\n/);

    const show = await whet('eval', 'show', id, '--samples', '2', '--label', 'prompting');
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/4 samples, worst first:\n#\d+ {2}What colour is/);
    expect(show.stdout).toMatch(/ {2}reference: \w+ is \w+\.\n {2}tiny: ".*" {2}bleu-4 [\d.]+ em 0/);
    expect(show.stdout).toMatch(/ {2}gone: \[MODEL_NOT_FOUND\]/);
    const j = JSON.parse((await whet('eval', 'show', id, '--json')).stdout);
    expect(j).toMatchObject({ id, status: 'succeeded', dataset: { rows: 4 } });
  });
});
