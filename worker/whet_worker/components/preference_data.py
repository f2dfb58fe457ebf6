"""The preference data (dpo, orpo): pairs read line by line, a validation share held out, each
pair rendered with the chat template and tokenized the way TRL's DPOTrainer does.

A line is core's internal preference form: `{"messages": [prompt turns, an optional system turn
first, ending with a user (or tool) turn], "chosen": {"role": "assistant", "content": ...},
"rejected": {...}}`. Each pair becomes TRL's conversational preference row (`prompt` a list of
turns, `chosen` and `rejected` one-turn lists) plus its token ids: the prompt rendered with the
generation prompt, each answer as what its full rendering adds after it (the turn's end, EOS,
included), so the model also learns to stop. Only role and content of each turn are kept.

max_seq_len caps prompt plus answer, keeping the start (TRL's `keep_start`): a pair whose prompt
alone fills it has no answer token left and is dropped (reported; all of them dropped is
DATASET_EMPTY_AFTER_TRUNCATION); a pair with a cut answer trains on what fits (reported), or is
dropped with `data.drop_truncated`.
"""

import json
from dataclasses import dataclass, field
from typing import Any

from datasets import Dataset
from transformers import PreTrainedTokenizerBase
from trl.data_utils import common_prefix_length

from ..errors import WorkerError
from ..events import emit
from .conversations import ROLES, hold_out
from .jsonl_rows import read_jsonl_rows

PROMPT_ENDS = ("user", "tool")  # core's checkPromptTurns: the answers reply to this turn
FORMAT_HINT = (
    'Each line needs {"messages": [prompt turns ending with a user turn], "chosen": {"role": "assistant", "content": "..."}, '
    '"rejected": {"role": "assistant", "content": "..."}}.'
)


@dataclass(frozen=True)
class PreferenceData:
    """Both splits hold `prompt`, `chosen`, `rejected` (conversational, for TRL's DPOTrainer) and
    `prompt_ids`, `chosen_ids`, `rejected_ids` (tokenized, for the ORPO trainer)."""

    train: Dataset
    eval: Dataset | None


CONVERSATIONAL = ["prompt", "chosen", "rejected"]
TOKENIZED = ["prompt_ids", "chosen_ids", "rejected_ids"]


def read_preference_pairs(path: str) -> list[dict[str, Any]]:
    """Each line's pair as {messages, chosen, rejected}; DATASET_NOT_FOUND / DATASET_INVALID (the
    first bad lines by number) / DATASET_EMPTY."""
    return read_jsonl_rows(path, _parse_pair, "preference pairs", FORMAT_HINT)


def _parse_pair(line: str) -> tuple[dict[str, Any], str | None]:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        return {}, f"not JSON ({exc.msg})"
    if not isinstance(row, dict):
        return {}, "not a JSON object"
    messages = row.get("messages")
    if not isinstance(messages, list) or not messages:
        return {}, "`messages` (the prompt turns) must be a non-empty list"
    for index, message in enumerate(messages):
        if not _is_turn(message, ROLES):
            return {}, f"messages[{index}] needs a role in {sorted(ROLES)} and a string content"
    if messages[-1]["role"] not in PROMPT_ENDS:
        return {}, f"the prompt must end with a user turn, which the answers reply to (it ends with {messages[-1]['role']!r})"
    for key in ("chosen", "rejected"):
        if not _is_turn(row.get(key), {"assistant"}):
            return {}, f'`{key}` must be an assistant turn: {{"role": "assistant", "content": "..."}}'
    return {"messages": [_turn(m) for m in messages], "chosen": _turn(row["chosen"]), "rejected": _turn(row["rejected"])}, None


def _turn(message: dict[str, Any]) -> dict[str, str]:
    """Role and content only: every turn then has the same fields in the Arrow table TRL reads."""
    return {"role": message["role"], "content": message["content"]}


def _is_turn(message: Any, roles: set[str]) -> bool:
    return isinstance(message, dict) and message.get("role") in roles and isinstance(message.get("content"), str)


@dataclass
class TokenizedPairs:
    rows: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0
    prompt_too_long: int = 0  # dropped: the prompt alone fills max_seq_len
    answer_cut: int = 0  # kept (or dropped with drop_truncated): an answer runs past max_seq_len
    cut_dropped: int = 0
    shortest_dropped_prompt: int | None = None


def tokenize_pairs(
    pairs: list[dict[str, Any]], tokenizer: PreTrainedTokenizerBase, max_seq_len: int, drop_cut: bool = False
) -> TokenizedPairs:
    """TRL's conversational preference rows with their token ids, as DPOTrainer tokenizes them:
    the completion starts where the prompt's and the prompt+answer's ids diverge."""
    out = TokenizedPairs(total=len(pairs))
    for pair in pairs:
        prompt, chosen, rejected = pair["messages"], [pair["chosen"]], [pair["rejected"]]
        prompt_ids = _ids(tokenizer, prompt, add_generation_prompt=True)
        chosen_full, rejected_full = _ids(tokenizer, prompt + chosen), _ids(tokenizer, prompt + rejected)
        start = min(common_prefix_length(prompt_ids, chosen_full), common_prefix_length(prompt_ids, rejected_full))
        if start >= max_seq_len:
            out.prompt_too_long += 1
            shortest = out.shortest_dropped_prompt
            out.shortest_dropped_prompt = start if shortest is None else min(shortest, start)
            continue
        if max(len(chosen_full), len(rejected_full)) > max_seq_len:
            out.answer_cut += 1
            if drop_cut:
                out.cut_dropped += 1
                continue
        out.rows.append(
            {
                "prompt": prompt,
                "chosen": chosen,
                "rejected": rejected,
                "prompt_ids": prompt_ids[:start],
                "chosen_ids": chosen_full[start:],
                "rejected_ids": rejected_full[start:],
            }
        )
    return out


def _ids(tokenizer: PreTrainedTokenizerBase, messages: list[dict[str, str]], add_generation_prompt: bool = False) -> list[int]:
    encoded = tokenizer.apply_chat_template(messages, tokenize=True, return_dict=True, add_generation_prompt=add_generation_prompt)
    return encoded["input_ids"]


def build_preference_data(data: dict[str, Any], tokenizer: PreTrainedTokenizerBase, max_seq_len: int, seed: int) -> PreferenceData:
    pairs = read_preference_pairs(data["train"])
    if data["validation"] is not None:
        held_out = read_preference_pairs(data["validation"])
    else:
        pairs, held_out = hold_out(pairs, data["validation_split"], seed)
    train = tokenize_pairs(pairs, tokenizer, max_seq_len, drop_cut=data.get("drop_truncated", False))
    _report("training", train, max_seq_len)
    if not train.rows:
        raise _nothing_left(train, max_seq_len)
    evaluation = tokenize_pairs(held_out, tokenizer, max_seq_len) if held_out else None
    if evaluation is not None:
        _report("validation", evaluation, max_seq_len)
    return PreferenceData(
        Dataset.from_list(train.rows),
        Dataset.from_list(evaluation.rows) if evaluation is not None and evaluation.rows else None,
    )


def _report(name: str, split: TokenizedPairs, max_seq_len: int) -> None:
    if split.answer_cut and not split.cut_dropped:
        emit(
            "log",
            level="warning",
            message=f"{split.answer_cut} of {split.total} {name} pairs have an answer cut at max_seq_len={max_seq_len}: "
            "they train on the part that fits (set drop_truncated to leave them out)",
        )
    dropped = split.prompt_too_long + split.cut_dropped
    if dropped:
        cut = f", {split.cut_dropped} had an answer cut (drop_truncated)" if split.cut_dropped else ""
        emit(
            "log",
            level="warning",
            message=f"dropped {dropped} of {split.total} {name} pairs: {split.prompt_too_long} have a prompt that fills "
            f"max_seq_len={max_seq_len} on its own{cut}",
        )


def _nothing_left(split: TokenizedPairs, max_seq_len: int) -> WorkerError:
    if not split.prompt_too_long:
        return WorkerError(
            "DATASET_EMPTY_AFTER_TRUNCATION",
            f"All {split.total} training pairs have an answer cut at max_seq_len={max_seq_len}, and drop_truncated leaves them out",
            "Raise max_seq_len, or turn drop_truncated off to train on the part that fits.",
        )
    return WorkerError(
        "DATASET_EMPTY_AFTER_TRUNCATION",
        f"All {split.total} training pairs were dropped: {split.prompt_too_long} have a prompt that fills "
        f"max_seq_len={max_seq_len} on its own (the shortest takes {split.shortest_dropped_prompt} tokens)"
        + (f", {split.cut_dropped} had an answer cut (drop_truncated)" if split.cut_dropped else ""),
        f"Raise max_seq_len above {split.shortest_dropped_prompt}, or shorten the prompts.",
    )
