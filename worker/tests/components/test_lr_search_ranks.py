"""lr_search in several processes: every rank trains at rank 0's choice, also when the ranks' own
trials would pick apart, and a resume reuses what rank 0's folder holds on every rank.

Two real processes in a gloo group on 127.0.0.1 (no model: the trial is a function of the rank,
so the ranks disagree on purpose). Without the broadcast each rank keeps its own winner, and
under DDP their optimizers would step at different rates. The whole run under torchrun, with a
model, is in test_torchrun.py.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import WORKER_ROOT, free_port

CANDIDATES = [1e-4, 1e-3]

RANK_PROGRAM = """
import json, sys
from pathlib import Path
from datasets import Dataset
from whet_worker.components.lr_search import choose_learning_rate

rank, out, candidates = int(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])
search = {"candidates": candidates, "steps": 1, "train_fraction": 0.5}
rows = Dataset.from_dict({"x": list(range(20))})

def prefers_its_own(learning_rate, steps, train, scored, work_dir):
    # rank 0 scores the first candidate best, rank 1 the second
    return 1.0, 0.5 if candidates.index(learning_rate) == rank else 1.0

def must_not_run(*_):
    raise AssertionError("a resume ran trials again")

first, _ = choose_learning_rate(search, rows, None, 0, prefers_its_own, out)
resumed, seconds = choose_learning_rate(search, rows, None, 0, must_not_run, out)
(out / "chosen.json").write_text(json.dumps({"first": first, "resumed": resumed, "resumed_seconds": seconds}))
# Leave the group before exit: gloo's threads still running at interpreter exit can abort the
# process ("terminate called without an active exception", SIGABRT; seen once in CI).
import torch.distributed as dist
dist.destroy_process_group()
"""


def test_every_rank_takes_rank_zeros_learning_rate(tmp_path: Path):
    port = free_port()
    ranks = []
    for rank in (0, 1):
        # Each rank its own output folder: rank 1 never sees lr_search.json, as a node without shared storage.
        out = tmp_path / f"rank-{rank}"
        out.mkdir()
        env = {**os.environ, "RANK": str(rank), "LOCAL_RANK": str(rank), "WORLD_SIZE": "2", "LOCAL_WORLD_SIZE": "2",
               "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": str(port)}  # fmt: skip
        process = subprocess.Popen([sys.executable, "-c", RANK_PROGRAM, str(rank), str(out), json.dumps(CANDIDATES)], cwd=WORKER_ROOT, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
        ranks.append((process, out))
    for process, _ in ranks:
        try:
            _, stderr = process.communicate(timeout=120)
        finally:
            if process.poll() is None:
                process.kill()
        assert process.returncode == 0, stderr[-3000:]
    chosen = [json.loads((out / "chosen.json").read_text()) for _, out in ranks]
    assert [c["first"] for c in chosen] == [CANDIDATES[0], CANDIDATES[0]]  # rank 1's own trials chose 1e-3
    assert [c["resumed"] for c in chosen] == [CANDIDATES[0], CANDIDATES[0]]
    assert [c["resumed_seconds"] for c in chosen] == [0.0, 0.0]
    assert (ranks[0][1] / "lr_search.json").is_file() and not (ranks[1][1] / "lr_search.json").exists()
