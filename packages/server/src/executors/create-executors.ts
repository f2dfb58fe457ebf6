import type { Job } from '@whetstone/core';
import type { ServerConfig } from '../config.ts';
import type { Executor } from './executor.ts';
import { localExecutor } from './local-executor.ts';
import { rayExecutor } from './ray-executor.ts';
import { torchrunExecutor } from './torchrun-executor.ts';

/** The executor that runs a job, chosen by its `resources.executor` (jobs from before resources: local). */
export function createExecutors(config: ServerConfig): (job: Job) => Executor {
  const local = localExecutor({ python: config.python, workerDir: config.workerDir });
  const torchrun = torchrunExecutor({
    python: config.python,
    workerDir: config.workerDir,
    joinTimeoutSeconds: config.torchrunTimeoutSeconds,
    shutdownTimeoutSeconds: config.stopGraceSeconds,
    hosts: config.torchrunHosts,
    port: config.torchrunPort,
  });
  const ray = rayExecutor({ python: config.python, workerDir: config.workerDir, address: config.rayAddress, maxFailures: config.rayMaxFailures });
  const byName = { local, torchrun, ray };
  return (job) => byName[job.resources?.executor ?? 'local'];
}
