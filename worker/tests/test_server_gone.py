"""A server killed outright closes the worker's pipes: the worker checkpoints and stops, as on SIGTERM."""

import json
import subprocess
from pathlib import Path

from conftest import WORKER_ROOT, worker_command, write_spec


def test_closed_pipes_stop_training_at_a_checkpoint_instead_of_crashing_mid_step(make_spec, tmp_path):
    # save_steps far off and many steps: any checkpoint on disk is the stop's own
    spec = make_spec(epochs=50, save_steps=100_000)
    process = subprocess.Popen(
        worker_command(write_spec(spec, tmp_path / "spec.json")),
        cwd=WORKER_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,  # both pipes, as the server spawns it
    )
    try:
        for line in process.stdout:
            event = json.loads(line)
            if event["type"] == "progress" and event["step"] >= 3:
                break
        else:
            raise AssertionError(f"the worker ended (exit {process.wait()}) before step 3")
        process.stdout.close()  # the server is gone
        process.stderr.close()
        code = process.wait(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert code == 0  # the stop path, not a BrokenPipeError traceback (exit 1)
    checkpoints = sorted(Path(spec["output_dir"], "checkpoints").glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[1]))
    assert checkpoints, "no checkpoint: the worker died instead of saving"
    step = int(checkpoints[-1].name.split("-")[1])
    assert 3 <= step < 50 * 12  # where it stopped, long before the end of the schedule
    assert (checkpoints[-1] / "trainer_state.json").is_file()
