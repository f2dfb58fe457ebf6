"""The generation server's HTTP front (stdlib ThreadingHTTPServer, loopback only).

One thread per connection parses and checks the request, hands a Generation to the engine
and relays its lines: NDJSON over chunked transfer encoding, or one JSON object with
stream:false. While it waits it watches the socket; a client that hangs up cancels its
generation, which leaves the batch at the engine's next step.

Every request must carry `Authorization: Bearer <token>`, the token the gateway put in
WHET_WORKER_TOKEN: loopback is shared by every local user, and without it anyone on the machine
could generate past the gateway's keys and limits or make the worker load any folder.
"""

import hmac
import json
import queue
import select
import socket
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ..errors import ERROR_CODES, WorkerError
from .engine import Engine
from .generation import Generation
from .prompt_ids import prompt_ids
from .request_body import GENERATE, LOAD_ADAPTER, TOKENIZE, parse_body

MAX_BODY_BYTES = 8 * 1024 * 1024
# The protocol answers 400 for every problem with a request (unknown adapter included); the gateway maps codes.
STATUS = {"NOT_FOUND": 404, "PAYLOAD_TOO_LARGE": 413, "UNAUTHORIZED": 401}


class GenerationServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver's default listen backlog is 5: a burst of more simultaneous connections had
    # the rest of its SYNs dropped and retried by the client's TCP a second later (TTFT p99 1.1 s at 8 streams).
    request_queue_size = 256

    def __init__(self, address: tuple[str, int], engine: Engine, model_path: str, context_length: int, token: str) -> None:
        if not token:
            raise ValueError("the generation server needs a non-empty token")
        super().__init__(address, _Handler)
        self.token = token.encode()
        self.engine = engine
        self.model_path = model_path
        self.context_length = context_length


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: GenerationServer

    def log_message(self, format: str, *args: Any) -> None:  # stderr only, and quiet
        pass

    def handle(self) -> None:
        try:
            super().handle()
        except (ConnectionResetError, BrokenPipeError):  # a keep-alive client closed between requests
            self.close_connection = True

    def _authorized(self) -> bool:
        """Check the bearer token in constant time; without the right one, answer 401 and do nothing."""
        header = self.headers.get("Authorization") or ""
        given = header[len("Bearer ") :].strip() if header.startswith("Bearer ") else ""
        if hmac.compare_digest(given.encode(), self.server.token):
            return True
        try:
            self._read_body()  # drained unparsed: closing on unread bytes would reset the connection before the 401 is read
        except WorkerError:
            pass  # too large: _read_body closes the connection instead
        self._error(WorkerError("UNAUTHORIZED", f"{self.command} {self.path} needs this worker's token as 'Authorization: Bearer <token>'", "Only the Whetstone server that started this worker holds its token; call the model through the server's /v1 or /api/v1."))
        return False

    # --- routes ---

    def do_GET(self) -> None:
        if not self._authorized():
            return
        if self.path != "/health":
            return self._error(WorkerError("NOT_FOUND", f"No route GET {self.path}"))
        waiting, running = self.server.engine.counts()
        engine = self.server.engine
        self._json(
            200,
            {"status": "ok", "model": self.server.model_path, "adapters": engine.adapters.names(), "queue": waiting, "running": running, "peak_running": engine.peak_running},
        )

    def do_DELETE(self) -> None:
        if not self._authorized():
            return
        prefix = "/adapters/"
        if not self.path.startswith(prefix):
            return self._error(WorkerError("NOT_FOUND", f"No route DELETE {self.path}"))
        name = self.path[len(prefix) :]
        engine = self.server.engine
        try:
            engine.delete_adapter(name)
        except WorkerError as error:
            return self._error(error, 404 if error.code == "ADAPTER_NOT_FOUND" else None)
        self._json(200, {"adapters": engine.adapters.names()})

    def do_POST(self) -> None:
        if not self._authorized():
            return
        routes = {"/generate": self._generate, "/tokenize": self._tokenize, "/adapters": self._load_adapter}
        route = routes.get(self.path)
        if route is None:
            self._read_body()
            return self._error(WorkerError("NOT_FOUND", f"No route POST {self.path}"))
        try:
            route()
        except WorkerError as error:
            self._error(error)

    def _load_adapter(self) -> None:
        body = parse_body(self._read_body(), LOAD_ADAPTER)
        engine = self.server.engine
        engine.call(lambda: engine.adapters.load(body["name"], body["path"]))
        self._json(200, {"adapters": engine.adapters.names()})

    def _tokenize(self) -> None:
        body = parse_body(self._read_body(), TOKENIZE)
        ids = prompt_ids(self.server.engine.tokenizer, body)
        self._json(200, {"tokens": len(ids), "context_length": self.server.context_length})

    def _generate(self) -> None:
        body = parse_body(self._read_body(), GENERATE)
        engine = self.server.engine
        if body["adapter"] is not None and body["adapter"] not in engine.adapters.paths:
            raise WorkerError("ADAPTER_NOT_FOUND", f"No adapter named {body['adapter']!r} is loaded; loaded: {engine.adapters.names() or 'none'}")
        ids = prompt_ids(engine.tokenizer, body)
        if body.get("ignore_eos") and body.get("labels"):
            raise WorkerError("INVALID_REQUEST", "ignore_eos cannot be combined with labels: a labelled answer ends right after its label", "Drop ignore_eos or labels.")
        labels = engine.label_tries.get(body["labels"], chat=body.get("messages") is not None) if body.get("labels") else None
        if labels is not None:  # room for the longest label and its end, whatever max_tokens says: the answer is always a whole label
            body["max_tokens"] = max(body["max_tokens"], labels.depth + 1)
        limit = self.server.context_length
        virtual = engine.adapters.virtual_length(body["adapter"])  # a prompt-learning adapter's tokens come first
        if virtual + len(ids) + body["max_tokens"] > limit:
            adds = f" after the adapter's {virtual} virtual tokens" if virtual else ""
            raise WorkerError(
                "CONTEXT_LENGTH_EXCEEDED",
                f"The prompt has {len(ids)} tokens and max_tokens is {body['max_tokens']}{adds}: {virtual + len(ids) + body['max_tokens']} > the context length {limit}",
            )
        generation = Generation.from_body(body, ids, engine.tokenizer, labels)
        engine.submit(generation)
        if body["stream"]:
            self._stream(generation)
        else:
            self._collect(generation)

    # --- relaying a generation ---

    def _stream(self, generation: Generation) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        while True:
            lines = self._next_lines(generation)
            if lines is None:
                return
            data = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode()
            try:
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                if lines[-1]["type"] in ("done", "error"):
                    self.wfile.write(b"0\r\n\r\n")
                    return
                self.wfile.flush()
            except OSError:  # the client went away mid-stream
                generation.cancel()
                self.close_connection = True
                return

    def _collect(self, generation: Generation) -> None:
        text = []
        while True:
            lines = self._next_lines(generation)
            if lines is None:
                return
            for line in lines:
                if line["type"] == "delta":
                    text.append(line["text"])
                elif line["type"] == "error":
                    return self._json(500, {"error": {k: line[k] for k in ("code", "message", "hint")}})
                elif line["type"] == "done":
                    return self._json(200, {"text": "".join(text), **{k: line[k] for k in ("finish_reason", "prompt_tokens", "completion_tokens")}})

    def _next_lines(self, generation: Generation) -> list[dict] | None:
        """Wait for the next lines (all that are ready); None when the client hung up meanwhile."""
        while True:
            try:
                lines = [generation.lines.get(timeout=0.05)]
                break
            except queue.Empty:
                if self._client_gone():
                    generation.cancel()
                    self.close_connection = True
                    return None
        while True:
            try:
                lines.append(generation.lines.get_nowait())
            except queue.Empty:
                return lines

    def _client_gone(self) -> bool:
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return bool(readable) and self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    # --- plumbing ---

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self.close_connection = True
            raise WorkerError("PAYLOAD_TOO_LARGE", f"The body has {length} bytes; the limit is {MAX_BODY_BYTES}")
        return self.rfile.read(length) if length else b""

    def _json(self, status: int, payload: dict) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except OSError:
            self.close_connection = True

    def _error(self, error: WorkerError, status: int | None = None) -> None:
        hint = error.hint if error.hint is not None else ERROR_CODES.get(error.code)
        self._json(status or STATUS.get(error.code, HTTPStatus.BAD_REQUEST), {"error": {"code": error.code, "message": error.message, "hint": hint}})
