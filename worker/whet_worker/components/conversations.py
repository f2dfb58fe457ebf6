"""Read conversation JSONL (core's ConversationSchema) and hold out a validation share."""

import json
import math
import random
from pathlib import Path
from typing import Any

from ..errors import WorkerError

ROLES = {"system", "user", "assistant", "tool"}
MAX_REPORTED = 5  # line errors named in one message


def read_conversations(path: str) -> list[list[dict[str, Any]]]:
    """Return each row's `messages`; raise DATASET_NOT_FOUND / DATASET_INVALID / DATASET_EMPTY."""
    file = Path(path)
    if not file.is_file():
        raise WorkerError("DATASET_NOT_FOUND", f"The dataset file {path} does not exist")
    conversations, problems = [], []
    with file.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            messages, problem = _parse_row(line)
            if problem:
                problems.append(f"line {number}: {problem}")
            else:
                conversations.append(messages)
    if problems:
        shown = "; ".join(problems[:MAX_REPORTED])
        more = f" (and {len(problems) - MAX_REPORTED} more)" if len(problems) > MAX_REPORTED else ""
        raise WorkerError("DATASET_INVALID", f"{path}: {len(problems)} bad lines: {shown}{more}")
    if not conversations:
        raise WorkerError("DATASET_EMPTY", f"{path} holds no conversations")
    return conversations


def _parse_row(line: str) -> tuple[list[dict[str, Any]], str | None]:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        return [], f"not JSON ({exc.msg})"
    messages = row.get("messages") if isinstance(row, dict) else None
    if not isinstance(messages, list) or not messages:
        return [], "`messages` must be a non-empty list"
    for index, message in enumerate(messages):
        if not isinstance(message, dict) or message.get("role") not in ROLES or not isinstance(message.get("content"), str):
            return [], f"messages[{index}] needs a role in {sorted(ROLES)} and a string content"
    return messages, None


def hold_out(conversations: list, share: float, seed: int) -> tuple[list, list]:
    """Split off ceil(n * share) conversations for validation (at least one stays for training), seeded."""
    count = min(math.ceil(len(conversations) * share), len(conversations) - 1) if share > 0 else 0
    order = list(range(len(conversations)))
    random.Random(seed).shuffle(order)
    held = set(order[:count])
    train = [c for i, c in enumerate(conversations) if i not in held]
    return train, [conversations[i] for i in sorted(held)]
