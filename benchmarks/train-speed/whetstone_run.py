"""Whetstone's side: the SFT recipe (worker/whet_worker/recipes/sft.py) run in-process on a spec.

    python whetstone_run.py SPEC.json EVAL.jsonl OUT.json

Times `train()` (wall and CPU), then scores the held-out rows with the same function as the
plain loop. Events still go to stdout.
"""

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "worker"))
from plain_loop import SETTINGS, eval_loss, read  # noqa: E402
from whet_worker.components.chat_template import choose_training_template  # noqa: E402
from whet_worker.components.tokenize_chats import tokenize_conversations  # noqa: E402
from whet_worker.graceful_stop import GracefulStop  # noqa: E402
from whet_worker.recipes.sft import SFTRecipe  # noqa: E402


def main(spec_path: str, eval_path: str, out_path: str) -> None:
    recipe = SFTRecipe(json.loads(Path(spec_path).read_text()), GracefulStop())
    recipe.setup()
    started, cpu_started = time.perf_counter(), time.process_time()
    recipe.train()
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    state = recipe.trainer.state
    losses = [entry["loss"] for entry in state.log_history if "loss" in entry]
    tokenizer = recipe.tokenizer
    evaluation = tokenize_conversations(read(eval_path), tokenizer, choose_training_template(tokenizer), SETTINGS["max_seq_len"]).dataset
    result = {
        "steps": state.global_step,
        "samples": len(recipe.trainer.train_dataset),
        "tokens": int(state.num_input_tokens_seen),
        "train_seconds": seconds,
        "tokens_per_sec": state.num_input_tokens_seen / seconds,
        "cpu_seconds": cpu_seconds,
        "tokens_per_cpu_sec": state.num_input_tokens_seen / cpu_seconds,
        "final_train_loss": sum(losses[-4:]) / len(losses[-4:]),
        "eval_loss": eval_loss(recipe.trainer.model, evaluation, tokenizer.pad_token_id, SETTINGS["batch_size"]),
        "threads": recipe.threads,
    }
    Path(out_path).write_text(json.dumps(result))


if __name__ == "__main__":
    main(*sys.argv[1:4])
