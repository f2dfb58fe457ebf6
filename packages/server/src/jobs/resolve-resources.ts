import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { type Resources, type ResourcesInput, type Tuning, WhetError } from '@whetstone/core';
import { fsdpProblems } from './fsdp-problems.ts';

export interface Problem {
  code: 'INVALID_REQUEST' | 'EXECUTOR_UNAVAILABLE';
  field: string;
  message: string;
  hint: string;
}

/**
 * The resources a job trains with: each field the body gives, else the server's setting. Refused
 * at creation, all problems at once: what this server cannot run (Ray without a cluster, more nodes than
 * it knows, FSDP), and
 * combinations that would silently train differently from what was asked.
 */
export function resolveResources(input: ResourcesInput | undefined, defaults: Resources, opts: { torchrunHosts?: string[]; rayAddress?: string | null; tuning?: Tuning } = {}): Resources {
  const executor = input?.executor ?? defaults.executor;
  // A body that names another executor than the server's does not inherit that executor's process counts.
  const inherit = input?.executor === undefined || input.executor === defaults.executor;
  const r: Resources = {
    executor,
    nodes: input?.nodes ?? (inherit ? defaults.nodes : 1),
    processes_per_node: input?.processes_per_node ?? (inherit ? defaults.processes_per_node : executor === 'local' ? 1 : 2),
    gpus_per_process: input?.gpus_per_process ?? defaults.gpus_per_process,
    strategy: input?.strategy ?? defaults.strategy,
  };
  const sharedPath = input?.shared_path ?? defaults.shared_path;
  if (sharedPath !== undefined) r.shared_path = sharedPath;
  const problems: Problem[] = [];
  const shared = sharedPath === undefined ? null : checkSharedPath(sharedPath);
  if (shared) problems.push(shared);
  if (r.executor === 'ray' && !opts.rayAddress) {
    problems.push({
      code: 'EXECUTOR_UNAVAILABLE',
      field: 'resources.executor',
      message: 'executor "ray" needs a Ray cluster, and this server has none configured (WHET_RAY_ADDRESS is not set)',
      hint: 'Set WHET_RAY_ADDRESS to the head\'s address (host:6379, or ray://host:10001) and restart the server; or use executor "torchrun" or "local".',
    });
  }
  if (r.executor === 'local' && (r.nodes > 1 || r.processes_per_node > 1)) {
    problems.push({
      code: 'INVALID_REQUEST',
      field: r.nodes > 1 ? 'resources.nodes' : 'resources.processes_per_node',
      message: `the local executor runs one process on this machine; got nodes ${r.nodes}, processes_per_node ${r.processes_per_node}`,
      hint: 'Use executor "torchrun" for several processes, or leave nodes and processes_per_node out.',
    });
  }
  const hosts = opts.torchrunHosts ?? [];
  if (r.executor === 'torchrun' && r.nodes > 1 && hosts.length < r.nodes) {
    problems.push({
      code: 'EXECUTOR_UNAVAILABLE',
      field: 'resources.nodes',
      message: `torchrun across ${r.nodes} nodes needs ${r.nodes} node addresses; WHET_TORCHRUN_HOSTS names ${hosts.length}${hosts.length ? ` (${hosts.join(', ')})` : ''}`,
      hint: `Set WHET_TORCHRUN_HOSTS to ${r.nodes} addresses, this server's first (e.g. 10.0.0.1,10.0.0.2), with the state folder (WHET_HOME) at the same path on every node; or use nodes 1.`,
    });
  }
  if (r.gpus_per_process > 1) {
    problems.push({
      code: 'INVALID_REQUEST',
      field: 'resources.gpus_per_process',
      message: `each worker process drives one GPU (DDP and FSDP place one rank per device); got gpus_per_process ${r.gpus_per_process}`,
      hint: `Use gpus_per_process 1 and processes_per_node ${r.processes_per_node * r.gpus_per_process} to train on ${r.processes_per_node * r.gpus_per_process} GPUs.`,
    });
  }
  // A server default of fsdp leaves one-process jobs alone: they have nothing to shard across.
  if (r.strategy === 'fsdp' && input?.strategy === undefined && r.nodes * r.processes_per_node === 1) r.strategy = 'ddp';
  if (r.strategy === 'fsdp') problems.push(...fsdpProblems(r, opts.tuning));
  if (problems.length) {
    const first = problems[0]!;
    throw new WhetError(first.code, problems.map((p) => `${p.field}: ${p.message}`).join('; '), {
      field: first.field,
      hint: problems.map((p) => p.hint).join(' '),
      details: problems,
    });
  }
  return r;
}

/** A shared folder must be one the server can use as is: absolute (the same on every node) and an existing folder. */
function checkSharedPath(path: string): Problem | null {
  const problem = (message: string, hint: string): Problem => ({ code: 'INVALID_REQUEST', field: 'resources.shared_path', message, hint });
  if (!isAbsolute(path)) {
    return problem(`shared_path must be an absolute path, the same on every node; got "${path}"`, 'Give the folder\'s absolute path as every node mounts it, e.g. /mnt/shared/whetstone.');
  }
  let isFolder: boolean;
  try {
    isFolder = statSync(path).isDirectory();
  } catch {
    return problem(`shared_path ${path} does not exist on the server`, 'Create the folder (or mount the shared storage there) on the server and on every node, then send the job again.');
  }
  return isFolder ? null : problem(`shared_path ${path} is a file, not a folder`, 'Name the folder the job\'s files should go under.');
}

/**
 * What a run of several processes cannot take, refused at creation: `batch_size` is the global
 * batch, split evenly over the processes (the same spec takes the same steps anywhere). A budget
 * runs: rank 0 plans it and every rank takes its plan over (worker components/budget.py).
 */
export function checkFitsProcesses(r: Resources, batchSize: number): void {
  const processes = r.nodes * r.processes_per_node;
  if (processes === 1) return;
  if (batchSize % processes !== 0) {
    const lower = Math.max(processes, Math.floor(batchSize / processes) * processes);
    throw new WhetError('INVALID_HYPERPARAMETER', `batch_size ${batchSize} does not split evenly over ${processes} processes (it is the global batch)`, {
      field: 'hyperparameters.batch_size',
      hint: `Use a multiple of ${processes}, e.g. ${lower} or ${lower + processes}.`,
    });
  }
}
