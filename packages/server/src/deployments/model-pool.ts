import { join } from 'node:path';
import { WhetError, type Model } from '@whetstone/core';
import { createTorchBackend, type TorchBackend } from '../backends/torch-backend.ts';
import type { ServerConfig } from '../config.ts';
import { logger } from '../logger.ts';
import type { Store } from '../store/store.ts';
import { estimateModelBytes, formatBytes, planEviction, type PoolLimits } from './pool-budget.ts';
import { RequestQueue } from './request-queue.ts';

export interface PooledModel {
  backend: TorchBackend;
  queue: RequestQueue;
  adapter: string | null;
  contextLength: number | null;
  /**
   * Make room for the base model within the budget before a request uses it (call it holding a
   * queue slot, so this model counts as busy): evicts idle models or throws CAPACITY_EXCEEDED.
   */
  admit(): Promise<void>;
}

interface PoolServer {
  name: string;
  backend: TorchBackend;
  queue: RequestQueue;
  bytes: number;
  lastUsed: number;
}

/** Requests one on-demand generation server decodes together (its batch size). */
const POOL_BATCH = 16;
const POOL_QUEUE = 64;

/**
 * Every registered model is callable without a deployment: one torch generation server per
 * base model, started on first use and freed after `serveIdleSeconds` without requests.
 * A job's adapter is served by its base model's server, chosen per request by model id.
 * Loaded servers stay within WHET_MAX_LOADED_MODELS and WHET_MODEL_MEMORY_GB (pool-budget.ts):
 * a model that does not fit evicts the least recently used idle ones, or is refused with 503.
 */
export class ModelPool {
  private servers = new Map<string, PoolServer>();
  private readonly limits: PoolLimits;
  /** Admissions that may load a model run one at a time, so two never count the same free room. */
  private admitting: Promise<unknown> = Promise.resolve();
  private clock = 0;

  constructor(
    private readonly config: ServerConfig,
    private readonly store: Store,
  ) {
    this.limits = { maxLoadedModels: config.maxLoadedModels, memoryBytes: config.modelMemoryBytes };
  }

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
      server = {
        name: base.name,
        backend,
        queue: new RequestQueue({ concurrency: POOL_BATCH, maxQueued: POOL_QUEUE, name: `model "${base.name}"` }),
        bytes: estimateModelBytes(base.params, this.limits),
        lastUsed: 0,
      };
      this.servers.set(base.id, server);
    }
    if (adapter) server.backend.addAdapter(adapter, model.path);
    const s = server;
    return { backend: s.backend, queue: s.queue, adapter, contextLength: base.context_length, admit: () => this.admit(s) };
  }

  private admit(server: PoolServer): Promise<void> {
    server.lastUsed = ++this.clock;
    if (server.backend.started) return Promise.resolve();
    const turn = this.admitting.then(() => this.makeRoom(server));
    this.admitting = turn.catch(() => undefined);
    return turn;
  }

  /** Evict one idle server at a time, re-planning after each: a request may have made another busy meanwhile. */
  private async makeRoom(server: PoolServer) {
    for (;;) {
      if (server.backend.started) return; // a request ahead of this one loaded it
      const loaded = [...this.servers.values()]
        .filter((s) => s !== server && s.backend.started)
        .map((s) => ({ ...s, server: s, busy: s.queue.stats.running + s.queue.stats.queued > 0, typicalRequestS: s.queue.averageSeconds }));
      const victim = planEviction(loaded, server, this.limits)[0];
      if (!victim) break;
      logger.info('model memory budget: freeing the least recently used idle model', { evicted: victim.name, for: server.name, bytes: formatBytes(victim.bytes) });
      await victim.server.backend.close();
    }
    // Starting now makes it count in the next admission; a failed load reaches the request through its own stream.
    server.backend.load().catch(() => undefined);
  }

  /**
   * A deleted model: an adapter is unloaded from its base model's running server and left out of
   * its next start; a base model's server is stopped and forgotten.
   */
  async forget(model: Model) {
    if (model.kind === 'adapter') {
      await this.servers.get(model.base_model_id ?? '')?.backend.removeAdapter(model.id);
      return;
    }
    const server = this.servers.get(model.id);
    if (!server) return;
    this.servers.delete(model.id);
    server.queue.drain(new WhetError('MODEL_NOT_FOUND', `the model "${model.name}" was deleted`));
    await server.backend.close();
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
