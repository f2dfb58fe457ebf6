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
  const child: ChildProcess = spawn(launch.python, ['-m', 'whet_worker', launch.command, launch.specPath], {
    cwd: launch.workerDir,
    env: {
      ...process.env,
      PYTHONPATH: launch.workerDir,
      PYTHONUNBUFFERED: '1',
      HF_HUB_OFFLINE: process.env.HF_HUB_OFFLINE ?? '1',
      TOKENIZERS_PARALLELISM: 'false',
      ...launch.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
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
  return {
    pid: child.pid ?? -1,
    exited,
    stop: () => child.exitCode === null && child.kill('SIGTERM'),
    kill: () => child.exitCode === null && child.kill('SIGKILL'),
  };
}
