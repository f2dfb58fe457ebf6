"""The command line contract: spec checking and commands, before any training."""

import subprocess

from jsonschema import Draft202012Validator

from conftest import HYPERPARAMETERS, WORKER_ROOT, parse_events, worker_command
from whet_worker.spec import SCHEMA


def test_a_bad_spec_names_every_bad_field_and_exits_2(make_spec, run_worker):
    spec = make_spec(lora_r=0)
    spec["device"] = "tpu"
    del spec["threads"]
    run = run_worker(spec)
    assert run.returncode == 2
    assert [e["type"] for e in run.events] == ["error"]
    error = run.events[0]
    assert error["code"] == "WORKER_SPEC_INVALID"
    for field in ("hyperparameters.lora_r", "device", "threads"):
        assert field in error["message"]


def test_a_missing_spec_file_is_worker_spec_invalid(tmp_path):
    done = subprocess.run(worker_command(tmp_path / "nope.json"), cwd=WORKER_ROOT, capture_output=True, text=True)
    assert done.returncode == 2
    (error,) = parse_events(done.stdout)
    assert error["code"] == "WORKER_SPEC_INVALID" and "nope.json" in error["message"]


def test_generate_checks_its_own_spec(make_spec, run_worker):
    # A train spec handed to `generate` is refused by the generate schema before anything loads.
    run = run_worker(make_spec(), command="generate")
    assert run.returncode == 2
    assert run.one("error")["code"] == "WORKER_SPEC_INVALID"
    assert "worker_generate_spec" in run.one("error")["message"] or "input_path" in run.one("error")["message"]


def test_the_shipped_defaults_make_a_valid_spec(make_spec):
    assert not list(Draft202012Validator(SCHEMA).iter_errors(make_spec()))
    assert set(HYPERPARAMETERS) == set(SCHEMA["properties"]["hyperparameters"]["required"])
