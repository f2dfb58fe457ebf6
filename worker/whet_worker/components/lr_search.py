"""`lr_search`: train a fresh model a few steps at each candidate learning rate, keep the best by eval loss.

Each trial starts from the same weights and seed, trains `steps` optimizer steps on a slice of
the training data, and is scored on held-out rows (the validation set, or rows of the training
data the trials never train on). A trial that diverges scores infinity instead of failing the
job. The winner is written to `output_dir/lr_search.json`, so a resume reuses it.

Several processes (torchrun, Ray Train): every rank runs the trials in step (each trial is a DDP
run), and every rank then trains at rank 0's choice, broadcast: ranks that chose apart (a tie, a
loss that diverged on one rank) would step their optimizers at different rates and drift apart
silently. Rank 0's folder decides a resume's reuse the same way.
"""

import json
import math
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable

from datasets import Dataset

from ..events import emit
from .distributed import from_rank_zero, this_rank

TRIAL_EVAL_ROWS = 64  # enough rows to rank candidates, few enough to score in seconds
RESULT_FILE = "lr_search.json"


@dataclass
class Trial:
    learning_rate: float
    train_loss: float | None
    eval_loss: float | None


@dataclass
class SearchResult:
    learning_rate: float
    trials: list[Trial]
    seconds: float


def trial_data(train: Dataset, evaluation: Dataset | None, train_fraction: float, seed: int) -> tuple[Dataset, Dataset]:
    """The slice the trials train on, and the rows they are scored on (never the same rows)."""
    shuffled = train.shuffle(seed=seed)
    if evaluation is not None and len(evaluation):
        scored = evaluation.select(range(min(TRIAL_EVAL_ROWS, len(evaluation))))
        rest = shuffled
    else:
        held = min(TRIAL_EVAL_ROWS, max(1, len(shuffled) // 5))
        scored, rest = shuffled.select(range(held)), shuffled.select(range(held, len(shuffled)))
    count = max(1, min(len(rest), math.ceil(train_fraction * len(train))))
    return rest.select(range(count)), scored


def search_learning_rate(
    search: dict[str, Any],
    train: Dataset,
    evaluation: Dataset,
    run_trial: Callable[[float, int, Dataset, Dataset, Path], tuple[float | None, float | None]],
    work_dir: Path,
) -> SearchResult:
    """`run_trial(lr, steps, train, eval, dir)` trains one fresh model and returns (train_loss, eval_loss)."""
    started = time.perf_counter()
    candidates = search["candidates"]
    trials = []
    for index, learning_rate in enumerate(candidates):
        train_loss, eval_loss = run_trial(learning_rate, search["steps"], train, evaluation, work_dir / f"trial-{index}")
        trials.append(Trial(learning_rate, _finite(train_loss), _finite(eval_loss)))
        emit(
            "trial",
            index=index,
            of=len(candidates),
            learning_rate=learning_rate,
            steps=search["steps"],
            train_loss=trials[-1].train_loss,
            eval_loss=trials[-1].eval_loss,
        )
    shutil.rmtree(work_dir, ignore_errors=True)
    best = min(trials, key=lambda t: math.inf if t.eval_loss is None else t.eval_loss)
    emit(
        "log",
        level="info",
        message=f"lr_search: learning rate {best.learning_rate:g} has the lowest eval loss "
        f"({', '.join(f'{t.learning_rate:g}: {_show(t.eval_loss)}' for t in trials)})",
    )
    return SearchResult(best.learning_rate, trials, time.perf_counter() - started)


def choose_learning_rate(
    search: dict[str, Any],
    train: Dataset,
    evaluation: Dataset | None,
    seed: int,
    run_trial: Callable[[float, int, Dataset, Dataset, Path], tuple[float | None, float | None]],
    output_dir: Path,
    device: str = "cpu",
) -> tuple[float, float]:
    """(the trials' winner, the seconds they took); on a resume, the rate a previous attempt chose and 0 s.
    Several processes: rank 0's answer on every rank (a collective: every rank calls it)."""
    previous = load_result(output_dir) if this_rank().reports else None
    [reused] = from_rank_zero([previous.learning_rate if previous else 0.0], device)  # rates are > 0
    if reused > 0:
        emit("log", level="info", message=f"lr_search: reusing learning rate {reused:g} chosen before")
        return reused, 0.0
    trial_train, scored = trial_data(train, evaluation, search["train_fraction"], seed)
    result = search_learning_rate(search, trial_train, scored, run_trial, output_dir / "trials")
    if this_rank().reports:
        save_result(result, output_dir)
    learning_rate, seconds = from_rank_zero([result.learning_rate, result.seconds], device)
    return learning_rate, seconds


def save_result(result: SearchResult, output_dir: Path) -> None:
    output_dir.mkdir(parents=True, exist_ok=True)
    body = {"learning_rate": result.learning_rate, "seconds": result.seconds, "trials": [asdict(t) for t in result.trials]}
    (output_dir / RESULT_FILE).write_text(json.dumps(body), encoding="utf-8")


def load_result(output_dir: Path) -> SearchResult | None:
    path = output_dir / RESULT_FILE
    if not path.is_file():
        return None
    body = json.loads(path.read_text(encoding="utf-8"))
    return SearchResult(body["learning_rate"], [Trial(**t) for t in body["trials"]], body["seconds"])


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _show(value: float | None) -> str:
    return "diverged" if value is None else f"{value:.4f}"
