"""`python -m whet_worker.ray_train SPEC`: the same training recipe on a Ray cluster through Ray Train's TorchTrainer.

This process is the driver the server starts and reads: it connects to WHET_RAY_ADDRESS (a head
address such as 127.0.0.1:6379, or ray://host:10001), sizes the ScalingConfig from
WHET_RAY_WORKERS and WHET_RAY_GPUS_PER_WORKER, and runs `train_loop` in each Ray Train worker.
Ray Train starts the process group (gloo on CPU, nccl on GPU) and sets RANK / LOCAL_RANK /
WORLD_SIZE, so the recipe runs as under torchrun: rank 0 reports, every rank trains.

- Events: rank 0 puts them on a Ray queue; the driver prints them on its stdout, the protocol's
  channel (the workers' own stdout goes to Ray's logs, not here).
- Checkpoints: the trainer's own, in the job's output folder, which every worker must see at the
  same path (one machine, or shared storage). Ray Train's retries (FailureConfig.max_failures,
  WHET_RAY_MAX_FAILURES) restart the workers from the newest of them, and each restart is a
  `log` event; a failure beyond them is an `error` event naming the rank.
- Pause and cancel: SIGTERM to the driver raises a flag on a small Ray actor that the ranks poll
  each step; they checkpoint and report `stopped`, as a local run does.

Raises (as error events): EXECUTOR_UNAVAILABLE when Ray is not installed, the address is unset or
unreachable, or the cluster has fewer CPUs or GPUs than the job asks for.
"""

import os
import signal
import socket
import sys
import threading
from pathlib import Path
from typing import Any

from .errors import WorkerError, as_worker_error
from .events import claim_stdout, emit, send_events_to, write_event
from .graceful_stop import GracefulStop
from .spec import load_spec

CONNECT_TIMEOUT_S = 30  # a head that accepts the connection but does not answer ray.init within this fails the run


def main(argv: list[str]) -> int:
    claim_stdout()  # Ray prints on the driver's stdout; only events may reach it
    if len(argv) != 1:
        WorkerError("INVALID_REQUEST", f"usage: python -m whet_worker.ray_train SPEC_PATH; got {argv}").emit()
        return 2
    try:
        spec = load_spec(argv[0])
        return run(spec)
    except Exception as exc:
        as_worker_error(exc).emit()
        return 1


def run(spec: dict[str, Any]) -> int:
    ray, train = _import_ray()
    from ray.train import FailureConfig, RunConfig, ScalingConfig
    from ray.train.torch import TorchTrainer
    from ray.util.queue import Empty, Queue

    address = os.environ.get("WHET_RAY_ADDRESS", "")
    workers = int(os.environ.get("WHET_RAY_WORKERS", "2"))
    gpus = int(os.environ.get("WHET_RAY_GPUS_PER_WORKER", "0"))
    max_failures = int(os.environ.get("WHET_RAY_MAX_FAILURES", "0"))
    _connect(ray, address)
    _check_capacity(ray, address, workers, gpus)

    events, control = Queue(), _run_control_class().remote()
    signal.signal(signal.SIGTERM, lambda *_: control.stop.remote())
    done = threading.Event()

    def pump() -> None:  # the workers' events, printed as they come
        while not (done.is_set() and events.empty()):
            try:
                write_event(events.get(timeout=0.2))
            except Empty:
                pass

    printer = threading.Thread(target=pump, daemon=True)
    printer.start()
    trainer = TorchTrainer(
        train_loop,
        train_loop_config={"spec": spec, "events": events, "control": control, "max_failures": max_failures},
        scaling_config=ScalingConfig(num_workers=workers, use_gpu=gpus > 0, resources_per_worker={"CPU": 1, **({"GPU": gpus} if gpus else {})}),
        run_config=RunConfig(
            name=f"whet-{spec['job_id']}",
            storage_path=str(Path(spec["output_dir"]).parent / "ray"),
            failure_config=FailureConfig(max_failures=max_failures),
        ),
    )
    try:
        trainer.fit()
        return 0
    except train.TrainingFailedError as exc:
        rank, cause = _failed_rank(exc)
        emit(
            "error",
            code="WORKER_LOST" if "died" in cause.lower() or "actor" in cause.lower() else "WORKER_FAILED",
            message=f"Ray Train gave up{f' after {max_failures} restarts' if max_failures else ''}: "
            f"{f'rank {rank}' if rank is not None else 'the worker group'} failed: {cause[:400]}",
            hint="Resume the job: it continues from its last checkpoint. WHET_RAY_MAX_FAILURES lets Ray Train restart the workers by itself.",
            source="launcher",
            **({"rank": rank} if rank is not None else {}),
        )
        return 1
    finally:
        done.set()
        printer.join(timeout=10)


def train_loop(config: dict[str, Any]) -> None:
    """One Ray Train worker: the recipe the spec names, resumed from the newest checkpoint on a restart."""
    import importlib

    from ray import train

    from .__main__ import RECIPES
    from .components.checkpoints import newest_checkpoint

    events, control = config["events"], config["control"]
    send_events_to(events.put)
    spec = dict(config["spec"])
    attempt = ray_get(control.attempt.remote()) if train.get_context().get_world_rank() == 0 else None
    newest = newest_checkpoint(Path(spec["output_dir"]) / "checkpoints")
    if attempt and attempt > 1:
        emit("log", level="warning", message=f"Ray Train restarted the workers after a failure (attempt {attempt} of {config['max_failures'] + 1}); resuming from {newest or 'the start'}")
    if newest:
        spec["resume_from_checkpoint"] = newest
    recipe = importlib.import_module(RECIPES[spec["method"]])
    try:
        recipe.main(spec, _PolledStop(control))
    except Exception as exc:
        as_worker_error(exc).emit()  # with this rank; Ray Train then sees the failure too
        raise


class _PolledStop(GracefulStop):
    """SIGTERM reaches the driver, not the Ray workers: each step end asks the driver's flag instead."""

    def __init__(self, control) -> None:
        super().__init__()
        self._control = control
        self._requested = False

    @property
    def requested(self) -> bool:
        if not self._requested and self.training:
            self._requested = ray_get(self._control.stopped.remote())
        return self._requested

    @requested.setter
    def requested(self, value: bool) -> None:
        self._requested = value


def ray_get(ref):
    import ray

    return ray.get(ref)


def _import_ray():
    try:
        import ray
        from ray import train
    except ImportError as exc:
        raise WorkerError(
            "EXECUTOR_UNAVAILABLE",
            f"the ray executor needs Ray Train in the worker's Python, which cannot import it ({exc})",
            "Install it: .venv/bin/pip install 'ray[train]==2.60.0' (npm run setup installs it), or use executor \"torchrun\".",
        ) from exc
    return ray, train


def _connect(ray, address: str) -> None:
    """Connect, or fail within CONNECT_TIMEOUT_S: ray.init retries an unreachable head for minutes."""
    if not address:
        raise WorkerError("EXECUTOR_UNAVAILABLE", "WHET_RAY_ADDRESS is not set: the ray executor does not know which cluster to use",
                          "Set WHET_RAY_ADDRESS to the head's address (host:6379, or ray://host:10001) and restart the server.")  # fmt: skip
    unreachable = WorkerError(
        "EXECUTOR_UNAVAILABLE",
        f"cannot reach the Ray cluster at {address} (WHET_RAY_ADDRESS)",
        "Start the cluster (ray start --head ...) or fix WHET_RAY_ADDRESS, then resume the job.",
    )
    host, _, port = address.removeprefix("ray://").rpartition(":")
    try:
        socket.create_connection((host, int(port)), timeout=5).close()
    except (OSError, ValueError) as exc:
        unreachable.message += f": {type(exc).__name__}: {exc}"
        raise unreachable from exc
    connected = threading.Event()
    # Past the probe, ray.init may still wait on a head that does not answer: give up on it.
    watchdog = threading.Timer(CONNECT_TIMEOUT_S, lambda: connected.is_set() or _give_up(unreachable, f"no answer within {CONNECT_TIMEOUT_S} s"))
    watchdog.daemon = True
    watchdog.start()
    try:
        ray.init(address=address, log_to_driver=False, logging_level="ERROR", configure_logging=False)
    except Exception as exc:  # ConnectionError, TimeoutError, or Ray's own
        unreachable.message += f": {type(exc).__name__}: {str(exc).splitlines()[0][:300] if str(exc) else ''}"
        raise unreachable from exc
    finally:
        connected.set()
        watchdog.cancel()


def _give_up(error: WorkerError, why: str) -> None:
    error.message += f": {why}"
    error.emit()
    os._exit(1)  # ray.init holds the main thread; nothing else would end it


def _check_capacity(ray, address: str, workers: int, gpus: int) -> None:
    """Refuse a run the cluster cannot place, instead of waiting on it forever."""
    have = ray.cluster_resources()
    cpus, gpu_total = have.get("CPU", 0), have.get("GPU", 0)
    if cpus < workers or gpu_total < workers * gpus:
        raise WorkerError(
            "EXECUTOR_UNAVAILABLE",
            f"the Ray cluster at {address} has {cpus:g} CPUs and {gpu_total:g} GPUs; the job asks for {workers} workers of 1 CPU and {gpus} GPU(s) each",
            "Lower processes_per_node x nodes, or add nodes to the cluster.",
        )


def _failed_rank(exc) -> tuple[int | None, str]:
    failures = getattr(exc, "worker_failures", None) or {}
    if failures:
        rank = min(failures)
        return rank, f"{type(failures[rank]).__name__}: {failures[rank]}"
    return None, str(exc)


def _run_control_class():
    """Defined once Ray is imported (a module-level @ray.remote would import Ray with this module)."""
    import ray

    @ray.remote(num_cpus=0)
    class RunControl:
        """The driver's word to the workers (stop) and the count of starts (Ray Train's restarts)."""

        def __init__(self) -> None:
            self._stop, self._starts = False, 0

        def stop(self) -> None:
            self._stop = True

        def stopped(self) -> bool:
            return self._stop

        def attempt(self) -> int:
            self._starts += 1
            return self._starts

    return RunControl


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
