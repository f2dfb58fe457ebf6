"""Generate answers for an evaluation (spec.command == "generate").

    python -m whet_worker generate evals/<id>/<model>/spec.json

Features
- Prompts from a JSONL file: chat rows ({"messages": [...]}, formatted with the model's chat
  template and its generation prompt) or raw rows ({"prompt": "..."}).
- A base model, or base + PEFT adapter (a job's result or one of its checkpoints), merged.
  A ptuning or prefix adapter cannot merge (virtual tokens are not weights): its virtual
  tokens become a KV cache prefix every batch decodes after (components/virtual_prefix.py),
  which a shared few-shot prefix then extends.
- Few-shot prompting: example turns put before every chat row (or text before every raw row),
  the baseline that fine-tuning is compared with.
- Batched decoding, left-padded, rows sorted by length so a batch pads little; greedy
  (temperature 0) or sampled (temperature, top_p, top_k, seeded once).
- A prefix every prompt shares (the few-shot examples, a default system prompt), when at least
  MIN_SHARED_PREFIX tokens long, runs once: each batch decodes after a copy of its KV cache
  (`prefix_cache`, on by default; token-identical to the plain batches at temperature 0).
- Answers constrained to a label set (`labels`): decoding follows the labels' token ids (as the
  chat template writes an assistant turn), then ends, so every answer is exactly one label.
- A row whose prompt plus max_tokens exceeds the context length gets an error in its output
  line; the other rows are generated.

Events: log*, `generate_progress` after each batch, then `generated`. The output JSONL (one
{"index", "id", "prediction", "prompt_tokens", "completion_tokens", "finish_reason"} line per
input row, in input order; "error" instead of a prediction for a row that could not run) is
written to a temporary name and renamed when complete.

Raises (as WorkerError)
- DATASET_INVALID / DATASET_EMPTY: a prompt line that is not a messages or prompt object, or no line
- MODEL_PATH_INVALID / MODEL_UNSUPPORTED: the model folder cannot load as a causal LM
- ADAPTER_INVALID: the adapter folder is no PEFT adapter or does not fit the base
- CUDA_UNAVAILABLE: device "cuda" without a GPU
"""

import json
import time
from pathlib import Path
from typing import Any

import torch
from transformers import logging as hf_logging
from transformers import set_seed

from ..components.batched_generate import SharedPrefix, encode_prefix, generate_batch, virtual_prefix_only
from ..components.label_constraint import LabelTrie, build_label_trie
from ..components.device import inference_dtype, resolve_device, set_threads
from ..components.inference_setup import ready_for_inference
from ..components.prompt_rows import encode_prompt, read_prompt_rows, shared_prefix_length
from ..components.virtual_prefix import VirtualPrefix, is_prompt_learning, load_virtual_prefix
from ..errors import WorkerError
from ..events import emit
from ..export.merge_adapter import adapter_tokenizer, check_adapter_folder, generation_config_for, load_merged
from ..graceful_stop import GracefulStop, StopRequested

# Below this, copying the cache per batch costs about what it saves.
MIN_SHARED_PREFIX = 8


class GenerateRecipe:
    def __init__(self, spec: dict[str, Any]) -> None:
        """Read and check everything that needs no model: the prompts, the adapter folder, the device."""
        self.spec = spec
        self.gen = spec["generation"]
        self.output = Path(spec["output_path"])
        self.rows = read_prompt_rows(spec["input_path"])
        if spec["adapter"] is not None:
            check_adapter_folder(spec["adapter"])
        self.device = resolve_device(spec["device"])

    def setup(self) -> None:
        threads = set_threads(self.spec["threads"])
        adapter = self.spec["adapter"]
        virtual = is_prompt_learning(adapter)
        self.model, self.tokenizer = load_merged(self.spec["model"]["path"], None if virtual else adapter)
        if virtual:
            self.tokenizer = adapter_tokenizer(adapter, self.tokenizer)
        if self.spec["model"]["chat_template"] is not None:
            self.tokenizer.chat_template = self.spec["model"]["chat_template"]
        ready_for_inference(self.model, self.device, inference_dtype(self.spec["dtype"], self.device))
        self.virtual: VirtualPrefix | None = load_virtual_prefix(self.model, adapter) if virtual else None
        if self.virtual is not None:
            emit("log", level="info", message=f"{adapter} is a prompt-learning adapter: its {self.virtual.length} virtual tokens run before every prompt")
        config = generation_config_for(self.model, self.tokenizer)
        sample = self.gen["temperature"] > 0
        config.update(
            max_new_tokens=self.gen["max_tokens"],
            do_sample=sample,
            temperature=self.gen["temperature"] if sample else None,
            top_p=self.gen["top_p"] if sample else None,
            top_k=(self.gen["top_k"] or None) if sample else None,
            repetition_penalty=self.gen["repetition_penalty"],
        )
        self.config = config
        self.labels = self._label_tries(config)
        self.pad_id = config.pad_token_id
        self.context = getattr(self.model.config, "max_position_embeddings", None)
        if self.context is not None and self.virtual is not None:
            self.context -= self.virtual.length  # the virtual tokens take the first positions
        self.prompts = [encode_prompt(r, self.tokenizer, self.spec["few_shot"], self.spec["few_shot_text"]) for r in self.rows]
        emit("log", level="info", message=f"generating {len(self.rows)} rows on {self.device} ({threads} threads), batch {self.spec['batch_size']}")

    def generate(self, stop: GracefulStop) -> None:
        started = time.monotonic()
        set_seed(self.gen["seed"])
        results: list[dict[str, Any] | None] = [None] * len(self.rows)
        runnable = []
        for i, (row, ids) in enumerate(zip(self.rows, self.prompts)):
            if self.context is not None and len(ids) + self.gen["max_tokens"] > self.context:
                results[i] = self._line(row, ids, error={
                    "code": "CONTEXT_LENGTH_EXCEEDED",
                    "message": f"the prompt has {len(ids)} tokens; with max_tokens {self.gen['max_tokens']} it exceeds the context length {self.context}",
                })
            else:
                runnable.append(i)
        # Longest first: similar lengths share a batch, and a memory failure comes early.
        runnable.sort(key=lambda i: -len(self.prompts[i]))
        prefix = self._shared_prefix(runnable)
        done = len(self.rows) - len(runnable)
        prompt_tokens = completion_tokens = 0
        size = self.spec["batch_size"]
        for start in range(0, len(runnable), size):
            if stop.requested:
                raise StopRequested()
            batch = runnable[start:start + size]
            labels = [self.labels[self.rows[i].messages is not None] for i in batch] if self.labels else None
            for i, completion in zip(batch, generate_batch(self.model, [self.prompts[i] for i in batch], self.config, self.pad_id, prefix, labels)):
                text = self.tokenizer.decode(completion.token_ids, skip_special_tokens=True)
                results[i] = self._line(self.rows[i], self.prompts[i], text, len(completion.token_ids), completion.finish_reason)
                prompt_tokens += len(self.prompts[i])
                completion_tokens += len(completion.token_ids)
            done += len(batch)
            elapsed = time.monotonic() - started
            emit("generate_progress", done=done, total=len(self.rows), completion_tokens=completion_tokens,
                 tokens_per_sec=round(completion_tokens / elapsed, 2) if elapsed > 0 else None, elapsed_s=round(elapsed, 3))

        self.output.parent.mkdir(parents=True, exist_ok=True)
        partial = self.output.with_name(self.output.name + ".partial")  # never leave half a file under the real name
        with partial.open("w", encoding="utf-8") as f:
            for line in results:
                f.write(json.dumps(line, ensure_ascii=False) + "\n")
        partial.replace(self.output)
        elapsed = time.monotonic() - started
        emit("generated", output_path=str(self.output), rows=len(self.rows), prompt_tokens=prompt_tokens, completion_tokens=completion_tokens,
             generate_runtime_s=round(elapsed, 3), tokens_per_sec=round(completion_tokens / elapsed, 2) if elapsed > 0 else None)

    def _label_tries(self, config) -> dict[bool, LabelTrie] | None:
        """One trie for chat rows (True) and one for raw rows (False); max_new_tokens fits the longest label and its end."""
        if not self.spec.get("labels"):
            return None
        eos = config.eos_token_id
        end_ids = set([eos] if isinstance(eos, int) else eos or [])  # the ids generate() stops at
        tries = {chat: build_label_trie(self.tokenizer, self.spec["labels"], chat, end_ids) for chat in (True, False)}
        config.max_new_tokens = max(config.max_new_tokens, *(t.depth + 1 for t in tries.values()))
        emit("log", level="info", message=f"answers constrained to {len(self.spec['labels'])} labels")
        return tries

    def _shared_prefix(self, runnable: list[int]) -> SharedPrefix | None:
        if not runnable:
            return None
        only_virtual = virtual_prefix_only(self.model, self.virtual) if self.virtual is not None else None
        if not self.spec["prefix_cache"]:
            return only_virtual
        n = shared_prefix_length([self.prompts[i] for i in runnable])
        if n < MIN_SHARED_PREFIX:
            return only_virtual
        prefix = encode_prefix(self.model, self.prompts[runnable[0]][:n], self.virtual)
        if prefix is None:
            emit("log", level="info", message=f"the prompts share a prefix of {n} tokens, but this model's cache is not plain attention: plain batches")
            return only_virtual
        emit("log", level="info", message=f"the {len(runnable)} prompts share a prefix of {n} tokens: computed once, each batch decodes after it")
        return prefix

    @staticmethod
    def _line(row, ids, prediction="", completion_tokens=0, finish_reason=None, error=None) -> dict[str, Any]:
        line = {"index": row.index, "id": row.id, "prediction": prediction, "prompt_tokens": len(ids),
                "completion_tokens": completion_tokens, "finish_reason": finish_reason}
        if error is not None:
            line["error"] = error
        return line



def main(spec: dict[str, Any], stop: GracefulStop) -> int:
    hf_logging.disable_progress_bar()
    recipe = GenerateRecipe(spec)
    recipe.setup()
    recipe.generate(stop)
    return 0
