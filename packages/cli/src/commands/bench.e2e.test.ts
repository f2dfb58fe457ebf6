import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@whetstone/server';
import { tempHome, testServer } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { runWhet } from '../../../../test-support/run-whet.ts';

// `whet bench run --follow`, `show`, `questions` and `list` as a user runs them, against a real server and worker.
describe('whet bench', () => {
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

  it('uploads a C-Eval file, ranks a model on it, and shows the picks', async () => {
    expect((await whet('models', 'add', ensureTinyModel(), '--name', 'tiny')).code).toBe(0);
    const file = join(home, 'accountant_val.csv');
    writeFileSync(file, 'id,question,A,B,C,D,answer,explanation\n0,一加一等于几？,1,2,3,4,B,\n1,中国的首都是？,上海,北京,广州,深圳,B,\n2,水的化学式？,H2O,CO2,O2,N2,A,\n');
    const up = await whet('data', 'upload', file, '--json');
    expect(up.code, up.stderr).toBe(0);
    const dataset = JSON.parse(up.stdout);
    expect(dataset).toMatchObject({ format: 'ceval', purpose: 'multiple_choice' });

    const r = await whet('bench', 'run', '--models', 'tiny', '--data', dataset.id, '--shots', '1', '--follow');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const id = /created (bench_\w+): 1 models x 3 questions/.exec(r.stdout)![1]!;
    expect(r.stdout).toMatch(/status {3}succeeded/);
    expect(r.stdout).toMatch(/ceval, 3 questions, 1 subjects\), 1-shot, loglikelihood, ceval prompt/);
    expect(r.stdout).toMatch(/\n1\s+tiny\s+succeeded\s+\d+\.\d%/);

    const q = await whet('bench', 'questions', id);
    expect(q.stdout).toMatch(/3 questions/);
    expect(q.stdout).toMatch(/0\s+accountant\s+一加一等于几？\s+B\s+[A-D]/);
    expect((await whet('bench', 'list')).stdout).toContain(id);

    const bad = await whet('bench', 'run', '--models', 'tiny', '--data', dataset.id, '--shots', '3');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/subject "accountant" has 3 rows in the dataset .*3-shot needs 4/);
  }, 180_000);
});
