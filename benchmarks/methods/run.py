"""Training methods against the plain TRL trainer with the same settings, in the same run.

    .venv/bin/python benchmarks/methods/run.py      (or: npm run bench -- methods)

Every row (rows.py, settings.json) runs the Whetstone worker itself (`python -m whet_worker train
spec.json`) and the TRL trainer a user would write instead (trl_pretrain.py, trl_sft.py,
trl_preference.py) on the same data with the same settings, one process after the other, and
reports real-token tokens/s and peak memory (max RSS) of each, with the ratio whetstone / trl.
The packing row is also set against the unpacked worker row (length grouping), when both ran.
The pretrain row adds the held-out perplexity before and after (pretrain_row.py). Data: README.md.
Prints a table, then one JSON line {"benchmark": "methods", "results": [...], "load_average": ...}.
"""

import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from chat_data import write_data  # noqa: E402
from pretrain_row import run_pretrain  # noqa: E402
from rows import ROWS, chats_per_task, chosen_rows, row_settings  # noqa: E402
from sides import DEMO_MODEL, run_trl, run_whetstone  # noqa: E402

SETTINGS = json.loads((HERE / "settings.json").read_text())


def ratio(a: float, b: float) -> float | None:
    return round(a / b, 2) if b else None


def run_row(name: str, work: Path) -> dict:
    method, tuning, packing, script, data = ROWS[name]
    s = row_settings(name, SETTINGS)
    extra: dict = {}
    if method == "pretrain":
        ours, trl, extra = run_pretrain(s, work)
    else:
        path = work / ("chats.jsonl" if data == "chats" else "pairs.jsonl")
        trl = run_trl(script, path, s, work, f"{name}-trl")
        ours = run_whetstone(s, path, None, work, f"{name}-whetstone")
    packed = [m for m in ours["logs"] if "pack" in m.lower()]
    if packing:
        extra["worker_logs_on_packing"] = packed
    return {
        "row": name, "method": method, "tuning": tuning, "packing": packing, "settings": s,
        "steps": {"whetstone": ours["steps"], "trl": trl["steps"]},
        "tokens": {"whetstone": ours["tokens"], "trl": trl["tokens"]},
        "tokens_per_sec": {"whetstone": round(ours["tokens_per_sec"], 1), "trl": round(trl["tokens_per_sec"], 1),
                           "ratio": ratio(ours["tokens_per_sec"], trl["tokens_per_sec"])},
        "peak_rss_mb": {"whetstone": round(ours["peak_rss_mb"]), "trl": round(trl["peak_rss_mb"]),
                        "ratio": ratio(ours["peak_rss_mb"], trl["peak_rss_mb"])},
        **extra,
    }


def print_row(row: dict) -> None:
    t, m = row["tokens_per_sec"], row["peak_rss_mb"]
    line = (f"{row['row']:<17} {t['whetstone']:>9.1f} {t['trl']:>9.1f} {t['ratio'] or 0:>6.2f}x"
            f" {m['whetstone']:>8} {m['trl']:>8} {m['ratio'] or 0:>6.2f}x  steps {row['steps']['whetstone']}/{row['steps']['trl']}")
    if "perplexity" in row:
        p = row["perplexity"]
        line += f"  perplexity {p['before']} -> whetstone {p['whetstone_after']}, trl {p['trl_after']} (worker's own: {p['worker_reported']})"
    if "vs_length_grouping" in row:
        v = row["vs_length_grouping"]
        line += f"  vs unpacked worker: {v['ratio']}x tokens/s"
        line += "  (the same tokens as unpacked: this worker did not pack)" if v["same_batches"] else ""
    print(line, flush=True)


def main() -> int:
    if not (DEMO_MODEL / "config.json").is_file():
        print(f"demo model missing at {DEMO_MODEL}: run npm start or npm test once to prepare it")
        print(json.dumps({"benchmark": "methods", "skipped": "demo model missing"}))
        return 1
    names = chosen_rows(SETTINGS)
    results, failed, load = [], [], [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory(prefix="whet-methods-") as tmp:
        work = Path(tmp)
        if any(ROWS[n][0] != "pretrain" for n in names):
            print(f"chat data: {json.dumps(write_data(work, chats_per_task(SETTINGS), SETTINGS['seed']))}", flush=True)
        print(f"{'row':<17} {'tokens/s':>9} {'trl':>9} {'ratio':>7} {'peak MB':>8} {'trl':>8} {'ratio':>7}   (whetstone vs plain TRL; real tokens)", flush=True)
        for name in names:
            try:
                row = run_row(name, work)
            except RuntimeError as why:
                print(f"{name:<17} failed: {why}", flush=True)
                failed.append({"row": name, "error": str(why)[-2000:]})
                continue
            unpacked = next((r for r in results if r["row"] == "sft-lora"), None)
            if row["packing"] and unpacked:
                ours, plain = row["tokens_per_sec"]["whetstone"], unpacked["tokens_per_sec"]["whetstone"]
                # The same tokens step for step: the worker ran the unpacked batches (it does not read `packing`).
                same = row["tokens"]["whetstone"] == unpacked["tokens"]["whetstone"] and row["steps"] == unpacked["steps"]
                row["vs_length_grouping"] = {"packed": ours, "length_grouped": plain, "ratio": ratio(ours, plain), "same_batches": same}
            results.append(row)
            print_row(row)
            load.append(os.getloadavg()[0])
    print(json.dumps({"benchmark": "methods", "results": results, "failed": failed, "load_average": [round(x, 1) for x in load]}, ensure_ascii=False))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
