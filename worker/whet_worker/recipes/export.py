"""Export a base model, optionally with its fine-tuned adapter (spec.command == "export").

    python -m whet_worker export exports/<id>/spec.json

Formats
- `peft`: the adapter folder as is (adapter_config.json + safetensors, tokenizer and template
  when training saved them): loads unchanged in PEFT and in vLLM's LoRA support.
- `merged`: base + adapter folded into one Hugging Face folder: safetensors, config,
  tokenizer, chat template, and a generation config whose EOS is the tokenizer's end of turn.
  LoRA, DoRA (and QLoRA, whose adapter is LoRA) merge; ptuning and prefix adapters cannot.
- `gguf`: one llama.cpp file of the (merged) weights, llama and qwen2 architectures, at f16,
  q8_0 (INT8) or q4_0 / q4_1 (4-bit), all quantized by the `gguf` package's own numpy code.
- merged and gguf load the base in its own dtype (bf16 stays bf16: a 7B merge needs ~14 GB, not
  28, and its folder is as large as the base's); the GGUF writer upcasts one tensor at a time.

Events: log*, then `exported` with the output path and its size.

Raises (as WorkerError)
- INVALID_REQUEST: quantization given for a non-gguf format, or peft without an adapter
- MODEL_PATH_INVALID / MODEL_UNSUPPORTED: the base folder cannot load as a causal LM
- ADAPTER_INVALID: the adapter folder is no PEFT adapter or does not fit the base
- EXPORT_UNSUPPORTED: gguf of an architecture, rope scaling or tokenizer we cannot convert;
  merged or gguf of a ptuning/prefix adapter (virtual tokens are not weights: export it as
  "peft", or serve it with the torch backend), refused before anything loads
- EXPORT_FAILED: the output cannot be written (disk full, permissions)
"""

import shutil
import time
from pathlib import Path
from typing import Any

from transformers import logging as hf_logging

from ..errors import WorkerError
from ..events import emit
from ..export.gguf_writer import write_gguf
from ..components.model_loader import saved_dtype
from ..export.merge_adapter import check_adapter_folder, check_mergeable, generation_config_for, load_merged
from ..graceful_stop import GracefulStop


class ExportRecipe:
    def __init__(self, spec: dict[str, Any]) -> None:
        """Reject combinations the JSON Schema cannot express, before loading anything."""
        self.spec = spec
        self.format = spec["format"]
        self.adapter = spec["adapter"]
        self.output = Path(spec["output_path"])
        self.quantization = spec["quantization"]
        if self.format != "gguf" and self.quantization is not None:
            raise WorkerError("INVALID_REQUEST", f"quantization applies to gguf only; got {self.quantization!r} for {self.format!r}")
        if self.format == "peft" and self.adapter is None:
            raise WorkerError("INVALID_REQUEST", 'format "peft" exports an adapter, but the spec has adapter: null')
        if self.adapter is not None:
            check_adapter_folder(self.adapter)
            if self.format != "peft":
                check_mergeable(self.adapter, "a merged model" if self.format == "merged" else "a GGUF file")

    def export(self) -> None:
        started = time.monotonic()
        try:
            if self.format == "peft":
                self._copy_adapter()
            elif self.format == "merged":
                self._write_merged()
            else:
                self._write_gguf()
        except OSError as exc:
            raise WorkerError("EXPORT_FAILED", f"Cannot write {self.output}: {exc.strerror or exc}") from exc
        emit(
            "exported",
            output_path=str(self.output),
            format=self.format,
            quantization=self.quantization if self.format == "gguf" else None,
            size_bytes=_size(self.output),
            export_runtime_s=round(time.monotonic() - started, 3),
        )

    def _copy_adapter(self) -> None:
        shutil.copytree(self.adapter, self.output, dirs_exist_ok=True, ignore=shutil.ignore_patterns("checkpoint-*", "*.pt", "rng_state*"))

    def _write_merged(self) -> None:
        model, tokenizer = self._load_merged()
        emit("log", level="info", message=f"merged {self.adapter or 'no adapter'} into {self.spec['model']['path']}; saving")
        model.generation_config = generation_config_for(model, tokenizer)
        self.output.mkdir(parents=True, exist_ok=True)
        model.save_pretrained(self.output)
        tokenizer.save_pretrained(self.output)

    def _write_gguf(self) -> None:
        model, tokenizer = self._load_merged()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        partial = self.output.with_name(self.output.name + ".partial")  # never leave a half file under the real name
        name = Path(self.adapter or self.spec["model"]["path"]).name
        write_gguf(model, tokenizer, partial, self.quantization or "f16", name)
        partial.replace(self.output)


    def _load_merged(self):
        path = self.spec["model"]["path"]
        return load_merged(path, self.adapter, saved_dtype(path))


def _size(path: Path) -> int:
    return path.stat().st_size if path.is_file() else sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main(spec: dict[str, Any], stop: GracefulStop) -> int:
    hf_logging.disable_progress_bar()
    recipe = ExportRecipe(spec)
    recipe.export()
    return 0
