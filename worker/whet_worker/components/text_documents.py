"""Read raw-text JSONL (one `{"text": ...}` document per line) into an Arrow dataset on disk.

The file is checked line by line first (one line in memory at a time), so a bad row is reported
with its line number, then datasets' JSON loader converts it to Arrow under `cache_dir`: the
documents stay memory-mapped, never a Python list. Other fields of a row are kept but unused.
"""

import json
from pathlib import Path

from datasets import Dataset, load_dataset

from ..errors import WorkerError

TEXT_FIELD = "text"
MAX_REPORTED = 5  # line errors named in one message


def read_text_documents(path: str, cache_dir: Path) -> Dataset:
    """Raise DATASET_NOT_FOUND / DATASET_INVALID / DATASET_EMPTY."""
    if not Path(path).is_file():
        raise WorkerError("DATASET_NOT_FOUND", f"The dataset file {path} does not exist")
    rows = check_text_lines(path)
    if rows == 0:
        raise WorkerError("DATASET_EMPTY", f"{path} holds no documents", 'Write one {"text": "..."} object per line.')
    return load_dataset("json", data_files=str(path), split="train", cache_dir=str(cache_dir))


def check_text_lines(path: str) -> int:
    """The number of documents; DATASET_INVALID naming the first bad lines."""
    rows, problems, number = 0, [], 0
    with open(path, encoding="utf-8") as lines:
        try:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue  # the JSON loader skips blank lines too
                problem = _row_problem(line)
                if problem:
                    problems.append(f"line {number}: {problem}")
                else:
                    rows += 1
        except UnicodeDecodeError as exc:
            raise WorkerError("DATASET_INVALID", f"{path} is not UTF-8 text (near line {number + 1}: {exc.reason})") from exc
    if problems:
        shown = "; ".join(problems[:MAX_REPORTED])
        more = f" (and {len(problems) - MAX_REPORTED} more)" if len(problems) > MAX_REPORTED else ""
        raise WorkerError(
            "DATASET_INVALID",
            f"{path}: {len(problems)} bad lines: {shown}{more}",
            'Pre-training reads one JSON object per line with the document in a string "text" field.',
        )
    return rows


def _row_problem(line: str) -> str | None:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        return f"not JSON ({exc.msg})"
    if not isinstance(row, dict) or not isinstance(row.get(TEXT_FIELD), str):
        return f'needs a string "{TEXT_FIELD}" field'
    return None
