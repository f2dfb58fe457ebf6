"""`python -m whet_worker.torchrun [torchrun options] -m whet_worker train SPEC`: torch's elastic launcher
(torch.distributed.run, what `torchrun` runs), whose own failures become protocol events.

The ranks print their events on the launcher's stdout, which they inherit (only rank 0 reports,
see components/distributed.py). What only the launcher knows is said here, as an `error` event:
a rank that died without a word (killed, crashed), naming the rank, and a rendezvous that did
not complete (a node missing), naming the time-out and the setting, never a hang. SIGTERM (pause,
cancel) is the launcher's to forward: the ranks checkpoint and report `stopped` themselves. The
ranks run in sessions of their own, out of reach of a signal to the launcher's process group: a
launcher killed outright takes them with it through the parent-death signal they set.
"""

import os
import signal
import sys

from .events import emit

# A rank ended by one of these was stopped on purpose (the launcher's own shutdown), not the cause.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def main(argv: list[str]) -> int:
    from torch.distributed.elastic.multiprocessing.api import SignalException
    from torch.distributed.elastic.multiprocessing.errors import ChildFailedError
    from torch.distributed.elastic.rendezvous.api import RendezvousError
    from torch.distributed import DistError
    from torch.distributed.run import parse_args, run

    args = parse_args(argv)
    # The ranks' parent: they die with it (components/die_with_launcher.py), as they sit in sessions of their own.
    os.environ["WHET_LAUNCHER_PID"] = str(os.getpid())
    try:
        run(args)
        return 0
    except ChildFailedError as exc:
        rank, failure = root_cause(exc.failures)
        how = f"was killed by {failure.signal_name()}" if failure.exitcode < 0 else f"exited with code {failure.exitcode}"
        code = "WORKER_LOST" if failure.exitcode < 0 else "WORKER_FAILED"
        emit(
            "error",
            code=code,
            message=f"rank {rank} (pid {failure.pid}; {args.nproc_per_node} processes a node, {args.nnodes} node(s)) {how}",
            rank=rank,
            source="launcher",
        )
        return 1
    except (RendezvousError, DistError) as exc:
        # c10d rendezvous errors, and the static rendezvous' store timing out for a node that never came
        where = args.rdzv_endpoint or f"{args.master_addr}:{args.master_port}"
        emit(
            "error",
            code="EXECUTOR_UNAVAILABLE",
            message=f"the rendezvous at {where} did not complete ({type(exc).__name__}: {str(exc).splitlines()[0][:300]}): "
            f"expected {args.nnodes} node(s) of {args.nproc_per_node} process(es)",
            hint="Start every node's command (the job's log prints each), check that the rendezvous host and port are reachable "
            "from every node (WHET_TORCHRUN_HOSTS), or raise WHET_TORCHRUN_TIMEOUT_SECONDS.",
            source="launcher",
        )
        return 1
    except SignalException:
        return 0  # stopped on request: the ranks have reported


def root_cause(failures: dict) -> tuple[int, object]:
    """The rank whose failure started it: one that died by a signal it was not sent to stop (kill -9,
    the OOM killer), else the first one torch observed. The others often fail after it (their peer is
    gone), and the launcher then stops the rest with SIGTERM."""
    def stopped(f) -> bool:
        return f.exitcode < 0 and -f.exitcode in STOP_SIGNALS

    killed = [r for r, f in failures.items() if f.exitcode < 0 and not stopped(f)]
    if killed:
        rank = min(killed)
        return rank, failures[rank]
    causes = {r: f for r, f in failures.items() if not stopped(f)} or failures
    rank = min(causes, key=lambda r: (causes[r].timestamp, r))
    return rank, causes[rank]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
