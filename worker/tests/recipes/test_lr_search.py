"""lr_search: trials on a slice, the best by eval loss wins, and training continues with it."""

import pytest


def test_lr_search_picks_the_clearly_better_rate_and_trains_with_it(make_spec, run_worker):
    good, useless = 3e-3, 1e-7  # on the toy task full tuning learns at 3e-3 and cannot move at 1e-7
    search = {"candidates": [useless, good], "steps": 8, "train_fraction": 0.5}
    spec = make_spec({"tuning": "full"}, max_steps=6, lr_search=search)
    run = run_worker(spec)
    assert run.returncode == 0, run.stderr[-3000:]

    trials = run.of("trial")
    assert [(t["index"], t["of"], t["learning_rate"], t["steps"]) for t in trials] == [(0, 2, useless, 8), (1, 2, good, 8)]
    assert trials[1]["eval_loss"] < trials[0]["eval_loss"] - 1.0
    types = [e["type"] for e in run.events]
    assert types.index("trial") < types.index("plan")
    assert any("lr_search: learning rate 0.003" in e["message"] for e in run.of("log"))
    peak = max(p["learning_rate"] for p in run.of("progress"))
    assert peak == pytest.approx(good)
