"""Per-batch loss of an untrained model on a chat set, the samples sorted by length in batches of 4:
how much batch content alone moves a per-step loss (issue 16, README "The newcomer's first job").

    cd worker && PYTHONPATH=. ../.venv/bin/python ../benchmarks/auto-recipe/batch_losses.py \
        ../.cache/demo-model/SmolLM2-135M-Instruct ../demo/demo-chat.jsonl
"""
import json, sys, torch
from whet_worker.components.model_loader import load_model
from whet_worker.components.sft_data import build_sft_data
torch.set_num_threads(2)
model, tok = load_model(sys.argv[1], None, torch.float32)
data = build_sft_data({"train": sys.argv[2], "validation": None, "validation_split": 0}, tok, 256, 42)
rows = sorted(data.train, key=lambda r: -len(r["input_ids"]))
out = []
with torch.no_grad():
    for i in range(0, len(rows), 4):
        batch = rows[i:i+4]
        n, tot = 0, 0.0
        for r in batch:
            ids = torch.tensor([r["input_ids"]]); labels = torch.tensor([r["labels"]])
            logits = model(input_ids=ids).logits[0, :-1]
            lab = labels[0, 1:]
            m = lab != -100
            tot += torch.nn.functional.cross_entropy(logits[m], lab[m], reduction="sum").item(); n += int(m.sum())
        out.append((len(batch[0]["input_ids"]), round(tot / n, 3)))
print(json.dumps(out))
