"""The Python reference for packages/eval: LLaMA-Factory's predict_bleu-4 / predict_rouge-*
(jieba + rouge_chinese + nltk, as in its compute_metrics), sacrebleu's corpus BLEU (13a, zh)
and the exact match of packages/eval/src/exact-match.ts.

    .venv/bin/python packages/eval/reference/reference_metrics.py PAIRS.jsonl [--no-per-sample]

PAIRS.jsonl holds {"prediction": ..., "reference": ...} lines. Prints one JSON object:
{"aggregate": {...}, "per_sample": [{...}], "count": N, "seconds": {...}}.
"""
import json
import logging
import sys
import time
import unicodedata

t_start = time.perf_counter()
import jieba  # noqa: E402
import numpy as np  # noqa: E402
import sacrebleu  # noqa: E402
from nltk.translate.bleu_score import SmoothingFunction, sentence_bleu  # noqa: E402
from rouge_chinese import Rouge  # noqa: E402

jieba.setLogLevel(logging.CRITICAL)


def compute_metrics(pred, label):
    """LLaMA-Factory's ComputeSimilarity / scripts/eval_bleu_rouge.py, per sample."""
    hypothesis = list(jieba.cut(pred))
    reference = list(jieba.cut(label))
    if len(" ".join(hypothesis).split()) == 0 or len(" ".join(reference).split()) == 0:
        result = {"rouge-1": {"f": 0.0}, "rouge-2": {"f": 0.0}, "rouge-l": {"f": 0.0}}
    else:
        rouge = Rouge()
        scores = rouge.get_scores(" ".join(hypothesis), " ".join(reference))
        result = scores[0]
    out = {k: round(v["f"] * 100, 4) for k, v in result.items()}
    bleu_score = sentence_bleu([list(label)], list(pred), smoothing_function=SmoothingFunction().method3)
    out["bleu-4"] = round(bleu_score * 100, 4)
    return out


def normalize_answer(text):
    """Mirror of normalizeAnswer in exact-match.ts (case-insensitive)."""
    s = unicodedata.normalize("NFKC", text).lower()
    s = "".join(c for c in s if not unicodedata.category(c).startswith("P"))
    return " ".join(s.split())


def main(path, per_sample=True):
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    preds = [r["prediction"] for r in rows]
    labels = [r["reference"] for r in rows]
    t_loaded = time.perf_counter()
    jieba.initialize()
    t_init = time.perf_counter()

    samples = []
    columns = {"bleu-4": [], "rouge-1": [], "rouge-2": [], "rouge-l": [], "exact_match": []}
    for pred, label in zip(preds, labels):
        s = compute_metrics(pred, label)
        s["exact_match"] = 100.0 if normalize_answer(pred) == normalize_answer(label) else 0.0
        for k in columns:
            columns[k].append(s[k])
        samples.append(s)
    aggregate = {k: float(np.mean(v)) if v else 0.0 for k, v in columns.items()}
    t_samples = time.perf_counter()
    for tok in ("13a", "zh"):
        aggregate[f"sacrebleu-{tok}"] = sacrebleu.corpus_bleu(preds, [labels], tokenize=tok).score if preds else 0.0
    t_end = time.perf_counter()

    print(json.dumps({
        "aggregate": aggregate,
        "count": len(rows),
        "per_sample": samples if per_sample else [],
        "seconds": {
            "imports": t_loaded - t_start,
            "jieba_init": t_init - t_loaded,
            "samples": t_samples - t_init,
            "sacrebleu": t_end - t_samples,
            "metrics": t_end - t_loaded,
        },
    }, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1], per_sample="--no-per-sample" not in sys.argv[2:])
