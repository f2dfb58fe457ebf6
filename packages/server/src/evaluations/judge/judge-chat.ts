import { WhetError, type JudgeModelRef } from '@whetstone/core';
import { chatCompletion, type ChatFn } from '@whetstone/data';
import { gatewayChat } from '../../datasets/gateway-chat.ts';
import type { Gateway } from '../../deployments/gateway.ts';
import type { ConnectionStore } from '../../store/connection-store.ts';
import type { Store } from '../../store/store.ts';

export interface JudgeDeps {
  store: Store;
  gateway: Gateway;
  connections: ConnectionStore;
}

/**
 * The name a judge shows and, for local judges, the name the gateway calls: a registered
 * model's name, a job's result model, a deployment's name, or the endpoint's model. Throws
 * MODEL_NOT_FOUND / JOB_NOT_FOUND / DEPLOYMENT_NOT_FOUND / CONNECTION_NOT_FOUND when it is not
 * there, so a bad judge is refused when the evaluation is created.
 */
export function judgeName(ref: JudgeModelRef, deps: JudgeDeps): string {
  switch (ref.kind) {
    case 'model': {
      const model = deps.store.getModel(ref.model_id);
      if (!model) throw new WhetError('MODEL_NOT_FOUND', `the judge model "${ref.model_id}" does not exist`, { field: 'judge.model.model_id', hint: 'List models with GET /api/v1/models.' });
      return model.name;
    }
    case 'job': {
      const job = deps.store.getJob(ref.job_id);
      if (!job) throw new WhetError('JOB_NOT_FOUND', `the judge job "${ref.job_id}" does not exist`, { field: 'judge.model.job_id' });
      const model = job.output_model_id ? deps.store.getModel(job.output_model_id) : undefined;
      if (!model) throw new WhetError('MODEL_NOT_FOUND', `the judge job ${job.id} has no result model (status ${job.status})`, { field: 'judge.model.job_id', hint: 'Wait for the job to succeed, or judge with another model.' });
      return model.name;
    }
    case 'deployment':
      return deps.gateway.deployments.get(ref.deployment).name;
    case 'endpoint':
      return deps.connections.target(ref.connection, ref.model).model;
  }
}

/**
 * One chat call to the judge. Local judges go through the gateway (the model pool or the
 * deployment's queue); `labels` constrains their decoding to the verdict strings, or null keeps
 * a deployment's own label default. Endpoints get the connection's key, read now and never stored.
 */
export function judgeChat(ref: JudgeModelRef, deps: JudgeDeps, labels: string[] | null, signal: AbortSignal): ChatFn {
  if (ref.kind === 'endpoint') {
    const target = { ...deps.connections.target(ref.connection, ref.model), timeoutMs: ref.timeout_s * 1000 };
    return (messages, opts) => chatCompletion(target, messages, { ...opts, maxTokens: opts.maxTokens ?? 512, signal });
  }
  return gatewayChat(deps.gateway, judgeName(ref, deps), signal, labels);
}
