"""The SFT data: conversations read, a validation share held out, tokenized with assistant-only labels."""

from dataclasses import dataclass
from typing import Any

from datasets import Dataset
from transformers import PreTrainedTokenizerBase

from ..errors import WorkerError
from ..events import emit
from .chat_template import choose_training_template
from .conversations import hold_out, read_conversations
from .tokenize_chats import TokenizedSplit, tokenize_conversations

TEMPLATE_SOURCES = {
    "own": "the model's chat template marks assistant turns",
    "derived": "assistant turns marked in a training copy of the ChatML template",
    "offsets": "assistant turns located from the rendered text (template has no generation markers)",
}


@dataclass(frozen=True)
class SFTData:
    train: Dataset
    eval: Dataset | None


def build_sft_data(data: dict[str, Any], tokenizer: PreTrainedTokenizerBase, max_seq_len: int, seed: int) -> SFTData:
    """`data.drop_truncated` leaves out training samples whose answer max_seq_len would cut."""
    conversations = read_conversations(data["train"])
    if data["validation"] is not None:
        held_out = read_conversations(data["validation"])
    else:
        conversations, held_out = hold_out(conversations, data["validation_split"], seed, data.get("stratify_by"))
    template = choose_training_template(tokenizer)
    emit("log", level="info", message=f"assistant-only loss: {TEMPLATE_SOURCES[template.source]}")

    train = tokenize_conversations(conversations, tokenizer, template, max_seq_len, drop_cut=data.get("drop_truncated", False))
    _report_dropped("training", train, max_seq_len)
    if len(train.dataset) == 0:
        raise _nothing_to_learn(train, max_seq_len)
    if not held_out:
        return SFTData(train.dataset, None)
    evaluation = tokenize_conversations(held_out, tokenizer, template, max_seq_len)
    _report_dropped("validation", evaluation, max_seq_len)
    return SFTData(train.dataset, evaluation.dataset if len(evaluation.dataset) else None)


def _report_dropped(name: str, split: TokenizedSplit, max_seq_len: int) -> None:
    if split.answer_cut and not split.cut_dropped:
        emit(
            "log",
            level="warning",
            message=f"{split.answer_cut} of {split.total} {name} samples have answers cut at max_seq_len={max_seq_len}: "
            "they train on the part that fits (set drop_truncated to leave them out)",
        )
    if split.dropped:
        emit(
            "log",
            level="warning",
            message=f"dropped {split.dropped} of {split.total} {name} samples: "
            f"{split.truncated_away} lost every answer to max_seq_len={max_seq_len}, {split.no_answer} have no assistant turn"
            + (f", {split.cut_dropped} had answers cut (drop_truncated)" if split.cut_dropped else ""),
        )


def _nothing_to_learn(split: TokenizedSplit, max_seq_len: int) -> WorkerError:
    if split.truncated_away == 0:
        return WorkerError("DATASET_INVALID", f"None of the {split.total} training conversations has an assistant turn to learn from")
    return WorkerError(
        "DATASET_EMPTY_AFTER_TRUNCATION",
        f"All {split.total} training samples were dropped: {split.truncated_away} lost every answer token to "
        f"max_seq_len={max_seq_len} (the earliest answer starts at token {min(split.first_answer_at)}), "
        f"{split.no_answer} have no assistant turn",
        f"Raise max_seq_len above {min(split.first_answer_at)}, or shorten the prompts.",
    )
