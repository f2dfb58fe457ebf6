"""Several processes through torch's launcher (whet_worker.torchrun), on CPU with gloo, over loopback.

Real processes throughout: a one-process run of the tiny model is the reference; two ranks at
the same global batch must take the same steps with the same loss; a rank killed with SIGKILL
ends in an error naming it, and a resume from the last checkpoint reaches the reference's last
loss; a token budget plans and ends on two ranks as on one; lr_search runs its trials on two
ranks and trains at the winner; a launcher killed outright takes its ranks with it. Two nodes (two launchers on 127.0.0.1) run a whole job in the server's
packages/server/src/executors/torchrun-job.e2e.test.ts. Losses match to 1e-3: the
batches are the same samples (accelerate hands whole per-process batches out in turn) and LoRA
dropout is off, so only the all-reduce's summation order differs.
"""

import json
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from conftest import WORKER_ROOT, free_port, parse_events, write_spec

STEPS = 24  # fast on the tiny model (~0.1 s a step): the kill must land before the run ends
TOLERANCE = 1e-3
BUDGET_TOKENS = 1000  # ten steps of the toy data (about 107 tokens a step), planned after the fourth

ONE_NODE = ["--rdzv-backend", "c10d", "--rdzv-endpoint", "127.0.0.1:0", "--rdzv-id", "test"]  # as the server's torchrun executor


def launcher_command(spec_path: Path, nnodes: int, nproc: int, rendezvous: list[str]) -> list[str]:
    return [
        sys.executable, "-m", "whet_worker.torchrun",
        "--nnodes", str(nnodes), "--nproc-per-node", str(nproc), *rendezvous,
        "--local-addr", "127.0.0.1", "--max-restarts", "0", "--shutdown-timeout", "10",
        "-m", "whet_worker", "train", str(spec_path),
    ]  # fmt: skip


def losses(events: list[dict]) -> dict[int, float]:
    return {e["step"]: e["loss"] for e in events if e["type"] == "progress"}


def assert_same_curve(got: dict[int, float], reference: dict[int, float]) -> None:
    assert got, "no progress events"
    for step, loss in got.items():
        assert loss == pytest.approx(reference[step], abs=TOLERANCE), f"step {step}: {loss} vs {reference[step]} on one process"


@pytest.fixture(scope="module")
def reference(tmp_path_factory, tiny_model):
    """The one-process run every multi-process run is held against: its spec and its losses."""
    import conftest

    def spec_for(tmp: Path, **hp) -> dict:
        train = conftest.write_toy_data(tmp / "train.jsonl")
        spec = {
            "version": 1, "command": "train", "job_id": "ddp", "method": "sft", "tuning": "lora",
            "model": {"path": str(tiny_model), "chat_template": None},
            "data": {"train": str(train), "validation": None, "validation_split": 0.0},
            "output_dir": str(tmp / "out"), "resume_from_checkpoint": None,
            "hyperparameters": {**conftest.HYPERPARAMETERS, "max_steps": STEPS, "save_steps": 4, "save_total_limit": 10, **hp},
            "device": "cpu", "threads": 1,
        }  # fmt: skip
        return spec

    tmp = tmp_path_factory.mktemp("reference")
    spec = spec_for(tmp)
    done = subprocess.run([sys.executable, "-m", "whet_worker", "train", str(write_spec(spec, tmp / "spec.json"))],
                          cwd=WORKER_ROOT, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return spec_for, losses(parse_events(done.stdout))


def test_a_killed_rank_is_named_and_a_resume_reaches_the_same_loss(tmp_path, reference):
    spec_for, ref = reference
    spec = spec_for(tmp_path)
    launcher = subprocess.Popen(launcher_command(write_spec(spec, tmp_path / "spec.json"), 1, 2, ONE_NODE), cwd=WORKER_ROOT,
                                stdout=subprocess.PIPE, stderr=(tmp_path / "run.stderr").open("w"), text=True)  # fmt: skip
    try:
        lines = []
        for line in launcher.stdout:
            lines.append(line)
            if '"type": "checkpoint"' in line:
                rank_1 = next(p for p in psutil.Process(launcher.pid).children() if p.environ().get("RANK") == "1")
                rank_1.kill()  # SIGKILL: no goodbye from this rank
                break
        lines += launcher.stdout.readlines()
        launcher.wait(timeout=120)
    finally:
        if launcher.poll() is None:
            launcher.kill()
    events = parse_events("".join(lines))
    assert launcher.returncode == 1
    assert not [e for e in events if e["type"] == "result"]
    named = [e for e in events if e["type"] == "error" and e.get("source") == "launcher"]
    assert len(named) == 1 and named[0]["rank"] == 1 and named[0]["code"] == "WORKER_LOST", events[-3:]
    assert "killed by SIGKILL" in named[0]["message"]
    assert_same_curve(losses(events), ref)  # one node, two ranks: the same curve too

    checkpoints = sorted((Path(spec["output_dir"]) / "checkpoints").glob("checkpoint-*/trainer_state.json"), key=lambda p: int(p.parent.name.split("-")[1]))
    last = checkpoints[-1].parent
    assert int(last.name.split("-")[1]) < STEPS
    resumed = subprocess.run(launcher_command(write_spec({**spec, "resume_from_checkpoint": str(last)}, tmp_path / "resume.json"), 1, 2, ONE_NODE),
                             cwd=WORKER_ROOT, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    after = parse_events(resumed.stdout)
    assert next(e for e in after if e["type"] == "started")["resumed_from_step"] == int(last.name.split("-")[1])
    assert next(e for e in after if e["type"] == "result")["final_loss"] == pytest.approx(ref[STEPS], abs=TOLERANCE)


def test_a_node_missing_at_the_rendezvous_fails_within_the_time_out(tmp_path, reference):
    """Node 0 of two, as the server starts it for a run of several nodes (static rendezvous), alone."""
    spec_for, _ = reference
    spec_path = write_spec(spec_for(tmp_path), tmp_path / "spec.json")
    started = time.monotonic()
    node_0 = ["--rdzv-backend", "static", "--node-rank", "0", "--master-addr", "127.0.0.1", "--master-port", str(free_port()), "--rdzv-conf", "timeout=3"]
    alone = subprocess.run(launcher_command(spec_path, 2, 1, node_0),
                           cwd=WORKER_ROOT, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert alone.returncode == 1
    [error] = parse_events(alone.stdout)
    assert error["code"] == "EXECUTOR_UNAVAILABLE" and "expected 2 node(s)" in error["message"], error
    assert "WHET_TORCHRUN_TIMEOUT_SECONDS" in error["hint"]
    assert time.monotonic() - started < 60


def test_sigterm_to_the_launcher_group_checkpoints_every_rank_at_one_step(tmp_path, reference):
    """Pause and cancel: the server signals the launcher's process group; the ranks agree on the step,
    save one checkpoint together and rank 0 reports `stopped` with it."""
    import os
    import signal

    spec_for, _ = reference
    spec = spec_for(tmp_path, max_steps=1000)
    launcher = subprocess.Popen(launcher_command(write_spec(spec, tmp_path / "spec.json"), 1, 2, ONE_NODE), cwd=WORKER_ROOT,
                                stdout=subprocess.PIPE, stderr=(tmp_path / "run.stderr").open("w"), text=True, start_new_session=True)  # fmt: skip
    try:
        lines = []
        for line in launcher.stdout:
            lines.append(line)
            if '"type": "progress", "step": 2,' in line:
                os.killpg(launcher.pid, signal.SIGTERM)
                break
        lines += launcher.stdout.readlines()
        launcher.wait(timeout=120)
    finally:
        if launcher.poll() is None:
            os.killpg(launcher.pid, signal.SIGKILL)
    events = parse_events("".join(lines))
    assert not [e for e in events if e["type"] in ("error", "result")], events[-3:]
    [stopped] = [e for e in events if e["type"] == "stopped"]
    assert stopped["checkpoint"] and Path(stopped["checkpoint"], "trainer_state.json").is_file()
    assert stopped["step"] < 1000


def test_a_token_budget_plans_and_ends_on_two_ranks_as_on_one(tmp_path, reference):
    """Rank 0 plans and every rank takes its plan over; the tokens are every rank's (transformers
    sums num_input_tokens_seen over the ranks at each batch). At the same global batch two ranks
    see the tokens one process sees, step by step, so they make the same plans and end at the same
    step, rank 1 included (its checkpoint files are in the last checkpoint); counting rank 0's
    tokens alone would plan about twice the steps."""
    spec_for, _ = reference
    specs, processes, events = {}, {}, {}
    for name, command in (("one", lambda spec: [sys.executable, "-m", "whet_worker", "train", str(spec)]),
                          ("two", lambda spec: launcher_command(spec, 1, 2, ONE_NODE))):  # fmt: skip
        (tmp_path / name).mkdir()
        specs[name] = {**spec_for(tmp_path / name), "budget": {"tokens": BUDGET_TOKENS}}
        # Both at once: most of each run is starting up, which overlaps.
        processes[name] = subprocess.Popen(command(write_spec(specs[name], tmp_path / name / "spec.json")), cwd=WORKER_ROOT, text=True,
                                           stdout=subprocess.PIPE, stderr=(tmp_path / name / "stderr").open("w"))  # fmt: skip
    try:
        for name, process in processes.items():
            out, _ = process.communicate(timeout=300)
            assert process.returncode == 0, (tmp_path / name / "stderr").read_text()[-3000:]
            events[name] = parse_events(out)
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.kill()

    def plans(events):
        return [(e["total_steps"], e["budget"]["used_tokens"]) for e in events if e["type"] == "plan" and e["reason"] == "budget"]

    def result(events):
        return next(e for e in events if e["type"] == "result")

    one, two = events["one"], events["two"]
    assert plans(two) == plans(one) and plans(one)
    steps = result(two)["steps"]
    assert steps == result(one)["steps"] == plans(one)[-1][0] < STEPS  # the budget ended it, where planned
    assert result(two)["train_tokens"] == result(one)["train_tokens"]
    assert_same_curve(losses(two), losses(one))  # the same schedule, step by step
    assert Path(specs["two"]["output_dir"], "checkpoints", f"checkpoint-{steps}", "rng_state_1.pth").is_file()


def test_lr_search_on_two_ranks_trials_in_step_and_trains_at_the_winner(tmp_path, reference):
    """Every rank runs the trials in step (each a DDP run) and trains at rank 0's choice (broadcast,
    components/lr_search.py; test_lr_search_ranks.py makes the ranks disagree): rank 0 reports the
    trials once, the clearly better rate wins, and training runs at it."""
    spec_for, _ = reference
    useless, good = 1e-7, 5e-3
    spec = spec_for(tmp_path, max_steps=6, lr_search={"candidates": [useless, good], "steps": 2, "train_fraction": 0.5})
    done = subprocess.run(launcher_command(write_spec(spec, tmp_path / "spec.json"), 1, 2, ONE_NODE),
                          cwd=WORKER_ROOT, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    events = parse_events(done.stdout)
    trials = [e for e in events if e["type"] == "trial"]
    assert [t["learning_rate"] for t in trials] == [useless, good]  # once each: rank 0 alone reports
    assert trials[1]["eval_loss"] < trials[0]["eval_loss"]
    assert max(e["learning_rate"] for e in events if e["type"] == "progress") == pytest.approx(good)
    assert next(e for e in events if e["type"] == "result")["steps"] == 6
    assert json.loads(Path(spec["output_dir"], "lr_search.json").read_text())["learning_rate"] == good


def test_ranks_die_with_a_launcher_killed_outright(tmp_path, reference):
    """The launcher starts each rank in a session of its own, so a SIGKILL to its process group (the
    server's kill at the end of the stop grace) reaches the launcher alone; the ranks' parent-death
    signal ends them too, instead of leaving them training, orphaned, in the job's folder."""
    import os
    import signal

    spec_for, _ = reference
    spec = spec_for(tmp_path, max_steps=1000)
    launcher = subprocess.Popen(launcher_command(write_spec(spec, tmp_path / "spec.json"), 1, 2, ONE_NODE), cwd=WORKER_ROOT,
                                stdout=subprocess.PIPE, stderr=(tmp_path / "run.stderr").open("w"), text=True, start_new_session=True)  # fmt: skip
    ranks = []
    try:
        for line in launcher.stdout:
            if '"type": "progress"' in line:
                ranks = psutil.Process(launcher.pid).children()
                assert len(ranks) == 2 and all(os.getpgid(r.pid) != launcher.pid for r in ranks)  # out of the group's reach
                os.killpg(launcher.pid, signal.SIGKILL)
                break
        launcher.wait(timeout=30)
        _, alive = psutil.wait_procs(ranks, timeout=15)
        assert not alive, f"ranks outlived their launcher: {[p.pid for p in alive]}"
    finally:
        for rank in ranks:
            if rank.is_running():
                rank.kill()
        if launcher.poll() is None:
            launcher.kill()
