import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Export, Model } from '@whetstone/core';
import { jobRow } from '../../../../test-support/job-row.ts';
import { nowIso } from '../ids.ts';
import { json, tempHome, testApp } from '../../../../test-support/server.ts';
import { registerTinyTuned } from '../../../../test-support/tiny-adapter.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { exportService } from '../exports/export-service.ts';

// A job's adapter served by a running torch deployment (the real worker on the tiny model):
// deleting the job, the adapter or its base is refused with the users listed; ?force=true stops them first.
describe('deleting a model or job in use', () => {
  const { home, cleanup } = tempHome();
  const { app, ctx } = testApp(home);
  const request = (method: string, path: string, body?: unknown) =>
    app.request(path, { method, ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}) });
  let base: Model;
  let tuned: Model;
  let deploymentId: string;

  beforeAll(async () => {
    base = await json(await request('POST', '/api/v1/models', { path: ensureTinyModel(), name: 'tiny' }));
    registerTinyTuned(ctx.store, base); // the result of job_fixture
    tuned = ctx.store.getModel('tiny-tuned')!;
    ctx.store.insertJob(jobRow(home, 'job_fixture', { model_id: base.id, output_model_id: tuned.id }));
    mkdirSync(join(home, 'jobs', 'job_fixture', 'output'), { recursive: true });
    writeFileSync(join(home, 'jobs', 'job_fixture', 'spec.json'), '{}');

    const created = await json(await request('POST', '/api/v1/deployments', { model: 'tiny-tuned', backend: 'torch', name: 'tuned-prod' }));
    deploymentId = created.id;
    let d = created;
    for (let i = 0; i < 600 && d.status === 'loading'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      d = await json(await request('GET', `/api/v1/deployments/${created.id}`));
    }
    expect(d.status, JSON.stringify(d.error)).toBe('ready');
  });
  afterAll(async () => {
    await ctx.gateway.close();
    ctx.store.close();
    cleanup();
  });

  it('refuses to delete the job, its adapter or the base model while a deployment serves them, listing it', async () => {
    const served = await request('POST', '/v1/completions', { model: 'tuned-prod', prompt: 'hi', max_tokens: 2, temperature: 0 });
    expect(served.status).toBe(200);
    const user = { kind: 'deployment', id: deploymentId, status: 'ready' };
    for (const path of ['/api/v1/jobs/job_fixture', '/api/v1/models/tiny-tuned', '/api/v1/models/tiny']) {
      const res = await request('DELETE', path);
      const { error } = await json(res);
      expect({ path, status: res.status, code: error.code }).toEqual({ path, status: 409, code: 'IN_USE' });
      expect(error.details.users).toEqual([user]);
      expect(error.message).toContain(`deployment ${deploymentId} (ready)`);
      expect(error.hint).toMatch(/force=true/);
    }
    expect(ctx.store.getJob('job_fixture')).toBeDefined();
    expect(ctx.store.getModel('tiny-tuned')).toBeDefined();
    expect(existsSync(join(home, 'jobs', 'job_fixture', 'spec.json'))).toBe(true);
    expect((await request('POST', '/v1/completions', { model: 'tuned-prod', prompt: 'hi', max_tokens: 2, temperature: 0 })).status).toBe(200);
  });

  it('lists every kind of user, and refuses even with force while an export runs, stopping nothing', async () => {
    ctx.store.insertJob(jobRow(home, 'job_next', { status: 'queued', model_id: base.id }));
    const exports = exportService(ctx).exports;
    const running: Export = {
      id: 'exp_running', model_id: tuned.id, format: 'merged', quantization: null, status: 'running',
      path: join(home, 'exports', tuned.id, 'merged'), files: [], size_bytes: null, error: null, created_at: nowIso(), finished_at: null,
    };
    exports.insert(running);
    try {
      const onBase = await json(await request('DELETE', '/api/v1/models/tiny'));
      expect(onBase.error.details.users).toEqual([
        { kind: 'deployment', id: deploymentId, status: 'ready' },
        { kind: 'export', id: 'exp_running', status: 'running' }, // merges the adapter onto this base
        { kind: 'job', id: 'job_next', status: 'queued' },
      ]);
      const forced = await request('DELETE', '/api/v1/jobs/job_fixture?force=true');
      expect(forced.status).toBe(409);
      const { error } = await json(forced);
      expect(error.message).toMatch(/export exp_running \(running\).*cannot be stopped midway/);
      expect(error.hint).toMatch(/Wait until they finish/);
      expect((await json(await request('GET', `/api/v1/deployments/${deploymentId}`))).status).toBe('ready');
      expect(ctx.store.getJob('job_next')!.status).toBe('queued');
    } finally {
      exports.update({ ...running, status: 'failed', finished_at: nowIso() });
    }
  });

  it('with ?force=true stops the deployment, then deletes the job and its adapter; the base follows, cancelling its queued job', async () => {
    const res = await request('DELETE', '/api/v1/jobs/job_fixture?force=true');
    expect(await json(res)).toEqual({ id: 'job_fixture', deleted: true });
    expect((await json(await request('GET', `/api/v1/deployments/${deploymentId}`))).status).toBe('stopped');
    expect(ctx.store.getJob('job_fixture')).toBeUndefined();
    expect(ctx.store.getModel('tiny-tuned')).toBeUndefined();
    expect(existsSync(join(home, 'jobs', 'job_fixture'))).toBe(false);
    const call = await request('POST', '/v1/completions', { model: 'tuned-prod', prompt: 'hi', max_tokens: 2 });
    expect(call.status).toBe(409);

    const refused = await json(await request('DELETE', '/api/v1/models/tiny'));
    expect(refused.error.details.users).toEqual([{ kind: 'job', id: 'job_next', status: 'queued' }]);
    expect(await json(await request('DELETE', '/api/v1/models/tiny?force=true'))).toEqual({ id: base.id, deleted: true });
    expect(ctx.store.getJob('job_next')!.status).toBe('cancelled');
    expect(ctx.store.getModel('tiny')).toBeUndefined();
  });
});
