"""lm-evaluation-harness's own evaluator on the benchmark's questions (offline, local task files):
prints one JSON line with its scoring time and each question's pick, in file order."""

import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from lm_eval import evaluator  # noqa: E402
from lm_eval.models.huggingface import HFLM  # noqa: E402
from lm_eval.tasks import TaskManager  # noqa: E402

from whet_worker.components.harness_tasks import write_harness_tasks  # noqa: E402
from whet_worker.components.mc_prompts import read_questions  # noqa: E402

model, questions_path, dev_path, shots, batch = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
questions = read_questions(questions_path)
folder = Path(tempfile.mkdtemp(prefix="whet-harness-"))
names = write_harness_tasks(folder, "mmlu", questions, read_questions(dev_path))
lm = HFLM(pretrained=model, device="cpu", dtype="float32", batch_size=batch)
started = time.monotonic()
out = evaluator.simple_evaluate(model=lm, tasks=names, num_fewshot=shots, task_manager=TaskManager(include_path=str(folder), include_defaults=False), log_samples=True)
seconds = time.monotonic() - started
picks = []
for name in names:
    for s in sorted(out["samples"][name], key=lambda s: s["doc_id"]):
        lls = [float(r[0]) for r in s["filtered_resps"]]
        picks.append(lls.index(max(lls)))
print(json.dumps({"seconds": seconds, "picks": picks}))
