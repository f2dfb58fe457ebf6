"""Read a JSONL dataset file row by row, naming every bad line by its number.

The server validated the file when it was uploaded; this check is for files that changed or were
written by hand, so the worker still fails with the lines to fix rather than deep inside training.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ..errors import WorkerError

MAX_REPORTED = 5  # line errors named in one message
Row = TypeVar("Row")


def read_jsonl_rows(path: str, parse: Callable[[str], tuple[Row, str | None]], what: str, hint: str | None = None) -> list[Row]:
    """Each non-blank line through `parse` (its value, or a problem); DATASET_NOT_FOUND,
    DATASET_INVALID (the first bad lines by number, or text that is not UTF-8), DATASET_EMPTY
    ("`path` holds no `what`")."""
    if not Path(path).is_file():
        raise WorkerError("DATASET_NOT_FOUND", f"The dataset file {path} does not exist")
    rows: list[Any] = []
    problems: list[str] = []
    number = 0
    with open(path, encoding="utf-8") as lines:
        try:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                value, problem = parse(line)
                if problem:
                    problems.append(f"line {number}: {problem}")
                else:
                    rows.append(value)
        except UnicodeDecodeError as exc:
            raise WorkerError("DATASET_INVALID", f"{path} is not UTF-8 text (near line {number + 1}: {exc.reason})", hint) from exc
    if problems:
        shown = "; ".join(problems[:MAX_REPORTED])
        more = f" (and {len(problems) - MAX_REPORTED} more)" if len(problems) > MAX_REPORTED else ""
        raise WorkerError("DATASET_INVALID", f"{path}: {len(problems)} bad lines: {shown}{more}", hint)
    if not rows:
        raise WorkerError("DATASET_EMPTY", f"{path} holds no {what}", hint)
    return rows
