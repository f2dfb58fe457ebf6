"""Whetstone's LoRA SFT against a plain transformers + PEFT loop: same model, data, samples, settings.

    .venv/bin/python benchmarks/train-speed/run.py      (or: npm run bench -- train-speed)

Both train the demo model (SmolLM2-135M-Instruct) for one epoch over the same rows with the same
LoRA settings, learning rate and batch size, then score the same held-out rows. Reported: non-padding
training tokens per second (training steps only, evaluation excluded), peak memory of each process
(max RSS), the eval loss after training, and the ratios. Ends with one JSON line.
Env: TRAIN_SPEED_ROWS (default 96), TRAIN_SPEED_EVAL_ROWS (32).
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DEMO_MODEL = REPO / ".cache" / "demo-model" / "SmolLM2-135M-Instruct"
PYTHON = sys.executable
SETTINGS = json.loads((HERE / "settings.json").read_text())
GOAL = 3.0  # issue 21 (issue 3 asked for 2.0x)
ENV = dict(os.environ)


def busy(load: float) -> bool:
    """More runnable work than cores: wall time then depends on what else runs."""
    return load > (os.cpu_count() or 1) + 0.5


def choose_wait_policy() -> str:
    """On a busy machine idle OpenMP threads must sleep, or CPU time counts their spinning, and the
    goal is judged on CPU time; on a quiet one both sides run as users run them (spinning threads
    wake at once, which matters for the many small ops of a LoRA step: PASSIVE cost ours ~20%)."""
    policy = os.environ.get("OMP_WAIT_POLICY") or ("PASSIVE" if busy(os.getloadavg()[0]) else "default")
    if policy != "default":
        ENV["OMP_WAIT_POLICY"] = policy
    return policy


def peak_rss_mb(time_file: Path) -> float:
    return int(time_file.read_text().strip().splitlines()[-1]) / 1024  # GNU time %M is in KiB


def run_whetstone(train: Path, evaluation: Path, work: Path) -> dict:
    s = SETTINGS
    spec = {
        "version": 1, "command": "train", "job_id": "bench", "method": "sft", "tuning": "lora",
        "model": {"path": str(DEMO_MODEL), "chat_template": None},
        "data": {"train": str(train), "validation": None, "validation_split": 0},
        "output_dir": str(work / "whetstone"), "resume_from_checkpoint": None,
        "hyperparameters": {
            "epochs": 1, "max_steps": None, "learning_rate": s["learning_rate"], "lr_scheduler": "cosine",
            "lr_decay_ratio": 0.0, "warmup_ratio": s["warmup_ratio"], "batch_size": s["batch_size"],
            "gradient_accumulation_steps": 1, "max_seq_len": s["max_seq_len"], "seed": s["seed"],
            "eval_steps": 100000, "save_steps": 100000, "save_total_limit": 1, "lora_r": s["lora_r"],
            "lora_alpha": s["lora_alpha"], "lora_dropout": s["lora_dropout"], "lora_target": "all-linear",
            "freeze_trainable_layers": 1,
        },
        "device": "cpu", "threads": None,
    }
    spec_path, out, time_file = work / "spec.json", work / "whetstone.json", work / "whetstone.time"
    spec_path.write_text(json.dumps(spec))
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", "-o", str(time_file), PYTHON, str(HERE / "whetstone_run.py"), str(spec_path), str(evaluation), str(out)],
        capture_output=True, text=True, env=ENV,
    )
    if done.returncode != 0:
        raise SystemExit(f"whetstone run failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return {**json.loads(out.read_text()), "peak_rss_mb": peak_rss_mb(time_file)}


def run_plain(train: Path, evaluation: Path, work: Path) -> dict:
    out, time_file = work / "plain.json", work / "plain.time"
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", "-o", str(time_file), PYTHON, str(HERE / "plain_loop.py"), str(DEMO_MODEL), str(train), str(evaluation), str(out)],
        capture_output=True, text=True, env=ENV,
    )
    if done.returncode != 0:
        raise SystemExit(f"plain loop failed:\n{done.stderr[-3000:]}")
    return {**json.loads(out.read_text()), "peak_rss_mb": peak_rss_mb(time_file)}


def show(name: str, r: dict) -> None:
    real = f", {r['tokens'] / r['padded_tokens']:.0%} of batch tokens real" if "padded_tokens" in r else ""
    print(
        f"{name:<11}: {r['tokens_per_sec']:7.1f} tokens/s, {r['tokens_per_cpu_sec']:6.1f} per CPU-s, peak {r['peak_rss_mb']:6.0f} MB, "
        f"eval loss {r['eval_loss']:.4f} ({r['samples']} samples, {r['tokens']} tokens, {r['steps']} steps, {r['train_seconds']:.1f} s{real})",
        flush=True,
    )


def main() -> int:
    if not (DEMO_MODEL / "config.json").is_file():
        print(f"demo model missing at {DEMO_MODEL}: cd worker && ../.venv/bin/python -m whet_worker.demo_model {DEMO_MODEL}")
        print(json.dumps({"benchmark": "train-speed", "skipped": "demo model missing", "goals_met": False}))
        return 1
    rows, eval_rows = int(os.environ.get("TRAIN_SPEED_ROWS", 96)), int(os.environ.get("TRAIN_SPEED_EVAL_ROWS", 32))
    with tempfile.TemporaryDirectory(prefix="whet-train-speed-") as tmp:
        work = Path(tmp)
        subprocess.run([PYTHON, str(HERE / "make_data.py"), str(work), str(rows), str(eval_rows)], check=True)
        train, evaluation = work / "train.jsonl", work / "eval.jsonl"
        load_before = os.getloadavg()[0]
        wait_policy = choose_wait_policy()
        plain = run_plain(train, evaluation, work)
        show("plain loop", plain)
        ours = run_whetstone(train, evaluation, work)
        show("whetstone", ours)
        load_after = os.getloadavg()[0]
    speedup = ours["tokens_per_sec"] / plain["tokens_per_sec"]
    speedup_cpu = ours["tokens_per_cpu_sec"] / plain["tokens_per_cpu_sec"]
    # Other work on the machine stretches wall time unevenly between the two runs; CPU time much less.
    contended = busy(max(load_before, load_after)) or wait_policy == "PASSIVE"
    basis, ratio = ("cpu", speedup_cpu) if contended else ("wall", speedup)
    memory = ours["peak_rss_mb"] / plain["peak_rss_mb"]
    loss_gap = abs(ours["eval_loss"] - plain["eval_loss"]) / plain["eval_loss"]
    print(f"speedup {speedup:.2f}x in tokens/s, {speedup_cpu:.2f}x in tokens per CPU-second (goal {GOAL}x on {basis}), "
          f"peak memory x{memory:.2f}, eval loss gap {loss_gap:.1%}, load average {load_before:.1f} -> {load_after:.1f} on {os.cpu_count()} cores, "
          f"OMP_WAIT_POLICY {wait_policy}")
    same_samples = ours["samples"] == plain["samples"] and ours["tokens"] == plain["tokens"]
    print(json.dumps({
        "benchmark": "train-speed",
        "samples": plain["samples"],
        "whetstone_tokens_per_sec": round(ours["tokens_per_sec"], 1),
        "plain_tokens_per_sec": round(plain["tokens_per_sec"], 1),
        "speedup": round(speedup, 2),
        "speedup_cpu_time": round(speedup_cpu, 2),
        "speedup_basis": basis,
        "whetstone_peak_mb": round(ours["peak_rss_mb"]),
        "plain_peak_mb": round(plain["peak_rss_mb"]),
        "whetstone_eval_loss": round(ours["eval_loss"], 4),
        "plain_eval_loss": round(plain["eval_loss"], 4),
        "same_samples_and_tokens": same_samples,
        "load_average": [round(load_before, 1), round(load_after, 1)],
        "omp_wait_policy": wait_policy,
        "goals_met": ratio >= GOAL and loss_gap < 0.03 and same_samples,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
