"""`python -m whet_worker train|generate|serve|export|score-choices SPEC_PATH`.

Exit codes: 0 done (a `result` event) or stopped on SIGTERM (a `stopped` event); 1 the job
failed (an `error` event); 2 bad invocation or spec (an `error` event, nothing ran).
"""

import importlib
import sys
import traceback

from .components.die_with_launcher import die_with_launcher
from .components.distributed import leave_process_group
from .errors import WorkerError, as_worker_error
from .events import claim_stdout, emit
from .graceful_stop import GracefulStop, StopRequested
from .spec import load_schema, load_spec

COMMANDS = ("train", "generate", "serve", "export", "score-choices")
RECIPES = {
    "sft": "whet_worker.recipes.sft",
    "pretrain": "whet_worker.recipes.pretrain",
    "dpo": "whet_worker.recipes.dpo",
    "orpo": "whet_worker.recipes.orpo",
}
# Commands other than train: (the JSON Schema their spec must match, the recipe module).
COMMAND_RECIPES = {
    "serve": ("worker_serve_spec.schema.json", "whet_worker.recipes.serve"),
    "export": ("worker_export_spec.schema.json", "whet_worker.recipes.export"),
    "generate": ("worker_generate_spec.schema.json", "whet_worker.recipes.generate"),
    "score-choices": ("worker_score_choices_spec.schema.json", "whet_worker.recipes.score_choices"),
}


def main(argv: list[str]) -> int:
    die_with_launcher()  # a rank under torchrun: killed with its launcher, never orphaned
    claim_stdout()
    stop = GracefulStop().install()  # first, so an early SIGTERM still ends with a `stopped` event
    if len(argv) != 2 or argv[0] not in COMMANDS:
        WorkerError("INVALID_REQUEST", f"usage: python -m whet_worker {'|'.join(COMMANDS)} SPEC_PATH; got {argv}").emit()
        return 2
    command, spec_path = argv
    if command != "train" and command not in COMMAND_RECIPES:
        WorkerError("INVALID_REQUEST", f"`{command}` is not implemented yet").emit()
        return 2
    try:
        if command in COMMAND_RECIPES:
            schema_file, module = COMMAND_RECIPES[command]
            code = importlib.import_module(module).main(load_spec(spec_path, load_schema(schema_file)), stop)
        else:
            spec = load_spec(spec_path)
            recipe = importlib.import_module(RECIPES[spec["method"]])
            code = recipe.main(spec, stop)
    except StopRequested:
        emit("stopped", step=stop.step, checkpoint=stop.checkpoint)
        code = 0
    except Exception as exc:  # every failure becomes an error event; the traceback goes to stderr
        error = as_worker_error(exc)
        if error.code == "INTERNAL" or error.__cause__ is not None:
            traceback.print_exc(file=sys.stderr)
        error.emit()
        return 2 if error.code == "WORKER_SPEC_INVALID" else 1
    if code == 0:
        leave_process_group()
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
