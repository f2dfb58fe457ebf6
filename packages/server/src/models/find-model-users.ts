import { TERMINAL_STATUSES, type EvaluationModelRef, type Job, type JudgeModelRef, type Model } from '@whetstone/core';
import type { AppContext } from '../context.ts';
import { evaluationService } from '../evaluations/evaluation-service.ts';
import { isJudging } from '../evaluations/judge/is-judging.ts';
import { exportService } from '../exports/export-service.ts';

/** Something running (or waiting to run) that reads a model's or a job's files. */
export interface ModelUser {
  kind: 'deployment' | 'export' | 'job' | 'evaluation';
  id: string;
  status: string;
}

/**
 * What deleting `model` (and, when deleting a job, `job` with its folder) would break now:
 * deployments serving it (for a base model also its adapters' deployments, which load it),
 * running exports of it or of an adapter on it, unfinished jobs training on it, and queued or
 * running evaluations that load it or read the job's data or checkpoints.
 */
export function findModelUsers(ctx: AppContext, model: Model | null, job: Job | null = null): ModelUser[] {
  const users: ModelUser[] = [];
  const uses = (id: string | null | undefined) => model !== null && id === model.id;
  const baseOf = (id: string) => ctx.store.getModel(id)?.base_model_id;

  for (const d of ctx.gateway.deployments.list()) {
    if ((d.status === 'loading' || d.status === 'ready') && (uses(d.model_id) || uses(d.adapter_id))) users.push({ kind: 'deployment', id: d.id, status: d.status });
  }
  for (const e of exportService(ctx).list()) {
    if (e.status === 'running' && (uses(e.model_id) || uses(baseOf(e.model_id)))) users.push({ kind: 'export', id: e.id, status: e.status });
  }
  if (model) {
    for (const j of ctx.store.jobsUsingModel(model.id)) {
      if (!TERMINAL_STATUSES.includes(j.status)) users.push({ kind: 'job', id: j.id, status: j.status });
    }
  }
  for (const e of evaluationService(ctx).evaluations.list()) {
    // A judge model is loaded while the judge is still to run (after the columns, or judging again).
    const judgeModels = isJudging(e) ? loadedModelIds(ctx, e.judge!.request.model) : [];
    if (e.status !== 'queued' && e.status !== 'running') {
      if (judgeModels.some(uses)) users.push({ kind: 'evaluation', id: e.id, status: 'judging' });
      continue;
    }
    const jobsRead = new Set([e.dataset.source === 'job' ? e.dataset.id : null, ...e.models.map((c) => (c.ref.kind === 'job' ? c.ref.job_id : null))]);
    const modelsLoaded = [...e.models.flatMap((c) => loadedModelIds(ctx, c.ref)), ...judgeModels];
    if (modelsLoaded.some(uses) || (job !== null && jobsRead.has(job.id))) users.push({ kind: 'evaluation', id: e.id, status: e.status });
  }
  return users;
}

/** The registered models an evaluation column or judge loads: the model (or the job's result) and its base. */
function loadedModelIds(ctx: AppContext, ref: EvaluationModelRef | JudgeModelRef): (string | null | undefined)[] {
  if (ref.kind === 'model') {
    const m = ctx.store.getModel(ref.model_id);
    return [m?.id, m?.base_model_id];
  }
  if (ref.kind === 'job') {
    const j = ctx.store.getJob(ref.job_id);
    return [j?.model_id, j?.output_model_id];
  }
  return [];
}
