"""Benchmark data: real instruction/answer pairs of uneven length, from text that ships with Python.

    python make_data.py OUT_DIR [TRAIN_ROWS] [EVAL_ROWS]

Each row asks what a standard-library function does and answers with its docstring (first
paragraphs, at most ~1,200 characters): English text with the long-tailed lengths of real SFT
data, available offline. Writes OUT_DIR/train.jsonl and OUT_DIR/eval.jsonl; the same rows every
run (sorted names, seeded shuffle).
"""

import importlib
import inspect
import json
import random
import sys
from pathlib import Path

MODULES = [
    "argparse", "base64", "bisect", "calendar", "collections", "contextlib", "copy", "csv", "datetime", "decimal",
    "difflib", "email.utils", "fractions", "functools", "glob", "gzip", "hashlib", "heapq", "hmac", "html",
    "http.client", "inspect", "io", "ipaddress", "itertools", "json", "logging", "math", "mimetypes", "operator",
    "os", "os.path", "pathlib", "pickle", "pprint", "queue", "random", "re", "shlex", "shutil", "socket",
    "statistics", "string", "struct", "subprocess", "tarfile", "tempfile", "textwrap", "threading", "time",
    "timeit", "typing", "unicodedata", "urllib.parse", "uuid", "warnings", "weakref", "zipfile", "zlib",
]
QUESTIONS = [
    "What does `{name}` do in Python?",
    "Explain the Python function `{name}`.",
    "I found `{name}` in some code. What is it for?",
    "Describe what `{name}` does and how to call it.",
]
MAX_ANSWER_CHARS = 1200


def answer_of(doc: str) -> str:
    paragraphs, size = [], 0
    for paragraph in doc.strip().split("\n\n"):
        if size and size + len(paragraph) > MAX_ANSWER_CHARS:
            break
        paragraphs.append(paragraph.strip())
        size += len(paragraph)
    return "\n\n".join(paragraphs)[: MAX_ANSWER_CHARS * 2]


def pairs() -> list[tuple[str, str]]:
    found = {}
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for attr in sorted(dir(module)):
            if attr.startswith("_"):
                continue
            value = getattr(module, attr, None)
            if not (inspect.isfunction(value) or inspect.isbuiltin(value) or inspect.isclass(value)):
                continue
            doc = inspect.getdoc(value)
            if doc and len(doc) >= 40:
                found.setdefault(f"{module_name}.{attr}", answer_of(doc))
    return sorted(found.items())


def main(out: Path, train_rows: int, eval_rows: int) -> None:
    rows = pairs()
    rng = random.Random(1234)
    rng.shuffle(rows)
    out.mkdir(parents=True, exist_ok=True)
    chats = [
        {"messages": [{"role": "user", "content": QUESTIONS[i % len(QUESTIONS)].format(name=name)}, {"role": "assistant", "content": answer}]}
        for i, (name, answer) in enumerate(rows[: train_rows + eval_rows])
    ]
    for name, part in (("train", chats[:train_rows]), ("eval", chats[train_rows:])):
        with (out / f"{name}.jsonl").open("w", encoding="utf-8") as f:
            f.writelines(json.dumps(c, ensure_ascii=False) + "\n" for c in part)


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 96, int(sys.argv[3]) if len(sys.argv) > 3 else 32)
