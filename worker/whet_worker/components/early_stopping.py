"""Stop before the model memorises: end training once the eval loss has not improved for
`patience` evaluations in a row.

The trainer keeps the checkpoint with the lowest eval loss (load_best_model_at_end) and loads it
back when training ends, so the result is the best model rather than the last one. The count is
read from the trainer's own log history, which every checkpoint saves: a resumed run continues
it instead of starting over. Why the run stopped is logged, and `stopped_early` describes it for
the result event (the server's diagnosis reads it: an early-stopped run did not over-fit).
"""

import math
from typing import Any

from transformers import TrainerCallback

from ..events import emit

MIN_IMPROVEMENT = 0.001  # a new best must be 0.1% below the old one: noise on a few rows is no progress


def eval_losses(log_history: list[dict[str, Any]]) -> list[tuple[int, float]]:
    """(step, eval_loss) of every evaluation so far, the latest value of a step re-evaluated after a resume."""
    by_step: dict[int, float] = {}
    for entry in log_history:
        if "eval_loss" in entry and math.isfinite(entry["eval_loss"]):
            by_step[int(entry["step"])] = float(entry["eval_loss"])
    return sorted(by_step.items())


def evaluations_without_progress(losses: list[tuple[int, float]]) -> tuple[int, int | None, float | None]:
    """(evaluations since the best one, the best step, the best loss)."""
    best_step, best, since = None, None, 0
    for step, loss in losses:
        if best is None or loss < best * (1 - MIN_IMPROVEMENT):
            best_step, best, since = step, loss, 0
        else:
            since += 1
    return since, best_step, best


class EarlyStopping(TrainerCallback):
    def __init__(self, patience: int) -> None:
        self.patience = patience
        self.stopped_early: dict[str, Any] | None = None

    def on_evaluate(self, args, state, control, metrics=None, **kwargs):
        if not metrics or "eval_loss" not in metrics or state.global_step >= state.max_steps:
            return
        since, best_step, best = evaluations_without_progress(eval_losses(state.log_history))
        if since < self.patience:
            return
        control.should_training_stop = True
        self.stopped_early = {
            "step": state.global_step,
            "best_step": best_step,
            "best_eval_loss": best,
            "patience": self.patience,
            "planned_steps": state.max_steps,
        }
        emit(
            "log",
            level="info",
            message=(
                f"early stopping at step {state.global_step} of {state.max_steps}: the eval loss has not improved for "
                f"{since} evaluations (best {best:.4f} at step {best_step}, none 0.1% lower since); the checkpoint "
                "with the lowest eval loss is kept"
            ),
        )
