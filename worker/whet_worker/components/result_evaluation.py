"""The held-out evaluation before the first step and of the model kept as the result.

Recipes that evaluate at the start (`eval_on_start`: pre-training, preference learning) report
both in their result event: the evaluation log entries come from the trainer's log history,
which a checkpoint carries across resumes.
"""

from typing import Any

from transformers import Trainer

from .checkpoints import checkpoint_step
from .training_result import best_checkpoint


def evaluation_at_start(trainer: Trainer) -> dict[str, Any] | None:
    """The step-0 evaluation's metrics (eval_loss, eval_*), None without one."""
    at_start = [e for e in trainer.state.log_history if "eval_loss" in e and e.get("step") == 0]
    return at_start[0] if at_start else None


def evaluation_of_result(trainer: Trainer, has_eval: bool) -> dict[str, Any] | None:
    """The metrics of the model saved as the result: the best checkpoint's evaluation when the
    trainer loaded it back, else the last step's (evaluated now if that step had none)."""
    if not has_eval:
        return None
    state = trainer.state
    best = best_checkpoint(trainer)
    step = checkpoint_step(best) if best else state.global_step
    found = [e for e in state.log_history if "eval_loss" in e and e.get("step") == step]
    return found[-1] if found else trainer.evaluate()
