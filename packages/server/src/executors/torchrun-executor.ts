import type { Resources } from '@whetstone/core';
import type { Executor } from './executor.ts';
import { localExecutor } from './local-executor.ts';

export interface TorchrunOptions {
  python: string;
  workerDir: string;
  /** Seconds every process has to join the rendezvous before the run fails (WHET_TORCHRUN_TIMEOUT_SECONDS). */
  joinTimeoutSeconds: number;
  /** Seconds the ranks get to checkpoint after SIGTERM before the launcher kills them (the server's stop grace). */
  shutdownTimeoutSeconds: number;
}

/**
 * Several worker processes on this machine through torch's elastic launcher, wrapped by
 * `whet_worker.torchrun` so a failed rank ends as an error event naming it. The launcher and its
 * ranks share a process group: stop, kill and a restart's clean-up reach every rank.
 */
export function torchrunExecutor(opts: TorchrunOptions): Executor {
  return localExecutor({
    python: opts.python,
    workerDir: opts.workerDir,
    name: 'torchrun',
    processGroup: true,
    launch: (run) => ({ args: torchrunArgs(run.job.resources!, { ...opts, rdzvId: run.job.id, specPath: run.specPath }) }),
  });
}

/**
 * The launcher's command line. One node: a c10d rendezvous on 127.0.0.1 with a port the launcher
 * picks (`:0`, as --standalone does), so two jobs never race for one.
 */
export function torchrunArgs(r: Resources, o: TorchrunOptions & { rdzvId: string; specPath: string }): string[] {
  return [
    '-m', 'whet_worker.torchrun',
    '--nnodes', String(r.nodes),
    '--nproc-per-node', String(r.processes_per_node),
    '--rdzv-backend', 'c10d',
    '--rdzv-endpoint', '127.0.0.1:0',
    '--rdzv-id', o.rdzvId,
    '--rdzv-conf', `join_timeout=${o.joinTimeoutSeconds}`,
    '--local-addr', '127.0.0.1',
    '--max-restarts', '0',
    '--shutdown-timeout', String(o.shutdownTimeoutSeconds),
    '-m', 'whet_worker', 'train', o.specPath,
  ];
}
