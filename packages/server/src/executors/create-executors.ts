import type { Job } from '@whetstone/core';
import type { ServerConfig } from '../config.ts';
import type { Executor } from './executor.ts';
import { localExecutor } from './local-executor.ts';

/** The executor that runs a job: one per kind, chosen by the job's `resources.executor`. */
export function createExecutors(config: ServerConfig): (job: Job) => Executor {
  const local = localExecutor({ python: config.python, workerDir: config.workerDir });
  return () => local;
}
