import type { Executor } from './executor.ts';
import { localExecutor } from './local-executor.ts';

export interface RayOptions {
  python: string;
  workerDir: string;
  address: string | null;
  maxFailures: number;
}

/**
 * Ray Train on the configured cluster: this server runs the driver (`whet_worker.ray_train`) as a
 * child process and reads its stdout; the ranks run as Ray Train workers wherever Ray places
 * them, and must see the job folder at the same path (one machine, or shared storage). Stopping
 * the driver stops the run: SIGTERM asks the ranks to checkpoint; the driver's exit ends its workers.
 */
export function rayExecutor(opts: RayOptions): Executor {
  return localExecutor({
    python: opts.python,
    workerDir: opts.workerDir,
    name: 'ray',
    processGroup: true,
    launch: (run) => {
      const r = run.job.resources!;
      return {
        args: ['-m', 'whet_worker.ray_train', run.specPath],
        env: {
          WHET_RAY_ADDRESS: opts.address ?? '',
          WHET_RAY_WORKERS: String(r.nodes * r.processes_per_node),
          WHET_RAY_GPUS_PER_WORKER: String(r.gpus_per_process),
          WHET_RAY_MAX_FAILURES: String(opts.maxFailures),
        },
      };
    },
  });
}
