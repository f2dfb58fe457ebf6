"""Load spec.json and check it against the JSON Schema generated from core's WorkerSpecSchema."""

import json
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from .errors import WorkerError

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "worker_spec.schema.json").read_text(encoding="utf-8"))


def load_schema(file_name: str) -> dict[str, Any]:
    """One of the JSON Schemas generated from core into schemas/."""
    return json.loads((Path(__file__).parent / "schemas" / file_name).read_text(encoding="utf-8"))


def with_defaults(value: Any, schema: dict[str, Any]) -> Any:
    """Fill the `default`s of absent object properties, recursively (zod's defaults, kept in the JSON Schema)."""
    if not isinstance(value, dict) or "properties" not in schema:
        return value
    filled = dict(value)
    for key, prop in schema["properties"].items():
        if key not in filled and "default" in prop:
            filled[key] = prop["default"]
        if key in filled:
            filled[key] = with_defaults(filled[key], prop)
    return filled


def load_spec(path: str, schema: dict[str, Any] = SCHEMA) -> dict[str, Any]:
    """Return the parsed spec (defaults filled), or raise WORKER_SPEC_INVALID naming every bad field at once."""
    try:
        spec = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise WorkerError("WORKER_SPEC_INVALID", f"Cannot read the spec file {path}: {exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise WorkerError("WORKER_SPEC_INVALID", f"{path} is not valid JSON: {exc}") from exc
    problems = [
        f"{_field_path(error.absolute_path)}: {error.message}"
        for error in sorted(Draft202012Validator(schema).iter_errors(spec), key=lambda e: list(map(str, e.absolute_path)))
    ]
    if problems:
        raise WorkerError("WORKER_SPEC_INVALID", f"{path} does not match the worker spec schema: " + "; ".join(problems))
    return with_defaults(spec, schema)


def _field_path(parts) -> str:
    return ".".join(str(p) for p in parts) or "(spec)"
