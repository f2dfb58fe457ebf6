"""Fit a run to a budget of training minutes or tokens: measure the first steps, plan, re-plan.

The plan is the number of optimizer steps that fits what is left of the budget, capped by the
epochs the spec asks for. The learning-rate schedule is re-planned to end exactly there (warmup
and decay included), evaluation and checkpoints are spread over it, and the trainer stops at
its last step. Evaluations are spaced from the last one (a re-plan that shortens the run does not
bunch them up), the last step always has one, and under a time budget they may take about a
tenth of it: once the first is timed, costly ones become fewer (at least two: midway and last),
since on a small model under a deadline the updates are what runs short (the recipe turns the
trainer's own every-N-steps rule off). Time counts only while this process trains: model loading and the time a job
spends paused are not spent, since what was used is saved with every checkpoint and a resume
starts from it. It is saved inside the checkpoint's trainer_state.json (transformers'
ExportableState), the file whose presence makes a checkpoint count: a worker killed while
saving never leaves a checkpoint without its budget, which would restart the budget from zero.

Several processes (torchrun, Ray Train): rank 0 alone measures and decides, and at every step end
the other ranks take over its plan (the total steps, the schedule, whether to evaluate, save or
stop), so all apply the same plan at the same step; each rank's own clock would plan a slightly
different run. Tokens count every rank's: the trainer sums num_input_tokens_seen over the ranks.
"""

import json
import math
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from transformers import TrainerCallback
from transformers.trainer_callback import ExportableState

from ..events import emit
from .distributed import from_rank_zero, this_rank
from .schedule import warmup_steps_for

MEASURED_STEPS = 3  # steps timed before the first plan; the first step (warm caches) is not among them
EVALUATIONS = 5  # evaluations (and checkpoints) spread over the planned steps, at most
MIN_EVALUATIONS = 2  # midway and at the last step, however costly
EVAL_SHARE = 0.1  # of a time budget, what evaluating and checkpointing may take
LEGACY_USAGE_FILE = "budget.json"  # where checkpoints saved before the budget moved into trainer_state.json keep it


@dataclass
class BudgetUsage:
    seconds: float = 0.0
    tokens: int = 0
    planned_steps: int | None = None  # the plan when the checkpoint was saved

    @classmethod
    def read(cls, checkpoint: str | None) -> "BudgetUsage":
        if checkpoint is None:
            return cls()
        state_file, legacy = Path(checkpoint, "trainer_state.json"), Path(checkpoint, LEGACY_USAGE_FILE)
        if state_file.is_file():
            saved = json.loads(state_file.read_text(encoding="utf-8")).get("stateful_callbacks", {}).get(BudgetPlanner.__name__)
            if saved:
                return cls(**saved["attributes"])
        if legacy.is_file():
            return cls(**json.loads(legacy.read_text(encoding="utf-8")))
        return cls()


class BudgetPlanner(TrainerCallback, ExportableState):
    """Put it before ExtendScheduleOnResume: on a resume it restores the plan that one would extend.

    Its `state()` (what has been spent) is written into trainer_state.json by every checkpoint
    save; BudgetUsage.read takes it back (restore_callback_states_from_checkpoint stays off).
    """

    def __init__(self, budget: dict[str, Any], hp: dict[str, Any], used: BudgetUsage, has_eval: bool, counts: dict[str, int]) -> None:
        self.budget = budget
        self.counts = counts  # samples and parameters, repeated in every plan event
        self.limit = budget["minutes"] * 60.0 if "minutes" in budget else float(budget["tokens"])
        self.unit = "seconds" if "minutes" in budget else "tokens"
        self.hp = hp  # the warm-up rule (warmup_steps or warmup_ratio) re-sizes the warm-up with each plan
        self.prior = used
        self.has_eval = has_eval
        self.cap = 0  # the steps the epochs ask for: a budget never adds steps
        self.evaluations = EVALUATIONS  # how many the plan spreads; fewer once they prove costly
        self.seconds_per_step: float | None = None
        self._trainer_state = None  # set when training begins; the trainer asks for state() before that too

    # -- what has been spent -------------------------------------------------------------
    def _used(self, state) -> BudgetUsage:
        seconds = self.prior.seconds + (time.perf_counter() - self._clock)
        tokens = self.prior.tokens + (state.num_input_tokens_seen - self._tokens_at_start)
        return BudgetUsage(seconds, int(tokens), state.max_steps)

    def _spent(self, used: BudgetUsage) -> float:
        return used.seconds if self.unit == "seconds" else float(used.tokens)

    def state(self) -> dict:
        used = self._used(self._trainer_state) if self._trainer_state is not None else self.prior
        return {"args": {}, "attributes": asdict(used)}

    # -- trainer events ------------------------------------------------------------------
    def on_train_begin(self, args, state, control, lr_scheduler=None, train_dataloader=None, **kwargs):
        self.cap = state.max_steps
        self.steps_per_epoch = max(math.ceil(len(train_dataloader) / args.gradient_accumulation_steps), 1)
        self._pending_overhead = False
        self.schedule = lr_scheduler.lr_lambdas[0]
        self._start_step = state.global_step
        self._tokens_at_start = state.num_input_tokens_seen
        self._overhead = 0.0  # seconds spent evaluating and saving, kept out of the per-step rate
        self._pauses = 0  # how many step ends evaluated or saved
        self._last_end: float | None = None
        self._planned_at: int | None = None
        self._window: tuple[float, int] | None = None  # (training seconds, steps done) where the pace window starts
        self._recent_per_step: float | None = None  # seconds per step over the latest window
        self._last_pause = state.global_step  # the step of the latest evaluation and checkpoint
        self._paused = 0  # evaluations and checkpoints made in this run
        if self.prior.planned_steps:
            state.max_steps = min(self.cap, max(self.prior.planned_steps, state.global_step))
        self._clock = time.perf_counter()
        self._trainer_state = state
        # A state resumed from a checkpoint saved without this callback lacks its entry, which the
        # trainer's save looks up by name.
        state.stateful_callbacks.setdefault(type(self).__name__, self.state())

    def on_evaluate(self, args, state, control, **kwargs):
        if self._trainer_state is not None and self._last_end is None:
            # An evaluation before the first step (eval_on_start) is a pause, not step time.
            self._overhead += time.perf_counter() - self._clock
            self._pauses += 1

    def on_step_begin(self, args, state, control, **kwargs):
        if self._last_end is not None and self._pending_overhead:
            self._overhead += time.perf_counter() - self._last_end
            self._pauses += 1
        self._pending_overhead = False

    def on_step_end(self, args, state, control, **kwargs):
        if this_rank().reports:
            self._decide(state, control)
        if this_rank().distributed:
            self._take_rank_zeros_plan(args, state, control)
        self._pending_overhead = bool(control.should_evaluate or control.should_save)
        self._last_end = time.perf_counter()

    def _decide(self, state, control) -> None:
        used = self._used(state)
        done = state.global_step - self._start_step
        if self._spent(used) >= self.limit:
            self._finish_now(state, control, used)
        else:
            if done >= MEASURED_STEPS + 1 and self._due(state):
                self._plan(state, control, used, done)
            self._pause_if_due(state, control)

    def _take_rank_zeros_plan(self, args, state, control) -> None:
        """Every rank leaves this step end with rank 0's plan and decisions (a collective). Before
        it, the only callback that set them is the trainer's own flow callback, which decides the
        same on every rank from the same max_steps."""
        mine = [state.max_steps, control.should_training_stop, control.should_evaluate, control.should_save, *self.schedule.plan()]
        total, stop, evaluate, save, *schedule = from_rank_zero(mine, args.device)
        state.max_steps = int(total)
        control.should_training_stop, control.should_evaluate, control.should_save = bool(stop), bool(evaluate), bool(save)
        self.schedule.follow(schedule)

    # -- planning ------------------------------------------------------------------------
    def _due(self, state) -> bool:
        """Plan once measured, then again every tenth of the plan (rates drift; evaluations cost),
        and for a time budget also every twentieth of the budget: when steps slow down (another
        job takes the cores), a plan made from fast steps would run out of time before its
        schedule decays."""
        if self._planned_at is None:
            return True
        if state.global_step - self._planned_at >= max(1, state.max_steps // 10):
            return True
        return self.unit == "seconds" and time.perf_counter() - self._planned_clock >= self.limit / 20

    def _plan(self, state, control, used: BudgetUsage, done: int) -> None:
        self._planned_at, self._planned_clock = state.global_step, time.perf_counter()
        left = self.limit - self._spent(used)
        if self.unit == "seconds":
            training = used.seconds - self.prior.seconds - self._overhead
            # The pace of the latest few steps says more about the rest than the whole average
            # does when it changed (the machine got busier or quieter).
            if self._window is None:
                self._window = (training, done)
            elif done - self._window[1] >= MEASURED_STEPS:
                self._recent_per_step = (training - self._window[0]) / (done - self._window[1])
                self._window = (training, done)
            per_step = self._recent_per_step or training / done
            self.seconds_per_step = per_step
            # Keep time for the evaluations and checkpoints still to come, the last one included,
            # at what each has cost so far (nothing is reserved before the first one is timed).
            per_pause = self._overhead / self._pauses if self._pauses else 0.0
            if per_pause > 0:
                affordable = math.floor(EVAL_SHARE * self.limit / per_pause)
                self.evaluations = min(EVALUATIONS, max(MIN_EVALUATIONS, affordable))
            steps_left = (left - per_pause * self._pauses_left()) / per_step
        else:
            per_step = (state.num_input_tokens_seen - self._tokens_at_start) / done
            self.seconds_per_step = (used.seconds - self.prior.seconds - self._overhead) / done
            steps_left = left / per_step
        total = min(self.cap, state.global_step + max(1, math.floor(steps_left)))
        if total == state.max_steps:
            return
        previous = state.max_steps
        self.schedule.replan(total, state.global_step, warmup_steps_for(self.hp, total, self.cap))
        state.max_steps = total
        if total <= state.global_step:
            self._finish_now(state, control, used)
        else:
            # The trainer's own flow callback runs first and stops at the old plan's last step:
            # a plan extended right there must keep the run going, or it ends a step short.
            control.should_training_stop = False
        emit(
            "plan",
            reason="budget",
            total_steps=total,
            previous_total_steps=previous,
            epochs=total / self.steps_per_epoch,
            steps_per_epoch=self.steps_per_epoch,
            seconds_per_step=self.seconds_per_step,
            estimated_seconds=self.seconds_per_step * (total - state.global_step),
            budget={**self.budget, "used_seconds": used.seconds, "used_tokens": used.tokens},
            **self.counts,
        )

    def _pauses_left(self) -> int:
        """Evaluations and checkpoints still to come, the one at the last step included."""
        return max(1, self.evaluations - self._paused)

    def _pause_if_due(self, state, control) -> None:
        """Evaluate and checkpoint when the steps left since the last time, shared among the
        pauses still to come, are due; and always at the last step."""
        every = max(1, math.ceil((state.max_steps - self._last_pause) / self._pauses_left()))
        due = state.global_step >= state.max_steps or state.global_step - self._last_pause >= every
        control.should_evaluate = control.should_save = False
        if due:
            self._pause(state, control)

    def _pause(self, state, control) -> None:
        control.should_evaluate = self.has_eval
        control.should_save = True
        self._last_pause = state.global_step
        self._paused += 1

    def _finish_now(self, state, control, used: BudgetUsage) -> None:
        """Out of budget: this step is the last; evaluate and checkpoint it."""
        if state.max_steps != state.global_step:
            self.schedule.replan(state.global_step, state.global_step, 0)
            state.max_steps = state.global_step
            emit("log", level="info", message=f"budget spent at step {state.global_step} ({used.seconds:.1f} s, {used.tokens} tokens): stopping here")
        control.should_training_stop = True
        self._pause(state, control)
