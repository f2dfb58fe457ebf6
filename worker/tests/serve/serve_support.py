"""A generation server on a sharpened tiny model with two random LoRA adapters, and an HTTP client.

The random tiny model's next-token distribution is nearly flat (top-2 logits 1e-5 apart), so
greedy answers would hinge on float rounding; scaling its embeddings and q/k makes them clear
(margins > 1e-2) while the model stays random and tiny.
"""

import http.client
import json
import os
import secrets
import subprocess
import time
from pathlib import Path

import pytest
import torch
from peft import LoraConfig, get_peft_model
from transformers import AutoModelForCausalLM, AutoTokenizer

from conftest import EVENT_VALIDATOR, WORKER_ROOT, worker_command, write_spec

LINE_TYPES = {"start", "delta", "done", "error"}
# The worker's token, as the gateway makes one per worker; every ServeClient request sends it.
TOKEN = secrets.token_hex(32)


@pytest.fixture(scope="session")
def serve_model(tiny_model, tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("serve-model")
    model = AutoModelForCausalLM.from_pretrained(tiny_model, dtype=torch.float32)
    with torch.no_grad():
        model.model.embed_tokens.weight.mul_(10)
        for layer in model.model.layers:
            layer.self_attn.q_proj.weight.mul_(4)
            layer.self_attn.k_proj.weight.mul_(4)
    model.save_pretrained(root / "base")
    AutoTokenizer.from_pretrained(tiny_model).save_pretrained(root / "base")
    adapters = {}
    for name, seed in (("alpha", 1), ("beta", 2)):
        base = AutoModelForCausalLM.from_pretrained(root / "base", dtype=torch.float32)
        torch.manual_seed(seed)
        peft_model = get_peft_model(base, LoraConfig(r=8, lora_alpha=16, target_modules="all-linear", init_lora_weights=False))
        with torch.no_grad():
            for param_name, param in peft_model.named_parameters():
                if "lora_B" in param_name:
                    param.normal_(0, 0.3)
        peft_model.save_pretrained(root / name)
        adapters[name] = str(root / name)
    return {"base": str(root / "base"), "adapters": adapters}


class ServeClient:
    """Plain http.client calls to the worker, so a test can also hang up mid-stream."""

    def __init__(self, port: int, token: str | None = TOKEN) -> None:
        self.port = port
        self.token = token

    def headers(self) -> dict:
        auth = {"Authorization": f"Bearer {self.token}"} if self.token is not None else {}
        return {"Content-Type": "application/json", **auth}

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def request(self, method: str, path: str, body=None) -> tuple[int, dict]:
        conn = self.connect()
        data = body if isinstance(body, (bytes, str)) or body is None else json.dumps(body)
        conn.request(method, path, body=data, headers=self.headers())
        response = conn.getresponse()
        payload = json.loads(response.read())
        conn.close()
        return response.status, payload

    def generate(self, **body) -> list[dict]:
        """A streamed /generate: every NDJSON line, checked against the protocol's shape."""
        conn = self.connect()
        conn.request("POST", "/generate", body=json.dumps({"stream": True, **body}), headers=self.headers())
        response = conn.getresponse()
        assert response.status == 200, response.read()
        assert response.getheader("Content-Type") == "application/x-ndjson"
        lines = [json.loads(line) for line in response.read().decode().splitlines()]
        conn.close()
        check_lines(lines)
        return lines

    def text(self, **body) -> str:
        return "".join(line["text"] for line in self.generate(**body) if line["type"] == "delta")

    def health(self) -> dict:
        return self.request("GET", "/health")[1]


def check_lines(lines: list[dict]) -> None:
    assert lines[0]["type"] == "start" and isinstance(lines[0]["prompt_tokens"], int)
    assert all(line["type"] in LINE_TYPES for line in lines)
    assert [line["type"] for line in lines[1:-1]] == ["delta"] * (len(lines) - 2)
    assert lines[-1]["type"] in ("done", "error")


def start_server(spec: dict, path: Path, token: str | None = TOKEN) -> tuple[subprocess.Popen, dict]:
    env = {k: v for k, v in os.environ.items() if k != "WHET_WORKER_TOKEN"} | ({"WHET_WORKER_TOKEN": token} if token is not None else {})
    command = worker_command(write_spec(spec, path), "serve")
    process = subprocess.Popen(command, cwd=WORKER_ROOT, env=env, stdout=subprocess.PIPE, stderr=open(path.with_suffix(".stderr"), "w"), text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        event = json.loads(line)
        assert not list(EVENT_VALIDATOR.iter_errors(event)), event
        if event["type"] == "ready":
            return process, event
        assert event["type"] == "log", event
    process.kill()
    raise AssertionError(f"no ready event: {path.with_suffix('.stderr').read_text()[-3000:]}")


def serve_spec(serve_model: dict, **overrides) -> dict:
    return {"version": 1, "command": "serve", "model": {"path": serve_model["base"], "chat_template": None}, "adapters": dict(serve_model["adapters"]), "device": "cpu", "threads": 1, **overrides}


@pytest.fixture(scope="module")
def server(serve_model, tmp_path_factory):
    process, ready = start_server(serve_spec(serve_model), tmp_path_factory.mktemp("serve") / "spec.json")
    yield ServeClient(ready["port"]), ready, process
    process.terminate()
    process.wait(timeout=30)
