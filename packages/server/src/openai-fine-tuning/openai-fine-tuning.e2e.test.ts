import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VENV_PYTHON } from '../../../../test-support/paths.ts';
import { json, tempHome, testServer } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { toyChatRows } from '../../../../test-support/toy-data.ts';
import type { RunningServer } from '../start-server.ts';

const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
/** A chat whose first answer is context only (weight 0), as OpenAI's format allows. */
const WEIGHTED = {
  messages: [
    { role: 'user', content: 'Say something.' },
    { role: 'assistant', content: 'Something wrong.', weight: 0 },
    { role: 'user', content: 'What colour is the sky?' },
    { role: 'assistant', content: 'The sky is blue.', weight: 1 },
  ],
};
const TRAIN = jsonl([...toyChatRows(23), WEIGHTED]);
const VALID = jsonl(toyChatRows(6));
const DPO = jsonl(
  Array.from({ length: 24 }, (_, i) => ({
    input: { messages: [{ role: 'user', content: `Can you help me with task ${i}?` }] },
    preferred_output: [{ role: 'assistant', content: 'Yes, of course. Glad to help.' }],
    non_preferred_output: [{ role: 'assistant', content: 'No.' }],
  })),
);
// Short runs: a few steps each, checkpoints and evaluations every few.
const QUICK = { max_steps: 6, max_seq_len: 64, save_steps: 3, eval_steps: 3, lora_r: 8 };
const DONE = ['succeeded', 'failed', 'cancelled'];

/**
 * Issue 18: OpenAI's fine-tuning API, driven by the official openai npm package (unmodified)
 * against the real server on 127.0.0.1 with the real worker on the tiny model: files, a supervised
 * job from upload to chat, a cancelled job, a DPO job paused and resumed, and the errors.
 */
describe("OpenAI's fine-tuning API through the official SDK", () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  let client: OpenAI;
  let trainId: string;
  let validId: string;
  let dpoId: string;
  let sft: OpenAI.FineTuning.FineTuningJob;
  let dpo: OpenAI.FineTuning.FineTuningJob;
  const upload = async (text: string, name: string, purpose: OpenAI.FilePurpose = 'fine-tune') => client.files.create({ file: await toFile(Buffer.from(text), name), purpose });
  const caught = <T>(p: Promise<T>) => p.then(() => null, (e: unknown) => e as InstanceType<typeof OpenAI.APIError>);
  const waitFor = async (id: string, statuses: string[], timeoutMs = 240_000) => {
    const t0 = Date.now();
    for (;;) {
      const job = await client.fineTuning.jobs.retrieve(id);
      if (statuses.includes(job.status)) return job;
      if (Date.now() - t0 > timeoutMs) throw new Error(`job ${id} still ${job.status}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  };

  beforeAll(async () => {
    server = await testServer(home);
    client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused-on-loopback', maxRetries: 0 });
    const res = await fetch(`${server.url}/api/v1/models`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: ensureTinyModel(), name: 'tiny' }) });
    expect(res.status, JSON.stringify(await json(res.clone()))).toBe(201);
  });
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  it('files: upload training, validation and DPO files; retrieve, list, read back and delete', async () => {
    const train = await upload(TRAIN, 'train.jsonl');
    expect(train).toMatchObject({ object: 'file', purpose: 'fine-tune', status: 'processed', filename: 'train.jsonl', bytes: Buffer.byteLength(TRAIN) });
    trainId = train.id;
    validId = (await upload(VALID, 'valid.jsonl')).id;
    dpoId = (await upload(DPO, 'dpo.jsonl')).id;
    expect((await client.files.retrieve(trainId)).id).toBe(trainId);
    const listed = [];
    for await (const f of client.files.list({ limit: 2 })) listed.push(f.id); // pages of 2, after the last id
    expect(listed).toEqual([dpoId, validId, trainId]);
    expect(await (await client.files.content(trainId)).text()).toBe(TRAIN);
    const extra = await upload(VALID, 'extra.jsonl');
    expect(await client.files.delete(extra.id)).toMatchObject({ id: extra.id, deleted: true });
    expect(await caught(client.files.retrieve(extra.id))).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("refuses a bad line, a wrong purpose and an unknown file with the SDK's own errors", async () => {
    const badRows = jsonl([toyChatRows(1)[0], { messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello', weight: 2 }] }]);
    const bad = await caught(upload(badRows, 'bad.jsonl'));
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    expect(bad!.message).toMatch(/"bad\.jsonl" has 1 invalid line: line 2 \(messages\[1\]\.weight\): "messages\[1\]\.weight" must be 0 \(do not learn this turn\) or 1/);
    expect(bad!.param).toBe('file');
    expect((await client.files.list()).data.map((f) => f.filename)).not.toContain('bad.jsonl'); // not kept
    const purpose = await caught(upload(VALID, 'v.jsonl', 'assistants'));
    expect(purpose).toBeInstanceOf(OpenAI.BadRequestError);
    expect(purpose).toMatchObject({ param: 'purpose', message: expect.stringMatching(/purpose "assistants" is not supported/) });
    expect(await caught(client.files.retrieve('file-nope'))).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('refuses bad job bodies naming OpenAI\'s field: unknown model or file, limits, a native option that does not apply', async () => {
    const model = await caught(client.fineTuning.jobs.create({ model: 'nope', training_file: trainId }));
    expect(model).toBeInstanceOf(OpenAI.NotFoundError);
    expect(model).toMatchObject({ param: 'model', code: 'model_not_found', message: expect.stringMatching(/the model "nope" does not exist/) });
    const file = await caught(client.fineTuning.jobs.create({ model: 'tiny', training_file: 'file-nope' }));
    expect(file).toBeInstanceOf(OpenAI.BadRequestError);
    expect(file).toMatchObject({ param: 'training_file', message: expect.stringMatching(/training_file "file-nope" is not a file/) });
    const epochs = await caught(client.fineTuning.jobs.create({ model: 'tiny', training_file: trainId, method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 51 } } } }));
    expect(epochs).toMatchObject({ status: 400, param: 'method.supervised.hyperparameters.n_epochs' });
    const suffix = await caught(client.fineTuning.jobs.create({ model: 'tiny', training_file: trainId, suffix: 'x'.repeat(65) }));
    expect(suffix).toMatchObject({ status: 400, param: 'suffix' });
    const metadata = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v']));
    expect(await caught(client.fineTuning.jobs.create({ model: 'tiny', training_file: trainId, metadata }))).toMatchObject({ status: 400, param: 'metadata' });
    const notApplied = await caught(client.fineTuning.jobs.create({ model: 'tiny', training_file: trainId, whetstone: { tuning: 'full', lora_r: 8 } } as never));
    expect(notApplied).toMatchObject({ status: 400, param: 'whetstone.lora_r', message: expect.stringMatching(/^400 whetstone\.lora_r: lora_r /) });
    expect(await caught(client.fineTuning.jobs.retrieve('job_nope'))).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('creates a supervised job, a second one to cancel, and a DPO job paused while queued and resumed', async () => {
    sft = await client.fineTuning.jobs.create({
      model: 'tiny',
      training_file: trainId,
      validation_file: validId,
      suffix: 'colours',
      seed: 7,
      metadata: { team: 'colours', run: '1' },
      method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 2, batch_size: 4, learning_rate_multiplier: 2 } } },
      whetstone: QUICK,
    } as never);
    expect(sft).toMatchObject({ object: 'fine_tuning.job', model: 'tiny', training_file: trainId, validation_file: validId, seed: 7, fine_tuned_model: null, user_provided_suffix: 'colours' });
    expect(sft.hyperparameters).toMatchObject({ n_epochs: 2, batch_size: 4, learning_rate_multiplier: 2 });
    expect(['queued', 'validating_files', 'running']).toContain(sft.status);
    // The native job: the auto learning rate, doubled.
    const native = await json(await fetch(`${server.url}/api/v1/jobs/${sft.id}`));
    expect(native.resolved.learning_rate.reason).toMatch(/x learning_rate_multiplier 2$/);

    const second = await client.fineTuning.jobs.create({ model: 'tiny', training_file: trainId, hyperparameters: { n_epochs: 1 }, metadata: { team: 'other' } });
    expect((await client.fineTuning.jobs.cancel(second.id)).status).toBe('cancelled');

    dpo = await client.fineTuning.jobs.create({
      model: 'tiny',
      training_file: dpoId,
      method: { type: 'dpo', dpo: { hyperparameters: { beta: 0.2, batch_size: 4 } } },
      whetstone: { max_steps: 4, max_seq_len: 64, save_steps: 2 },
    } as never);
    expect(dpo.method).toMatchObject({ type: 'dpo', dpo: { hyperparameters: { beta: 0.2, batch_size: 4 } } });
    // One job runs at a time here, so the DPO job waits in the queue: paused there, then resumed.
    expect((await client.fineTuning.jobs.pause(dpo.id)).status).toBe('paused');
    expect((await client.fineTuning.jobs.retrieve(dpo.id)).status).toBe('paused');
    expect((await client.fineTuning.jobs.resume(dpo.id)).status).toBe('queued');

    // Listed newest first, a page at a time, and by metadata.
    const ids = [];
    for await (const j of client.fineTuning.jobs.list({ limit: 1 })) ids.push(j.id);
    expect(ids).toEqual([dpo.id, second.id, sft.id]);
    expect((await client.fineTuning.jobs.list({ metadata: { team: 'colours' } })).data.map((j) => j.id)).toEqual([sft.id]);
    const page = await client.fineTuning.jobs.list({ limit: 2 });
    expect(page.has_more).toBe(true);
  });

  it('trains the supervised job: fine_tuned_model, tokens, events newest first with metrics, the metrics file', { timeout: 300_000 }, async () => {
    const done = await waitFor(sft.id, DONE);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.fine_tuned_model).toBe(`ft:tiny:whetstone:colours:${sft.id}`);
    expect(done.trained_tokens).toBeGreaterThan(0);
    expect(done.finished_at).toBeGreaterThanOrEqual(done.created_at);
    expect(done.error).toBeNull();

    const events: OpenAI.FineTuning.FineTuningJobEvent[] = [];
    for await (const e of client.fineTuning.jobs.listEvents(sft.id, { limit: 5 })) events.push(e);
    const seqs = events.map((e) => Number(e.id.split('-event-')[1]));
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a)); // newest first
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(events[0]!.message).toMatch(/Job succeeded/);
    const metrics = events.filter((e) => e.type === 'metrics').map((e) => e.data as Record<string, number | null>);
    expect(metrics.map((m) => m.step)).toEqual([6, 5, 4, 3, 2, 1]);
    for (const m of metrics) {
      expect(m.train_loss).toBeGreaterThan(0);
      expect(m.train_mean_token_accuracy).toBeGreaterThanOrEqual(0);
    }
    expect(metrics[0]!.valid_loss).toBeGreaterThan(0); // evaluated at steps 3 and 6
    expect(metrics[0]!.valid_mean_token_accuracy).toBeGreaterThanOrEqual(0);

    expect(done.result_files).toHaveLength(1);
    const file = await client.files.retrieve(done.result_files[0]!);
    expect(file).toMatchObject({ purpose: 'fine-tune-results', filename: 'step_metrics.csv' });
    const csv = (await (await client.files.content(file.id)).text()).trim().split('\n');
    expect(csv[0]).toBe('step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy');
    expect(csv).toHaveLength(7);
    expect(csv[3]!.split(',').every((cell) => cell !== '')).toBe(true); // step 3: training and validation values
  });

  it('lists checkpoints and chats with one, and with the fine-tuned model, plain and streamed; /v1/models lists it', async () => {
    const checkpoints = (await client.fineTuning.jobs.checkpoints.list(sft.id)).data;
    expect(checkpoints.map((c) => c.step_number)).toEqual([6, 3]);
    expect(checkpoints[1]).toMatchObject({ object: 'fine_tuning.job.checkpoint', fine_tuning_job_id: sft.id, fine_tuned_model_checkpoint: `ft:tiny:whetstone:colours:${sft.id}:ckpt-step-3` });
    expect(checkpoints[1]!.metrics.train_loss).toBeGreaterThan(0);
    expect(checkpoints[1]!.metrics.valid_loss).toBeGreaterThan(0);
    const ask = { messages: [{ role: 'user' as const, content: 'What colour is the sky?' }], max_tokens: 8, temperature: 0 };
    const fromCheckpoint = await client.chat.completions.create({ model: checkpoints[1]!.fine_tuned_model_checkpoint, ...ask });
    expect(fromCheckpoint.model).toBe(checkpoints[1]!.fine_tuned_model_checkpoint);
    expect(fromCheckpoint.choices[0]!.message.content).toEqual(expect.any(String));

    const model = `ft:tiny:whetstone:colours:${sft.id}`;
    const plain = await client.chat.completions.create({ model, ...ask });
    let streamed = '';
    for await (const chunk of await client.chat.completions.create({ model, ...ask, stream: true })) streamed += chunk.choices[0]?.delta.content ?? '';
    expect(streamed).toBe(plain.choices[0]!.message.content);
    const listed = [];
    for await (const m of client.models.list()) listed.push(m.id);
    expect(listed).toContain(model);
  });

  it('trains the resumed DPO job from the DPO file format', { timeout: 300_000 }, async () => {
    const done = await waitFor(dpo.id, DONE);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.fine_tuned_model).toBe(`ft:tiny:whetstone::${dpo.id}`);
    expect(done.hyperparameters).toMatchObject({ beta: 0.2, batch_size: 4, learning_rate_multiplier: 1 });
    const events = (await client.fineTuning.jobs.listEvents(dpo.id, { limit: 100 })).data;
    expect(events.map((e) => e.message)).toContain('Job status: paused (paused before it ran)');
    expect(events.filter((e) => e.type === 'metrics')).toHaveLength(4);
  });

  it('the same flow with the official Python SDK from the worker\'s venv (openai-sdk-flow.py)', { timeout: 300_000 }, async () => {
    const script = fileURLToPath(new URL('./openai-sdk-flow.py', import.meta.url));
    const { stdout } = await promisify(execFile)(VENV_PYTHON, [script, `${server.url}/v1`, 'tiny'], { timeout: 280_000 });
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(summary).toMatchObject({ ok: true, fine_tuned_model: `ft:tiny:whetstone:py:${summary.job}`, checkpoints: 2 });
  });
});
