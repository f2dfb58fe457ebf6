"""Where this process sits in a multi-process run (torchrun, Ray Train): its rank and the world's size.

The launcher says it through the environment (RANK, LOCAL_RANK, WORLD_SIZE, LOCAL_WORLD_SIZE);
a plain `python -m whet_worker` run has none of them and is rank 0 of 1. Only rank 0 reports
events and writes the result: every rank trains the same steps, so one voice is enough, and two
would interleave on the launcher's stdout. Every rank's failure is reported, with its rank.
Two collectives let the ranks decide together: any_rank (a flag raised anywhere holds everywhere)
and from_rank_zero (what rank 0 alone measured and decided, taken over by every rank).
"""

import os
import sys
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Rank:
    rank: int = 0
    local_rank: int = 0
    world_size: int = 1
    local_world_size: int = 1

    @property
    def reports(self) -> bool:
        """This process speaks for the run: events, checkpoints' bookkeeping, the final model."""
        return self.rank == 0

    @property
    def distributed(self) -> bool:
        return self.world_size > 1


@cache
def this_rank() -> Rank:
    env = os.environ
    world = int(env.get("WORLD_SIZE", "1"))
    return Rank(
        rank=int(env.get("RANK", "0")),
        local_rank=int(env.get("LOCAL_RANK", "0")),
        world_size=world,
        local_world_size=int(env.get("LOCAL_WORLD_SIZE", str(world))),
    )


def any_rank(flags: list[bool], device) -> list[bool]:
    """Each flag true on every rank when it is true on any (one all-reduce). A collective: every rank
    calls it at the same point. One process: the flags as they are."""
    import torch
    import torch.distributed as dist

    if not (dist.is_available() and dist.is_initialized()):
        return flags
    t = torch.tensor([1 if f else 0 for f in flags], device=device)
    dist.all_reduce(t, op=dist.ReduceOp.MAX)
    return [bool(v) for v in t.tolist()]


def from_rank_zero(values: list[float], device) -> list[float]:
    """Rank 0's values on every rank (one broadcast), for what only rank 0 should decide, such as a
    plan made from its clock. Numbers travel as float64: integers stay exact up to 2**53. A
    collective: every rank calls it at the same point, with as many values. One process: the values
    as they are."""
    import torch
    import torch.distributed as dist

    if not this_rank().distributed:
        return values
    join_process_group(device)
    t = torch.tensor([float(v) for v in values], dtype=torch.float64, device=device)
    dist.broadcast(t, src=0)
    return t.tolist()


def join_process_group(device) -> None:
    """The process group the launcher's environment describes, as the trainer would start it (gloo on
    CPU, nccl on CUDA), for a collective before any trainer exists (lr_search decides before
    training). The trainer's accelerate state takes over a group already started, as under Ray Train."""
    import torch
    import torch.distributed as dist

    if not dist.is_initialized():
        dist.init_process_group(backend="nccl" if torch.device(device).type == "cuda" else "gloo")


def leave_process_group() -> None:
    """Destroy this rank's process group once its work is done. A gloo group left for interpreter
    exit keeps its threads alive, and the exit can abort the rank ("terminate called without an
    active exception", SIGABRT) after it finished: seen in CI. Only after a normal end: a rank whose
    peer died exits without the teardown, which could wait on the dead peer."""
    dist = sys.modules.get("torch.distributed")  # never started if never imported
    if dist is not None and dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()
