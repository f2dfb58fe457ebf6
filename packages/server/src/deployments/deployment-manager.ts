import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { GGUF_QUANTIZATIONS, WhetError, type Deployment, type DeploymentCreate, type Export, type Model } from '@whetstone/core';
import type { GenerationBackend } from '../backends/generation-backend.ts';
import { createBackend } from '../backends/create-backend.ts';
import { DEFAULT_LLAMA_SEQUENCES } from '../backends/llamacpp-backend.ts';
import { checkVllmAvailable } from '../backends/vllm-backend.ts';
import { adapterPeftType, isDoraAdapter, isPromptLearningAdapter } from '../models/adapter-type.ts';
import type { ServerConfig } from '../config.ts';
import { newId, nowIso } from '../ids.ts';
import { logger } from '../logger.ts';
import { insideModelRoots } from '../models/inside-model-roots.ts';
import type { DeploymentStore } from '../store/deployment-store.ts';
import type { ExportStore } from '../store/export-store.ts';
import type { Store } from '../store/store.ts';
import { exportGguf } from './export-gguf.ts';
import { findGguf } from './find-gguf.ts';
import { labelsOfModel } from './model-labels.ts';
import { RequestQueue } from './request-queue.ts';

type GgufQuantization = (typeof GGUF_QUANTIZATIONS)[number];

export interface LiveDeployment {
  deployment: Deployment;
  backend: GenerationBackend;
  queue: RequestQueue;
  /** The adapter name requests pass to the backend (null: the model itself). */
  adapter: string | null;
}

/**
 * Deployments: a model (and adapter) behind one backend with its own bounded queue. Creating
 * one checks everything that can be checked at once (model, GGUF file, vLLM and CUDA), then
 * loads the weights in the background: status `loading` -> `ready` | `failed`. Requests to a
 * loading deployment wait for it. Stop frees the weights; delete also forgets it.
 */
export class DeploymentManager {
  private live = new Map<string, LiveDeployment>();

  constructor(
    private readonly config: ServerConfig,
    private readonly store: Store,
    private readonly deployments: DeploymentStore,
    /** User exports (POST /models/{id}/exports): a finished GGUF of the same weights is served as is. */
    private readonly exports?: ExportStore,
  ) {}

  /** After a restart, deployments that were serving load again. */
  restore() {
    for (const d of this.deployments.list({ status: ['loading', 'ready'] })) {
      try {
        // A .gguf path given before WHET_MODEL_ROOTS existed (or changed) is checked again.
        if (!d.model_id) insideModelRoots(d.weights_path, this.config.modelRoots, 'model');
        this.start({ ...d, status: 'loading', error: null });
      } catch (e) {
        this.fail(d, e);
      }
    }
  }

  create(body: DeploymentCreate): Deployment {
    if (body.backend !== 'torch' && body.dtype !== 'auto') {
      throw new WhetError('INVALID_REQUEST', `dtype "${body.dtype}" is for the torch backend; ${body.backend === 'llamacpp' ? 'llamacpp computes in the GGUF type of "quantization"' : 'vllm picks the dtype from the model and the GPU'}`, {
        field: 'dtype',
        hint: body.backend === 'llamacpp' ? 'Leave dtype "auto" and choose "quantization" (f16, q8_0, q4_k_m, ...).' : 'Leave dtype "auto", or use backend "torch".',
      });
    }
    const resolved = this.resolveWeights(body);
    const name = body.name ?? this.defaultName(resolved.baseName, body.backend);
    if (this.deployments.get(name)) throw new WhetError('CONFLICT', `a deployment named "${name}" exists`, { hint: 'Pick another "name", or delete that deployment.' });
    if (this.store.getModel(name)) {
      throw new WhetError('CONFLICT', `"${name}" is already a model name, and /v1 clients call models and deployments by name`, { hint: 'Pick another "name".' });
    }
    const labels = body.labels === 'model' ? labelsOfModel([resolved.adapter, resolved.model], resolved.baseName) : (body.labels ?? null);
    const deployment: Deployment = {
      id: newId('dep'),
      name,
      model_id: resolved.model?.id ?? null,
      adapter_id: resolved.adapter?.id ?? null,
      backend: body.backend,
      quantization: body.quantization,
      weights_path: resolved.weightsPath,
      adapter_path: resolved.adapter?.path ?? null,
      status: 'loading',
      error: null,
      endpoint: '/v1/chat/completions',
      queue_size: body.queue_size,
      max_concurrency: body.max_concurrency ?? (body.backend === 'llamacpp' ? DEFAULT_LLAMA_SEQUENCES : 16),
      timeout_s: body.timeout_s,
      labels,
      dtype: body.dtype,
      created_at: nowIso(),
      stopped_at: null,
    };
    this.deployments.insert(deployment);
    this.start(deployment);
    return deployment;
  }

  list(): Deployment[] {
    return this.deployments.list().map((d) => this.withQueue(d));
  }

  get(idOrName: string): Deployment {
    const d = this.deployments.get(idOrName);
    if (!d) throw new WhetError('DEPLOYMENT_NOT_FOUND', `no deployment with id or name "${idOrName}"`);
    return this.withQueue(d);
  }

  private withQueue(d: Deployment): Deployment {
    const q = this.live.get(d.id)?.queue.stats;
    return { ...d, queue: q ? { running: q.running, queued: q.queued } : null };
  }

  /** The running deployment called `name`, or undefined when no deployment has that name. */
  lookup(name: string): LiveDeployment | undefined {
    const d = this.deployments.get(name);
    if (!d) return undefined;
    const live = this.live.get(d.id);
    if (!live || d.status === 'stopped' || d.status === 'failed') {
      throw new WhetError('DEPLOYMENT_NOT_RUNNING', `deployment "${d.name}" is ${d.status}${d.error ? `: ${d.error.message}` : ''}`);
    }
    return live;
  }

  async stop(idOrName: string): Promise<Deployment> {
    const d = this.get(idOrName);
    await this.release(d.id);
    const stopped: Deployment = { ...this.deployments.get(d.id)!, status: 'stopped', stopped_at: nowIso() };
    this.deployments.update(stopped);
    return this.withQueue(stopped);
  }

  async delete(idOrName: string): Promise<{ id: string; deleted: true }> {
    const d = this.get(idOrName);
    await this.release(d.id);
    this.deployments.delete(d.id);
    return { id: d.id, deleted: true };
  }

  async close() {
    await Promise.all([...this.live.keys()].map((id) => this.release(id)));
  }

  private async release(id: string) {
    const live = this.live.get(id);
    if (!live) return;
    this.live.delete(id);
    live.queue.drain(new WhetError('DEPLOYMENT_NOT_RUNNING', `deployment "${live.deployment.name}" was stopped`));
    await live.backend.close();
  }

  private start(d: Deployment) {
    const llama = d.backend === 'llamacpp';
    const adapterName = d.adapter_path && !llama ? (d.adapter_id ?? 'adapter') : null;
    const base = d.model_id ? this.store.getModel(d.model_id) : undefined;
    const backend = createBackend({
      backend: d.backend,
      weightsPath: d.weights_path,
      adapters: adapterName ? { [adapterName]: d.adapter_path! } : {},
      quantization: d.quantization,
      maxConcurrency: d.max_concurrency,
      dtype: d.dtype ?? 'auto',
      stateDir: join(this.config.home, 'deployments', d.id),
      python: this.config.python,
      workerDir: this.config.workerDir,
      idleTimeoutMs: null,
      threads: this.config.llamaThreads,
      gpu: this.config.llamaGpu,
      // A llamacpp deployment of a registered model serves its GGUF export, made on first load.
      prepare:
        llama && base
          ? () =>
              exportGguf({
                python: this.config.python,
                workerDir: this.config.workerDir,
                modelPath: base.path,
                adapterPath: d.adapter_path,
                quantization: d.quantization === 'none' ? 'f16' : (d.quantization as GgufQuantization),
                outputPath: d.weights_path,
              })
          : undefined,
    });
    const queue = new RequestQueue({ concurrency: d.max_concurrency, maxQueued: d.queue_size, name: `deployment "${d.name}"` });
    this.live.set(d.id, { deployment: d, backend, queue, adapter: adapterName });
    this.deployments.update(d);
    backend.load().then(
      () => {
        const now = this.deployments.get(d.id);
        if (now?.status === 'loading' && this.live.get(d.id)?.backend === backend) this.deployments.update({ ...now, status: 'ready' });
      },
      (e: unknown) => {
        if (this.live.get(d.id)?.backend !== backend) return;
        this.live.delete(d.id);
        void backend.close();
        this.fail(d, e);
      },
    );
  }

  private fail(d: Deployment, e: unknown) {
    const error = e instanceof WhetError ? e.toJSON() : new WhetError('INTERNAL', String((e as Error)?.message ?? e)).toJSON();
    logger.error('deployment failed', { id: d.id, name: d.name, error });
    const now = this.deployments.get(d.id);
    if (now) this.deployments.update({ ...now, status: 'failed', error });
  }

  private defaultName(base: string, backend: string) {
    const stem = `${base}-${backend}`.replace(/[^A-Za-z0-9._:-]/g, '-').slice(0, 100);
    let name = stem;
    for (let i = 2; this.deployments.get(name) || this.store.getModel(name); i++) name = `${stem}-${i}`;
    return name;
  }

  private resolveWeights(body: DeploymentCreate): { weightsPath: string; model: Model | null; adapter: Model | null; baseName: string } {
    if (body.backend === 'llamacpp') {
      if (isAbsolute(body.model) && body.model.toLowerCase().endsWith('.gguf')) {
        if (body.adapter) {
          throw new WhetError('INVALID_REQUEST', 'a .gguf file is served as is and takes no separate adapter', {
            field: 'adapter',
            hint: 'Deploy the registered base model with the adapter instead: the deployment exports them merged to GGUF.',
          });
        }
        const stem = body.model.split('/').pop()!.replace(/\.gguf$/i, '');
        const file = insideModelRoots(body.model, this.config.modelRoots, 'model');
        if (!existsSync(file)) throw new WhetError('GGUF_NOT_FOUND', `no GGUF file at ${body.model}`, { field: 'model' });
        return { weightsPath: file, model: null, adapter: null, baseName: stem };
      }
    }

    const { model, adapter } = this.resolveModelAndAdapter(body);
    if (adapter && body.backend !== 'torch' && isPromptLearningAdapter(adapter.path)) {
      // llama.cpp needs merged GGUF weights and vLLM serves LoRA only: virtual tokens fit neither.
      throw new WhetError('INVALID_REQUEST', `"${adapter.name}" is a ${adapterPeftType(adapter.path)} adapter (trained virtual tokens), which the ${body.backend} backend cannot serve`, {
        field: 'backend',
        hint: 'Deploy it with backend "torch", which loads it on its base model through PEFT.',
      });
    }
    if (adapter && body.backend === 'vllm' && isDoraAdapter(adapter.path)) {
      throw new WhetError('INVALID_REQUEST', `"${adapter.name}" is a DoRA adapter, and vLLM serves plain LoRA adapters only`, {
        field: 'backend',
        hint: 'Deploy it with backend "torch", or export it merged (DoRA merges into the weights) and deploy that.',
      });
    }
    if (body.backend === 'llamacpp') return { weightsPath: this.ggufFor(model, adapter, body.quantization), model, adapter, baseName: adapter?.name ?? model.name };
    if (body.backend === 'torch' && body.quantization !== 'none') {
      throw new WhetError('INVALID_REQUEST', `the torch backend serves the weights as stored; quantization "${body.quantization}" is for llamacpp (GGUF) or vllm`, {
        field: 'quantization',
        hint: 'Use backend "llamacpp" with a GGUF export for q8_0/q4 on CPU, or leave quantization "none".',
      });
    }
    if (body.backend === 'vllm') checkVllmAvailable(this.config.python);
    return { weightsPath: model.path, model, adapter, baseName: adapter?.name ?? model.name };
  }

  private resolveModelAndAdapter(body: DeploymentCreate): { model: Model; adapter: Model | null } {
    let model = this.modelOr404(body.model);
    let adapter = body.adapter ? this.modelOr404(body.adapter) : null;
    if (!adapter && model.kind === 'adapter') {
      adapter = model; // a job's adapter: serve it on its base model
      model = this.modelOr404(model.base_model_id ?? '');
    }
    if (adapter && adapter.kind !== 'adapter') {
      throw new WhetError('INVALID_REQUEST', `"${adapter.name}" is a ${adapter.kind} model, not an adapter`, { field: 'adapter' });
    }
    return { model, adapter };
  }

  /**
   * The GGUF a llamacpp deployment serves: one already beside the weights (base models only),
   * else a finished user export of the same weights and type, else the deployment's own export
   * under $WHET_HOME/exports/, written by the worker on first load.
   */
  private ggufFor(model: Model, adapter: Model | null, quantization: DeploymentCreate['quantization']): string {
    if (!adapter) {
      try {
        return findGguf(model.path, quantization);
      } catch {
        // none beside the weights: export one
      }
    }
    const q = quantization === 'none' ? 'f16' : quantization;
    if (!(GGUF_QUANTIZATIONS as readonly string[]).includes(q)) {
      throw new WhetError('GGUF_NOT_FOUND', `no ${q} .gguf file in ${model.path}, and the GGUF export writes only ${GGUF_QUANTIZATIONS.join(', ')}`, {
        field: 'quantization',
        hint: `Pick one of ${GGUF_QUANTIZATIONS.join(', ')} (exported on deploy), or give the path of a ${q} .gguf file as the model.`,
      });
    }
    return this.exportedGguf(model, adapter, q) ?? join(this.config.home, 'exports', adapter ? `${model.id}+${adapter.id}` : model.id, `model-${q}.gguf`);
  }

  /** The file of a finished user export of the same model (+ adapter) at the same GGUF type, if any. */
  private exportedGguf(model: Model, adapter: Model | null, quantization: string): string | null {
    if (adapter && adapter.base_model_id !== model.id) return null; // user exports merge an adapter onto its own base
    const e = this.exports?.findLive((adapter ?? model).id, 'gguf', quantization as Export['quantization']);
    const file = e?.status === 'succeeded' ? e.files.find((f) => f.endsWith('.gguf')) : undefined;
    return e && file && existsSync(join(e.path, file)) ? join(e.path, file) : null;
  }

  private modelOr404(ref: string): Model {
    const m = this.store.getModel(ref);
    if (!m) throw new WhetError('MODEL_NOT_FOUND', `no model with id or name "${ref}"`);
    return m;
  }
}
