"""Record real training curves for the diagnosis tests: a tiny random Llama trained with the
transformers Trainer (the loop the worker uses) on synthetic token data, in five regimes.

    .venv/bin/python packages/eval/reference/record_training_curves.py

Writes packages/eval/src/diagnosis/fixtures/recorded-<regime>.json: the Trainer's log_history
as [{"step", "name", "value"}] points named as the server stores them (loss, eval_loss,
grad_norm, learning_rate). About a minute on two CPU cores.
"""
import json
import math
import os
import random

import torch
from transformers import LlamaConfig, LlamaForCausalLM, Trainer, TrainingArguments, set_seed

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "diagnosis", "fixtures")
VOCAB = 64
SEQ = 32


def pattern_rows(n, seed, noise):
    """Sequences from a dozen repeating motifs (the same in every set) with random substitutions."""
    motif_rng = random.Random(1234)
    motifs = [[motif_rng.randrange(4, VOCAB) for _ in range(motif_rng.randint(3, 7))] for _ in range(12)]
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        seq = []
        while len(seq) < SEQ:
            seq += motifs[rng.randrange(len(motifs))]
        seq = [t if rng.random() > noise else rng.randrange(4, VOCAB) for t in seq[:SEQ]]
        rows.append(seq)
    return rows


class Rows(torch.utils.data.Dataset):
    def __init__(self, rows):
        self.rows = rows

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        ids = torch.tensor(self.rows[i])
        return {"input_ids": ids, "labels": ids.clone(), "attention_mask": torch.ones_like(ids)}


def run(name, train_rows, eval_rows, lr, epochs, max_grad_norm=1.0, logging_steps=5, eval_steps=10, hidden=64, layers=2, warmup=0.0):
    set_seed(0)
    config = LlamaConfig(vocab_size=VOCAB, hidden_size=hidden, intermediate_size=hidden * 2, num_hidden_layers=layers,
                         num_attention_heads=4, num_key_value_heads=4, max_position_embeddings=SEQ, tie_word_embeddings=True)
    model = LlamaForCausalLM(config)
    args = TrainingArguments(
        output_dir=f"/tmp/whet-curves-{name}", per_device_train_batch_size=8, per_device_eval_batch_size=32,
        learning_rate=lr, num_train_epochs=epochs, max_grad_norm=max_grad_norm, warmup_steps=warmup,
        lr_scheduler_type="linear", logging_steps=logging_steps, eval_strategy="steps", eval_steps=eval_steps,
        save_strategy="no", report_to=[], use_cpu=True, disable_tqdm=True, seed=0, dataloader_num_workers=0,
    )
    trainer = Trainer(model=model, args=args, train_dataset=Rows(train_rows), eval_dataset=Rows(eval_rows))
    trainer.train()
    points = []
    for entry in trainer.state.log_history:
        step = entry.get("step")
        for key in ("loss", "eval_loss", "grad_norm", "learning_rate"):
            if key in entry:
                v = float(entry[key])
                points.append({"step": step, "name": key, "value": v if math.isfinite(v) else repr(v)})
    meta = {"regime": name, "lr": lr, "epochs": epochs, "max_grad_norm": max_grad_norm, "train_rows": len(train_rows),
            "eval_rows": len(eval_rows), "model": f"LlamaForCausalLM hidden {hidden}, {layers} layers, vocab {VOCAB}",
            "recorded_with": "packages/eval/reference/record_training_curves.py"}
    with open(os.path.join(OUT, f"recorded-{name}.json"), "w") as f:
        f.write('{"meta": ' + json.dumps(meta) + ',\n"series": [\n' + ",\n".join(json.dumps(p) for p in points) + "\n]}\n")
    print(name, len(points), "points")


if __name__ == "__main__":
    torch.set_num_threads(2)
    os.makedirs(OUT, exist_ok=True)
    evalset = pattern_rows(64, seed=99, noise=0.1)
    # healthy: enough data, a sensible learning rate
    run("healthy", pattern_rows(1600, seed=1, noise=0.1), evalset, lr=3e-3, epochs=1)
    # not converging: the learning rate is far too low, the loss stays flat
    run("not-converging", pattern_rows(1600, seed=1, noise=0.1), evalset, lr=1e-7, epochs=1)
    # overfitting: a few noisy rows seen for many epochs by a bigger model
    run("overfitting", pattern_rows(24, seed=2, noise=0.35), pattern_rows(64, seed=99, noise=0.35), lr=3e-3, epochs=60,
        hidden=128, layers=3, logging_steps=3, eval_steps=6)
    # unstable: a huge learning rate and no gradient clipping (the loss climbs at the start)
    run("unstable", pattern_rows(1600, seed=1, noise=0.1), evalset, lr=0.5, epochs=1, max_grad_norm=0.0)
    # unstable: a high learning rate, no clipping, a bigger model (grad-norm spikes)
    run("unstable-grad-spikes", pattern_rows(1600, seed=1, noise=0.1), evalset, lr=0.05, epochs=1, max_grad_norm=0.0,
        hidden=128, layers=3)
