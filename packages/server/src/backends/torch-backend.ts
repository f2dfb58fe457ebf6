import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  errorBody,
  GenerateLineSchema,
  GenerationErrorResponseSchema,
  HealthResponseSchema,
  WhetError,
  type GenerateLine,
  type HealthResponse,
  type WorkerServeSpec,
} from '@whetstone/core';
import { startWorker, type WorkerProcess } from '../jobs/worker-process.ts';
import { logger } from '../logger.ts';
import type { BackendRequest, GenerationBackend } from './generation-backend.ts';
import { ndjsonLines } from './ndjson-lines.ts';

export interface TorchBackendOptions {
  python: string;
  workerDir: string;
  /** Folder for spec.json (one per server). */
  stateDir: string;
  /** Hugging Face folder of the base model. */
  modelPath: string;
  chatTemplate?: string | null;
  /** Adapters known up front, by the name requests use. More can be added with `addAdapter`. */
  adapters?: Record<string, string>;
  maxBatchSize?: number;
  device?: WorkerServeSpec['device'];
  dtype?: WorkerServeSpec['dtype'];
  threads?: number | null;
  /** Free the model after this long without requests; null keeps it loaded (a deployment). */
  idleTimeoutMs?: number | null;
  /** How long the worker may take to load the model and print `ready`. */
  startTimeoutMs?: number;
}

export interface TorchBackend extends GenerationBackend {
  /** Make `name` callable: loaded at start, or into a running server on first use. */
  addAdapter(name: string, path: string): void;
  /** Forget `name` (its folder is gone): unloaded from a running server, left out of the next start. */
  removeAdapter(name: string): Promise<void>;
  /** Whether a worker is running now (for tests and /health). */
  readonly running: boolean;
  /** Whether a worker is starting or running, so holds (or is about to hold) the model's memory. */
  readonly started: boolean;
  /** The running worker's process id and loopback address (it answers only this backend's token), or null. */
  readonly pid: number | null;
  readonly url: string | null;
  /** The worker's own /health (queue, running requests), or null when none runs. */
  health(): Promise<HealthResponse | null>;
}

interface Running {
  worker: WorkerProcess;
  url: string;
  /** Sent as `Authorization: Bearer` on every request: the worker answers nobody else. */
  headers: Record<string, string>;
  loadedAdapters: Set<string>;
}

/**
 * The `torch` backend: one `python -m whet_worker serve` per base model, started on first use
 * and stopped after an idle timeout. Adapters are chosen per request by name; the worker
 * batches concurrent requests. Its NDJSON lines are passed through as they arrive, and
 * aborting a request closes the connection, which cancels the generation in the worker.
 * Each worker gets a fresh random token in its environment (WHET_WORKER_TOKEN, never on the
 * command line, which every local user can read) and refuses requests without it.
 */
export function createTorchBackend(opts: TorchBackendOptions): TorchBackend {
  const adapters = new Map(Object.entries(opts.adapters ?? {}));
  let running: Running | null = null;
  let starting: Promise<Running> | null = null;
  /**
   * The worker of `starting`, until it is ready: close() stops it there rather than waiting for a
   * whole model load, and marks it `stopped` so its end is reported as that, not as whatever the
   * interrupted import printed.
   */
  let launching: { worker: WorkerProcess; stopped: boolean } | null = null;
  let active = 0;
  let idleTimer: NodeJS.Timeout | null = null;

  const start = (): Promise<Running> => {
    if (running) return Promise.resolve(running);
    starting ??= launch().finally(() => (starting = null));
    return starting;
  };

  const launch = () =>
    new Promise<Running>((resolve, reject) => {
      mkdirSync(opts.stateDir, { recursive: true });
      const specPath = join(opts.stateDir, 'spec.json');
      const spec: WorkerServeSpec = {
        version: 1,
        command: 'serve',
        model: { path: opts.modelPath, chat_template: opts.chatTemplate ?? null },
        adapters: Object.fromEntries(adapters),
        host: '127.0.0.1',
        port: 0,
        device: opts.device ?? 'auto',
        threads: opts.threads ?? null,
        max_batch_size: opts.maxBatchSize ?? 16,
        dtype: opts.dtype ?? 'auto',
      };
      writeFileSync(specPath, JSON.stringify(spec, null, 2));
      const token = randomBytes(32).toString('hex');
      let settled = false;
      let lastError: WhetError | null = null;
      const timer = setTimeout(() => {
        fail(new WhetError('GENERATION_FAILED', `the generation server for ${opts.modelPath} did not get ready in ${(opts.startTimeoutMs ?? 300_000) / 1000} s`));
        worker.kill();
      }, opts.startTimeoutMs ?? 300_000);
      const fail = (e: WhetError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(e);
      };
      // Filled in once the worker is started; its events arrive only after that.
      const launch = { worker: null as unknown as WorkerProcess, stopped: false };
      const worker = startWorker(
        { python: opts.python, workerDir: opts.workerDir, command: 'serve', specPath, env: { WHET_WORKER_TOKEN: token } },
        {
          onEvent(e) {
            // A worker stopped by close() may still print `ready` (SIGTERM landed late in the
            // load): it is on its way out, so the load ends as "stopped" when it exits.
            if (e.type === 'ready' && !settled && !launch.stopped) {
              settled = true;
              clearTimeout(timer);
              launching = null;
              running = { worker, url: `http://${e.host}:${e.port}`, headers: { authorization: `Bearer ${token}` }, loadedAdapters: new Set(e.adapters) };
              logger.info('generation server ready', { model: opts.modelPath, url: running.url, adapters: e.adapters });
              resolve(running);
              scheduleIdle(); // loaded with no request to follow (it was aborted meanwhile): free it in time
            } else if (e.type === 'error') {
              const b = errorBody(e.code, e.message, e.hint);
              lastError = new WhetError(b.code, b.message, { hint: b.hint });
            } else if (e.type === 'log' && e.level !== 'debug') {
              logger.info('generation server', { model: opts.modelPath, message: e.message });
            }
          },
        },
      );
      launch.worker = worker;
      launching = launch;
      void worker.exited.then((exit) => {
        if (launching === launch) launching = null;
        if (running?.worker === worker) running = null;
        if (launch.stopped) {
          fail(
            new WhetError('GENERATION_FAILED', `the generation server for ${opts.modelPath} was stopped while it loaded the model (its deployment was stopped or deleted, or the model unloaded)`, {
              hint: 'Send the request again if the model should still answer: it loads anew on the next use.',
            }),
          );
          return;
        }
        fail(
          lastError ??
            new WhetError('GENERATION_FAILED', `the generation server exited (code ${exit.code ?? exit.signal}) before it was ready: ${exit.stderrTail.slice(-5).join(' | ')}`),
        );
      });
    });

  const scheduleIdle = () => {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = null;
    if (active > 0 || opts.idleTimeoutMs == null || !running) return;
    idleTimer = setTimeout(() => {
      if (active === 0) {
        logger.info('generation server idle, freeing it', { model: opts.modelPath });
        void backend.close();
      }
    }, opts.idleTimeoutMs);
    idleTimer.unref();
  };

  const upstreamError = async (res: Response): Promise<WhetError> => {
    const text = await res.text();
    let parsed: ReturnType<typeof GenerationErrorResponseSchema.safeParse> | null = null;
    try {
      parsed = GenerationErrorResponseSchema.safeParse(JSON.parse(text));
    } catch {
      // not JSON
    }
    if (parsed?.success) {
      const b = errorBody(parsed.data.error.code, parsed.data.error.message, parsed.data.error.hint);
      return new WhetError(b.code, b.message, { hint: b.hint, details: parsed.data.error });
    }
    return new WhetError('GENERATION_FAILED', `the generation server answered HTTP ${res.status}: ${text.slice(0, 300)}`);
  };

  const loadingAdapters = new Map<string, Promise<void>>();
  /** Load an adapter into a running server once, however many requests ask for it at the same time. */
  async function ensureAdapter(server: Running, name: string) {
    if (server.loadedAdapters.has(name)) return;
    const path = adapters.get(name);
    if (!path) throw new WhetError('ADAPTER_NOT_FOUND', `no adapter named "${name}" on ${opts.modelPath}`);
    let loading = loadingAdapters.get(name);
    if (!loading) {
      loading = (async () => {
        const res = await fetch(`${server.url}/adapters`, { method: 'POST', headers: { ...server.headers, 'content-type': 'application/json' }, body: JSON.stringify({ name, path }) });
        if (!res.ok) throw await upstreamError(res);
        server.loadedAdapters.add(name);
      })().finally(() => loadingAdapters.delete(name));
      loadingAdapters.set(name, loading);
    }
    await loading;
  }

  /** A connection failure (worker died) as a protocol error; an abort stays an abort. */
  const unreachable = (e: unknown, signal: AbortSignal) =>
    signal.aborted || e instanceof WhetError
      ? e
      : new WhetError('GENERATION_FAILED', `the generation server for ${opts.modelPath} is unreachable: ${(e as Error)?.message ?? String(e)}`, { cause: e });

  async function* stream(req: BackendRequest, signal: AbortSignal): AsyncGenerator<GenerateLine> {
    active++;
    if (idleTimer) clearTimeout(idleTimer);
    try {
      const server = await start();
      if (req.adapter) await ensureAdapter(server, req.adapter).catch((e: unknown) => Promise.reject(unreachable(e, signal)));
      const res = await fetch(`${server.url}/generate`, {
        method: 'POST',
        headers: { ...server.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ ...req, stream: true }),
        signal,
      }).catch((e: unknown) => Promise.reject(unreachable(e, signal)));
      if (!res.ok || !res.body) throw await upstreamError(res);
      for await (const line of ndjsonLines(res.body)) {
        const parsed = GenerateLineSchema.safeParse(JSON.parse(line));
        if (!parsed.success) throw new WhetError('GENERATION_FAILED', `the generation server sent a line outside the protocol: ${line.slice(0, 200)}`);
        yield parsed.data;
        if (parsed.data.type === 'done' || parsed.data.type === 'error') return;
      }
      throw new WhetError('GENERATION_FAILED', 'the generation server closed the stream before "done"');
    } finally {
      active--;
      scheduleIdle();
    }
  }

  const backend: TorchBackend = {
    specificationVersion: 'v1',
    backend: 'torch',
    parallelism: opts.maxBatchSize ?? 16,
    get running() {
      return running !== null;
    },
    get started() {
      return running !== null || starting !== null;
    },
    get pid() {
      return running?.worker.pid ?? null;
    },
    get url() {
      return running?.url ?? null;
    },
    addAdapter(name, path) {
      if (adapters.get(name) === path) return;
      adapters.set(name, path);
      running?.loadedAdapters.delete(name); // a new path for a known name: reload on next use
    },
    async removeAdapter(name) {
      adapters.delete(name); // a cold start no longer asks for it (its folder may be gone)
      await loadingAdapters.get(name)?.catch(() => undefined);
      const server = running ?? (starting ? await starting.catch(() => null) : null);
      if (!server?.loadedAdapters.has(name)) return;
      server.loadedAdapters.delete(name);
      const res = await fetch(`${server.url}/adapters/${encodeURIComponent(name)}`, { method: 'DELETE', headers: server.headers }).catch(() => null);
      if (res && !res.ok && res.status !== 404) throw await upstreamError(res);
      await res?.body?.cancel();
    },
    async health() {
      if (!running) return null;
      const res = await fetch(`${running.url}/health`, { headers: running.headers });
      return HealthResponseSchema.parse(await res.json());
    },
    load: async () => void (await start()),
    stream,
    async close() {
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = null;
      // A worker still loading the model is stopped where it is (SIGTERM ends it within about a
      // second), not waited for: a deployment deleted while loading answers at once.
      if (launching) {
        launching.stopped = true;
        void stopWorker(launching.worker);
      }
      const r = running ?? (starting ? await starting.catch(() => null) : null);
      running = null;
      if (r) await stopWorker(r.worker);
    },
  };
  return backend;
}

/** SIGTERM, then SIGKILL if the worker is still there after 10 s; resolves once it has exited. */
async function stopWorker(worker: WorkerProcess): Promise<void> {
  worker.stop();
  const killer = setTimeout(() => worker.kill(), 10_000);
  await worker.exited;
  clearTimeout(killer);
}
