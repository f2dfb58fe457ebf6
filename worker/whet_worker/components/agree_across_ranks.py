"""Several processes take each step's decisions together: stop, save, evaluate, log.

Every rank runs its own callbacks, and some decide by what only that rank saw: SIGTERM arrives at
each process at its own moment. Saving, evaluating and logging are collectives under DDP (they
gather or wait for every rank), so a rank that saves while another steps on would hang both.
Last among the callbacks: whatever any rank decided at this step end, all ranks do. One process:
nothing to agree on.
"""

from transformers import TrainerCallback

from ..graceful_stop import GracefulStop
from .distributed import any_rank, this_rank


class AgreeAcrossRanks(TrainerCallback):
    def __init__(self, stop: GracefulStop) -> None:
        self.stop = stop

    def on_step_end(self, args, state, control, **kwargs):
        if not this_rank().distributed:
            return
        decided = [self.stop.requested, control.should_save, control.should_evaluate, control.should_log, control.should_training_stop]
        stop, control.should_save, control.should_evaluate, control.should_log, control.should_training_stop = any_rank(decided, args.device)
        if stop and not self.stop.requested:
            # Another rank was asked to stop: this one checkpoints and stops with it, and never
            # writes a result for a run that did not finish.
            self.stop.requested = True
