"""LoRA training steps on the demo model, timed: the child process of run.ts.

`--whetstone` imports the worker package before torch, as every worker process does, so its
OpenMP settings apply (whet_worker/__init__.py); without it, plain torch with the library
defaults, as a user's own script runs. Prints one JSON line: seconds a step (wall and CPU).
"""

import argparse
import json
import time

parser = argparse.ArgumentParser()
parser.add_argument("model")
parser.add_argument("--whetstone", action="store_true")
parser.add_argument("--steps", type=int, default=6)
args = parser.parse_args()
if args.whetstone:
    import whet_worker  # noqa: F401  (before torch: libgomp reads its environment when loaded)
import os

import torch
from peft import LoraConfig, get_peft_model
from transformers import AutoModelForCausalLM

torch.manual_seed(0)
torch.set_num_threads(os.cpu_count() or 1)
model = get_peft_model(
    AutoModelForCausalLM.from_pretrained(args.model, dtype=torch.float32),
    LoraConfig(r=16, lora_alpha=32, target_modules="all-linear", task_type="CAUSAL_LM"),
)
optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4)
batch = torch.randint(0, model.config.vocab_size, (4, 96))  # 4 rows of 96 tokens: a labelling batch


def step() -> None:
    model(input_ids=batch, labels=batch).loss.backward()
    optimizer.step()
    optimizer.zero_grad()


step()  # warms caches and allocations
wall, cpu = time.perf_counter(), time.process_time()
for _ in range(args.steps):
    step()
print(json.dumps({"wall_s": (time.perf_counter() - wall) / args.steps, "cpu_s": (time.process_time() - cpu) / args.steps,
                  "threads": torch.get_num_threads(), "gomp_spincount": os.environ.get("GOMP_SPINCOUNT"),
                  "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY")}))
