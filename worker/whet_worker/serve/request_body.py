"""Parse an HTTP JSON body against a JSON Schema generated from core's generation protocol.

Every bad field is named at once; defaults from the schema are filled in.
"""

import json
from typing import Any

from jsonschema import Draft202012Validator

from ..errors import WorkerError
from ..spec import load_schema, with_defaults

GENERATE = load_schema("generate_request.schema.json")
TOKENIZE = load_schema("tokenize_request.schema.json")
LOAD_ADAPTER = load_schema("load_adapter_request.schema.json")


def parse_body(raw: bytes, schema: dict[str, Any]) -> dict[str, Any]:
    """Raise INVALID_JSON or INVALID_REQUEST naming the fields."""
    try:
        body = json.loads(raw or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise WorkerError("INVALID_JSON", f"The body is not valid JSON: {exc}") from exc
    problems = [
        f"{'.'.join(map(str, e.absolute_path)) or '(body)'}: {e.message}"
        for e in sorted(Draft202012Validator(schema).iter_errors(body), key=lambda e: list(map(str, e.absolute_path)))
    ]
    if isinstance(body, dict) and "messages" in schema.get("properties", {}) and ("messages" in body) == ("prompt" in body):
        problems.append("messages: give exactly one of `messages` or `prompt`")  # core's superRefine, not in JSON Schema
    if problems:
        raise WorkerError("INVALID_REQUEST", "; ".join(problems))
    return with_defaults(body, schema)
