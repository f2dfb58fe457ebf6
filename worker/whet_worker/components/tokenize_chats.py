"""Turn conversations into `input_ids` + `labels` (-100 outside assistant turns), truncated.

The labels keep each answer's EOS, so fine-tuned models learn to stop. An assistant turn with
OpenAI's `weight: 0` stays in the text as context but out of the labels. Samples left with no
target token (no assistant turn, or every answer past max_seq_len) are dropped and counted;
samples whose answer is only cut are counted, and dropped too when `drop_cut` asks.
"""

from dataclasses import dataclass
from typing import Any

from datasets import Dataset
from transformers import PreTrainedTokenizerBase

from .chat_template import TrainingTemplate

IGNORE = -100  # the label value the loss skips


@dataclass
class TokenizedSplit:
    dataset: Dataset
    total: int
    no_answer: int  # conversations without an assistant turn
    truncated_away: int  # every answer token fell beyond max_seq_len
    first_answer_at: list[int]  # where the answer began, for the truncated-away ones
    answer_cut: int = 0  # some answer tokens fell beyond max_seq_len (kept truncated unless drop_cut)
    cut_dropped: int = 0

    @property
    def dropped(self) -> int:
        return self.no_answer + self.truncated_away + self.cut_dropped


def tokenize_conversations(
    conversations: list[list[dict[str, Any]]],
    tokenizer: PreTrainedTokenizerBase,
    template: TrainingTemplate,
    max_seq_len: int,
    drop_cut: bool = False,
) -> TokenizedSplit:
    rows: dict[str, list] = {"input_ids": [], "labels": []}
    no_answer, first_answer_at, answer_cut = 0, [], 0
    for messages in conversations:
        input_ids, labels = _labelled(tokenizer, template, messages)
        targets = [i for i, label in enumerate(labels) if label != IGNORE]
        if not targets:
            no_answer += 1
        elif targets[0] >= max_seq_len:
            first_answer_at.append(targets[0])
        else:
            if targets[-1] >= max_seq_len:
                answer_cut += 1
                if drop_cut:
                    continue
            rows["input_ids"].append(input_ids[:max_seq_len])
            rows["labels"].append(labels[:max_seq_len])
    return TokenizedSplit(
        Dataset.from_dict(rows), len(conversations), no_answer, len(first_answer_at), first_answer_at, answer_cut, answer_cut if drop_cut else 0
    )


def _labelled(tokenizer: PreTrainedTokenizerBase, template: TrainingTemplate, messages: list[dict[str, Any]]):
    learned = [m.get("weight", 1) != 0 for m in messages if m["role"] == "assistant"]
    input_ids, mask = None, None
    if template.template is not None:
        encoded = tokenizer.apply_chat_template(
            messages, chat_template=template.template, tokenize=True, return_dict=True, return_assistant_tokens_mask=True
        )
        input_ids, mask = list(encoded["input_ids"]), list(encoded["assistant_masks"])
        if not all(learned):
            mask = _unmark_turns(mask, learned)
    if mask is None:
        input_ids, mask = _mask_from_offsets(tokenizer, messages)
    return input_ids, [token if marked else IGNORE for token, marked in zip(input_ids, mask)]


def _unmark_turns(mask: list[int], learned: list[bool]) -> list[int] | None:
    """Clear the marked runs of the assistant turns not learned (weight 0): the k-th run is the k-th
    assistant turn. None when the runs do not pair up with the turns (then offsets decide)."""
    runs, start = [], None
    for i, marked in enumerate([*mask, 0]):
        if marked and start is None:
            start = i
        elif not marked and start is not None:
            runs.append((start, i))
            start = None
    if len(runs) != len(learned):
        return None
    out = list(mask)
    for (begin, end), keep in zip(runs, learned):
        if not keep:
            out[begin:end] = [0] * (end - begin)
    return out


def _mask_from_offsets(tokenizer: PreTrainedTokenizerBase, messages: list[dict[str, Any]]) -> tuple[list[int], list[int]]:
    """Locate each assistant turn by rendering the chat up to it, for templates without generation markers.

    A turn spans from the end of the prompt that asks for it (add_generation_prompt) to the
    end of its EOS. Turns a template renders differently once later turns follow are left
    unmarked rather than guessed.
    """
    text = tokenizer.apply_chat_template(messages, tokenize=False)
    spans = []
    for index, message in enumerate(messages):
        if message["role"] != "assistant" or message.get("weight", 1) == 0:
            continue
        prompt = tokenizer.apply_chat_template(messages[:index], tokenize=False, add_generation_prompt=True)
        upto = tokenizer.apply_chat_template(messages[: index + 1], tokenize=False)
        if not (text.startswith(upto) and upto.startswith(prompt)):
            continue
        eos = upto.find(tokenizer.eos_token, len(prompt)) if tokenizer.eos_token else -1
        spans.append((len(prompt), eos + len(tokenizer.eos_token) if eos >= 0 else len(upto)))
    encoded = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    mask = [int(any(start <= begin < end for start, end in spans)) for begin, _ in encoded["offset_mapping"]]
    return list(encoded["input_ids"]), mask
