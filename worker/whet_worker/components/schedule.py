"""Learning-rate schedule: linear warmup, then cosine or linear decay to a floor, or constant.

Trainers run it through OwnScheduleMixin. A resume may add epochs or steps. The schedule then
re-plans its decay to end at the new total, continuing from the learning rate it had reached:
no jump, no second warmup, never a silent no-op. Its plan lives in the scheduler's state
(scheduler.pt in each checkpoint), so a resume knows the original warmup.
"""

import math
from typing import Any

from torch.optim import Optimizer
from torch.optim.lr_scheduler import LambdaLR
from transformers import TrainerCallback

from ..events import emit


class WarmupDecay:
    """The multiplier of the peak learning rate at each step.

    A callable object rather than a function: LambdaLR saves an object's fields with the
    scheduler state and restores them on load.
    """

    def __init__(self, shape: str, warmup_steps: int, total_steps: int, floor: float) -> None:
        self.shape = shape
        self.warmup_steps = warmup_steps
        self.total_steps = total_steps
        self.floor = floor
        # The decay runs from (anchor_step, anchor_progress) to (total_steps, 1).
        self.anchor_step = warmup_steps
        self.anchor_progress = 0.0

    def __call__(self, step: int) -> float:
        if step < self.warmup_steps:
            return step / self.warmup_steps
        if self.shape == "constant":
            return 1.0
        progress = self._progress(step)
        decay = 0.5 * (1.0 + math.cos(math.pi * progress)) if self.shape == "cosine" else 1.0 - progress
        return self.floor + (1.0 - self.floor) * decay

    def _progress(self, step: int) -> float:
        remaining = self.total_steps - self.anchor_step
        if remaining <= 0:
            return 1.0
        return min(1.0, self.anchor_progress + (1.0 - self.anchor_progress) * (step - self.anchor_step) / remaining)

    def extend(self, total_steps: int, step: int) -> bool:
        """Stretch the rest of the decay from `step` to `total_steps`; False when nothing changes."""
        if total_steps == self.total_steps:
            return False
        anchor = max(step, self.warmup_steps)
        self.anchor_progress = self._progress(anchor)
        self.anchor_step = anchor
        self.total_steps = total_steps
        return True


    def replan(self, total_steps: int, step: int, warmup_steps: int) -> bool:
        """End the schedule at `total_steps` (a budget's plan, longer or shorter than before).

        Still warming up: the warmup is re-sized to `warmup_steps` (warmup_steps_for the new
        total, never ending before `step`), then the decay runs to the new total. Past warmup:
        like `extend`.
        """
        total_steps = max(total_steps, step)
        if step < self.warmup_steps:
            if total_steps == self.total_steps:
                return False
            self.warmup_steps = max(warmup_steps, step)
            self.anchor_step, self.anchor_progress = self.warmup_steps, 0.0
            self.total_steps = total_steps
            return True
        return self.extend(total_steps, step)

    def plan(self) -> list[float]:
        """Everything a re-plan changes, as numbers another process can `follow` exactly."""
        return [self.warmup_steps, self.total_steps, self.anchor_step, self.anchor_progress]

    def follow(self, plan: list[float]) -> None:
        """Take over another process's `plan()`: from here on this schedule gives its multipliers."""
        self.warmup_steps, self.total_steps, self.anchor_step = (int(n) for n in plan[:3])
        self.anchor_progress = float(plan[3])


WARMUP_MIN_STEPS = 10  # the server's floor (plan-updates.ts): a budget's shorter plan keeps it


def warmup_steps_for(hp: dict[str, Any], total_steps: int, planned_steps: int | None = None) -> int:
    """Warm-up steps for a run of `total_steps`.

    `hp["warmup_steps"]` is the server's count for the steps the epochs plan (`planned_steps`);
    a budget that fits fewer steps shortens it in proportion, down to the floor of 10 steps, and
    a warm-up never takes more than a third of the run. Without it (warmup_ratio set by the user,
    or a job resolved before warmup_steps existed): warmup_ratio x total_steps.
    """
    fixed = hp.get("warmup_steps")
    if fixed is None:
        return math.ceil(hp["warmup_ratio"] * total_steps)
    if planned_steps and total_steps < planned_steps:
        fixed = max(min(fixed, WARMUP_MIN_STEPS), math.ceil(fixed * total_steps / planned_steps))
    return min(fixed, max(1, total_steps // 3)) if fixed > 0 else 0


def make_scheduler(optimizer: Optimizer, hp: dict[str, Any], total_steps: int) -> LambdaLR:
    warmup_steps = warmup_steps_for(hp, total_steps)
    return LambdaLR(optimizer, WarmupDecay(hp["lr_scheduler"], warmup_steps, total_steps, hp["lr_decay_ratio"]))


class OwnScheduleMixin:
    """Put before a Trainer class (`class T(OwnScheduleMixin, Trainer)`): the trainer then runs
    make_scheduler's schedule for `hp`, which a resume or a budget can re-plan, instead of its own."""

    def __init__(self, hp: dict[str, Any], **trainer_kwargs) -> None:
        self.schedule_hp = hp
        super().__init__(**trainer_kwargs)

    def create_scheduler(self, num_training_steps: int, optimizer=None):
        if self.lr_scheduler is None:
            self.lr_scheduler = make_scheduler(optimizer or self.optimizer, self.schedule_hp, num_training_steps)
            self._created_lr_scheduler = True
        return self.lr_scheduler


class ExtendScheduleOnResume(TrainerCallback):
    """After the trainer restored a checkpoint's scheduler, re-plan it for this run's total steps."""

    def on_train_begin(self, args, state, control, lr_scheduler=None, **kwargs):
        schedule = lr_scheduler.lr_lambdas[0]
        previous = schedule.total_steps
        if schedule.extend(state.max_steps, state.global_step):
            emit(
                "log",
                level="info",
                message=f"schedule re-planned from {previous} to {state.max_steps} steps at step {state.global_step}",
            )
