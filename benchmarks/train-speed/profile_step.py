"""Where a Whetstone LoRA training step spends its time: torch.profiler over a few steps.

    .venv/bin/python benchmarks/train-speed/profile_step.py [STEPS] [ROWS]

Builds the train-speed benchmark's data and spec, sets up the worker's SFT recipe in-process,
runs two warm-up steps, then profiles STEPS (default 6) optimizer steps of the length-grouped
batches and prints the ops by self CPU time, and forward / backward / optimizer wall time per step.
"""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1] / "worker"))
from run import whetstone_spec  # noqa: E402
from whet_worker.graceful_stop import GracefulStop  # noqa: E402
from whet_worker.recipes.sft import SFTRecipe  # noqa: E402


def main(steps: int, rows: int) -> None:
    with tempfile.TemporaryDirectory(prefix="whet-profile-") as tmp:
        work = Path(tmp)
        subprocess.run([sys.executable, str(HERE / "make_data.py"), str(work), str(rows), "8"], check=True)
        recipe = SFTRecipe(whetstone_spec(work / "train.jsonl", work), GracefulStop())
        recipe.setup()
        trainer = recipe.trainer
        model = trainer.model
        model.train()
        batches = iter(trainer.get_train_dataloader())
        optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4)
        phases = {"forward": 0.0, "backward": 0.0, "optimizer": 0.0}
        tokens = 0

        def step(record: bool) -> None:
            nonlocal tokens
            inputs = {k: v for k, v in next(batches).items() if isinstance(v, torch.Tensor)}
            t0 = time.perf_counter()
            loss = trainer.compute_loss(model, inputs)
            t1 = time.perf_counter()
            loss.backward()
            t2 = time.perf_counter()
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
            t3 = time.perf_counter()
            if record:
                phases["forward"] += t1 - t0
                phases["backward"] += t2 - t1
                phases["optimizer"] += t3 - t2
                tokens += int(inputs["attention_mask"].sum())

        for _ in range(2):
            step(False)
        with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU], record_shapes=True) as prof:
            for _ in range(steps):
                step(True)
        total = sum(phases.values())
        print(f"dtype {next(model.parameters()).dtype}, {steps} steps, {tokens} tokens, {tokens / total:.1f} tokens/s under the profiler")
        print("per step: " + ", ".join(f"{k} {v / steps * 1000:.0f} ms" for k, v in phases.items()))
        print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=30))
        print(prof.key_averages(group_by_input_shape=True).table(sort_by="self_cpu_time_total", row_limit=25))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 6, int(sys.argv[2]) if len(sys.argv) > 2 else 96)
