"""One request in flight: its parameters, its output lines, and how its text is made.

The engine thread appends tokens (`accept`); the HTTP thread reads `lines` and may `cancel`.
Lines follow core's GenerateLineSchema: start, delta*, then done or error.
"""

import queue
import threading
from dataclasses import dataclass, field
from typing import Any

from transformers import PreTrainedTokenizerBase

from ..components.label_constraint import LabelTrie

from .incremental_detokenizer import IncrementalDetokenizer
from .sampler import SamplingParams
from .stop_sequences import StopSequences


@dataclass
class Generation:
    prompt_ids: list[int]
    adapter: str | None
    max_tokens: int
    sampling: SamplingParams
    detokenizer: IncrementalDetokenizer
    stops: StopSequences
    labels: LabelTrie | None = None  # the answer must be one of these labels
    ignore_eos: bool = False  # EOS is never sampled: the answer runs to max_tokens or a stop string
    generated: list[int] = field(default_factory=list)
    lines: queue.Queue = field(default_factory=queue.Queue)
    cancelled: threading.Event = field(default_factory=threading.Event)
    finished: bool = False

    @classmethod
    def from_body(cls, body: dict[str, Any], ids: list[int], tokenizer: PreTrainedTokenizerBase, labels: LabelTrie | None = None) -> "Generation":
        sampling = SamplingParams(body["temperature"], body["top_p"], body["top_k"], body["repetition_penalty"], body["seed"])
        detokenizer, stops = IncrementalDetokenizer(tokenizer, ids), StopSequences(body["stop"])
        return cls(ids, body["adapter"], body["max_tokens"], sampling, detokenizer, stops, labels, ignore_eos=body.get("ignore_eos", False))

    def start(self) -> None:
        self.lines.put({"type": "start", "prompt_tokens": len(self.prompt_ids)})

    def accept(self, token: int, eos_ids: set[int]) -> None:
        """Take one sampled token: send its text, and finish on EOS, a stop sequence or max_tokens."""
        self.generated.append(token)
        if token in eos_ids:
            return self.finish("stop")
        text = self.stops.push(self.detokenizer.push(token))
        if text:
            self.lines.put({"type": "delta", "text": text})
        if self.stops.stopped:
            return self.finish("stop")
        if len(self.generated) >= self.max_tokens:
            self.finish("length")

    def finish(self, reason: str) -> None:
        rest = self.stops.flush()
        if rest:
            self.lines.put({"type": "delta", "text": rest})
        self.finished = True
        self.lines.put({"type": "done", "finish_reason": reason, "prompt_tokens": len(self.prompt_ids), "completion_tokens": len(self.generated)})

    def fail(self, code: str, message: str, hint: str | None = None) -> None:
        self.finished = True
        self.lines.put({"type": "error", "code": code, "message": message, "hint": hint})

    def cancel(self) -> None:
        self.cancelled.set()

    @property
    def allowed_ids(self) -> list[int] | None:
        """The token ids the next token must be one of; None = any."""
        return self.labels.allowed(self.generated) if self.labels is not None else None

    @property
    def seen_ids(self) -> list[int]:
        return self.prompt_ids + self.generated
