"""The baseline: a plain transformers + PEFT training loop, as a notebook would write it.

    python plain_loop.py MODEL_DIR TRAIN.jsonl EVAL.jsonl OUT.json

Random batches, each padded to its longest sample, the model's own loss over full logits,
assistant-only labels (the same targets Whetstone trains on), AdamW with linear warmup and
cosine decay, the same LoRA settings, torch's default threads. Writes the figures as JSON.
"""

import json
import math
import sys
import time

import torch
from peft import LoraConfig, get_peft_model
from torch.utils.data import DataLoader
from transformers import AutoModelForCausalLM, AutoTokenizer, get_cosine_schedule_with_warmup

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[2] / "worker"))
from whet_worker.components.chat_template import choose_training_template  # noqa: E402  (the same labels)
from whet_worker.components.tokenize_chats import tokenize_conversations  # noqa: E402

SETTINGS = json.loads((__import__("pathlib").Path(__file__).parent / "settings.json").read_text())


def read(path: str) -> list[list[dict]]:
    return [json.loads(line)["messages"] for line in open(path, encoding="utf-8") if line.strip()]


def pad_batch(rows: list[dict], pad_id: int) -> dict[str, torch.Tensor]:
    longest = max(len(r["input_ids"]) for r in rows)
    ids = torch.full((len(rows), longest), pad_id)
    labels = torch.full((len(rows), longest), -100)
    mask = torch.zeros((len(rows), longest), dtype=torch.long)
    for i, r in enumerate(rows):
        n = len(r["input_ids"])
        ids[i, :n], labels[i, :n], mask[i, :n] = torch.tensor(r["input_ids"]), torch.tensor(r["labels"]), 1
    return {"input_ids": ids, "attention_mask": mask, "labels": labels}


def eval_loss(model, evaluation, pad_id: int, batch_size: int) -> float:
    """Mean loss over the held-out rows, in fixed batches: the same figure for both runs."""
    model.eval()
    losses = []
    with torch.no_grad():
        for batch in DataLoader(evaluation, batch_size=batch_size, collate_fn=lambda rows: pad_batch(rows, pad_id)):
            losses.append((model(**batch).loss.item(), len(batch["input_ids"])))
    return sum(l * n for l, n in losses) / sum(n for _, n in losses)


def main(model_dir: str, train_path: str, eval_path: str, out_path: str) -> None:
    s = SETTINGS
    torch.manual_seed(s["seed"])
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)
    model = get_peft_model(
        model, LoraConfig(r=s["lora_r"], lora_alpha=s["lora_alpha"], lora_dropout=s["lora_dropout"], target_modules="all-linear", task_type="CAUSAL_LM")
    )
    template = choose_training_template(tokenizer)
    train = tokenize_conversations(read(train_path), tokenizer, template, s["max_seq_len"]).dataset
    evaluation = tokenize_conversations(read(eval_path), tokenizer, template, s["max_seq_len"]).dataset
    collate = lambda rows: pad_batch(rows, tokenizer.pad_token_id)  # noqa: E731
    loader = DataLoader(train, batch_size=s["batch_size"], shuffle=True, collate_fn=collate, generator=torch.Generator().manual_seed(s["seed"]))
    steps = len(loader)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=s["learning_rate"], weight_decay=0.0)
    schedule = get_cosine_schedule_with_warmup(optimizer, math.ceil(s["warmup_ratio"] * steps), steps)

    model.train()
    tokens, padded, losses = 0, 0, []
    started, cpu_started = time.perf_counter(), time.process_time()
    for batch in loader:
        loss = model(**batch).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        tokens += int(batch["attention_mask"].sum())
        padded += batch["attention_mask"].numel()
        losses.append(loss.item())
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    result = {
        "steps": steps,
        "samples": len(train),
        "tokens": tokens,
        "padded_tokens": padded,
        "train_seconds": seconds,
        "tokens_per_sec": tokens / seconds,
        "cpu_seconds": cpu_seconds,
        "tokens_per_cpu_sec": tokens / cpu_seconds,
        "final_train_loss": sum(losses[-4:]) / len(losses[-4:]),
        "eval_loss": eval_loss(model, evaluation, tokenizer.pad_token_id, s["batch_size"]),
        "threads": torch.get_num_threads(),
    }
    open(out_path, "w").write(json.dumps(result))


if __name__ == "__main__":
    main(*sys.argv[1:5])
