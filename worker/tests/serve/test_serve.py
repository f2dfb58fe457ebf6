"""`python -m whet_worker serve`: the real server on a tiny model, over real HTTP."""

import json
import os
import signal
import socket
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import WORKER_ROOT, worker_command, write_spec
from serve_support import TOKEN, ServeClient, check_lines, serve_model, server, serve_spec, start_server  # noqa: F401 (fixtures)

CHAT = [{"role": "user", "content": "What color is the sky?"}]


def test_ready_event_names_port_model_and_adapters(server, serve_model):
    client, ready, _ = server
    assert ready["host"] == "127.0.0.1" and ready["port"] > 0
    assert ready["model"] == serve_model["base"] and ready["adapters"] == ["alpha", "beta"]
    assert (ready["device"], ready["dtype"]) == ("cpu", "float32")  # auto on the CPU
    assert client.health() == {"status": "ok", "model": serve_model["base"], "adapters": ["alpha", "beta"], "queue": 0, "running": 0, "peak_running": 0}


def test_a_bfloat16_server_answers_with_and_without_an_adapter(serve_model, tmp_path):
    """dtype bfloat16 on the CPU (a deployment's `dtype`): the base and its LoRA adapters compute in it."""
    process, ready = start_server(serve_spec(serve_model, dtype="bfloat16"), tmp_path / "spec.json")
    try:
        assert ready["dtype"] == "bfloat16"
        client = ServeClient(ready["port"])
        texts = {}
        for adapter in (None, "alpha"):
            lines = client.generate(messages=CHAT, max_tokens=6, temperature=0, ignore_eos=True, adapter=adapter)
            check_lines(lines)
            assert lines[-1]["type"] == "done" and lines[-1]["completion_tokens"] == 6, (adapter, lines[-1])
            texts[adapter] = "".join(line["text"] for line in lines if line["type"] == "delta")
        assert texts[None] != texts["alpha"]  # the adapter takes part
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_streams_start_deltas_done_and_the_same_text_without_streaming(server):
    client, _, _ = server
    lines = client.generate(messages=CHAT, max_tokens=12, temperature=0)
    deltas = [line["text"] for line in lines if line["type"] == "delta"]
    assert len(deltas) >= 2  # streamed token by token, not in one piece
    done = lines[-1]
    assert done == {"type": "done", "finish_reason": "length", "prompt_tokens": lines[0]["prompt_tokens"], "completion_tokens": 12}
    status, whole = client.request("POST", "/generate", {"messages": CHAT, "max_tokens": 12, "temperature": 0, "stream": False})
    assert status == 200
    assert whole == {"text": "".join(deltas), "finish_reason": "length", "prompt_tokens": done["prompt_tokens"], "completion_tokens": 12}
    # The chat template with add_generation_prompt: the same count /tokenize reports.
    assert client.request("POST", "/tokenize", {"messages": CHAT})[1] == {"tokens": done["prompt_tokens"], "context_length": 512}


def test_concurrent_requests_are_batched_and_greedy_answers_match_alone(server):
    client, _, _ = server
    requests = [
        {"messages": [{"role": "user", "content": question}], "adapter": adapter, "max_tokens": 8 + 5 * i, "temperature": 0}
        for i, (question, adapter) in enumerate(
            [("What color is the sky?", None), ("中国的首都是哪里？", "alpha"), ("Name a primary color.", "beta"), ("What is two plus two?", None),
             ("How many legs does a spider have?", "alpha"), ("Hi", "beta"), ("What is the capital of France? Answer in one word.", None), ("Why?", "alpha")]
        )
    ]
    requests.append({"prompt": "Once upon a time", "max_tokens": 30, "temperature": 0.9, "top_p": 0.9, "top_k": 50, "seed": 11})
    alone = [client.generate(**r) for r in requests]
    # The engine's own record of its fullest decode step: polling /health from here can miss a
    # batch that lasts milliseconds when the machine is busy.
    assert client.health()["peak_running"] < 3

    with ThreadPoolExecutor(len(requests)) as pool:
        together = list(pool.map(lambda r: client.generate(**r), requests))
    assert client.health()["peak_running"] >= 3  # they really shared decode steps
    assert together == alone


def test_each_request_uses_its_own_adapter(server):
    client, _, _ = server
    answers = {adapter: client.text(messages=CHAT, adapter=adapter, max_tokens=16, temperature=0) for adapter in (None, "alpha", "beta")}
    assert len(set(answers.values())) == 3, answers  # base, alpha and beta all differ
    assert client.text(messages=CHAT, adapter=None, max_tokens=16, temperature=0) == answers[None]  # no adapter left switched on


def test_adapters_load_and_unload_at_runtime(server, serve_model):
    client, _, _ = server
    status, body = client.request("POST", "/adapters", {"name": "gamma", "path": serve_model["adapters"]["alpha"]})
    assert (status, body) == (200, {"adapters": ["alpha", "beta", "gamma"]})
    assert client.text(messages=CHAT, adapter="gamma", max_tokens=10, temperature=0) == client.text(messages=CHAT, adapter="alpha", max_tokens=10, temperature=0)
    conn = client.connect()  # a request still using gamma when it is unloaded ends with an error line
    conn.request("POST", "/generate", body=json.dumps({"prompt": "Once", "adapter": "gamma", "max_tokens": 480, "temperature": 0}), headers=client.headers())
    response = conn.getresponse()
    assert json.loads(response.readline())["type"] == "start"
    assert client.request("DELETE", "/adapters/gamma") == (200, {"adapters": ["alpha", "beta"]})
    last = json.loads(response.read().decode().splitlines()[-1])
    assert last["type"] == "error" and last["code"] == "ADAPTER_NOT_FOUND"
    status, body = client.request("POST", "/generate", {"messages": CHAT, "adapter": "gamma"})
    assert status == 400 and body["error"]["code"] == "ADAPTER_NOT_FOUND" and "alpha" in body["error"]["message"]
    status, body = client.request("POST", "/adapters", {"name": "bad", "path": serve_model["base"]})
    assert status == 400 and body["error"]["code"] == "ADAPTER_INVALID"
    assert client.request("DELETE", "/adapters/nope")[0] == 404


def test_stop_sequences_cut_the_text_and_seeds_repeat(server):
    client, _, _ = server
    full = client.text(messages=CHAT, adapter="alpha", max_tokens=16, temperature=0)
    stop = full[len(full) // 2 : len(full) // 2 + 2]
    lines = client.generate(messages=CHAT, adapter="alpha", max_tokens=16, temperature=0, stop=["never appears", stop])
    text = "".join(line["text"] for line in lines if line["type"] == "delta")
    assert text == full[: full.index(stop)] and lines[-1]["finish_reason"] == "stop"

    sampled = lambda seed: client.text(prompt="Once", max_tokens=12, temperature=4.0, seed=seed)  # the sharpened model needs heat to vary  # noqa: E731
    assert sampled(5) == sampled(5)
    assert sampled(5) != sampled(6)


def test_ignore_eos_runs_to_max_tokens(server):
    """The worker takes the field and runs to max_tokens; test_sampler checks that EOS is really banned."""
    client, _, _ = server
    lines = client.generate(messages=CHAT, max_tokens=40, temperature=0, ignore_eos=True)
    assert lines[-1]["finish_reason"] == "length" and lines[-1]["completion_tokens"] == 40


def test_a_client_that_hangs_up_frees_its_slot(server):
    client, _, _ = server
    conns = []
    for _ in range(2):
        conn = client.connect()
        conn.request("POST", "/generate", body=json.dumps({"prompt": "Once", "max_tokens": 480, "temperature": 0}), headers=client.headers())
        response = conn.getresponse()
        assert json.loads(response.readline())["type"] == "start"  # generation has started
        conns.append((conn, response))
    deadline = time.monotonic() + 10
    while client.health()["running"] < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert client.health()["running"] == 2
    conns[0][0].sock.shutdown(socket.SHUT_RDWR)  # hang up on the first (close() alone waits for the response's file)
    conns[0][0].close()
    while client.health()["running"] != 1 and time.monotonic() < deadline:
        time.sleep(0.005)
    assert client.health()["running"] == 1  # the other goes on
    lines = [json.loads(line) for line in conns[1][1].read().decode().splitlines() if line.startswith("{")]
    assert lines[-1]["completion_tokens"] == 480  # and runs to its end (so the first was cut short, not finished)
    # Its slot is released just after the last line is written: on a busy machine, a moment later.
    released = time.monotonic() + 5
    while client.health()["running"] != 0 and time.monotonic() < released:
        time.sleep(0.005)
    assert client.health()["running"] == 0


def test_request_errors_are_400_with_code_message_and_hint(server):
    client, _, _ = server
    cases = [
        (b"{not json", "INVALID_JSON", "JSON"),
        ({"prompt": "a", "messages": CHAT}, "INVALID_REQUEST", "exactly one"),
        ({"prompt": "a", "max_tokens": 0, "temperature": -1}, "INVALID_REQUEST", "max_tokens"),
        ({"prompt": "a", "stop": ["1", "2", "3", "4", "5"]}, "INVALID_REQUEST", "stop"),
        ({"prompt": "a", "adapter": "missing"}, "ADAPTER_NOT_FOUND", "missing"),
        ({"prompt": "a", "labels": ["yes", "no"], "ignore_eos": True}, "INVALID_REQUEST", "ignore_eos"),
        ({"prompt": "word " * 300, "max_tokens": 256}, "CONTEXT_LENGTH_EXCEEDED", "> the context length 512"),
    ]
    for body, code, fragment in cases:
        status, payload = client.request("POST", "/generate", body)
        assert status == 400, (body, payload)
        assert payload["error"]["code"] == code and fragment in payload["error"]["message"] and payload["error"]["hint"], payload
    assert "temperature" in client.request("POST", "/generate", {"prompt": "a", "max_tokens": 0, "temperature": -1})[1]["error"]["message"]
    assert client.request("GET", "/nope")[0] == 404


def test_sigterm_ends_streams_with_an_error_line_and_exits_0(serve_model, tmp_path):
    process, ready = start_server(serve_spec(serve_model, adapters={}, max_batch_size=2), tmp_path / "spec.json")


    client = ServeClient(ready["port"])
    conn = client.connect()
    conn.request("POST", "/generate", body=json.dumps({"prompt": "Once", "max_tokens": 480, "temperature": 0}), headers=client.headers())
    response = conn.getresponse()
    start = json.loads(response.readline())
    process.send_signal(signal.SIGTERM)
    lines = [start] + [json.loads(line) for line in response.read().decode().splitlines()]
    check_lines(lines)
    assert lines[-1]["type"] == "error" and lines[-1]["code"] == "GENERATION_FAILED" and "shutting down" in lines[-1]["message"]
    assert process.wait(timeout=30) == 0


def test_a_stop_requested_while_loading_never_announces_ready(serve_model, monkeypatch, capfd):
    # As if SIGTERM came mid-load and a library caught its StopRequested: the server stops before
    # `ready`, so the gateway never routes requests to a worker it has already stopped.
    from whet_worker.graceful_stop import GracefulStop, StopRequested
    from whet_worker.recipes import serve

    monkeypatch.setenv("WHET_WORKER_TOKEN", TOKEN)
    stop = GracefulStop()
    stop.requested = True
    spec = serve_spec(serve_model, adapters={}, version=1, host="127.0.0.1", port=0, max_batch_size=2, dtype="float32")
    outcome: list = []

    def run() -> None:
        try:
            outcome.append(serve.main(spec, stop))
        except StopRequested as stopped:
            outcome.append(stopped)

    # In a thread, so a server that wrongly starts serving fails the test instead of hanging it.
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=60)
    assert '"ready"' not in capfd.readouterr().out
    assert len(outcome) == 1 and isinstance(outcome[0], StopRequested), outcome


def test_requests_without_the_workers_token_get_401_and_change_nothing(server, serve_model):
    client, ready, _ = server
    alpha = serve_model["adapters"]["alpha"]
    for token in (None, "", "wrong", TOKEN + "0", TOKEN[:-1]):
        stranger = ServeClient(ready["port"], token)
        for method, path, body in (
            ("GET", "/health", None),
            ("POST", "/adapters", {"name": "planted", "path": alpha}),
            ("DELETE", "/adapters/alpha", None),
            ("POST", "/generate", {"prompt": "Once", "max_tokens": 4}),
            ("POST", "/tokenize", {"prompt": "Once"}),
        ):
            status, payload = stranger.request(method, path, body)
            assert status == 401, (token, method, path, payload)
            assert payload["error"]["code"] == "UNAUTHORIZED" and "Bearer" in payload["error"]["message"] and payload["error"]["hint"]
    # Another scheme with the right secret is still refused: only "Bearer <token>" counts.
    conn = client.connect()
    conn.request("GET", "/health", headers={"Authorization": f"Basic {TOKEN}"})
    assert conn.getresponse().status == 401
    conn.close()
    # Nothing was loaded, unloaded or generated; the gateway's token still works on the same port.
    assert client.health() | {"peak_running": 0} == {"status": "ok", "model": serve_model["base"], "adapters": ["alpha", "beta"], "queue": 0, "running": 0, "peak_running": 0}
    assert client.request("POST", "/tokenize", {"prompt": "Once"})[0] == 200


def test_refuses_to_start_without_a_token(serve_model, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "WHET_WORKER_TOKEN"}
    done = subprocess.run(worker_command(write_spec(serve_spec(serve_model), tmp_path / "spec.json"), "serve"), cwd=WORKER_ROOT, env=env, capture_output=True, text=True, timeout=120)
    events = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert done.returncode != 0 and not any(e["type"] == "ready" for e in events)
    error = next(e for e in events if e["type"] == "error")
    assert error["code"] == "INVALID_REQUEST" and "WHET_WORKER_TOKEN" in error["message"] and "WHET_WORKER_TOKEN" in error["hint"]
