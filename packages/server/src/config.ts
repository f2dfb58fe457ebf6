import { totalmem } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { EXECUTORS, HTTP_URL_PATTERN, type Resources, STRATEGIES, WhetError } from '@whetstone/core';

export const LLAMA_GPUS = ['off', 'auto', 'cuda', 'vulkan', 'metal'] as const;
export type LlamaGpu = (typeof LLAMA_GPUS)[number];

/** Server settings, all from the environment so `npm start` needs no flags. */
export interface ServerConfig {
  home: string;
  host: string;
  port: number;
  maxConcurrentJobs: number;
  maxUploadBytes: number;
  apiKeys: string[];
  /** Python that runs the worker (the project venv by default). */
  python: string;
  /** Folder holding the `whet_worker` package. */
  workerDir: string;
  /** Seconds a worker gets to checkpoint after SIGTERM before SIGKILL. */
  stopGraceSeconds: number;
  /** Seconds an on-demand generation server (a model called without a deployment) stays loaded idle. */
  serveIdleSeconds: number;
  /**
   * llama.cpp decode threads; null = the physical cores (fastest on a machine of its own).
   * On a machine shared with other busy processes 1 is far faster: its threads spin-wait.
   */
  llamaThreads: number | null;
  /**
   * Where llama.cpp runs (WHET_LLAMA_GPU): off (the CPU, default), cuda, vulkan, metal, or auto
   * (the best one found). cuda and vulkan need their prebuilt binaries: `WHET_LLAMA_GPU=cuda npm run setup`.
   */
  llamaGpu: LlamaGpu;
  /**
   * Extra host names (besides the listen address, localhost and 127.0.0.1) a request's Host and
   * a browser's Origin may name: WHET_ALLOWED_HOSTS=whet.example.com,gpu-box. Guards against
   * DNS rebinding and cross-site requests from web pages.
   */
  allowedHosts: string[];
  /**
   * Folders a model registration or a deployment's GGUF path may point into (WHET_MODEL_ROOTS,
   * comma-separated absolute paths; default the state folder and the demo model cache).
   */
  modelRoots: string[];
  /** On-demand generation servers (one per base model) loaded at once (WHET_MAX_LOADED_MODELS). */
  maxLoadedModels: number;
  /** Memory the on-demand generation servers may take together, estimated from parameter counts (WHET_MODEL_MEMORY_GB). */
  modelMemoryBytes: number;
  /** Environment variables a connection may take its key from (WHET_ENDPOINT_KEYS=NAME,...); no other is ever read for one. */
  endpointKeyEnvs: string[];
  /** The console's address as people reach it (WHET_PUBLIC_URL), for links in job-end webhooks; null: the address it listens on. */
  publicUrl: string | null;
  /**
   * Where a job trains when its body leaves `resources` (or one of its fields) out: WHET_EXECUTOR
   * (local), WHET_NODES (1), WHET_PROCESSES_PER_NODE (1), WHET_GPUS_PER_PROCESS (0), WHET_STRATEGY (ddp),
   * WHET_SHARED_PATH (none: the job's files stay in WHET_HOME/jobs/<id>).
   */
  resources: Resources;
  /** torchrun's rendezvous time-out in seconds (WHET_TORCHRUN_TIMEOUT_SECONDS): a run whose processes do not all join fails, never hangs. */
  torchrunTimeoutSeconds: number;
  /**
   * The machines a torchrun job of several nodes runs on (WHET_TORCHRUN_HOSTS, comma-separated
   * addresses, this server's first as the others reach it); empty: one node only.
   */
  torchrunHosts: string[];
  /** The port of the rendezvous on the first host (WHET_TORCHRUN_PORT, 29400). */
  torchrunPort: number;
  /** The Ray cluster of executor "ray" (WHET_RAY_ADDRESS: host:6379, or ray://host:10001); null: no Ray executor. */
  rayAddress: string | null;
  /** Times Ray Train may restart a job's workers after a failure before the job fails (WHET_RAY_MAX_FAILURES, 0). */
  rayMaxFailures: number;
}

const int = (name: string, value: string | undefined, fallback: number, min = 1): number => {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new WhetError('INVALID_REQUEST', `${name} must be an integer >= ${min}, got "${value}"`, {
      hint: `Unset ${name} or set it to a whole number such as ${fallback}.`,
    });
  }
  return n;
};

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined || value === '') return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new WhetError('INVALID_REQUEST', `${name} must be one of ${allowed.join(', ')}, got "${value}"`, { hint: `Unset ${name} or set it to ${fallback}.` });
  }
  return value as T;
}

const list = (value: string | undefined) => (value ?? '').split(',').map((k) => k.trim()).filter(Boolean);

function modelRoots(env: NodeJS.ProcessEnv, home: string, repoRoot: string): string[] {
  const given = list(env.WHET_MODEL_ROOTS);
  const bad = given.filter((p) => !isAbsolute(p));
  if (bad.length) {
    throw new WhetError('INVALID_REQUEST', `WHET_MODEL_ROOTS must hold absolute folders, got "${bad.join('", "')}"`, {
      hint: 'Set WHET_MODEL_ROOTS=/srv/models,/data/checkpoints (comma-separated absolute paths).',
    });
  }
  return given.length ? given.map((p) => resolve(p)) : [home, resolve(repoRoot, '.cache/demo-model')];
}

function publicUrl(value: string | undefined): string | null {
  if (!value) return null;
  if (!HTTP_URL_PATTERN.test(value)) {
    throw new WhetError('INVALID_REQUEST', `WHET_PUBLIC_URL must be an http(s) URL such as https://whet.example.com, got "${value}"`, {
      hint: 'Set it to the address people open the console at (no user:password@, query or fragment), or unset it.',
    });
  }
  return value.replace(/\/+$/, '');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, repoRoot = resolve(import.meta.dirname, '../../..')): ServerConfig {
  const home = resolve(env.WHET_HOME ?? resolve(repoRoot, '.whet'));
  return {
    home,
    host: env.WHET_HOST ?? '127.0.0.1',
    port: int('WHET_PORT', env.WHET_PORT, 7860, 0),
    maxConcurrentJobs: int('WHET_MAX_CONCURRENT_JOBS', env.WHET_MAX_CONCURRENT_JOBS, 1),
    maxUploadBytes: int('WHET_MAX_UPLOAD_MB', env.WHET_MAX_UPLOAD_MB, 2048) * 1024 * 1024,
    apiKeys: list(env.WHET_API_KEYS),
    python: env.WHET_PYTHON ?? resolve(repoRoot, '.venv/bin/python'),
    workerDir: resolve(repoRoot, 'worker'),
    stopGraceSeconds: int('WHET_STOP_GRACE_SECONDS', env.WHET_STOP_GRACE_SECONDS, 120),
    serveIdleSeconds: int('WHET_SERVE_IDLE_SECONDS', env.WHET_SERVE_IDLE_SECONDS, 600),
    llamaThreads: env.WHET_LLAMA_THREADS ? int('WHET_LLAMA_THREADS', env.WHET_LLAMA_THREADS, 1) : null,
    llamaGpu: oneOf('WHET_LLAMA_GPU', env.WHET_LLAMA_GPU, LLAMA_GPUS, 'off'),
    allowedHosts: list(env.WHET_ALLOWED_HOSTS).map((h) => h.toLowerCase()),
    modelRoots: modelRoots(env, home, repoRoot),
    maxLoadedModels: int('WHET_MAX_LOADED_MODELS', env.WHET_MAX_LOADED_MODELS, 2),
    endpointKeyEnvs: list(env.WHET_ENDPOINT_KEYS),
    publicUrl: publicUrl(env.WHET_PUBLIC_URL),
    resources: {
      executor: oneOf('WHET_EXECUTOR', env.WHET_EXECUTOR, EXECUTORS, 'local'),
      nodes: int('WHET_NODES', env.WHET_NODES, 1),
      processes_per_node: int('WHET_PROCESSES_PER_NODE', env.WHET_PROCESSES_PER_NODE, 1),
      gpus_per_process: int('WHET_GPUS_PER_PROCESS', env.WHET_GPUS_PER_PROCESS, 0, 0),
      strategy: oneOf('WHET_STRATEGY', env.WHET_STRATEGY, STRATEGIES, 'ddp'),
      ...(env.WHET_SHARED_PATH ? { shared_path: env.WHET_SHARED_PATH } : {}),
    },
    torchrunTimeoutSeconds: int('WHET_TORCHRUN_TIMEOUT_SECONDS', env.WHET_TORCHRUN_TIMEOUT_SECONDS, 60),
    torchrunHosts: list(env.WHET_TORCHRUN_HOSTS),
    torchrunPort: int('WHET_TORCHRUN_PORT', env.WHET_TORCHRUN_PORT, 29400),
    rayAddress: env.WHET_RAY_ADDRESS || null,
    rayMaxFailures: int('WHET_RAY_MAX_FAILURES', env.WHET_RAY_MAX_FAILURES, 0, 0),
    modelMemoryBytes: int('WHET_MODEL_MEMORY_GB', env.WHET_MODEL_MEMORY_GB, Math.max(1, Math.floor(totalmem() / 2 ** 30 / 2))) * 2 ** 30,
  };
}

export const isLoopback = (host: string) => host === 'localhost' || host === '::1' || host.startsWith('127.');
