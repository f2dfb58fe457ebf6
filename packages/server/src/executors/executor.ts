import type { Job } from '@whetstone/core';
import type { WorkerExit, WorkerHandlers } from '../jobs/worker-process.ts';

/**
 * Where and how a training job's worker runs. The scheduler talks only to this: it never sees a
 * pid, /proc or a launcher. `local` (one process) is the first implementation; `torchrun` (several
 * processes through torch's elastic launcher) the second.
 */
export interface Executor {
  readonly name: string;
  /** Launch `whet_worker train <specPath>`; events from the reporting process reach `handlers`. Throws a WhetError when it cannot start. */
  start(run: ExecutionRequest, handlers: WorkerHandlers): Execution;
  /**
   * A run a previous server process left for this job: null when none is alive any more. It
   * cannot be re-attached (its stdout went with the old server); it can only be stopped.
   */
  recover(job: Job, jobDir: string): Leftover | null;
  /** Where the run's checkpoints and final model end up, as seen from the server. */
  artifactsDir(job: Job): string;
}

export interface ExecutionRequest {
  job: Job;
  jobDir: string;
  specPath: string;
}

/** A run this server started. */
export interface Execution {
  /** Shown to people and stored as the job's worker_pid: the process the server spawned. */
  pid: number;
  exited: Promise<WorkerExit>;
  /** Checkpoint, then stop (SIGTERM to every process of the run). */
  stop(): void;
  /** Stop now, without a checkpoint. */
  kill(): void;
  /** What people must know about this run, shown in the job's log (the command each other node runs). */
  notes?: string[];
}

/** A run left by a previous server process, still alive when the server started. */
export interface Leftover {
  /** Names it in messages: "pid 1234". */
  describe: string;
  isAlive(): boolean;
  stop(): void;
  kill(): void;
}
