"""The budget planner adapts when steps slow down midway (another job takes the cores), and two ranks follow rank 0's plan."""

import multiprocessing
import os
import time
from unittest import mock

import torch
from transformers import TrainerControl, TrainerState, TrainingArguments

from conftest import free_port
from whet_worker.components import budget
from whet_worker.components.budget import BudgetPlanner, BudgetUsage
from whet_worker.components.schedule import make_scheduler

FLOOR = 0.1


class SimulatedClock:
    """The planner's clock where a step's "sleep" only moves the time on: the same run, step for
    step, on a loaded machine or an idle one (a real sleep of 10 ms takes longer when the cores
    are busy, which changes the plan the test checks)."""

    def __init__(self) -> None:
        self.now = 0.0

    def perf_counter(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


class _Loader:
    def __len__(self) -> int:
        return 1000


def _run(budget_seconds: float, step_seconds, eval_seconds: float | None = None, evaluated: list[int] | None = None,
         multipliers: list[float] | None = None, clock=None) -> tuple[int, float, float]:
    """Drive the planner like the Trainer does; returns (steps, the learning-rate multiplier logged for the last step, seconds).

    On a SimulatedClock unless `clock` is given (the `time` module: real time, for ranks that wait
    for each other).

    With `eval_seconds`, each evaluation the planner asks for takes that long and its step is appended to `evaluated`;
    `multipliers` collects, at each step end, the multiplier the next step's update gets."""
    clock = clock or SimulatedClock()
    with mock.patch.object(budget, "time", clock):
        optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
        scheduler = make_scheduler(optimizer, {"warmup_ratio": 0.03, "lr_scheduler": "cosine", "lr_decay_ratio": FLOOR}, 100_000)
        has_eval = eval_seconds is not None
        planner = BudgetPlanner({"minutes": budget_seconds / 60}, {"warmup_ratio": 0.03}, BudgetUsage(), has_eval=has_eval, counts={})
        args = TrainingArguments(output_dir="/tmp/unused", report_to="none", use_cpu=True)
        state, control = TrainerState(), TrainerControl()
        state.max_steps, state.num_input_tokens_seen = 100_000, 0
        planner.on_train_begin(args, state, control, lr_scheduler=scheduler, train_dataloader=_Loader())
        started = clock.perf_counter()
        while state.global_step < state.max_steps and not control.should_training_stop:
            planner.on_step_begin(args, state, control)
            clock.sleep(step_seconds(state.global_step))
            state.global_step += 1
            state.num_input_tokens_seen += 100
            # What the Trainer logs for this step: the scheduler stepped before the callbacks ran.
            logged = scheduler.lr_lambdas[0](state.global_step)
            control.should_evaluate = control.should_save = False
            planner.on_step_end(args, state, control)
            if multipliers is not None:
                # What the next step's update uses: the plan this step end made (and, on several
                # processes, took over from rank 0) is in it.
                multipliers.append(scheduler.lr_lambdas[0](state.global_step + 1))
            if has_eval and control.should_evaluate:
                clock.sleep(eval_seconds)
                evaluated.append(state.global_step)
        return state.global_step, logged, clock.perf_counter() - started


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


def _rank(rank: int, step_seconds: float, port: int, results) -> None:
    """One rank of a two-process run, in a forked child: it starts at once with the parent's
    imports, and joins the others through gloo over loopback as a rank under torchrun does."""
    import torch.distributed as dist

    from whet_worker.components.distributed import this_rank

    os.environ.update(RANK=str(rank), LOCAL_RANK=str(rank), WORLD_SIZE="2", LOCAL_WORLD_SIZE="2")
    this_rank.cache_clear()  # the parent's answer (rank 0 of 1) came along with the fork
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=2)
    evaluated: list[int] = []
    multipliers: list[float] = []
    steps, _, seconds = _run(2.0, lambda step: step_seconds, eval_seconds=0.001, evaluated=evaluated, multipliers=multipliers, clock=time)
    results.put({"rank": rank, "steps": steps, "evaluated": evaluated, "multipliers": multipliers, "seconds": seconds})
    dist.destroy_process_group()


def test_two_ranks_with_different_clocks_follow_rank_zeros_plan_step_for_step():
    """Rank 1's steps take three times as long on its own clock: planning alone, it would fit a
    third of rank 0's steps and decay its learning rate three times as fast. Every step end takes
    rank 0's plan over, so both end at one step with the same multiplier at every step and the
    same evaluations."""
    fork = multiprocessing.get_context("fork")
    results, port = fork.Queue(), free_port()
    ranks = [fork.Process(target=_rank, args=(rank, step_seconds, port, results)) for rank, step_seconds in ((0, 0.01), (1, 0.03))]
    for process in ranks:
        process.start()
    try:
        zero, one = sorted((results.get(timeout=60) for _ in ranks), key=lambda r: r["rank"])
    finally:
        for process in ranks:  # a rank that failed leaves the other waiting in a collective
            process.join(timeout=10)
            if process.is_alive():
                process.kill()
    assert [process.exitcode for process in ranks] == [0, 0]
    assert zero["steps"] == one["steps"] and zero["evaluated"] == one["evaluated"]
    assert zero["multipliers"] == one["multipliers"]  # exactly: the same numbers, not a re-computation
    # The plan came from rank 0's clock, which waited for rank 1 at every step end: it fits the
    # slower pace and still ends on time, decayed.
    assert 30 < zero["steps"] < 70 and abs(zero["seconds"] - 2.0) < 0.4
    assert abs(zero["multipliers"][-1] - FLOOR) < 0.02 and zero["evaluated"][-1] == zero["steps"]
