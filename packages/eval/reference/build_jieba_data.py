"""Build packages/eval/data/jieba/ from the installed jieba 0.42.1 (MIT licence).

    .venv/bin/python packages/eval/reference/build_jieba_data.py

Writes two gzip files (mtime 0, so the bytes depend only on jieba's data):
- dict.txt.gz: "word freq" lines, sorted and de-duplicated (the last entry of a word wins,
  as in jieba's gen_pfdict); the tag column is dropped (only posseg needs it).
- model.json.gz: the dictionary total (summed over every line, duplicates included, as jieba
  does), math.log of the total and of every distinct frequency (Python's libm values: V8's
  Math.log differs in the last bit for about 1.5% of them, enough to flip near-tied routes),
  and the finalseg HMM tables (start, trans, emit).
"""
import gzip
import json
import math
import os
import sys

import jieba
from jieba.finalseg import prob_emit, prob_start, prob_trans

assert jieba.__version__ == "0.42.1", f"expected jieba 0.42.1, found {jieba.__version__}"

out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "data", "jieba")
os.makedirs(out_dir, exist_ok=True)

freq = {}
total = 0
with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as f:
    for line in f:
        word, count = line.strip().split(" ")[:2]
        freq[word] = int(count)
        total += int(count)

lines = "".join(f"{w} {freq[w]}\n" for w in sorted(freq))


def write_gz(name, data):
    with open(os.path.join(out_dir, name), "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
            gz.write(data.encode("utf-8"))


write_gz("dict.txt.gz", lines)
model = {
    "jieba": jieba.__version__,
    "total": total,
    "log_total": math.log(total),
    "log_freq": {str(v): math.log(v) for v in sorted(set(freq.values()) | {1}) if v > 0},
    "start": prob_start.P,
    "trans": prob_trans.P,
    "emit": prob_emit.P,
}
write_gz("model.json.gz", json.dumps(model, ensure_ascii=False, sort_keys=True))
print(f"{len(freq)} words, total {total}, {len(model['log_freq'])} distinct frequencies -> {out_dir}")
