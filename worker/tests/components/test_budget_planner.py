"""The budget planner adapts when steps slow down midway (another job takes the cores)."""

import time

import torch
from transformers import TrainerControl, TrainerState, TrainingArguments

from whet_worker.components.budget import BudgetPlanner, BudgetUsage
from whet_worker.components.schedule import make_scheduler

FLOOR = 0.1


class _Loader:
    def __len__(self) -> int:
        return 1000


def _run(budget_seconds: float, step_seconds, eval_seconds: float | None = None, evaluated: list[int] | None = None) -> tuple[int, float, float]:
    """Drive the planner like the Trainer does; returns (steps, the learning-rate multiplier logged for the last step, seconds).

    With `eval_seconds`, each evaluation the planner asks for takes that long and its step is appended to `evaluated`."""
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
    scheduler = make_scheduler(optimizer, {"warmup_ratio": 0.03, "lr_scheduler": "cosine", "lr_decay_ratio": FLOOR}, 100_000)
    has_eval = eval_seconds is not None
    planner = BudgetPlanner({"minutes": budget_seconds / 60}, {"warmup_ratio": 0.03}, BudgetUsage(), has_eval=has_eval, counts={})
    args = TrainingArguments(output_dir="/tmp/unused", report_to="none", use_cpu=True)
    state, control = TrainerState(), TrainerControl()
    state.max_steps, state.num_input_tokens_seen = 100_000, 0
    planner.on_train_begin(args, state, control, lr_scheduler=scheduler, train_dataloader=_Loader())
    started = time.perf_counter()
    while state.global_step < state.max_steps and not control.should_training_stop:
        planner.on_step_begin(args, state, control)
        time.sleep(step_seconds(state.global_step))
        state.global_step += 1
        state.num_input_tokens_seen += 100
        # What the Trainer logs for this step: the scheduler stepped before the callbacks ran.
        logged = scheduler.lr_lambdas[0](state.global_step)
        control.should_evaluate = control.should_save = False
        planner.on_step_end(args, state, control)
        if has_eval and control.should_evaluate:
            time.sleep(eval_seconds)
            evaluated.append(state.global_step)
    return state.global_step, logged, time.perf_counter() - started


def test_steady_steps_end_on_time_at_the_floor():
    steps, multiplier, seconds = _run(3.0, lambda step: 0.01)
    assert abs(seconds - 3.0) < 0.3
    assert abs(multiplier - FLOOR) < 0.01 and steps > 100


def test_steps_that_slow_down_thirtyfold_still_end_on_time_with_the_schedule_decayed():
    # Fast for the measured steps and the first plan, then 30 times slower for the rest: a plan
    # re-made only every tenth of its steps would never be re-made, and the budget would run out
    # with the learning rate still near its peak (seen on a 2-core box when another job started).
    steps, multiplier, seconds = _run(3.0, lambda step: 0.01 if step < 8 else 0.3)
    assert abs(seconds - 3.0) < 0.3
    assert multiplier < FLOOR + 0.05, f"the run ended at step {steps} with the learning rate still at {multiplier:.2f} of its peak"


def test_cheap_evaluations_are_five_spread_over_the_plan_and_the_last_step_has_one():
    evaluated: list[int] = []
    steps, _, seconds = _run(3.0, lambda step: 0.01, eval_seconds=0.001, evaluated=evaluated)
    assert abs(seconds - 3.0) < 0.3
    assert evaluated[-1] == steps
    # A re-plan never bunches them up: the ones before the last are about a fifth of the run apart.
    assert 4 <= len(evaluated) <= 6, evaluated
    gaps = [b - a for a, b in zip([0] + evaluated, evaluated)]
    assert min(gaps[:-1]) >= steps / 5 * 0.7, evaluated


def test_costly_evaluations_become_fewer_so_the_updates_keep_most_of_a_time_budget():
    # Each evaluation costs 15% of the budget: five would take most of it. After the first is
    # timed, two remain planned (midway and last), and the steps fill the rest.
    evaluated: list[int] = []
    steps, multiplier, seconds = _run(3.0, lambda step: 0.01, eval_seconds=0.45, evaluated=evaluated)
    assert abs(seconds - 3.0) < 0.4
    assert len(evaluated) == 2, evaluated
    assert evaluated[-1] == steps
    assert abs(multiplier - FLOOR) < 0.02


def test_a_plan_extended_at_the_old_plans_last_step_keeps_training():
    """The Trainer's flow callback runs before ours and stops at max_steps: a re-plan made at the
    old plan's last step (that step turned out cheaper) must undo that stop, or the run ends a
    step short of its own plan, without the final evaluation and checkpoint (seen on an ORPO run
    with a token budget)."""
    from transformers.trainer_callback import DefaultFlowCallback

    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
    scheduler = make_scheduler(optimizer, {"warmup_ratio": 0.03, "lr_scheduler": "cosine", "lr_decay_ratio": FLOOR}, 100_000)
    # 400 tokens a step: planned after 4 steps for 22 in all, re-planned every 2 steps.
    planner = BudgetPlanner({"tokens": 8_800}, {"warmup_ratio": 0.03}, BudgetUsage(), has_eval=False, counts={})
    flow = DefaultFlowCallback()
    args = TrainingArguments(output_dir="/tmp/unused", report_to="none", use_cpu=True, logging_steps=1)
    state, control = TrainerState(), TrainerControl()
    state.max_steps, state.num_input_tokens_seen = 100_000, 0
    planner.on_train_begin(args, state, control, lr_scheduler=scheduler, train_dataloader=_Loader())
    extended_at_end = False
    while state.global_step < state.max_steps and not control.should_training_stop:
        planner.on_step_begin(args, state, control)
        state.global_step += 1
        planned = state.max_steps
        # The planned last step is a short one: 300 tokens of the budget are left after it.
        state.num_input_tokens_seen += 100 if state.global_step == planned else 400
        control.should_evaluate = control.should_save = False
        flow.on_step_end(args, state, control)
        planner.on_step_end(args, state, control)
        extended_at_end |= state.global_step == planned and state.max_steps > planned
    assert extended_at_end, "the scenario never extended a plan at its last step"
    assert state.global_step == state.max_steps, f"stopped at step {state.global_step} of a plan of {state.max_steps}"
