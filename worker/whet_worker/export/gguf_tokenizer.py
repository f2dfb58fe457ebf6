"""A byte-level BPE tokenizer as GGUF metadata (`tokenizer.ggml.*`), the way llama.cpp reads it.

Vocabulary by id, token types (added special tokens are control tokens), merges, special
token ids, whether BOS is prepended, the pre-tokenizer llama.cpp must use to split text like
the Hugging Face tokenizer does, and the chat template.
"""

import json
import tempfile
from pathlib import Path

import gguf
from transformers import PreTrainedTokenizerBase

from ..errors import WorkerError

# Hugging Face `Split` regexes -> llama.cpp's pre-tokenizer names (llama-vocab.cpp).
_SPLIT_PATTERNS = {
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+": "qwen2",
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+": "llama-bpe",
}


def add_tokenizer(writer: gguf.GGUFWriter, tokenizer: PreTrainedTokenizerBase, vocab_size: int) -> None:
    """Raise EXPORT_UNSUPPORTED for tokenizers llama.cpp would split differently (non-BPE, unknown pre-tokenizer)."""
    with tempfile.TemporaryDirectory() as folder:
        tokenizer.save_pretrained(folder)  # one source for vocab, merges, specials and template
        tokenizer_json = json.loads((Path(folder) / "tokenizer.json").read_text(encoding="utf-8"))
        if tokenizer_json["model"]["type"] != "BPE":
            raise WorkerError("EXPORT_UNSUPPORTED", f"GGUF export supports byte-level BPE tokenizers; this one is {tokenizer_json['model']['type']}")
        writer.add_tokenizer_model("gpt2")
        writer.add_tokenizer_pre(_pre_tokenizer_name(tokenizer_json.get("pre_tokenizer")))
        tokens, types = _tokens_and_types(tokenizer, vocab_size)
        writer.add_token_list(tokens)
        writer.add_token_types(types)
        special = gguf.SpecialVocab(folder, load_merges=True, n_vocab=vocab_size)
        if not special.merges:
            raise WorkerError("EXPORT_UNSUPPORTED", "The tokenizer has no BPE merges; llama.cpp cannot tokenize without them")
        special.add_special_token = {}  # set below from behaviour, not from config flags
        special.add_to_gguf(writer, quiet=True)
    writer.add_add_bos_token(_adds_bos(tokenizer))
    writer.add_add_eos_token(False)


def _pre_tokenizer_name(pre: dict | None) -> str:
    parts = (pre.get("pretokenizers") or []) if pre and pre["type"] == "Sequence" else [pre] if pre else []
    kinds = [p["type"] for p in parts]
    if kinds == ["ByteLevel"] and parts[0].get("use_regex", True):
        return "gpt-2"
    if kinds == ["Digits", "ByteLevel"] and parts[0].get("individual_digits") and parts[1].get("use_regex", True):
        return "smollm"  # digits one by one, then GPT-2's regex
    if kinds and kinds[0] == "Split" and not parts[-1].get("use_regex", True):
        pattern = parts[0].get("pattern", {}).get("Regex")
        if pattern in _SPLIT_PATTERNS:
            return _SPLIT_PATTERNS[pattern]
    raise WorkerError("EXPORT_UNSUPPORTED", f"GGUF export does not know llama.cpp's name for this pre-tokenizer: {json.dumps(pre)[:300]}")


def _tokens_and_types(tokenizer: PreTrainedTokenizerBase, vocab_size: int) -> tuple[list[str], list[int]]:
    by_id = {i: t for t, i in tokenizer.get_vocab().items()}
    added = tokenizer.added_tokens_decoder
    tokens, types = [], []
    for i in range(vocab_size):
        if i not in by_id:  # the embedding matrix may be padded past the tokenizer
            tokens.append(f"[PAD{i}]")
            types.append(gguf.TokenType.UNUSED)
        elif i in added:
            tokens.append(added[i].content)
            types.append(gguf.TokenType.CONTROL if added[i].special else gguf.TokenType.USER_DEFINED)
        else:
            tokens.append(by_id[i])
            types.append(gguf.TokenType.NORMAL)
    return tokens, types


def _adds_bos(tokenizer: PreTrainedTokenizerBase) -> bool:
    ids = tokenizer("a")["input_ids"]
    return tokenizer.bos_token_id is not None and len(ids) > 0 and ids[0] == tokenizer.bos_token_id
