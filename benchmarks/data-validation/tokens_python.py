"""Counts the tokens of the same message contents with the Python `tokenizers` library (Rust).

    python tokens_python.py FILE TOKENIZER_JSON MAX_TEXT_BYTES

Prints one JSON line: one-at-a-time encode (one core) and encode_batch (all cores) timings.
"""
import json
import os
import sys
import time

from tokenizers import Tokenizer

path, tokenizer_path, max_bytes = sys.argv[1], sys.argv[2], int(sys.argv[3])
tok = Tokenizer.from_file(tokenizer_path)
texts, nbytes = [], 0
with open(path, encoding="utf-8") as f:
    for line in f:
        for m in json.loads(line)["messages"]:
            texts.append(m["content"])
            nbytes += len(m["content"].encode("utf-8"))
        if nbytes >= max_bytes:
            break

t0 = time.perf_counter()
c0 = time.process_time()
single = sum(len(tok.encode(t, add_special_tokens=False).ids) for t in texts)
t_single = time.perf_counter() - t0
cpu_single = time.process_time() - c0  # CPU time: on a shared machine wall time also counts waiting for a core

t0 = time.perf_counter()
batch = 0
for i in range(0, len(texts), 1000):
    batch += sum(len(e.ids) for e in tok.encode_batch(texts[i : i + 1000], add_special_tokens=False))
t_batch = time.perf_counter() - t0

print(json.dumps({
    "tokens": single, "tokens_batch": batch, "text_bytes": nbytes, "texts": len(texts),
    "seconds_single": t_single, "cpu_seconds_single": cpu_single, "seconds_batch": t_batch, "cores": os.cpu_count(),
}))
