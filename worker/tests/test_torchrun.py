"""Several processes through torch's launcher (whet_worker.torchrun), on CPU with gloo, over loopback.

Real processes throughout: a one-process run of the tiny model is the reference; two processes at
the same global batch (two nodes simulated by two launchers, or one node with two ranks) must
take the same steps with the same loss; a rank killed with SIGKILL ends in an error naming it, and
a resume from the last checkpoint reaches the reference's last loss. Losses match to 1e-3: the
batches are the same samples (accelerate hands whole per-process batches out in turn) and LoRA
dropout is off, so only the all-reduce's summation order differs.
"""

import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from conftest import WORKER_ROOT, parse_events, write_spec

STEPS = 24  # fast on the tiny model (~0.1 s a step): the kill must land before the run ends
TOLERANCE = 1e-3


def launcher_command(spec_path: Path, nnodes: int, nproc: int, endpoint: str, extra: list[str] | None = None) -> list[str]:
    return [
        sys.executable, "-m", "whet_worker.torchrun",
        "--nnodes", str(nnodes), "--nproc-per-node", str(nproc),
        "--rdzv-backend", "c10d", "--rdzv-endpoint", endpoint, "--rdzv-id", "test",
        "--local-addr", "127.0.0.1", "--max-restarts", "0", "--shutdown-timeout", "10",
        *(extra or []),
        "-m", "whet_worker", "train", str(spec_path),
    ]  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


def test_two_nodes_on_loopback_train_like_one_process(tmp_path, reference):
    """Two launchers, --nnodes 2, one rank each, meet at a c10d rendezvous on 127.0.0.1."""
    spec_for, ref = reference
    spec_path = write_spec(spec_for(tmp_path), tmp_path / "spec.json")
    endpoint = f"127.0.0.1:{free_port()}"
    nodes = [subprocess.Popen(launcher_command(spec_path, 2, 1, endpoint), cwd=WORKER_ROOT, stdout=subprocess.PIPE,
                              stderr=(tmp_path / f"node-{i}.stderr").open("w"), text=True) for i in range(2)]  # fmt: skip
    outputs = [node.communicate(timeout=300)[0] for node in nodes]
    assert [n.returncode for n in nodes] == [0, 0], (tmp_path / "node-1.stderr").read_text()[-3000:]
    events = [e for out in outputs for e in parse_events(out)]
    # Rank 0 alone reports: one start, one result, whichever launcher's stdout it wrote to.
    assert [e["world_size"] for e in events if e["type"] == "started"] == [2]
    [result] = [e for e in events if e["type"] == "result"]
    assert result["steps"] == STEPS and Path(result["output_path"], "adapter_model.safetensors").is_file()
    assert_same_curve(losses(events), ref)


def test_a_killed_rank_is_named_and_a_resume_reaches_the_same_loss(tmp_path, reference):
    spec_for, ref = reference
    spec = spec_for(tmp_path)
    launcher = subprocess.Popen(launcher_command(write_spec(spec, tmp_path / "spec.json"), 1, 2, "127.0.0.1:0"), cwd=WORKER_ROOT,
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
    resumed = subprocess.run(launcher_command(write_spec({**spec, "resume_from_checkpoint": str(last)}, tmp_path / "resume.json"), 1, 2, "127.0.0.1:0"),
                             cwd=WORKER_ROOT, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    after = parse_events(resumed.stdout)
    assert next(e for e in after if e["type"] == "started")["resumed_from_step"] == int(last.name.split("-")[1])
    assert next(e for e in after if e["type"] == "result")["final_loss"] == pytest.approx(ref[STEPS], abs=TOLERANCE)


def test_a_node_missing_at_the_rendezvous_fails_within_the_time_out(tmp_path, reference):
    spec_for, _ = reference
    spec_path = write_spec(spec_for(tmp_path), tmp_path / "spec.json")
    started = time.monotonic()
    alone = subprocess.run(launcher_command(spec_path, 2, 1, f"127.0.0.1:{free_port()}", ["--rdzv-conf", "join_timeout=3"]),
                           cwd=WORKER_ROOT, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert alone.returncode == 1
    [error] = parse_events(alone.stdout)
    assert error["code"] == "EXECUTOR_UNAVAILABLE" and "expected 2 node(s)" in error["message"], error
    assert "WHET_TORCHRUN_TIMEOUT_SECONDS" in error["hint"]
    assert time.monotonic() - started < 60
