"""The shared-prefix KV cache of score-choices on and off, in one process on the same questions,
alternating (on, off, on, off): wall and CPU seconds, questions/s, and whether the two give the
same log-likelihoods and picks. Off means the prefix is never shared (MIN_SHARED set past any
prompt), i.e. every row runs all its tokens, as before the cache.

    .venv/bin/python benchmarks/benchmark-eval/prefix_cache_ab.py [MODEL] [QUESTIONS] [SHOTS] [BATCH]

Defaults: the demo model, 200 MMLU-shaped questions (4 subjects, questions of 15-60 words, choices
of 2-12, about 536 context tokens at 5-shot, close to MMLU's), 5-shot from a dev file, batch 16.
Prints one JSON line last.
"""

import contextlib
import io
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "worker"))

import whet_worker.components.choice_loglikelihood as choice_loglikelihood  # noqa: E402
from whet_worker.graceful_stop import GracefulStop  # noqa: E402
from whet_worker.recipes.score_choices import ScoreChoicesRecipe  # noqa: E402

args = sys.argv[1:] + [None] * 4
model = args[0] or str(REPO / ".cache/demo-model/SmolLM2-135M-Instruct")
n, shots, batch = int(args[1] or 200), int(args[2] or 5), int(args[3] or 16)
rnd = random.Random(7)
words = "light mass orbit temple prayer comet force star energy wave cell gene protein planet gravity ritual scripture which following most likely because the of a is".split()
subjects = ["high_school_physics", "world_religions", "astronomy", "college_biology"]


def phrase(lo: int, hi: int) -> str:
    return " ".join(rnd.choice(words) for _ in range(rnd.randint(lo, hi)))


def row(subject: str) -> dict:
    return {"question": phrase(15, 60) + "?", "choices": [phrase(2, 12) for _ in range(4)], "answer_index": rnd.randrange(4), "subject": subject}


folder = Path(tempfile.mkdtemp(prefix="whet-prefix-ab-"))
(folder / "test.jsonl").write_text("".join(json.dumps(row(subjects[i * len(subjects) // n])) + "\n" for i in range(n)))
(folder / "dev.jsonl").write_text("".join(json.dumps(row(s)) + "\n" for s in subjects for _ in range(shots)))
spec = {"version": 1, "command": "score-choices", "model": {"path": model, "chat_template": None}, "adapter": None,
        "questions_path": str(folder / "test.jsonl"), "fewshot_path": str(folder / "dev.jsonl"), "output_path": str(folder / "out.jsonl"),
        "num_fewshot": shots, "template": "mmlu", "method": "loglikelihood", "batch_size": batch, "device": "cpu", "threads": None, "dtype": "auto"}
recipe = ScoreChoicesRecipe(spec)
with contextlib.redirect_stdout(io.StringIO()):
    recipe.setup()
lengths = [len(r[0][0]) for r in recipe.requests]
print(f"{n} questions, {shots}-shot, batch {batch}, context tokens mean {sum(lengths) / n:.0f} (min {min(lengths)}, max {max(lengths)})", flush=True)

best: dict[str, float] = {}
scores: dict[str, list] = {}
for _ in range(2):
    for mode, min_shared in (("cached", 8), ("plain", 10**9)):
        choice_loglikelihood.MIN_SHARED = min_shared
        wall, cpu = time.perf_counter(), time.process_time()
        with contextlib.redirect_stdout(io.StringIO()):
            recipe.score(GracefulStop())
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        scores[mode] = [json.loads(line) for line in (folder / "out.jsonl").read_text().splitlines()]
        best[mode] = max(best.get(mode, 0.0), n / wall)
        print(f"{mode}: {wall:.1f} s wall, {cpu:.1f} s CPU, {n / wall:.2f} questions/s (load {os.getloadavg()[0]:.1f})", flush=True)

diff = max(abs(a - b) for x, y in zip(scores["cached"], scores["plain"]) for a, b in zip(x["loglikelihoods"], y["loglikelihoods"]))
same = [x["pred"] for x in scores["cached"]] == [y["pred"] for y in scores["plain"]]
print(f"best: cached {best['cached']:.2f} q/s, plain {best['plain']:.2f} q/s ({best['cached'] / best['plain']:.2f}x); 14,000 questions in {14000 / best['cached'] / 60:.0f} min; max log-likelihood difference {diff:.1e}, picks identical: {same}")
print(json.dumps({"benchmark": "benchmark-eval/prefix-cache", "questions": n, "shots": shots, "batch": batch, "cached_questions_per_sec": round(best["cached"], 3),
                  "plain_questions_per_sec": round(best["plain"], 3), "speedup": round(best["cached"] / best["plain"], 3),
                  "minutes_for_14000": round(14000 / best["cached"] / 60, 1), "max_ll_diff": diff, "picks_identical": same}))
