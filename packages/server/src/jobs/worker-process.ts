import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseWorkerLine, WhetError, type WorkerEvent } from '@whetstone/core';

export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Last lines of stderr, for an error message when the worker died without an `error` event. */
  stderrTail: string[];
}

export interface WorkerHandlers {
  onEvent(e: WorkerEvent): void;
  onStderr?(line: string): void;
}

/** One running `python -m whet_worker <command> <spec>`, its stdout parsed as protocol events. */
export interface WorkerProcess {
  pid: number;
  exited: Promise<WorkerExit>;
  /** SIGTERM: the worker checkpoints and stops. */
  stop(): void;
  kill(): void;
}

export interface WorkerLaunch {
  python: string;
  workerDir: string;
  command: 'train' | 'generate' | 'export' | 'serve' | 'score-choices';
  specPath: string;
  env?: Record<string, string>;
  /** The interpreter's arguments when not `-m whet_worker <command> <specPath>` (a launcher such as torchrun). */
  args?: string[];
  /**
   * Start it in a process group of its own and signal the whole group, so a launcher's children
   * get stop and kill too (a SIGKILL to the launcher alone would orphan them).
   */
  processGroup?: boolean;
}

/**
 * The local executor's process layer: spawn the worker with the project venv, parse each
 * stdout line with the protocol schema, keep a tail of stderr. The worker never touches the
 * database; everything it says arrives here.
 */
export function startWorker(launch: WorkerLaunch, handlers: WorkerHandlers): WorkerProcess {
  if (!existsSync(launch.python)) {
    throw new WhetError('WORKER_ENV_MISSING', `the worker's Python is missing at ${launch.python}`);
  }
  const child: ChildProcess = spawn(launch.python, launch.args ?? ['-m', 'whet_worker', launch.command, launch.specPath], {
    cwd: launch.workerDir,
    env: {
      ...withoutRankVariables(process.env),
      PYTHONPATH: launch.workerDir,
      PYTHONUNBUFFERED: '1',
      HF_HUB_OFFLINE: process.env.HF_HUB_OFFLINE ?? '1',
      TOKENIZERS_PARALLELISM: 'false',
      ...launch.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: launch.processGroup ?? false,
  });
  const stderrTail: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.trim()) handlers.onEvent(parseWorkerLine(line));
  });
  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderrTail.push(line);
    if (stderrTail.length > 40) stderrTail.shift();
    handlers.onStderr?.(line);
  });
  const exited = new Promise<WorkerExit>((resolve) => {
    let stdoutClosed = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    const finish = () => stdoutClosed && exit && resolve({ ...exit, stderrTail });
    child.stdout!.on('close', () => ((stdoutClosed = true), finish()));
    child.on('exit', (code, signal) => ((exit = { code, signal }), finish()));
    child.on('error', (err) => {
      stderrTail.push(String(err));
      exit = { code: -1, signal: null };
      stdoutClosed = true;
      finish();
    });
  });
  const send = (sig: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (launch.processGroup && child.pid) {
      try {
        process.kill(-child.pid, sig);
      } catch {
        /* the group is gone */
      }
    } else child.kill(sig);
  };
  return {
    pid: child.pid ?? -1,
    exited,
    stop: () => send('SIGTERM'),
    kill: () => send('SIGKILL'),
  };
}

/**
 * The server's environment less the variables that place a process in a multi-process run: a
 * server itself started under torchrun or Slurm must not make its one-process worker think it is
 * rank 3 of 8 (it would stay silent). Launchers set their own for their ranks.
 */
function withoutRankVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { RANK, LOCAL_RANK, WORLD_SIZE, LOCAL_WORLD_SIZE, MASTER_ADDR, MASTER_PORT, ...rest } = env;
  return rest;
}
