"""Read conversation JSONL (core's ConversationSchema) and hold out a validation share."""

import json
import math
import random
from typing import Any

from .jsonl_rows import read_jsonl_rows

ROLES = {"system", "user", "assistant", "tool"}


def read_conversations(path: str) -> list[list[dict[str, Any]]]:
    """Return each row's `messages`; raise DATASET_NOT_FOUND / DATASET_INVALID / DATASET_EMPTY."""
    return read_jsonl_rows(path, _parse_row, "conversations")


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


def hold_out(conversations: list, share: float, seed: int, labels: list[str] | None = None) -> tuple[list, list]:
    """Split off ceil(n * share) conversations for validation (at least one stays for training), seeded.

    With `labels` (the dataset's label set, from the server) the split is stratified by each row's
    answer (its last assistant turn, trimmed): every label keeps its share of rows in the held-out
    part, so a rare label is not left out of the validation signal (answers outside the set form
    one more group)."""
    count = min(math.ceil(len(conversations) * share), len(conversations) - 1) if share > 0 else 0
    rng = random.Random(seed)
    if labels:
        held = _stratified(conversations, count, {label.strip() for label in labels}, rng)
    else:
        order = list(range(len(conversations)))
        rng.shuffle(order)
        held = set(order[:count])
    train = [c for i, c in enumerate(conversations) if i not in held]
    return train, [conversations[i] for i in sorted(held)]


def _stratified(conversations: list, count: int, labels: set[str], rng: random.Random) -> set[int]:
    groups: dict[str | None, list[int]] = {}
    for index, messages in enumerate(conversations):
        answer = next((m["content"].strip() for m in reversed(messages) if m["role"] == "assistant"), None)
        groups.setdefault(answer if answer in labels else None, []).append(index)
    # Each group's quota in proportion to its size, the rows left over by rounding down going to
    # the largest remainders (ties: the larger group, then the label), so the quotas add up to count.
    n = len(conversations)
    keys = sorted(groups, key=lambda k: (k is None, k or ""))
    exact = {k: count * len(groups[k]) / n for k in keys}
    quota = {k: math.floor(exact[k]) for k in keys}
    for k in sorted(keys, key=lambda k: (quota[k] - exact[k], -len(groups[k])))[: count - sum(quota.values())]:
        quota[k] += 1
    held: set[int] = set()
    for k in keys:
        rows = groups[k][:]
        rng.shuffle(rows)
        held.update(rows[: quota[k]])
    return held
