"""Fuzz the native API with schemathesis over the OpenAPI document the real server serves.

Starts `tsx packages/server/src/main.ts` on a free loopback port with a temp WHET_HOME and an
operator key (an admin: every operation is reachable), registers the tiny fixture model, a toy
dataset and a one-step job on them, then runs `st run` (settings in schemathesis.toml, one extra
check in fuzz_hooks.py) over /api/v1/openapi.json. Afterwards the server must still be alive, answer
/health, and have logged no unhandled error.

    cd worker && ../.venv/bin/python -m api_fuzz.fuzz_api --examples 50     # or: npm run bench -- api-fuzz

worker/tests/test_api_fuzz.py runs it with a few examples per operation; the benchmark runs more.
The last line printed is JSON: cases, failures, 5xx answers, seconds.
"""

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
WORKER_ROOT = HERE.parents[1]
REPO_ROOT = WORKER_ROOT.parent
ST = Path(sys.executable).parent / "st"
OPERATOR_KEY = "whet-fuzz-operator-key"
AUTH = {"Authorization": f"Bearer {OPERATOR_KEY}"}
# Where the server would download models from: a closed local port, so a hub_id fails at once (502).
NOWHERE = "http://127.0.0.1:9"
TOY_ROWS = [{"messages": [{"role": "user", "content": f"What is {i} plus {i}?"}, {"role": "assistant", "content": f"{2 * i}."}]} for i in range(12)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tiny_model_dir() -> Path:
    """The tiny model the TS and Python tests share, built once into .cache/fixtures."""
    cached = REPO_ROOT / ".cache" / "fixtures" / "tiny-model"
    if not (cached / "config.json").is_file():
        tmp = cached.with_name(f"tiny-model.tmp-{os.getpid()}")
        subprocess.run([sys.executable, "-m", "whet_worker.fixtures.tiny_model", str(tmp)], cwd=WORKER_ROOT, check=True)
        if (cached / "config.json").is_file():
            subprocess.run(["rm", "-rf", str(tmp)], check=True)  # another process won the race
        else:
            tmp.rename(cached)
    return cached


class WhetServer:
    """The real server as `npm start` runs it, minus the demo, on a free loopback port."""

    def __init__(self, home: Path, model_dir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = home / "server.log"
        env = {
            **os.environ,
            "WHET_HOME": str(home / "whet"),
            "WHET_PORT": str(self.port),
            "WHET_API_KEYS": OPERATOR_KEY,
            "WHET_MODEL_ROOTS": f"{home},{model_dir.parent}",
            "WHET_MAX_CONCURRENT_JOBS": "1",
            "WHET_LOG": "warn",
            "HF_ENDPOINT": NOWHERE,
            "MODELSCOPE_ENDPOINT": NOWHERE,
        }
        self.log = self.log_path.open("w")
        tsx = REPO_ROOT / "node_modules" / ".bin" / "tsx"
        self.proc = subprocess.Popen([str(tsx), "packages/server/src/main.ts"], cwd=REPO_ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + 90
        while not self.healthy():
            if self.proc.poll() is not None or time.time() > deadline:
                self.stop()
                raise RuntimeError(f"the server did not start:\n{self.log_path.read_text()[-3000:]}")
            time.sleep(0.2)

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/api/v1/health", timeout=5) as r:
                return r.status == 200
        except OSError:
            return False

    def call(self, method: str, path: str, **kwargs) -> dict:
        res = requests.request(method, f"{self.url}/api/v1{path}", headers=AUTH, timeout=60, **kwargs)
        assert res.status_code < 300, f"{method} {path}: {res.status_code} {res.text}"
        return res.json()

    def unhandled_errors(self) -> list[str]:
        return [line for line in self.log_path.read_text().splitlines() if re.search(r'"msg":"(unhandled|uncaught)', line)]

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


def seed(server: WhetServer, model_dir: Path) -> dict[str, str]:
    """A model, a dataset and a finished one-step job, so operations on ids reach their handlers."""
    model = server.call("POST", "/models", json={"path": str(model_dir), "name": "tiny"})
    upload = "\n".join(json.dumps(r) for r in TOY_ROWS).encode()
    dataset = server.call("POST", "/datasets", files={"file": ("toy.jsonl", upload)})
    job = server.call("POST", "/jobs", json={"model": model["id"], "dataset": dataset["id"], "hyperparameters": {"max_steps": 1, "max_seq_len": 32, "batch_size": 2}})
    deadline = time.time() + 180
    while job["status"] not in ("succeeded", "failed", "cancelled"):
        if time.time() > deadline:
            raise RuntimeError(f"the seed job did not finish: {job['status']}")
        time.sleep(0.5)
        job = server.call("GET", f"/jobs/{job['id']}")
    return {"WHET_FUZZ_MODEL_ID": model["id"], "WHET_FUZZ_DATASET_ID": dataset["id"], "WHET_FUZZ_JOB_ID": job["id"]}


@dataclass
class FuzzResult:
    exit_code: int
    output: str
    report: dict
    statuses: Counter = field(default_factory=Counter)
    by_operation: dict[str, Counter] = field(default_factory=dict)
    server_alive: bool = True
    unhandled: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def cases(self) -> int:
        return sum(self.statuses.values())

    @property
    def internal_errors(self) -> int:
        """500s: a request the server did not handle (502 from an unreachable hub is documented)."""
        return sum(n for status, n in self.statuses.items() if status >= 500 and status not in (502, 503))

    def summary(self) -> dict:
        return {
            "cases": self.cases,
            "failures": self.report.get("test_cases", {}).get("unique_failures"),
            "internal_errors": self.internal_errors,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "server_alive": self.server_alive,
            "unhandled_errors": len(self.unhandled),
            "seconds": round(self.seconds, 1),
        }


def fuzz(examples: int, seed_value: int | None = None, workers: int = 1) -> FuzzResult:
    """Start a server, seed it, run schemathesis over its document, stop it; everything in a temp folder."""
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="whet-api-fuzz-") as tmp:
        home = Path(tmp)
        model_dir = tiny_model_dir()
        server = WhetServer(home, model_dir)
        try:
            ids = seed(server, model_dir)
            tally = home / "tally.ndjson"
            report_path = home / "report.json"
            args = [str(ST), "--config-file", str(HERE / "schemathesis.toml"), "--no-color", "run", f"{server.url}/api/v1/openapi.json"]
            args += ["-H", f"Authorization: Bearer {OPERATOR_KEY}", "--max-examples", str(examples), "--workers", str(workers)]
            args += ["--report", "json", "--report-json-path", str(report_path)]
            if seed_value is not None:
                args += ["--seed", str(seed_value)]
            env = {**os.environ, **ids, "SCHEMATHESIS_HOOKS": "fuzz_hooks", "PYTHONPATH": str(HERE), "WHET_FUZZ_TALLY": str(tally)}
            run = subprocess.run(args, cwd=home, env=env, capture_output=True, text=True, timeout=1800)
            statuses: Counter = Counter()
            by_operation: dict[str, Counter] = {}
            if tally.exists():
                for line in tally.read_text().splitlines():
                    operation, status = json.loads(line)
                    statuses[status] += 1
                    by_operation.setdefault(operation, Counter())[status] += 1
            report = json.loads(report_path.read_text()) if report_path.exists() else {}
            result = FuzzResult(run.returncode, run.stdout + run.stderr, report, statuses, by_operation)
            result.server_alive = server.proc.poll() is None and server.healthy()
            result.unhandled = server.unhandled_errors()
        finally:
            server.stop()
        if not result.server_alive:
            result.output += f"\n--- server log ---\n{server.log_path.read_text()[-5000:]}"
    result.seconds = time.time() - started
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=50, help="examples per operation in the fuzzing phase")
    parser.add_argument("--seed", type=int, default=None, help="schemathesis seed (default: random)")
    parser.add_argument("--workers", type=int, default=1)
    opts = parser.parse_args()
    result = fuzz(opts.examples, opts.seed, opts.workers)
    print(result.output)
    print("answers by operation:")
    for operation, counts in sorted(result.by_operation.items()):
        print(f"  {operation}: {dict(sorted(counts.items()))}")
    for line in result.unhandled[:10]:
        print(line)
    print(json.dumps(result.summary()))
    sys.exit(0 if result.exit_code == 0 and result.server_alive and not result.unhandled else 1)


if __name__ == "__main__":
    main()
