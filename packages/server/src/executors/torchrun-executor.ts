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
  /** The nodes of a run of several (WHET_TORCHRUN_HOSTS), this server's first; its rendezvous port (WHET_TORCHRUN_PORT). */
  hosts: string[];
  port: number;
}

/**
 * Several worker processes through torch's elastic launcher, wrapped by `whet_worker.torchrun`
 * so a failed rank ends as an error event naming it. Stop, kill and a restart's clean-up signal
 * the launcher's process group; the ranks (in sessions of their own) get SIGTERM forwarded by the
 * launcher, and die with it when it is killed (their parent-death signal). Several nodes: this server
 * launches node 0 (whose rank 0 reports on its stdout) and the job's log gives the exact command
 * for each other node, to run there with the same paths (a shared WHET_HOME).
 */
export function torchrunExecutor(opts: TorchrunOptions): Executor {
  return localExecutor({
    python: opts.python,
    workerDir: opts.workerDir,
    name: 'torchrun',
    processGroup: true,
    launch: (run) => {
      const r = run.job.resources!;
      const node = (rank: number) => torchrunArgs(r, { ...opts, rdzvId: run.job.id, specPath: run.specPath, nodeRank: rank });
      const notes = Array.from({ length: r.nodes - 1 }, (_, i) => {
        const command = [shellQuote(opts.python), ...node(i + 1).map(shellQuote)].join(' ');
        return `node ${i + 1} of ${r.nodes} (${opts.hosts[i + 1]}): start it there within ${opts.joinTimeoutSeconds} s, from the same folders: cd ${shellQuote(opts.workerDir)} && PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false ${command}`;
      });
      return { args: node(0), notes };
    },
  });
}

/**
 * The launcher's command line. One node: a c10d rendezvous on 127.0.0.1 with a port the launcher
 * picks (`:0`, as --standalone does), so two jobs never race for one. Several nodes: the static
 * rendezvous on the first host, node ranks fixed, so global rank 0 (the one that reports) runs
 * on this server's node, whose stdout the server reads.
 */
export function torchrunArgs(r: Resources, o: TorchrunOptions & { rdzvId: string; specPath: string; nodeRank: number }): string[] {
  const rendezvous =
    r.nodes === 1
      ? ['--rdzv-backend', 'c10d', '--rdzv-endpoint', '127.0.0.1:0', '--rdzv-id', o.rdzvId, '--rdzv-conf', `join_timeout=${o.joinTimeoutSeconds}`, '--local-addr', '127.0.0.1']
      : ['--rdzv-backend', 'static', '--node-rank', String(o.nodeRank), '--master-addr', o.hosts[0]!, '--master-port', String(o.port),
         '--rdzv-id', o.rdzvId, '--rdzv-conf', `timeout=${o.joinTimeoutSeconds}`, '--local-addr', o.hosts[o.nodeRank]!]; // prettier-ignore
  return [
    '-m', 'whet_worker.torchrun',
    '--nnodes', String(r.nodes),
    '--nproc-per-node', String(r.processes_per_node),
    ...rendezvous,
    '--max-restarts', '0',
    '--shutdown-timeout', String(o.shutdownTimeoutSeconds),
    '-m', 'whet_worker', 'train', o.specPath,
  ]; // prettier-ignore
}

const shellQuote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
