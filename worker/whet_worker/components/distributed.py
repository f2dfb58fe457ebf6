"""Where this process sits in a multi-process run (torchrun, Ray Train): its rank and the world's size.

The launcher says it through the environment (RANK, LOCAL_RANK, WORLD_SIZE, LOCAL_WORLD_SIZE);
a plain `python -m whet_worker` run has none of them and is rank 0 of 1. Only rank 0 reports
events and writes the result: every rank trains the same steps, so one voice is enough, and two
would interleave on the launcher's stdout. Every rank's failure is reported, with its rank.
"""

import os
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
