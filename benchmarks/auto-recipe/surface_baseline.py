"""What the labelling tasks' training rows teach a classifier that knows no language.

    .venv/bin/python benchmarks/auto-recipe/surface_baseline.py TASKS_DIR [TASK ...]

TASKS_DIR is quality_tasks.py's output. For each labelling task (default: every task folder whose
answers are a closed set), a logistic regression on the character 1-3-grams of the question,
trained on train.jsonl and scored by accuracy on test.jsonl: the classic text-classification
baseline, and a measure of how much of a task the surface of its inputs gives away. Where the
fine-tuned model is not far above it, what the model brings of the language is what is missing
(README.md, "What the rows alone teach"). The weight decay is chosen by 5-fold cross-validation on
the training rows; the test rows are used once.
"""

import json
import sys
from pathlib import Path

import torch

torch.set_num_threads(1)  # small sparse work: the other core stays free for whatever else runs

DECAYS = (1e-4, 1e-3, 1e-2)
FOLDS = 5
MAX_LABELS = 50  # more distinct answers than this: not a labelling task (the platform's own bound)


def load(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        messages = json.loads(line)["messages"]
        rows.append((messages[0]["content"], messages[-1]["content"]))
    return rows


def ngrams(text: str) -> set[str]:
    return {text[i : i + n] for n in (1, 2, 3) for i in range(len(text) - n + 1)}


def fit_and_score(train: list[tuple[str, str]], test: list[tuple[str, str]], labels: list[str], decay: float) -> tuple[float, dict[str, float]]:
    """Accuracy on `test` and the recall of each label, both 0 to 100."""
    vocab: dict[str, int] = {}
    for text, _ in train:
        for gram in ngrams(text):
            vocab.setdefault(gram, len(vocab))

    def encode(rows):
        # Sparse: each row is its n-grams' indices, summed by an EmbeddingBag (a linear layer over a bag of n-grams).
        bags = [[vocab[g] for g in ngrams(text) if g in vocab] for text, _ in rows]
        offsets = torch.tensor([0] + [len(b) for b in bags[:-1]]).cumsum(0)
        return torch.tensor([i for b in bags for i in b]), offsets, torch.tensor([labels.index(label) for _, label in rows])

    idx, offsets, y = encode(train)
    torch.manual_seed(0)
    weights = torch.nn.EmbeddingBag(len(vocab), len(labels), mode="sum")
    torch.nn.init.zeros_(weights.weight)
    bias = torch.nn.Parameter(torch.zeros(len(labels)))
    optimizer = torch.optim.Adam([*weights.parameters(), bias], lr=0.05, weight_decay=decay)
    for _ in range(300):  # full batch: a few hundred to a thousand rows
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(weights(idx, offsets) + bias, y).backward()
        optimizer.step()
    idx, offsets, yt = encode(test)
    with torch.no_grad():
        right = (weights(idx, offsets) + bias).argmax(1) == yt
    recall = {label: right[yt == i].float().mean().item() * 100 for i, label in enumerate(labels) if (yt == i).any()}
    return right.float().mean().item() * 100, recall


def cross_validated_decay(train: list[tuple[str, str]], labels: list[str]) -> float:
    def mean_accuracy(decay: float) -> float:
        folds = [train[i::FOLDS] for i in range(FOLDS)]
        held = [fit_and_score([r for j, f in enumerate(folds) if j != i for r in f], folds[i], labels, decay)[0] for i in range(FOLDS)]
        return sum(held) / FOLDS

    return max(DECAYS, key=mean_accuracy)


def run(folder: Path) -> dict | None:
    train, test = load(folder / "train.jsonl"), load(folder / "test.jsonl")
    labels = sorted({label for _, label in train})
    if len(labels) > MAX_LABELS:
        return None  # not a labelling task
    decay = cross_validated_decay(train, labels)
    accuracy, recall = fit_and_score(train, test, labels, decay)
    return {
        "task": folder.name,
        "labels": len(labels),
        "train": len(train),
        "test": len(test),
        "weight_decay": decay,
        "accuracy": round(accuracy, 1),
        "recall": {label: round(r, 1) for label, r in recall.items()},
    }


def main(tasks_dir: Path, names: list[str]) -> int:
    folders = [tasks_dir / n for n in names] if names else sorted(p for p in tasks_dir.iterdir() if (p / "train.jsonl").is_file())
    results = [r for r in (run(f) for f in folders) if r]
    for r in results:
        print(f"{r['task']:<10} char 1-3-gram logistic regression: {r['accuracy']:.1f}% of {r['test']} test rows ({r['labels']} labels, weight decay {r['weight_decay']})")
        print(f"{'':<10} recall by label: {', '.join(f'{label} {value:.0f}%' for label, value in r['recall'].items())}")
    print(json.dumps({"benchmark": "auto-recipe-surface-baseline", "tasks": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2:]))
