"""The pre-training data: raw-text documents, a validation share held out, tokenized with an
end-of-document token after each and packed into blocks of exactly max_seq_len tokens.

Packing is HF run_clm's `group_texts`, with the remainder carried across batches: the documents
are concatenated in order (EOS between them), cut into blocks, and only the last partial block
is left out (kept, shorter, when it is all the text there is). Every token is a target (labels =
input_ids; the model shifts them) and none is padding. Tokenized and packed data are Arrow files
under `cache_dir` (memory-mapped, reused by a resume), never Python lists of the whole corpus.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
from datasets import Dataset, Features, Sequence, Value
from datasets.fingerprint import Hasher
from transformers import PreTrainedTokenizerBase

from ..errors import WorkerError
from ..events import emit
from .conversations import hold_out
from .text_documents import TEXT_FIELD, read_text_documents

MIN_USEFUL_BLOCKS = 50  # fewer blocks than this rarely teach a model anything it keeps
BATCH_DOCUMENTS = 1000  # documents tokenized per batch
BLOCK_FEATURES = Features({"input_ids": Sequence(Value("int32")), "labels": Sequence(Value("int32"))})


@dataclass(frozen=True)
class PretrainData:
    train: Dataset
    eval: Dataset | None
    train_tokens: int  # the training text's tokens, end-of-document tokens included


def build_pretrain_data(
    data: dict[str, Any], tokenizer: PreTrainedTokenizerBase, max_seq_len: int, seed: int, cache_dir: Path
) -> PretrainData:
    """`data.validation`, else `data.validation_split` of the documents (whole ones, seeded), is held out."""
    if tokenizer.eos_token_id is None:
        raise WorkerError(
            "MODEL_UNSUPPORTED",
            f"The tokenizer of {tokenizer.name_or_path} has no end-of-sequence token, which pre-training puts between documents",
            "Set eos_token in the model folder's tokenizer_config.json.",
        )
    documents = read_text_documents(data["train"], cache_dir)
    if data["validation"] is not None:
        held_out = read_text_documents(data["validation"], cache_dir)
    else:
        documents, held_out = _hold_out_documents(documents, data["validation_split"], seed)

    tokenized = tokenize_documents(documents, tokenizer)
    tokens = _token_count(tokenized)
    if tokens == 0:
        raise WorkerError(
            "DATASET_EMPTY", f"{data['train']}: all {len(documents)} training documents have an empty \"{TEXT_FIELD}\""
        )
    train = pack_dataset(tokenized, max_seq_len, cache_dir)
    _report_size(len(documents), tokens, len(train), max_seq_len)
    if held_out is None or len(held_out) == 0:
        return PretrainData(train, None, tokens)
    held_out_tokens = tokenize_documents(held_out, tokenizer)
    evaluation = pack_dataset(held_out_tokens, max_seq_len, cache_dir) if _token_count(held_out_tokens) else None
    return PretrainData(train, evaluation, tokens)


def document_token_ids(texts: list[str], tokenizer: PreTrainedTokenizerBase) -> list[list[int]]:
    """Each document's tokens followed by EOS (the end-of-document mark); an empty document has none."""
    eos = tokenizer.eos_token_id
    encoded = tokenizer(texts, return_attention_mask=False, verbose=False)["input_ids"]
    return [[] if not text.strip() else ids if ids and ids[-1] == eos else [*ids, eos] for text, ids in zip(texts, encoded)]


def pack_blocks(documents: Iterable[list[int]], block_size: int) -> Iterator[list[int]]:
    """Concatenate the documents' tokens in order and cut them into blocks of `block_size`.

    The last partial block is left out, unless no full block came before it: then it is the
    only (shorter) block, so a small text still trains.
    """
    buffer: list[int] = []
    blocks = 0
    for tokens in documents:
        buffer.extend(tokens)
        if len(buffer) >= block_size:
            usable = len(buffer) - len(buffer) % block_size
            for start in range(0, usable, block_size):
                yield buffer[start : start + block_size]
            blocks += usable // block_size
            del buffer[:usable]
    if blocks == 0 and buffer:
        yield buffer


def tokenize_documents(documents: Dataset, tokenizer: PreTrainedTokenizerBase) -> Dataset:
    return documents.map(
        _tokenize_batch,
        batched=True,
        batch_size=BATCH_DOCUMENTS,
        fn_kwargs={"tokenizer": tokenizer},
        remove_columns=documents.column_names,
    )


def pack_dataset(tokenized: Dataset, block_size: int, cache_dir: Path) -> Dataset:
    # The fingerprint names the cache entry: the same tokens and block size reuse it (a resume).
    return Dataset.from_generator(
        _block_rows,
        features=BLOCK_FEATURES,
        cache_dir=str(cache_dir),
        gen_kwargs={"tokenized": tokenized, "block_size": block_size},
        fingerprint=Hasher.hash([tokenized._fingerprint, block_size, "pack_blocks/1"]),
    )


def _tokenize_batch(batch: dict[str, list], tokenizer: PreTrainedTokenizerBase) -> dict[str, list]:
    return {"input_ids": document_token_ids(batch[TEXT_FIELD], tokenizer)}


def _block_rows(tokenized: Dataset, block_size: int) -> Iterator[dict[str, list[int]]]:
    documents = (ids for batch in tokenized.iter(batch_size=BATCH_DOCUMENTS) for ids in batch["input_ids"])
    for block in pack_blocks(documents, block_size):
        yield {"input_ids": block, "labels": block}


def _hold_out_documents(documents: Dataset, share: float, seed: int) -> tuple[Dataset, Dataset | None]:
    """The SFT split rule (conversations.hold_out) on document indices, so no text is copied."""
    train, held = hold_out(list(range(len(documents))), share, seed)
    if not held:
        return documents, None
    return documents.select(train), documents.select(held)


def _token_count(tokenized: Dataset) -> int:
    return int(pc.sum(pc.list_value_length(tokenized.data.column("input_ids"))).as_py() or 0)


def _report_size(documents: int, tokens: int, blocks: int, block_size: int) -> None:
    left_out = max(tokens - blocks * block_size, 0)
    emit(
        "log",
        level="info",
        message=f"pre-training text: {tokens:,} tokens in {documents:,} documents, packed into {blocks:,} blocks of "
        f"{block_size} tokens ({left_out} tokens of the last partial block left out)",
    )
    if blocks < MIN_USEFUL_BLOCKS:
        if tokens < block_size:
            size = f"less than one block of {block_size} tokens"
        else:
            size = f"{blocks} block{'s' if blocks > 1 else ''} of {block_size} tokens"
        emit(
            "log",
            level="warning",
            message=f"Only {tokens:,} tokens of training text ({size}; continued pre-training usually needs at least "
            f"{MIN_USEFUL_BLOCKS} blocks, and far more to change what a model knows): training on it will teach the "
            "model little. To teach it what these documents say, turn them into question-answer pairs and fine-tune "
            "with SFT instead.",
        )
