import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@whetstone/server';
import { tempHome, testServer } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { runWhet } from '../../../../test-support/run-whet.ts';
import { tinyPdf } from '../../../../test-support/tiny-pdf.ts';


// `whet data qa DOC --model M`: pairs drafted by a model registered on the server (the real
// worker on the tiny fixture model, through the server's gateway), no endpoint URL needed.
describe('whet data qa --model', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  const whet = (...args: string[]) => runWhet(server.url, args, { timeoutMs: 90_000 });
  const doc = () => {
    const path = join(home, 'guide.md');
    writeFileSync(path, '# Guide\nWhetstone fine-tunes models on your own data.\n## Data\nDatasets are validated line by line.\n');
    return path;
  };

  beforeAll(async () => {
    server = await testServer(home, { maxConcurrentJobs: 0 });
    expect((await whet('models', 'add', ensureTinyModel(), '--name', 'tiny')).code).toBe(0);
  });
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  it('drafts with a registered model through the server and reports the chunks that gave no pair', async () => {
    const out = join(home, 'guide.qa.jsonl');
    const r = await whet('data', 'qa', doc(), '--model', 'tiny', '--max-chunks', '2', '--pairs-per-chunk', '1', '--max-tokens', '12', '--temperature', '0', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const m = /^(\d+) pairs from 2 chunks written to (.*?)(?:; (\d+) chunks gave none)?$/m.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    expect(m![2]).toBe(out);
    const lines = readFileSync(out, 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(Number(m![1]));
    // the tiny model's random replies: every chunk is either pairs or one reported failure
    expect(Number(m![1]) > 0 || Number(m![3]) === 2).toBe(true);
    for (const l of lines) expect(JSON.parse(l).messages.map((x: { role: string }) => x.role)).toEqual(['user', 'assistant']);
  });

  it('drafts from a PDF, and passes on the server\'s refusal of a scanned one with its hint', async () => {
    const pdf = join(home, 'guide.pdf');
    writeFileSync(pdf, tinyPdf([{ lines: ['Whetstone fine-tunes models on your own data.'] }, { lines: ['Datasets are validated line by line.'] }]));
    const r = await whet('data', 'qa', pdf, '--model', 'tiny', '--max-chunks', '1', '--pairs-per-chunk', '1', '--max-tokens', '8', '--temperature', '0');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\d+ pairs from 1 chunks written to .*guide\.pdf\.qa\.jsonl/m);
    const scan = join(home, 'scan.pdf');
    writeFileSync(scan, tinyPdf([{ image: true }]));
    const refused = await whet('data', 'qa', scan, '--model', 'tiny');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/DATASET_EMPTY: "scan\.pdf" has 1 page but no text layer/);
    expect(refused.stderr).toMatch(/ocrmypdf/);
  });

  it('refuses a missing or mixed model choice, and names an unknown model', async () => {
    const none = await whet('data', 'qa', doc());
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/INVALID_REQUEST: no model to draft the pairs with/);
    const mixed = await whet('data', 'qa', doc(), '--model', 'tiny', '--endpoint-model', 'm');
    expect(mixed.stderr).toMatch(/INVALID_REQUEST: --endpoint-model goes with --connection/);
    const ghost = await whet('data', 'qa', doc(), '--model', 'ghost');
    expect(ghost.code).not.toBe(0);
    expect(ghost.stderr).toMatch(/MODEL_NOT_FOUND: the model "ghost" does not exist/);
  });
});
