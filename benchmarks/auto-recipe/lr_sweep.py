"""Learning-rate sweep on the demo model with the worker's own `lr_search`: the measurement behind
the auto learning rate for small models (README.md, "Measurements").

    .venv/bin/python benchmarks/auto-recipe/lr_sweep.py [TUNING] [STEPS]

LoRA (default) or full tuning of SmolLM2-135M-Instruct on benchmarks/train-speed's docstring Q&A
rows (64 to train on, 16 held out), each candidate `STEPS` optimizer steps of batch 4 from the same
start; prints each trial's eval loss and one final JSON line.
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DEMO_MODEL = REPO / ".cache" / "demo-model" / "SmolLM2-135M-Instruct"
CANDIDATES = {"lora": [1e-4, 2e-4, 5.4e-4, 1.1e-3, 2.2e-3], "full": [1e-5, 2.7e-5, 1e-4]}


def main(tuning: str, steps: int) -> int:
    with tempfile.TemporaryDirectory(prefix="whet-lr-sweep-") as tmp:
        work = Path(tmp)
        subprocess.run([sys.executable, str(REPO / "benchmarks" / "train-speed" / "make_data.py"), str(work), "64", "16"], check=True)
        spec = {
            "version": 1, "command": "train", "job_id": "lr-sweep", "method": "sft", "tuning": tuning,
            "model": {"path": str(DEMO_MODEL), "chat_template": None},
            "data": {"train": str(work / "train.jsonl"), "validation": str(work / "eval.jsonl"), "validation_split": 0},
            "output_dir": str(work / "out"), "resume_from_checkpoint": None,
            "hyperparameters": {
                "epochs": 1, "max_steps": 1, "learning_rate": 1e-4, "lr_scheduler": "cosine", "lr_decay_ratio": 0.1,
                "warmup_ratio": 0.03, "batch_size": 4, "gradient_accumulation_steps": 1, "max_seq_len": 512, "seed": 42,
                "eval_steps": 1000, "save_steps": 1000, "save_total_limit": 1, "lora_r": 8, "lora_alpha": 16,
                "lora_dropout": 0.05, "lora_target": "all-linear", "freeze_trainable_layers": 2,
                "lr_search": {"candidates": CANDIDATES[tuning], "steps": steps, "train_fraction": 1.0},
            },
            "device": "cpu", "threads": None,
        }
        (work / "spec.json").write_text(json.dumps(spec))
        done = subprocess.run([sys.executable, "-m", "whet_worker", "train", str(work / "spec.json")], cwd=REPO / "worker", capture_output=True, text=True)
        events = [json.loads(line) for line in done.stdout.splitlines()]
    trials = [e for e in events if e["type"] == "trial"]
    for t in trials:
        print(f"{tuning} lr {t['learning_rate']:<8g} {steps} steps: train loss {t['train_loss']:.4f}  eval loss {t['eval_loss']}")
    best = min((t for t in trials if t["eval_loss"] is not None), key=lambda t: t["eval_loss"], default=None)
    print(json.dumps({"benchmark": "lr-sweep", "tuning": tuning, "steps": steps, "trials": [{"lr": t["learning_rate"], "eval_loss": t["eval_loss"]} for t in trials], "best_lr": best and best["learning_rate"]}))
    return 0 if done.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "lora", int(sys.argv[2]) if len(sys.argv) > 2 else 12))
