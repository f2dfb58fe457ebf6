import { join } from 'node:path';
import { WhetError, type Model } from '@whetstone/core';
import { createTorchBackend, type TorchBackend } from '../backends/torch-backend.ts';
import type { ServerConfig } from '../config.ts';
import type { Store } from '../store/store.ts';
import { RequestQueue } from './request-queue.ts';

export interface PooledModel {
  backend: TorchBackend;
  queue: RequestQueue;
  adapter: string | null;
  contextLength: number | null;
}

/** Requests one on-demand generation server decodes together (its batch size). */
const POOL_BATCH = 16;
const POOL_QUEUE = 64;

/**
 * Every registered model is callable without a deployment: one torch generation server per
 * base model, started on first use and freed after `serveIdleSeconds` without requests.
 * A job's adapter is served by its base model's server, chosen per request by model id.
 */
export class ModelPool {
  private servers = new Map<string, { backend: TorchBackend; queue: RequestQueue }>();

  constructor(
    private readonly config: ServerConfig,
    private readonly store: Store,
  ) {}

  get(model: Model): PooledModel {
    let base = model;
    let adapter: string | null = null;
    if (model.kind === 'adapter') {
      const b = model.base_model_id ? this.store.getModel(model.base_model_id) : undefined;
      if (!b) throw new WhetError('MODEL_NOT_FOUND', `the base model ${model.base_model_id} of adapter "${model.name}" is not registered any more`);
      base = b;
      adapter = model.id;
    }
    let server = this.servers.get(base.id);
    if (!server) {
      const backend = createTorchBackend({
        python: this.config.python,
        workerDir: this.config.workerDir,
        stateDir: join(this.config.home, 'serve', base.id),
        modelPath: base.path,
        maxBatchSize: POOL_BATCH,
        idleTimeoutMs: this.config.serveIdleSeconds * 1000,
      });
      server = { backend, queue: new RequestQueue({ concurrency: POOL_BATCH, maxQueued: POOL_QUEUE, name: `model "${base.name}"` }) };
      this.servers.set(base.id, server);
    }
    if (adapter) server.backend.addAdapter(adapter, model.path);
    return { ...server, adapter, contextLength: base.context_length };
  }

  /** Base model ids with a generation server running now. */
  loaded(): string[] {
    return [...this.servers.entries()].filter(([, s]) => s.backend.running).map(([id]) => id);
  }

  async close() {
    const all = [...this.servers.values()];
    this.servers.clear();
    await Promise.all(all.map((s) => s.backend.close()));
  }
}
