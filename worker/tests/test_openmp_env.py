import os
import subprocess
import sys
from pathlib import Path

from whet_worker.openmp_env import busy_cores, default_openmp_wait

WORKER = Path(__file__).resolve().parents[1]


def test_threads_sleep_at_barriers_on_a_busy_machine_and_spin_on_an_idle_one():
    busy: dict[str, str] = {}
    default_openmp_wait(busy, busy=1.3)
    assert busy == {"OMP_WAIT_POLICY": "PASSIVE"}
    idle: dict[str, str] = {}
    default_openmp_wait(idle, busy=0.1)
    assert idle == {}  # libgomp's own default: spin
    for own in ({"OMP_WAIT_POLICY": "ACTIVE"}, {"OMP_WAIT_POLICY": "PASSIVE"}, {"GOMP_SPINCOUNT": "5"}):
        env = dict(own)
        default_openmp_wait(env, busy=2.0)
        assert env == own  # the user's choice wins


def test_busy_cores_sees_another_process_spinning():
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        assert busy_cores(0.5) >= 0.5
    finally:
        spinner.kill()
        spinner.wait()


def test_importing_the_worker_chooses_before_torch_loads():
    # A fresh process beside a spinning one: the package's import sets the policy and has not
    # loaded torch yet (libgomp reads the variable only when torch loads it).
    env = {k: v for k, v in os.environ.items() if k not in ("GOMP_SPINCOUNT", "OMP_WAIT_POLICY")}
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        probe = "import os, sys, whet_worker; print(os.environ.get('OMP_WAIT_POLICY'), 'torch' in sys.modules)"
        out = subprocess.run([sys.executable, "-c", probe], cwd=WORKER, env=env, capture_output=True, text=True, check=True).stdout.split()
    finally:
        spinner.kill()
        spinner.wait()
    assert out == ["PASSIVE", "False"]
