"""The two sides of every row, launched the same way: each its own process under GNU time (peak
memory = its max RSS), each reporting the mean of its per-step real-token rates, the first step
left out (the worker: the `tokens_per_sec` of its progress events; TRL: trl_common.StepRates,
taken the same way).

The worker's spec is the resolved one the server would write (worker/whet_worker/schemas/
worker_spec.schema.json): the schema's required fields always, a method's or tuning's own fields
(beta, orpo_lambda, num_virtual_tokens, packing, ...) only on the rows they apply to.
"""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
DEMO_MODEL = REPO / ".cache" / "demo-model" / "SmolLM2-135M-Instruct"
PYTHON = sys.executable
# The optional fields each method or tuning reads, as the worker names them.
OWN_FIELDS = {"dpo": ("beta", "loss_type"), "orpo": ("orpo_lambda",), "ptuning": ("num_virtual_tokens",), "prefix": ("num_virtual_tokens",)}
# Fields the schema requires of every spec, which a tuning other than LoRA/DoRA (freeze) never reads.
UNREAD = {"lora_r": 8, "lora_alpha": 16, "lora_dropout": 0.0, "freeze_trainable_layers": 1}


def timed(cmd: list[str], work: Path, name: str, cwd: Path | None = None) -> tuple[subprocess.CompletedProcess, float]:
    """Run `cmd` under GNU time; its output and peak memory in MB."""
    time_file = work / f"{name}.time"
    done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", str(time_file), *cmd], capture_output=True, text=True, cwd=cwd)
    if done.returncode != 0:
        raise RuntimeError(f"{name} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done, int(time_file.read_text().strip().splitlines()[-1]) / 1024


def worker_spec(s: dict[str, Any], train: Path, validation: Path | None, out_dir: Path) -> dict[str, Any]:
    hp = {
        "epochs": 100, "max_steps": s["steps"], "learning_rate": s["learning_rate"], "lr_scheduler": "cosine",
        "lr_decay_ratio": 0.0, "warmup_ratio": s["warmup_ratio"], "warmup_steps": None, "batch_size": s["batch_size"],
        "gradient_accumulation_steps": 1, "max_seq_len": s["max_seq_len"], "seed": s["seed"],
        "eval_steps": 100000, "save_steps": 100000, "save_total_limit": 1, "lora_target": "all-linear",
        **{key: s.get(key, unread) for key, unread in UNREAD.items()},
    }
    for key in OWN_FIELDS.get(s["method"], ()) + OWN_FIELDS.get(s["tuning"], ()):
        hp[key] = s[key]
    if s.get("packing"):
        hp["packing"] = True
    return {
        "version": 1, "command": "train", "job_id": "bench", "method": s["method"], "tuning": s["tuning"],
        "model": {"path": str(DEMO_MODEL), "chat_template": None},
        "data": {"train": str(train), "validation": str(validation) if validation else None, "validation_split": 0},
        "output_dir": str(out_dir), "resume_from_checkpoint": None, "hyperparameters": hp, "device": "cpu", "threads": None,
    }


def run_whetstone(s: dict[str, Any], train: Path, validation: Path | None, work: Path, name: str) -> dict[str, Any]:
    spec_path = work / f"{name}.spec.json"
    spec_path.write_text(json.dumps(worker_spec(s, train, validation, work / name)))
    done, peak = timed([PYTHON, "-m", "whet_worker", "train", str(spec_path)], work, name, cwd=REPO / "worker")
    events = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    result = next(e for e in events if e["type"] == "result")
    rates = [e["tokens_per_sec"] for e in events if e["type"] == "progress" and e.get("tokens_per_sec")]
    kept = rates[1:] or rates
    return {
        "steps": result["steps"], "tokens": result["train_tokens"], "tokens_per_sec": sum(kept) / len(kept), "rates": rates,
        "peak_rss_mb": peak, "result": result, "logs": [e["message"] for e in events if e["type"] == "log"],
    }


def run_trl(script: str, data: Path, s: dict[str, Any], work: Path, name: str) -> dict[str, Any]:
    settings, out = work / f"{name}.settings.json", work / f"{name}.json"
    settings.write_text(json.dumps(s))
    _, peak = timed([PYTHON, str(Path(__file__).resolve().parent / script), str(DEMO_MODEL), str(data), str(settings), str(out)], work, name)
    return {**json.loads(out.read_text()), "peak_rss_mb": peak}
