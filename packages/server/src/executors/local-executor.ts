import type { Job } from '@whetstone/core';
import { logger } from '../logger.ts';
import { processIdentity } from '../jobs/process-identity.ts';
import { clearWorkerRecord, isRecordedWorkerAlive, writeWorkerRecord } from '../jobs/worker-record.ts';
import { startWorker, type WorkerHandlers, type WorkerLaunch } from '../jobs/worker-process.ts';
import type { Execution, ExecutionRequest, Executor, Leftover } from './executor.ts';

export interface LocalExecutorOptions {
  python: string;
  workerDir: string;
  name?: string;
  /** How to run the worker for this request; the default is `python -m whet_worker train <spec>` as one process. */
  launch?(run: ExecutionRequest): Pick<WorkerLaunch, 'args' | 'env'> & { notes?: string[] };
  /** A launcher with children of its own: start it in a process group and signal the whole group (here and after a restart). */
  processGroup?: boolean;
}

/**
 * Runs the worker as a child process of this server (one process, or a launcher such as torchrun
 * that starts its own children in the same process group). jobs/<id>/worker.json records the
 * process, so a later server process can tell whether it still lives before it signals it.
 */
export function localExecutor(opts: LocalExecutorOptions): Executor {
  return {
    name: opts.name ?? 'local',
    start(run: ExecutionRequest, handlers: WorkerHandlers): Execution {
      const { notes, ...extra } = opts.launch?.(run) ?? {};
      const worker = startWorker(
        { python: opts.python, workerDir: opts.workerDir, command: 'train', specPath: run.specPath, processGroup: opts.processGroup, ...extra },
        handlers,
      );
      try {
        writeWorkerRecord(run.jobDir, { pid: worker.pid, identity: processIdentity(worker.pid) });
      } catch (e) {
        logger.warn('cannot record the worker process; a server restart will not stop it', { job: run.job.id, error: String(e) });
      }
      const exited = worker.exited.then((exit) => {
        clearWorkerRecord(run.jobDir);
        return exit;
      });
      return { pid: worker.pid, exited, stop: worker.stop, kill: worker.kill, notes };
    },
    recover(job: Job, jobDir: string): Leftover | null {
      const pid = job.worker_pid;
      if (!pid || !isRecordedWorkerAlive(jobDir, pid)) return null;
      return {
        describe: `pid ${pid}`,
        isAlive: () => {
          const alive = isRecordedWorkerAlive(jobDir, pid);
          if (!alive) clearWorkerRecord(jobDir);
          return alive;
        },
        // A negative pid signals the process group the launcher leads. torchrun's ranks sit in sessions
        // of their own: the launcher forwards SIGTERM to them, and a killed launcher takes them with it.
        stop: () => signal(opts.processGroup ? -pid : pid, 'SIGTERM'),
        kill: () => signal(opts.processGroup ? -pid : pid, 'SIGKILL'),
      };
    },
    artifactsDir: (job: Job) => job.output_dir,
  };
}

function signal(pid: number, sig: NodeJS.Signals) {
  try {
    process.kill(pid, sig);
  } catch {
    /* exited meanwhile */
  }
}
