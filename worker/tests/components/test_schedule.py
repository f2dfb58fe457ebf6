"""The learning-rate schedule, and its extension when a resume adds steps."""

import math

import pytest
import torch

from whet_worker.components.schedule import WarmupDecay, make_scheduler, warmup_steps_for


def test_warmup_then_cosine_to_the_floor():
    schedule = WarmupDecay("cosine", warmup_steps=4, total_steps=20, floor=0.1)
    assert [schedule(s) for s in range(5)] == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert schedule(12) == pytest.approx(0.1 + 0.9 * 0.5)
    assert schedule(20) == pytest.approx(0.1)


def test_linear_and_constant():
    assert WarmupDecay("linear", 0, 10, 0.0)(5) == pytest.approx(0.5)
    assert WarmupDecay("constant", 2, 10, 0.5)(9) == 1.0


def test_extending_continues_from_the_current_rate_and_ends_at_the_floor():
    schedule = WarmupDecay("cosine", warmup_steps=2, total_steps=10, floor=0.1)
    at_stop = schedule(6)
    assert schedule.extend(total_steps=20, step=6)
    assert schedule(6) == pytest.approx(at_stop)  # no jump
    rates = [schedule(s) for s in range(6, 21)]
    assert rates == sorted(rates, reverse=True)
    assert rates[-1] == pytest.approx(0.1)
    assert schedule(1) == 0.5  # the warmup is the original one
    assert not schedule.extend(total_steps=20, step=8)


def test_extending_during_warmup_keeps_the_warmup():
    schedule = WarmupDecay("linear", warmup_steps=4, total_steps=10, floor=0.0)
    schedule.extend(total_steps=20, step=2)
    assert schedule(3) == 0.75 and schedule(4) == 1.0
    assert schedule(12) == pytest.approx(0.5)


def test_the_plan_survives_a_scheduler_state_round_trip():
    """A resume rebuilds the scheduler for the new total, then loads the checkpoint's state."""
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
    hp = {"warmup_ratio": 0.1, "lr_scheduler": "cosine", "lr_decay_ratio": 0.0}
    saved = make_scheduler(optimizer, hp, total_steps=10)
    for _ in range(5):
        optimizer.step()
        saved.step()
    restored = make_scheduler(torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0), hp, total_steps=30)
    restored.load_state_dict(saved.state_dict())
    schedule = restored.lr_lambdas[0]
    assert (schedule.warmup_steps, schedule.total_steps) == (1, 10)  # what the checkpoint planned
    assert schedule.extend(30, 5) and schedule(30) == pytest.approx(0.0)
    assert schedule(5) == pytest.approx(0.5 * (1 + math.cos(math.pi * 4 / 9)))


def test_a_budget_replan_during_warmup_resizes_the_warmup_and_ends_at_the_floor():
    schedule = WarmupDecay("cosine", warmup_steps=30, total_steps=1000, floor=0.1)
    assert schedule.replan(total_steps=50, step=3, warmup_steps=5)
    assert schedule.warmup_steps == 5
    assert schedule(5) == pytest.approx(1.0)
    assert schedule(50) == pytest.approx(0.1)
    rates = [schedule(s) for s in range(5, 51)]
    assert rates == sorted(rates, reverse=True)


def test_a_follower_takes_over_a_replanned_schedule_exactly():
    """What another rank gets: rank 0's plan as float64 numbers (distributed.from_rank_zero)."""
    planner, follower = (WarmupDecay("cosine", warmup_steps=30, total_steps=1000, floor=0.1) for _ in range(2))
    planner.replan(total_steps=50, step=3, warmup_steps=5)
    planner.replan(total_steps=37, step=12, warmup_steps=4)
    follower.follow([float(n) for n in planner.plan()])
    assert follower.plan() == planner.plan() and isinstance(follower.total_steps, int)
    assert [follower(s) for s in range(60)] == [planner(s) for s in range(60)]


def test_a_budget_replan_after_warmup_shortens_the_decay_without_a_jump():
    schedule = WarmupDecay("linear", warmup_steps=2, total_steps=100, floor=0.0)
    at = schedule(10)
    assert schedule.replan(total_steps=20, step=10, warmup_steps=2)
    assert schedule(10) == pytest.approx(at)
    assert schedule(20) == pytest.approx(0.0)
    assert not schedule.replan(total_steps=20, step=12, warmup_steps=2)


def test_warmup_in_steps_shrinks_with_a_shorter_budget_plan_down_to_its_floor():
    hp = {"warmup_ratio": 0.03, "warmup_steps": 100}
    assert warmup_steps_for(hp, 2295) == 100  # what the server planned for the epochs
    assert warmup_steps_for(hp, 1000, planned_steps=2000) == 50  # a budget that fits half: half the warm-up
    assert warmup_steps_for(hp, 170, planned_steps=2295) == 10  # never below the floor of 10 steps...
    assert warmup_steps_for(hp, 24, planned_steps=2295) == 8  # ...nor more than a third of the run
    assert warmup_steps_for({"warmup_ratio": 0.1, "warmup_steps": None}, 50) == 5  # no steps: the ratio
    assert warmup_steps_for({"warmup_ratio": 0.1}, 50) == 5  # a job resolved before warmup_steps existed
    assert warmup_steps_for({"warmup_ratio": 0.1, "warmup_steps": 0}, 50) == 0
