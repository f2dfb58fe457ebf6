"""Whetstone's LoRA SFT against a plain transformers + PEFT loop and against plain TRL `SFTTrainer`
with length grouping: same model, data, samples, settings.

    .venv/bin/python benchmarks/train-speed/run.py      (or: npm run bench -- train-speed)

All three train the demo model (SmolLM2-135M-Instruct) for one epoch over the same rows with the same
LoRA settings, learning rate and batch size, then score the same held-out rows. Reported: non-padding
training tokens per second (training steps only, evaluation excluded), peak memory of each process
(max RSS), the eval loss after training, and Whetstone's ratios to each. Ends with one JSON line.
Env: TRAIN_SPEED_ROWS (default 96), TRAIN_SPEED_EVAL_ROWS (32), TRAIN_SPEED_TRL=0 skips the TRL side,
TRAIN_SPEED_TRL_ARGS (a JSON object of SFTConfig fields for the TRL side, see trl_run.py).
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
TRL_GOAL = 1.5  # issue 21: against plain TRL SFTTrainer with length grouping
LOSS_TOLERANCE = 0.03  # relative eval-loss gap still counted as the same loss (both comparisons)
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


def whetstone_spec(train: Path, work: Path) -> dict:
    """The worker's train spec for the benchmark's settings (also profile_step.py's)."""
    s = SETTINGS
    return {
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


def run_whetstone(train: Path, evaluation: Path, work: Path) -> dict:
    spec_path = work / "spec.json"
    spec_path.write_text(json.dumps(whetstone_spec(train, work)))
    return run_side("whetstone_run.py", "whetstone", [str(spec_path), str(evaluation)], work)


def run_side(script: str, name: str, args: list[str], work: Path) -> dict:
    """One side's script with `args` and its OUT.json, under GNU time: its result and peak memory."""
    out, time_file = work / f"{name}.json", work / f"{name}.time"
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", "-o", str(time_file), PYTHON, str(HERE / script), *args, str(out)],
        capture_output=True, text=True, env=ENV,
    )
    if done.returncode != 0:
        raise SystemExit(f"{script} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return {**json.loads(out.read_text()), "peak_rss_mb": peak_rss_mb(time_file)}


def run_plain(train: Path, evaluation: Path, work: Path) -> dict:
    return run_side("plain_loop.py", "plain", [str(DEMO_MODEL), str(train), str(evaluation)], work)


def run_trl(train: Path, evaluation: Path, work: Path) -> dict:
    return run_side("trl_run.py", "trl", [str(DEMO_MODEL), str(train), str(evaluation)], work)


def compare(ours: dict, other: dict) -> dict:
    """Whetstone's ratios to another side."""
    return {
        "tokens_per_sec": ours["tokens_per_sec"] / other["tokens_per_sec"],
        "tokens_per_cpu_sec": ours["tokens_per_cpu_sec"] / other["tokens_per_cpu_sec"],
        "peak_memory": ours["peak_rss_mb"] / other["peak_rss_mb"],
        "eval_loss_gap": abs(ours["eval_loss"] - other["eval_loss"]) / other["eval_loss"],
        "same_samples_and_tokens": ours["samples"] == other["samples"] and ours["tokens"] == other["tokens"],
    }


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
        with_trl = os.environ.get("TRAIN_SPEED_TRL", "1") != "0"
        trl = run_trl(train, evaluation, work) if with_trl else None
        if trl:
            show("trl", trl)
            print(f"{'':<11}  TRL: {trl['config']}, {trl['target_tokens']} target tokens to the others' {trl['reference_target_tokens']} "
                  f"(extra: {trl['extra_targets']}), same input ids: {trl['same_input_ids']}", flush=True)
        load_after = os.getloadavg()[0]
    vs_plain = compare(ours, plain)
    speedup, speedup_cpu = vs_plain["tokens_per_sec"], vs_plain["tokens_per_cpu_sec"]
    # Other work on the machine stretches wall time unevenly between the runs; CPU time much less.
    contended = busy(max(load_before, load_after)) or wait_policy == "PASSIVE"
    basis = "cpu" if contended else "wall"
    ratio = speedup_cpu if contended else speedup
    memory, loss_gap, same_samples = vs_plain["peak_memory"], vs_plain["eval_loss_gap"], vs_plain["same_samples_and_tokens"]
    print(f"speedup {speedup:.2f}x in tokens/s, {speedup_cpu:.2f}x in tokens per CPU-second (goal {GOAL}x on {basis}), "
          f"peak memory x{memory:.2f}, eval loss gap {loss_gap:.1%}, load average {load_before:.1f} -> {load_after:.1f} on {os.cpu_count()} cores, "
          f"OMP_WAIT_POLICY {wait_policy}")
    vs_trl, trl_goal_met = None, None
    if trl:
        vs_trl = compare(ours, trl)
        trl_ratio = vs_trl["tokens_per_cpu_sec"] if contended else vs_trl["tokens_per_sec"]
        trl_goal_met = trl_ratio >= TRL_GOAL and vs_trl["eval_loss_gap"] < LOSS_TOLERANCE and vs_trl["same_samples_and_tokens"]
        print(f"vs TRL  {vs_trl['tokens_per_sec']:.2f}x in tokens/s, {vs_trl['tokens_per_cpu_sec']:.2f}x in tokens per CPU-second "
              f"(goal {TRL_GOAL}x on {basis}), peak memory x{vs_trl['peak_memory']:.2f}, eval loss gap {vs_trl['eval_loss_gap']:.1%}")
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
        "trl_tokens_per_sec": round(trl["tokens_per_sec"], 1) if trl else None,
        "trl_peak_mb": round(trl["peak_rss_mb"]) if trl else None,
        "trl_eval_loss": round(trl["eval_loss"], 4) if trl else None,
        "trl_config": trl["config"] if trl else "skipped (TRAIN_SPEED_TRL=0)",
        # TRL trains on the same input ids; its completion-only targets add the template's newline after each <|im_end|>.
        "trl_same_input_ids": trl["same_input_ids"] if trl else None,
        "trl_target_tokens": [trl["target_tokens"], trl["reference_target_tokens"]] if trl else None,
        "vs_trl": {k: (round(v, 4 if k == "eval_loss_gap" else 2) if isinstance(v, float) else v) for k, v in vs_trl.items()} if vs_trl else None,
        "trl_goal_met": trl_goal_met,
        "load_average": [round(load_before, 1), round(load_after, 1)],
        "omp_wait_policy": wait_policy,
        "goals_met": ratio >= GOAL and loss_gap < LOSS_TOLERANCE and same_samples,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
