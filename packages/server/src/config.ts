import { resolve } from 'node:path';
import { WhetError } from '@whetstone/core';

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

export function loadConfig(env: NodeJS.ProcessEnv = process.env, repoRoot = resolve(import.meta.dirname, '../../..')): ServerConfig {
  return {
    home: resolve(env.WHET_HOME ?? resolve(repoRoot, '.whet')),
    host: env.WHET_HOST ?? '127.0.0.1',
    port: int('WHET_PORT', env.WHET_PORT, 7860, 0),
    maxConcurrentJobs: int('WHET_MAX_CONCURRENT_JOBS', env.WHET_MAX_CONCURRENT_JOBS, 1),
    maxUploadBytes: int('WHET_MAX_UPLOAD_MB', env.WHET_MAX_UPLOAD_MB, 2048) * 1024 * 1024,
    apiKeys: (env.WHET_API_KEYS ?? '').split(',').map((k) => k.trim()).filter(Boolean),
    python: env.WHET_PYTHON ?? resolve(repoRoot, '.venv/bin/python'),
    workerDir: resolve(repoRoot, 'worker'),
    stopGraceSeconds: int('WHET_STOP_GRACE_SECONDS', env.WHET_STOP_GRACE_SECONDS, 120),
    serveIdleSeconds: int('WHET_SERVE_IDLE_SECONDS', env.WHET_SERVE_IDLE_SECONDS, 600),
    llamaThreads: env.WHET_LLAMA_THREADS ? int('WHET_LLAMA_THREADS', env.WHET_LLAMA_THREADS, 1) : null,
  };
}

export const isLoopback = (host: string) => host === 'localhost' || host === '::1' || host.startsWith('127.');
