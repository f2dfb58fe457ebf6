"""Shared fixtures: the tiny model, toy data, specs, and the real worker run as a subprocess."""

import copy
import json
import os
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

WORKER_ROOT = Path(__file__).resolve().parents[1]
REPO_ROOT = WORKER_ROOT.parent
CACHED_TINY_MODEL = REPO_ROOT / ".cache" / "fixtures" / "tiny-model"
CACHED_TINY_BF16_MODEL = REPO_ROOT / ".cache" / "fixtures" / "tiny-model-bf16"
EVENT_SCHEMA = json.loads((WORKER_ROOT / "whet_worker" / "schemas" / "worker_event.schema.json").read_text())
EVENT_VALIDATOR = Draft202012Validator(EVENT_SCHEMA)

# Short Q/A pairs a tiny model can learn in a few dozen steps.
TOY_PAIRS = [
    ("What is two plus two?", "Four."),
    ("What color is the sky?", "Blue."),
    ("中国的首都是哪里？", "北京。"),
    ("What is the capital of France?", "Paris."),
    ("How many legs does a spider have?", "Eight."),
    ("Name a primary color.", "Red."),
]

HYPERPARAMETERS = {
    "epochs": 1,
    "max_steps": None,
    "learning_rate": 3e-3,
    "lr_scheduler": "cosine",
    "lr_decay_ratio": 0.1,
    "warmup_ratio": 0.1,
    "batch_size": 4,
    "gradient_accumulation_steps": 1,
    "max_seq_len": 64,
    "seed": 7,
    "eval_steps": 1000,
    "save_steps": 1000,
    "save_total_limit": 3,
    "lora_r": 8,
    "lora_alpha": 16,
    "lora_dropout": 0.0,
    "lora_target": "all-linear",
    "freeze_trainable_layers": 1,
}


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    """The TS tests' cached tiny model when present (same script, same bytes), else a fresh build."""
    if (CACHED_TINY_MODEL / "config.json").is_file():
        return CACHED_TINY_MODEL
    out = tmp_path_factory.mktemp("tiny-model")
    subprocess.run([sys.executable, "-m", "whet_worker.fixtures.tiny_model", str(out)], cwd=WORKER_ROOT, check=True)
    return out


@pytest.fixture(scope="session")
def sharp_model(tiny_model, tmp_path_factory):
    """The tiny model with its matrices (not the embeddings) redrawn at std 0.2, seeded, for the
    multiple-choice tests: with its own init (std 0.02) the log-likelihoods hardly depend on the
    question and it ranks " A" first every time, which would make equal choices prove little."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model = AutoModelForCausalLM.from_pretrained(tiny_model, dtype=torch.float32)
    generator = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() > 1 and "embed" not in name:
                p.copy_(torch.randn(p.shape, generator=generator) * 0.2)
    out = tmp_path_factory.mktemp("sharp-tiny-model")
    model.save_pretrained(out)
    AutoTokenizer.from_pretrained(tiny_model).save_pretrained(out)
    return out


@pytest.fixture(scope="session")
def tiny_bf16_model() -> Path:
    """The tiny model saved in bf16, as most published models ship; cached beside the fp32 one,
    built into a temp folder and renamed so parallel sessions never see half a model."""
    if (CACHED_TINY_BF16_MODEL / "config.json").is_file():
        return CACHED_TINY_BF16_MODEL
    tmp = CACHED_TINY_BF16_MODEL.with_name(f"{CACHED_TINY_BF16_MODEL.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "whet_worker.fixtures.tiny_model", str(tmp), "--dtype", "bfloat16"], cwd=WORKER_ROOT, check=True)
    try:
        tmp.rename(CACHED_TINY_BF16_MODEL)
    except OSError:  # another session won the race
        shutil.rmtree(tmp, ignore_errors=True)
    return CACHED_TINY_BF16_MODEL


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_toy_data(path: Path, repeats: int = 8) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for _ in range(repeats):
            for question, answer in TOY_PAIRS:
                messages = [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]
                f.write(json.dumps({"messages": messages}, ensure_ascii=False) + "\n")
    return path


@pytest.fixture
def make_spec(tmp_path, tiny_model):
    """A valid spec for the tiny model on the toy data; keyword overrides go into hyperparameters,
    `spec_overrides` into the top level."""
    train = write_toy_data(tmp_path / "train.jsonl")

    def make(spec_overrides: dict | None = None, **hp) -> dict:
        spec = {
            "version": 1,
            "command": "train",
            "job_id": "test-job",
            "method": "sft",
            "tuning": "lora",
            "model": {"path": str(tiny_model), "chat_template": None},
            "data": {"train": str(train), "validation": None, "validation_split": 0.0},
            "output_dir": str(tmp_path / "out"),
            "resume_from_checkpoint": None,
            "hyperparameters": {**copy.deepcopy(HYPERPARAMETERS), **hp},
            "device": "cpu",
            "threads": 1,  # the tiny model gains nothing from more, and tests share the machine
        }
        spec.update(spec_overrides or {})
        return spec

    return make


@dataclass
class WorkerRun:
    returncode: int
    events: list[dict]
    stderr: str

    def of(self, event_type: str) -> list[dict]:
        return [e for e in self.events if e["type"] == event_type]

    def one(self, event_type: str) -> dict:
        found = self.of(event_type)
        assert len(found) == 1, f"expected one {event_type} event, got {found}\n{self.stderr[-3000:]}"
        return found[0]


def parse_events(stdout: str) -> list[dict]:
    """Every stdout line must be a valid protocol event: nothing else may reach stdout."""
    events = []
    for line in stdout.splitlines():
        event = json.loads(line)
        errors = list(EVENT_VALIDATOR.iter_errors(event))
        assert not errors, f"invalid event {line}: {[e.message for e in errors]}"
        events.append(event)
    return events


def write_spec(spec: dict, path: Path) -> Path:
    path.write_text(json.dumps(spec))
    return path


def worker_command(spec_path: Path, command: str = "train") -> list[str]:
    return [sys.executable, "-m", "whet_worker", command, str(spec_path)]


@pytest.fixture
def run_worker(tmp_path):
    """Run `python -m whet_worker train SPEC` to the end and return its checked events."""
    counter = iter(range(1000))

    def run(spec: dict, command: str = "train") -> WorkerRun:
        spec_path = write_spec(spec, tmp_path / f"spec-{next(counter)}.json")
        done = subprocess.run(worker_command(spec_path, command), cwd=WORKER_ROOT, capture_output=True, text=True, timeout=300)
        return WorkerRun(done.returncode, parse_events(done.stdout), done.stderr)

    return run


@pytest.fixture
def start_worker(tmp_path):
    """Start the worker and hand back the process, for tests that signal or kill it."""
    processes = []

    def start(spec: dict) -> subprocess.Popen:
        name = f"started-{len(processes)}"
        # stderr to a file: a full pipe nobody reads would block the worker
        with (tmp_path / f"{name}.stderr").open("w") as stderr:
            process = subprocess.Popen(
                worker_command(write_spec(spec, tmp_path / f"{name}.json")),
                cwd=WORKER_ROOT,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
            )
        processes.append(process)
        return process

    yield start
    for process in processes:  # never leave a worker behind
        if process.poll() is None:
            process.kill()
        process.wait()
        process.stdout.close()
