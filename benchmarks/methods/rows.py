"""The rows: each a Whetstone job and the TRL baseline with the same settings (settings.json).

A row's settings are the shared ones plus its own: steps (pretrain's or the chat rows'), the
learning rate of its method or tuning (the server's auto rate for the 135M demo model:
resolve-hyperparameters.ts), and the fields its method or tuning reads.

    METHODS_ROWS=sft-lora,sft-freeze   only these rows (default: settings.json's default_rows; "all": every row)
    STEPS=2                            every row this many steps (a smoke run)
    CHATS_PER_TASK=20                  a smaller chat set (a smoke run)
"""

import os
from typing import Any

# name: (method, tuning, packing, the TRL baseline script, the data it trains on)
ROWS: dict[str, tuple[str, str, bool, str, str]] = {
    "pretrain-lora": ("pretrain", "lora", False, "trl_pretrain.py", "text"),
    "sft-lora": ("sft", "lora", False, "trl_sft.py", "chats"),
    "sft-lora-packing": ("sft", "lora", True, "trl_sft.py", "chats"),
    "sft-dora": ("sft", "dora", False, "trl_sft.py", "chats"),
    "sft-full": ("sft", "full", False, "trl_sft.py", "chats"),
    "sft-freeze": ("sft", "freeze", False, "trl_sft.py", "chats"),
    "sft-ptuning": ("sft", "ptuning", False, "trl_sft.py", "chats"),
    "sft-prefix": ("sft", "prefix", False, "trl_sft.py", "chats"),
    "dpo-lora": ("dpo", "lora", False, "trl_preference.py", "pairs"),
    "orpo-lora": ("orpo", "lora", False, "trl_preference.py", "pairs"),
}
SHARED = ("seed", "warmup_ratio", "batch_size", "max_seq_len")
# The settings a method or tuning reads, beyond the shared ones.
OWN = {"lora": ("lora_r", "lora_alpha", "lora_dropout"), "dora": ("lora_r", "lora_alpha", "lora_dropout"),
       "freeze": ("freeze_trainable_layers",), "ptuning": ("num_virtual_tokens",), "prefix": ("num_virtual_tokens",),
       "dpo": ("beta", "loss_type"), "orpo": ("orpo_lambda",)}


def chosen_rows(settings: dict[str, Any]) -> list[str]:
    wanted = os.environ.get("METHODS_ROWS")
    if wanted == "all":
        return list(ROWS)
    names = [n.strip() for n in wanted.split(",") if n.strip()] if wanted else settings["default_rows"]
    unknown = [n for n in names if n not in ROWS]
    if unknown:
        raise SystemExit(f"unknown row(s) {', '.join(unknown)}; rows: {', '.join(ROWS)}")
    return names


def row_settings(name: str, settings: dict[str, Any]) -> dict[str, Any]:
    method, tuning, packing, _, _ = ROWS[name]
    rate_key = tuning if method == "sft" else method
    s = {"method": method, "tuning": tuning, "packing": packing, "learning_rate": settings["learning_rate"][rate_key]}
    s.update({key: settings[key] for key in SHARED + OWN.get(tuning, ()) + OWN.get(method, ())})
    if method == "pretrain":
        s.update(settings["pretrain"])
    else:
        s.update(steps=settings["preference" if method in ("dpo", "orpo") else "chat"]["steps"], chats_per_task=chats_per_task(settings))
    if os.environ.get("STEPS"):
        s["steps"] = int(os.environ["STEPS"])
    return s


def chats_per_task(settings: dict[str, Any]) -> int:
    return int(os.environ.get("CHATS_PER_TASK") or settings["chat"]["per_task"])
