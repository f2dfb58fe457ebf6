"""Base model + PEFT adapter -> one plain model, in the dtype asked for, with the tokenizer training used."""

from pathlib import Path

import torch
from peft import PeftModel
from transformers import AutoTokenizer, GenerationConfig, PreTrainedModel, PreTrainedTokenizerBase

from ..components.model_loader import load_model
from ..components.virtual_prefix import adapter_type, is_prompt_learning
from ..errors import WorkerError


def load_merged(model_path: str, adapter_path: str | None, dtype: torch.dtype = torch.float32) -> tuple[PreTrainedModel, PreTrainedTokenizerBase]:
    """Load the base in `dtype` and fold the adapter's LoRA deltas into its weights (W + B·A·scale).

    Exports pass the base folder's own dtype (saved_dtype): a bf16 model merges and saves in bf16,
    never through a double-size fp32 copy. PEFT computes each delta in fp32, then casts it to `dtype`.

    The tokenizer (and so the chat template) comes from the adapter folder when training saved
    one there, so the export formats chats as training did.

    LoRA and DoRA adapters merge (DoRA: magnitude x direction of W + B·A, folded by PEFT).

    Raises ADAPTER_INVALID when the adapter folder cannot load onto this base, EXPORT_UNSUPPORTED
    for a ptuning or prefix adapter (check_mergeable).
    """
    if adapter_path is not None:
        check_adapter_folder(adapter_path)
        check_mergeable(adapter_path)
    model, tokenizer = load_model(model_path, None, dtype)
    if adapter_path is None:
        return model, tokenizer
    tokenizer = adapter_tokenizer(adapter_path, tokenizer)
    try:
        peft_model = PeftModel.from_pretrained(model, adapter_path, is_trainable=False)
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        raise WorkerError("ADAPTER_INVALID", f"Cannot load the adapter {adapter_path} onto {model_path}: {exc}") from exc
    return peft_model.merge_and_unload(), tokenizer


def adapter_tokenizer(adapter_path: str, tokenizer: PreTrainedTokenizerBase) -> PreTrainedTokenizerBase:
    """The tokenizer training saved beside the adapter (with its chat template), else `tokenizer`."""
    if (Path(adapter_path) / "tokenizer_config.json").is_file():
        return AutoTokenizer.from_pretrained(adapter_path, local_files_only=True)
    return tokenizer


def check_mergeable(adapter_path: str, what: str = "a merged model") -> None:
    """Raise EXPORT_UNSUPPORTED for a prompt-learning adapter: its virtual tokens are no weights to fold in."""
    peft_type = adapter_type(adapter_path)
    if is_prompt_learning(adapter_path):
        tuning = {"P_TUNING": "ptuning", "PREFIX_TUNING": "prefix"}.get(peft_type, peft_type)
        raise WorkerError(
            "EXPORT_UNSUPPORTED",
            f"{adapter_path} is a {tuning} adapter: it trains virtual tokens that run before every prompt, not weights, so it cannot be merged into {what}.",
            'Export it as "peft" (the adapter folder as it is), or serve the base model with this adapter on the torch backend, which runs the virtual tokens.',
        )


def check_adapter_folder(adapter_path: str) -> None:
    folder = Path(adapter_path)
    if not (folder / "adapter_config.json").is_file():
        raise WorkerError("ADAPTER_INVALID", f"{adapter_path} holds no adapter_config.json (is it a PEFT adapter folder?)")


def generation_config_for(model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase) -> GenerationConfig:
    """The base's generation config, with the tokenizer's EOS among the stop ids, so a chat ends at its end-of-turn."""
    config = GenerationConfig.from_dict(model.generation_config.to_dict())
    eos = config.eos_token_id
    eos_ids = [] if eos is None else ([eos] if isinstance(eos, int) else list(eos))
    if tokenizer.eos_token_id is not None and tokenizer.eos_token_id not in eos_ids:
        eos_ids.insert(0, tokenizer.eos_token_id)
    config.eos_token_id = eos_ids[0] if len(eos_ids) == 1 else eos_ids
    if config.pad_token_id is None:
        config.pad_token_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else eos_ids[0]
    return config
