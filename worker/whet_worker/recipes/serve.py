"""The generation server: one base model, any number of adapters, HTTP on loopback
(spec.command == "serve"; protocol in core/src/protocol/generation.ts).

    python -m whet_worker serve SPEC_PATH

Features
- continuous batching up to max_batch_size: requests join and leave the running batch at
  each decode step; each row keeps its own adapter (PEFT mixed-adapter batches), sampling
  parameters and seed, so temperature 0 answers match the same request run alone
- streaming NDJSON deltas, detokenized incrementally; stop sequences; max_tokens; the
  model's chat template with add_generation_prompt (or the spec's override)
- adapters loaded at start from the spec and later by POST /adapters, unloaded by DELETE:
  LoRA and DoRA (PEFT, per row), ptuning and prefix (their virtual tokens as a KV cache prefix
  the row starts with, then the plain base: serve/adapter_registry.py)
- a client that disconnects cancels its generation; SIGTERM stops accepting, fails what is
  in flight with an error line and exits 0
- every request needs `Authorization: Bearer $WHET_WORKER_TOKEN` (401 otherwise): the token
  comes in the environment, never on the command line, which other local users can read
- CPU: fp32 on the physical cores; CUDA: bf16 where supported (dtype "auto")

Events: log*, then `ready` {host, port, model, adapters, pid, device, dtype} once listening.

Raises (as WorkerError, before ready)
- CUDA_UNAVAILABLE: device "cuda" without a CUDA GPU
- MODEL_PATH_INVALID / MODEL_UNSUPPORTED: the model folder cannot load as a causal LM
- ADAPTER_INVALID: an adapter in the spec is no PEFT adapter or does not fit the base
- INVALID_REQUEST: host is not a loopback address, or WHET_WORKER_TOKEN is not set
"""

import ipaddress
import os
import threading
from typing import Any

import torch
from transformers import logging as hf_logging

from ..components.device import inference_dtype, resolve_device, set_threads
from ..components.inference_setup import ready_for_inference
from ..components.model_loader import load_model
from ..errors import WorkerError
from ..events import emit
from ..graceful_stop import GracefulStop, StopRequested
from ..serve.adapter_registry import AdapterRegistry
from ..serve.engine import Engine
from ..serve.http_server import GenerationServer


class ServeRecipe:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        if not _is_loopback(spec["host"]):
            raise WorkerError("INVALID_REQUEST", f"The generation server listens on loopback only; got host {spec['host']!r}", "Use 127.0.0.1; the gateway is the public face.")
        self.token = os.environ.get("WHET_WORKER_TOKEN", "")
        if len(self.token) < 16:
            raise WorkerError(
                "INVALID_REQUEST",
                f"The generation server needs WHET_WORKER_TOKEN (16 or more characters) in its environment, and got {len(self.token)} characters",
                "The Whetstone server sets it for the workers it starts; to run one by hand: WHET_WORKER_TOKEN=$(openssl rand -hex 32) python -m whet_worker serve SPEC",
            )
        self.device = resolve_device(spec["device"])
        self.threads = set_threads(spec["threads"])
        self.dtype = inference_dtype(spec["dtype"], self.device)

    def setup(self) -> None:
        model, tokenizer = load_model(self.spec["model"]["path"], self.spec["model"]["chat_template"], self.dtype)
        ready_for_inference(model, self.device, self.dtype)
        adapters = AdapterRegistry(model)
        for name, path in self.spec["adapters"].items():
            adapters.load(name, path)
        eos = model.generation_config.eos_token_id
        eos_ids = {tokenizer.eos_token_id, *([eos] if isinstance(eos, int) else eos or [])} - {None}
        self.engine = Engine(adapters, tokenizer, eos_ids, self.spec["max_batch_size"], self.device)
        context_length = getattr(model.config, "max_position_embeddings", None) or tokenizer.model_max_length
        self.server = GenerationServer((self.spec["host"], self.spec["port"]), self.engine, self.spec["model"]["path"], context_length, self.token)
        emit("log", level="info", message=f"serving on {self.device} ({self.dtype}, {self.threads} threads), context {context_length}, batch up to {self.spec['max_batch_size']}")

    def serve(self, stop: GracefulStop) -> None:
        """Listen until SIGTERM (StopRequested in the main thread), then shut down in order."""
        if stop.requested:
            # SIGTERM came while the model loaded and a library caught its StopRequested: a
            # stopped server never announces `ready`.
            raise StopRequested()
        self.engine.start()
        listener = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
        listener.start()
        host, port = self.server.server_address[:2]
        emit("ready", host=host, port=port, model=self.spec["model"]["path"], adapters=self.engine.adapters.names(), pid=os.getpid(),
             device=self.device, dtype=str(self.dtype).removeprefix("torch."))
        try:
            while listener.is_alive():
                listener.join(timeout=1)
        except StopRequested:
            self.cleanup()
            raise
        self.cleanup()

    def cleanup(self) -> None:
        self.server.shutdown()  # stop accepting
        self.engine.stop()  # fail what is in flight with an error line
        self.server.server_close()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False



def main(spec: dict[str, Any], stop: GracefulStop) -> int:
    hf_logging.disable_progress_bar()
    recipe = ServeRecipe(spec)
    recipe.setup()
    recipe.serve(stop)
    return 0
