"""Every error code the worker can raise is one core knows (error_codes.json is generated from core)."""

import re
from pathlib import Path

import pytest

from whet_worker.errors import ERROR_CODES, WorkerError

PACKAGE = Path(__file__).resolve().parents[1] / "whet_worker"
CODE_USE = re.compile(r"WorkerError\(\s*\"([A-Z_]+)\"")


def test_every_code_the_worker_uses_exists_in_core():
    used = {code for file in PACKAGE.rglob("*.py") for code in CODE_USE.findall(file.read_text(encoding="utf-8"))}
    assert len(used) >= 10  # the scan found the raise sites
    assert used <= set(ERROR_CODES), f"unknown codes: {used - set(ERROR_CODES)}"


def test_an_unknown_code_is_refused():
    with pytest.raises(ValueError):
        WorkerError("NOT_A_CODE", "x")
