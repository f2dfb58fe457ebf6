// The platform's overhead: the same 200-step job run through the API and by hand
// (`python -m whet_worker train spec.json`) in one run, in the order API, hand, hand, API so
// that a machine getting busier or quieter during the run weighs on both sides alike. Prints
// the ratio of the totals (goal <= 1.10) and the time from POST /jobs to the first progress event.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkerSpecSchema } from '@whetstone/core';
import { apiAt } from '../../test-support/api-client.ts';
import { REPO_ROOT, VENV_PYTHON } from '../../test-support/paths.ts';
import { tempHome, testServer } from '../../test-support/server.ts';
import { ensureTinyModel } from '../../test-support/tiny-model.ts';
import { toyChatRows, writeJsonl } from '../../test-support/toy-data.ts';

const STEPS = 200;
const hyper = { max_steps: STEPS, learning_rate: 5e-3, batch_size: 4, gradient_accumulation_steps: 1, save_steps: 100, eval_steps: 100, seed: 1 };

const { home, cleanup } = tempHome('whet-bench-');
const server = await testServer(home);
try {
  const api = apiAt(server.url);
  const model = (await api.post('/models', { path: ensureTinyModel(), name: 'tiny' })).body;
  const data = (await api.upload(writeJsonl(join(home, 'toy.jsonl'), toyChatRows(64)))).body;

  /** POST → first progress event → succeeded; returns the job's spec for the by-hand run. */
  const throughApi = async () => {
    const t0 = performance.now();
    const job = (await api.post('/jobs', { model: model.id, dataset: data.id, hyperparameters: hyper })).body;
    let firstProgressMs = 0;
    await api.events(job.id, (e) => {
      if (e.type === 'progress' && !firstProgressMs) firstProgressMs = performance.now() - t0;
    });
    const ms = performance.now() - t0;
    const done = (await api.get(`/jobs/${job.id}`)).body;
    if (done.status !== 'succeeded') throw new Error(`API job ${done.status}: ${JSON.stringify(done.error)}`);
    return { ms, firstProgressMs, specPath: join(home, 'jobs', job.id, 'spec.json') };
  };

  /** The same resolved spec with a fresh output folder, run as a user would by hand. */
  const byHand = async (fromSpec: string, name: string) => {
    const dir = join(home, name);
    mkdirSync(dir, { recursive: true });
    const spec = WorkerSpecSchema.parse({ ...JSON.parse(readFileSync(fromSpec, 'utf8')), output_dir: join(dir, 'output'), resume_from_checkpoint: null });
    const specPath = join(dir, 'spec.json');
    writeFileSync(specPath, JSON.stringify(spec));
    const t0 = performance.now();
    await new Promise<void>((resolve, reject) => {
      const p = spawn(VENV_PYTHON, ['-m', 'whet_worker', 'train', specPath], {
        cwd: join(REPO_ROOT, 'worker'),
        env: { ...process.env, PYTHONPATH: join(REPO_ROOT, 'worker'), HF_HUB_OFFLINE: '1', TOKENIZERS_PARALLELISM: 'false' },
        stdio: ['ignore', 'ignore', 'ignore'],
      });
      p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited ${code}`))));
    });
    return performance.now() - t0;
  };

  const a1 = await throughApi();
  const h1 = await byHand(a1.specPath, 'by-hand-1');
  const h2 = await byHand(a1.specPath, 'by-hand-2');
  const a2 = await throughApi();
  const apiMs = a1.ms + a2.ms;
  const handMs = h1 + h2;

  const result = {
    benchmark: 'platform-overhead',
    steps: STEPS,
    runs_each: 2,
    api_seconds: [+(a1.ms / 1000).toFixed(2), +(a2.ms / 1000).toFixed(2)],
    by_hand_seconds: [+(h1 / 1000).toFixed(2), +(h2 / 1000).toFixed(2)],
    ratio: +(apiMs / handMs).toFixed(3),
    goal_ratio: 1.1,
    post_to_first_progress_seconds: [+(a1.firstProgressMs / 1000).toFixed(2), +(a2.firstProgressMs / 1000).toFixed(2)],
  };
  console.log(
    `API ${result.api_seconds.join('s, ')}s vs by hand ${result.by_hand_seconds.join('s, ')}s: ratio ${result.ratio} (goal <= 1.10); ` +
      `POST → first progress ${result.post_to_first_progress_seconds.join('s, ')}s`,
  );
  console.log(JSON.stringify(result));
} finally {
  await server.close();
  cleanup();
}
