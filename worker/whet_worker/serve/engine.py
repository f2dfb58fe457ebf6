"""The one thread that runs the model: continuous batching of every request in flight.

Each turn of the loop: run queued control calls (adapter load/delete) between steps; drop
cancelled rows; admit waiting requests up to max_batch_size (prefilled together, left-padded,
then spliced into the running cache); then one decode step for all rows, each with its own
adapter (PEFT mixed batch) and its own sampling. A request joins at the next step after it
arrives and leaves the step it finishes, so short answers never wait for long ones.

A request for a prompt-learning adapter (ptuning, prefix) is prefilled on its own after the
adapter's virtual tokens (a KV cache prefix, serve/adapter_registry.py), then decodes in the
running batch like any other row: from there on it is the plain base over that cache.
"""

import sys
import threading
import traceback
from collections import deque
from concurrent.futures import Future
from typing import Any, Callable

import torch
from transformers import PreTrainedTokenizerBase

from ..components.label_constraint import LabelTries
from ..components.virtual_prefix import VirtualPrefix
from ..errors import as_worker_error
from .adapter_registry import AdapterRegistry
from .batch_cache import BatchCache
from .generation import Generation
from .growing_cache import growing_cache
from .sampler import sample_next


class Engine:
    def __init__(self, adapters: AdapterRegistry, tokenizer: PreTrainedTokenizerBase, eos_ids: set[int], max_batch_size: int, device: str) -> None:
        self.adapters = adapters
        self.tokenizer = tokenizer
        self.eos_ids = eos_ids
        self.banned_eos = torch.tensor(sorted(eos_ids), dtype=torch.long)  # masked for ignore_eos requests
        self.label_tries = LabelTries(tokenizer, eos_ids)
        self.max_batch_size = max_batch_size
        self.device = device
        self.pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
        self.waiting: deque[Generation] = deque()
        self.active: list[Generation] = []
        self.peak_running = 0  # the most rows one decode step has held: how much batching happened
        self.batch = BatchCache()
        self.next_tokens: list[int] = []  # per active row: sampled, not yet fed to the model
        self.controls: deque[tuple[Callable[[], Any], Future]] = deque()
        self.wake = threading.Condition()
        self.stopping = False
        self.thread = threading.Thread(target=self._run, name="whet-engine", daemon=True)

    # --- called from HTTP threads ---

    def start(self) -> None:
        self.thread.start()

    def submit(self, generation: Generation) -> None:
        with self.wake:
            self.waiting.append(generation)
            self.wake.notify()

    def call(self, fn: Callable[[], Any]) -> Any:
        """Run `fn` on the engine thread between two steps and return its result (or raise its error)."""
        future: Future = Future()
        with self.wake:
            self.controls.append((fn, future))
            self.wake.notify()
        return future.result()

    def delete_adapter(self, name: str) -> None:
        """Unload an adapter between steps; requests still using it end with ADAPTER_NOT_FOUND."""

        def delete() -> None:
            self.adapters.delete(name)
            for g in [*self.active, *self.waiting]:
                if g.adapter == name:
                    g.fail("ADAPTER_NOT_FOUND", f"The adapter {name!r} was unloaded during this request")
                    g.cancel()

        self.call(delete)

    def counts(self) -> tuple[int, int]:
        return len(self.waiting), len(self.active)

    def stop(self) -> None:
        """Cancel everything and end the thread after its current step."""
        with self.wake:
            self.stopping = True
            self.wake.notify()
        self.thread.join(timeout=30)

    # --- the engine thread ---

    def _run(self) -> None:
        with torch.inference_mode():
            while True:
                with self.wake:
                    while not (self.stopping or self.controls or self.waiting or self.active):
                        self.wake.wait()
                    if self.stopping:
                        break
                self._run_controls()
                try:
                    self._drop_cancelled()
                    self._admit()
                    if self.active:
                        self._decode_step()
                except Exception as exc:  # a failed step fails its rows, not the server
                    traceback.print_exc(file=sys.stderr)
                    error = as_worker_error(exc)
                    code = error.code if error.code == "OUT_OF_MEMORY" else "GENERATION_FAILED"
                    for generation in self.active:
                        generation.fail(code, error.message)
                    self._keep([])
        for generation in [*self.active, *self.waiting]:
            generation.fail("GENERATION_FAILED", "The generation server is shutting down", "Send the request again once the model is back.")

    def _run_controls(self) -> None:
        while self.controls:
            fn, future = self.controls.popleft()
            try:
                future.set_result(fn())
            except BaseException as exc:
                future.set_exception(exc)

    def _drop_cancelled(self) -> None:
        with self.wake:
            self.waiting = deque(g for g in self.waiting if not g.cancelled.is_set())
        keep = [i for i, g in enumerate(self.active) if not g.cancelled.is_set()]
        if len(keep) < len(self.active):
            self._keep(keep)

    def _admit(self) -> None:
        if not self.batch.mergeable and self.active:
            return  # this model's cache cannot take new rows mid-flight: wait for the batch to drain
        joining: list[Generation] = []
        with self.wake:
            while self.waiting and len(self.active) + len(joining) < self.max_batch_size:
                g = self.waiting.popleft()
                if g.adapter is not None and g.adapter not in self.adapters.paths:  # unloaded since it was checked
                    g.fail("ADAPTER_NOT_FOUND", f"The adapter {g.adapter!r} is not loaded any more")
                else:
                    joining.append(g)
        if not joining:
            return
        # Rows of a prompt-learning adapter prefill on their own, after its virtual tokens; the rest together.
        plain = [g for g in joining if self.adapters.virtual_prefix(g.adapter) is None]
        if plain:
            self._prefill(plain)
        for g in joining:
            virtual = self.adapters.virtual_prefix(g.adapter)
            if virtual is not None:
                self._prefill([g], virtual)
        self._retire_finished()

    def _prefill(self, joining: list[Generation], virtual: VirtualPrefix | None = None) -> None:
        """Run the prompts of `joining` (left-padded) into a fresh cache, splice it into the batch, sample each row's first token.

        With `virtual` (a prompt-learning adapter's virtual tokens) the cache starts with them,
        the mask marks them, and the prompt's positions follow theirs, as in training.
        """
        skip = virtual.length if virtual is not None else 0
        length = max(len(g.prompt_ids) for g in joining)
        input_ids = torch.full((len(joining), length), self.pad_id, dtype=torch.long)
        mask = torch.ones((len(joining), skip + length), dtype=torch.long)
        mask[:, skip:] = 0
        for row, g in enumerate(joining):
            input_ids[row, length - len(g.prompt_ids) :] = torch.tensor(g.prompt_ids)
            mask[row, skip + length - len(g.prompt_ids) :] = 1
        position_ids = (mask.cumsum(dim=1) - 1).clamp(min=0)[:, skip:]
        cache = growing_cache(self.adapters.model.config)
        if virtual is not None:
            virtual.fill(cache)
        try:
            logits = self.adapters.model(
                input_ids=input_ids.to(self.device),
                attention_mask=mask.to(self.device),
                position_ids=position_ids.to(self.device),
                cache=cache,
                use_cache=True,
                logits_to_keep=1,
                **self.adapters.forward_kwargs([g.adapter for g in joining]),
            ).logits[:, -1]
        except Exception as exc:  # fails the joining requests only; the running batch goes on
            traceback.print_exc(file=sys.stderr)
            error = as_worker_error(exc)
            for g in joining:
                g.fail(error.code if error.code == "OUT_OF_MEMORY" else "GENERATION_FAILED", f"The prompt could not be processed: {error.message}")
            return
        self.batch.add(cache, mask.to(self.device))
        for row, g in enumerate(joining):
            g.start()
            self.active.append(g)
            self.next_tokens.append(self._sample(logits[row], g))

    def _decode_step(self) -> None:
        self.peak_running = max(self.peak_running, len(self.active))
        mask, position_ids = self.batch.step_inputs()
        input_ids = torch.tensor(self.next_tokens, dtype=torch.long, device=self.device)[:, None]
        logits = self.adapters.model(
            input_ids=input_ids,
            attention_mask=mask,
            position_ids=position_ids,
            cache=self.batch.cache,
            use_cache=True,
            **self.adapters.forward_kwargs([g.adapter for g in self.active]),
        ).logits[:, -1]
        self.next_tokens = [self._sample(logits[row], g) for row, g in enumerate(self.active)]
        self._retire_finished()

    def _sample(self, logits: torch.Tensor, generation: Generation) -> int:
        banned = self.banned_eos if generation.ignore_eos else None
        token = sample_next(logits, generation.sampling, generation.seen_ids, generation.allowed_ids, banned)
        generation.accept(token, self.eos_ids)
        return token

    def _retire_finished(self) -> None:
        keep = [i for i, g in enumerate(self.active) if not g.finished]
        if len(keep) < len(self.active):
            self._keep(keep)

    def _keep(self, rows: list[int]) -> None:
        self.active = [self.active[i] for i in rows]
        self.next_tokens = [self.next_tokens[i] for i in rows]
        self.batch.keep(rows)
