import { deadlineSignal, WhetError, type GenerateLine, type Model } from '@whetstone/core';
import type { BackendRequest, GenerationBackend } from '../backends/generation-backend.ts';
import type { Store } from '../store/store.ts';
import type { DeploymentManager } from './deployment-manager.ts';
import { labelsOfModel } from './model-labels.ts';
import type { ModelPool } from './model-pool.ts';
import type { RequestQueue } from './request-queue.ts';

/** Seconds an on-demand model request may run (deployments set their own timeout_s). */
const MODEL_TIMEOUT_S = 300;

export interface CallableModel {
  id: string;
  kind: 'deployment' | 'base' | 'fine-tuned';
  created: number;
  owned_by: string;
  /** For a fine-tuned model, its base; for a deployment, what it serves. */
  root: string | null;
  backend: string;
  status: string;
}

interface Target {
  name: string;
  backend: GenerationBackend;
  queue: RequestQueue;
  adapter: string | null;
  timeoutS: number;
  contextLength: number | null;
  /** A deployment's default label set (null: free text). */
  labels: string[] | null;
  /** Where `labels: "model"` looks for a remembered label set: the adapter first, then its base (read only then). */
  models: () => (Model | undefined)[];
  /** On-demand models: fit the model into the memory budget before it loads (evict or 503). */
  admit?: () => Promise<void>;
}

/** A generation that has started: the prompt is counted and the lines after `start` follow. */
/**
 * A request as /v1 and the playground give it: `labels` absent or null keeps the target's
 * default, [] turns it off, "model" asks for the model's remembered label set.
 */
export type GatewayRequest = Omit<BackendRequest, 'adapter' | 'labels'> & { labels?: string[] | 'model' | null };

export interface OpenGeneration {
  model: string;
  promptTokens: number;
  lines: AsyncGenerator<GenerateLine>;
  /** Stop and free the slot, whether or not `lines` was read (safe to call twice). */
  close(): Promise<void>;
}

/**
 * The one door to generation for /v1, the playground and the CLI: a model name becomes a
 * deployment (its own backend and queue) or a registered model (the on-demand pool), a queue
 * slot is taken (429 when full), a timeout armed, and the stream opened up to its `start`
 * line, so that problems before the first token are thrown here as HTTP errors.
 */
export class Gateway {
  constructor(
    private readonly store: Store,
    readonly deployments: DeploymentManager,
    readonly pool: ModelPool,
  ) {}

  /** Everything /v1/models lists: deployments first, then base and fine-tuned models. */
  listModels(): CallableModel[] {
    const created = (iso: string) => Math.floor(Date.parse(iso) / 1000);
    const deps: CallableModel[] = this.deployments
      .list()
      .filter((d) => d.status === 'ready' || d.status === 'loading')
      .map((d) => ({
        id: d.name,
        kind: 'deployment',
        created: created(d.created_at),
        owned_by: 'whetstone',
        root: this.store.getModel(d.adapter_id ?? d.model_id ?? '')?.name ?? d.weights_path,
        backend: d.backend,
        status: d.status,
      }));
    const models: CallableModel[] = this.store.listModels().map((m) => ({
      id: m.name,
      kind: m.kind === 'adapter' || m.source === 'job' ? 'fine-tuned' : 'base',
      created: created(m.created_at),
      owned_by: 'whetstone',
      root: m.base_model_id ? (this.store.getModel(m.base_model_id)?.name ?? m.base_model_id) : null,
      backend: 'torch',
      status: 'available',
    }));
    return [...deps, ...models];
  }

  /** The context length a default max_tokens is fitted to, when known. */
  contextLength(name: string): number | null {
    return this.resolve(name).contextLength;
  }

  private resolve(name: string): Target {
    const live = this.deployments.lookup(name);
    if (live) {
      const d = live.deployment;
      const contextLength = d.backend === 'llamacpp' ? null : (this.store.getModel(d.model_id ?? '')?.context_length ?? null);
      const models = () => [this.store.getModel(d.adapter_id ?? ''), this.store.getModel(d.model_id ?? '')];
      return { name: d.name, backend: live.backend, queue: live.queue, adapter: live.adapter, timeoutS: d.timeout_s, contextLength, labels: d.labels ?? null, models };
    }
    const model = this.store.getModel(name);
    if (!model) {
      throw new WhetError('MODEL_NOT_FOUND', `the model "${name}" does not exist`, {
        field: 'model',
        hint: 'List the models you can call with GET /v1/models (base models, fine-tuned results and deployments).',
      });
    }
    const pooled = this.pool.get(model);
    const models = () => [model, model.base_model_id ? this.store.getModel(model.base_model_id) : undefined];
    return { name: model.name, ...pooled, timeoutS: MODEL_TIMEOUT_S, labels: null, models };
  }

  async open(name: string, gatewayRequest: GatewayRequest, clientSignal: AbortSignal): Promise<OpenGeneration> {
    const target = this.resolve(name);
    const request: Omit<BackendRequest, 'adapter'> = { ...gatewayRequest, labels: requestLabels(gatewayRequest.labels, target) };
    if (request.ignore_eos && request.labels) {
      // A labelled answer ends right after its label: there is nothing to run on to max_tokens.
      throw new WhetError('INVALID_REQUEST', `ignore_eos cannot be combined with labels (the answer to "${target.name}" is one of ${request.labels.length} labels)`, {
        hint: 'Drop ignore_eos, or send "labels": [] to answer free text.',
      });
    }
    // The client's signal or the target's timeout; the deadline's timer is dropped with the slot.
    const deadline = deadlineSignal(target.timeoutS * 1000, clientSignal);
    const signal = deadline.signal;
    const timedOut = () => new WhetError('REQUEST_TIMEOUT', `the request to "${target.name}" ran longer than its timeout of ${target.timeoutS} s`);
    let releaseSlot: () => void;
    try {
      releaseSlot = await target.queue.acquire(signal);
    } catch (e) {
      deadline.clear();
      throw deadline.timedOut() ? timedOut() : e;
    }
    const release = () => {
      deadline.clear();
      releaseSlot();
    };
    try {
      await target.admit?.(); // after the slot is ours: this model counts as busy and is never the one evicted
    } catch (e) {
      release();
      throw e;
    }
    const it = target.backend.stream({ ...request, adapter: target.adapter }, signal)[Symbol.asyncIterator]();
    let first: IteratorResult<GenerateLine>;
    try {
      first = await it.next();
    } catch (e) {
      release();
      throw deadline.timedOut() ? timedOut() : e;
    }
    if (first.done || first.value.type !== 'start') {
      release();
      await it.return?.(undefined);
      if (!first.done && first.value.type === 'error') throw new WhetError('GENERATION_FAILED', first.value.message);
      throw new WhetError('GENERATION_FAILED', `the ${target.backend.backend} backend did not start the generation`);
    }
    async function* rest(): AsyncGenerator<GenerateLine> {
      try {
        for (;;) {
          let next: IteratorResult<GenerateLine>;
          try {
            next = await it.next();
          } catch (e) {
            if (deadline.timedOut()) throw timedOut();
            throw e;
          }
          if (next.done) return;
          if (next.value.type === 'done' && deadline.timedOut()) throw timedOut(); // an engine that stops quietly on abort
          yield next.value;
          if (next.value.type === 'done' || next.value.type === 'error') return;
        }
      } finally {
        await it.return?.(undefined);
        release();
      }
    }
    const lines = rest();
    const close = async () => {
      await lines.return(undefined);
      await it.return?.(undefined);
      release();
    };
    return { model: target.name, promptTokens: first.value.prompt_tokens, lines, close };
  }

  /**
   * Call right after a model is deleted: an adapter is unloaded from its base model's running
   * server and no longer re-added when that server starts again (its folder is gone); a base
   * model's on-demand server is stopped.
   */
  async forgetModel(model: Model): Promise<void> {
    await this.pool.forget(model);
  }

  async close() {
    await Promise.all([this.deployments.close(), this.pool.close()]);
  }
}

/** The labels a request decodes with: its own list, none for [], the model's for "model", else the target's default. */
function requestLabels(labels: GatewayRequest['labels'], target: Target): string[] | null {
  if (labels === 'model') return labelsOfModel(target.models(), target.name);
  if (labels == null) return target.labels;
  return labels.length ? labels : null;
}
