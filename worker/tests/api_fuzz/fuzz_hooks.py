"""Schemathesis hooks for the API fuzz (loaded with SCHEMATHESIS_HOOKS=fuzz_hooks, see fuzz_api.py).

One extra check, and a tally of every answer's status for the summary.
"""

import json
import os

import schemathesis

TALLY = os.environ.get("WHET_FUZZ_TALLY")


@schemathesis.check
def documented_body_accepted(ctx, response, case):
    """A request generated from the document as valid is never refused by the handler's zod schema.

    The server refuses bad fields with 400 and zod's issues in `error.details`; the document is
    generated from the same zod schemas, so such a refusal of a valid case means the two drifted
    (a refinement the document does not show, a field it forgets).
    """
    meta = case.meta
    if meta is None or meta.generation.mode.is_negative or response.status_code != 400:
        return None
    if any(info.mode.is_negative for info in meta.components.values()):
        return None
    try:
        error = response.json()["error"]
    except (ValueError, KeyError, TypeError):
        return None
    details = error.get("details") if isinstance(error, dict) else None
    # zod's issues are {path, message} (parse-body.ts); a handler's own checks that list several
    # problems (resources: {field, code, ...}, e.g. a shared_path that does not exist) are not drift.
    if isinstance(details, list) and details and all(isinstance(d, dict) and "path" in d for d in details):
        raise AssertionError(f"The documented schema allows this request, the handler's schema refuses it: {error.get('code')}: {error.get('message')}")
    return None


@schemathesis.hook
def after_call(context, case, response):
    if TALLY:
        with open(TALLY, "a", encoding="utf-8") as f:
            f.write(json.dumps([case.operation.label, response.status_code]) + "\n")
