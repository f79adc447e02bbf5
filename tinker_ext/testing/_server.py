"""`TinkerTestServer`: the test server on 127.0.0.1 in a thread of the calling process (stdlib HTTP/1.1
with keep-alive, one thread per connection), or in a subprocess (`TinkerTestServer.subprocess()`)."""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from ._codec import PROTOBUF
from ._faults import Faults
from ._ops_rest import RestOps
from ._ops_training import TrainingOps
from ._process import TinkerTestServerProcess
from ._state import MAX_IDEMPOTENT, HttpError, Limits, Reply, State
from ._tokenizer import tokenizer_dir

__all__ = ["DEFAULT_API_KEY", "DEFAULT_BASE_MODEL", "TinkerTestServer"]

DEFAULT_BASE_MODEL = "tinker-ext/tiny-bigram"
DEFAULT_API_KEY = "tml-tinker-ext-testing-key"
MAX_BODY_BYTES = 64 * 1024 * 1024
_CK = r"(?P<kind>weights|sampler_weights|external_weights)/(?P<name>[^/]+)"
# (method, path pattern, operationId); the path parameters are passed to the operation in order
_ROUTES: list[tuple[str, str, str]] = [
    ("GET", "healthz", "healthz"),
    ("GET", "get_server_capabilities", "get_server_capabilities"),
    ("POST", "client/config", "client_config"),
    ("POST", "create_session", "create_session"),
    ("POST", "session_heartbeat", "session_heartbeat"),
    ("POST", r"sessions/(?P<s>[^/]+)/finish", "finish_session"),
    ("POST", "telemetry", "send_telemetry"),
    ("POST", "create_model", "create_model"),
    ("POST", "get_info", "get_info"),
    ("POST", "unload_model", "unload_model"),
    ("POST", "forward_backward", "forward_backward"),
    ("POST", "forward", "forward"),
    ("POST", "optim_step", "optim_step"),
    ("POST", "save_weights", "save_weights"),
    ("POST", "save_weights_for_sampler", "save_weights_for_sampler"),
    ("POST", "save_weights_external", "save_weights_external"),
    ("POST", "load_weights", "load_weights"),
    ("POST", "weights_info", "get_weights_info"),
    ("POST", "create_sampling_session", "create_sampling_session"),
    ("POST", "asample", "asample"),
    ("POST", "retrieve_future", "retrieve_future"),
    ("GET", "training_runs", "list_training_runs"),
    ("GET", r"training_runs/(?P<r>[^/]+)", "get_training_run"),
    ("GET", r"training_runs/(?P<r>[^/]+)/checkpoints", "list_checkpoints"),
    ("GET", r"models/(?P<r>[^/]+)/checkpoints", "list_model_checkpoints"),
    ("DELETE", rf"training_runs/(?P<r>[^/]+)/checkpoints/{_CK}", "delete_checkpoint"),
    ("POST", rf"training_runs/(?P<r>[^/]+)/checkpoints/{_CK}/publish", "publish_checkpoint"),
    ("DELETE", rf"training_runs/(?P<r>[^/]+)/checkpoints/{_CK}/publish", "unpublish_checkpoint"),
    ("PUT", rf"training_runs/(?P<r>[^/]+)/checkpoints/{_CK}/ttl", "set_checkpoint_ttl"),
    ("GET", rf"training_runs/(?P<r>[^/]+)/checkpoints/{_CK}/archive", "get_checkpoint_archive_url"),
    (
        "GET",
        rf"training_runs/(?P<r>[^/]+)/checkpoints/{_CK}/external_weights_urls",
        "get_external_weights_urls",
    ),
    ("GET", rf"training_runs/(?P<r>[^/]+)/checkpoints/{_CK}/download", "download_checkpoint_archive"),
    (
        "GET",
        r"training_runs/(?P<r>[^/]+)/checkpoints/(?P<n>[^/]+)/archive",
        "get_checkpoint_archive_url_by_id",
    ),
    ("GET", "checkpoints", "list_user_checkpoints"),
    ("GET", "sessions", "list_sessions"),
    ("GET", r"sessions/(?P<s>[^/]+)", "get_session"),
    ("GET", r"samplers/(?P<s>[^/]+)", "get_sampler"),
]
_COMPILED = [(m, re.compile(rf"^/api/v1/{p}$"), op) for m, p, op in _ROUTES]
_QUERY_OPS = {"list_training_runs", "list_user_checkpoints", "list_sessions"}
_PUBLIC_OPS = {"healthz"}


class _App(TrainingOps, RestOps):
    def __init__(self, base_model: str, api_key: str | None, seq_gap_timeout: float, limits: Limits) -> None:
        self.state = State(seq_gap_timeout, limits)
        self.faults = Faults()
        self.base_model = base_model
        self.api_key = api_key
        self.tokenizer_path = str(tokenizer_dir())
        self.base_url = ""
        # (method, path) of every request, in arrival order (the last 100,000)
        self.requests: deque[tuple[str, str]] = deque(maxlen=100_000)

    def op_healthz(self, body: Any) -> Reply:
        return Reply(body={"status": "ok"})

    def op_get_server_capabilities(self, body: Any) -> Reply:
        return Reply(body={"supported_models": [{"model_name": self.base_model}]})

    def handle(self, method: str, target: str, headers: Any, raw: bytes) -> Reply | None:
        """One request -> its reply (None: drop the connection)."""
        url = urlsplit(target)
        self.requests.append((method, url.path))
        match = next(
            ((op, m) for meth, rx, op in _COMPILED if meth == method and (m := rx.match(url.path))), None
        )
        if match is None:
            return Reply(404, {"detail": "Not Found"})
        op, found = match
        if op not in _PUBLIC_OPS and self.api_key is not None and headers.get("X-API-Key") != self.api_key:
            return Reply(401, {"detail": "invalid or missing X-API-Key"})
        fault = self.faults.take(op, ("status", "drop", "slow"))
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.seconds)
        elif fault is not None and fault.kind == "drop":
            return None
        elif fault is not None:
            extra = {} if fault.retry_after is None else {"Retry-After": f"{fault.retry_after:g}"}
            return Reply(fault.status, {"detail": f"injected {fault.status}"}, headers=extra)
        key = headers.get("X-Idempotency-Key")
        with self.state.lock:
            if key is not None and method != "GET" and key in self.state.idempotent:
                return self.state.idempotent[key]
        reply = self._dispatch(op, found, headers, raw, url.query)
        if key is not None and method != "GET" and reply.status < 500:
            with self.state.lock:
                self.state.idempotent[key] = reply
                if len(self.state.idempotent) > MAX_IDEMPOTENT:
                    self.state.idempotent.popitem(last=False)
        if self.faults.take(op, ("drop_after",)) is not None:
            return None
        return reply

    def _dispatch(self, op: str, found: re.Match[str], headers: Any, raw: bytes, query: str) -> Reply:
        fn: Callable[..., Reply] = getattr(self, "op_" + op)
        # path parameters are percent-decoded, as real servers (Starlette routing) decode them
        args: list[Any] = [None if g is None else unquote(g) for g in found.groups()]
        kwargs: dict[str, Any] = {}
        body: Any = {}
        content_type = headers.get("Content-Type", "")
        try:
            if PROTOBUF in content_type:
                if op != "forward_backward":
                    raise HttpError(415, "protobuf bodies are taken by forward_backward only")
                kwargs["raw"] = _inflate(raw, headers.get("Content-Encoding", ""))
            elif raw:
                body = json.loads(_inflate(raw, headers.get("Content-Encoding", "")))
            if op in _QUERY_OPS:
                args.append(dict(parse_qsl(query)))
            elif op == "retrieve_future":
                kwargs["accept"] = headers.get("Accept", "")
            elif op == "download_checkpoint_archive":
                kwargs["range_"] = headers.get("Range", "")
            if not isinstance(body, dict):
                raise HttpError(422, "the body must be a JSON object")
            if op == "retrieve_future":
                reply = fn(body, *args, **kwargs)
            else:
                with self.state.lock:
                    reply = fn(body, *args, **kwargs)
        except HttpError as exc:
            if 400 <= exc.status < 500 and isinstance(body, dict) and "seq_id" in body:
                with self.state.lock:
                    self.state.note_refused(body.get("model_id"), body.get("seq_id"))
            return Reply(exc.status, {"detail": exc.detail})
        except (ValueError, UnicodeDecodeError) as exc:
            return Reply(400, {"detail": f"unreadable body: {exc}"})
        fault = self.faults.take(op, ("fail_result",))
        if fault is not None and isinstance(reply.body, dict) and "request_id" in reply.body:
            future = self.state.futures.get(reply.body["request_id"])
            if future is not None:
                future.compute, future.held_for, future.error = None, None, (fault.error, fault.category)
        return reply


def _inflate(raw: bytes, encoding: str) -> bytes:
    if encoding.strip().lower() == "zstd":
        import zstandard

        return zstandard.ZstdDecompressor().decompress(raw, max_output_size=MAX_BODY_BYTES)
    return raw


def _handler(app: _App) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK stall
        server_version = "tinker-ext-testing"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY_BYTES:
                self._send(Reply(413, {"detail": "body too large"}))
                return
            raw = self.rfile.read(length) if length else b""
            reply = app.handle(self.command, self.path, self.headers, raw)
            if reply is None:
                self.close_connection = True
                self.connection.close()
                return
            self._send(reply)

        def _send(self, reply: Reply) -> None:
            content = reply.content
            if content is None:
                content = b"" if reply.status == 204 else json.dumps(reply.body).encode()
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(content)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(content)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Close the kept-alive connections too: a stopped server answers nothing."""
        with self._open_lock:
            open_now, self._open = list(self._open), set()
        for connection in open_now:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()


class TinkerTestServer:
    """An in-process Tinker server for tests, on 127.0.0.1 (both wires, the whole API the SDK uses, a tiny
    numpy model). Use it as a context manager::

        with TinkerTestServer() as server:
            service = tinker_ext.ServiceClient(base_url=server.base_url, api_key=server.api_key)
            training = service.create_lora_training_client(base_model=server.base_model)

    `api_key=None` accepts any key; `port=0` picks a free port; a training request whose seq_id waits
    longer than `seq_gap_timeout` seconds for the ones before it fails; `limits` bounds what it keeps
    (models, checkpoints, samplers). `server.faults` injects faults.
    """

    def __init__(
        self,
        *,
        base_model: str = DEFAULT_BASE_MODEL,
        api_key: str | None = DEFAULT_API_KEY,
        port: int = 0,
        seq_gap_timeout: float = 30.0,
        limits: Limits | None = None,
    ) -> None:
        if not 0 < seq_gap_timeout <= 3600:
            raise ValueError("seq_gap_timeout must be in (0, 3600] seconds")
        self._app = _App(base_model, api_key, seq_gap_timeout, limits or Limits())
        self._port = port
        self._http: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_model(self) -> str:
        return self._app.base_model

    @property
    def api_key(self) -> str:
        return self._app.api_key or DEFAULT_API_KEY

    @property
    def faults(self) -> Faults:
        return self._app.faults

    @property
    def base_url(self) -> str:
        if self._http is None:
            raise RuntimeError(
                "the server is not running (use `with TinkerTestServer() as server:` or start())"
            )
        return self._app.base_url

    @property
    def tokenizer_path(self) -> str:
        """The directory of the base model's tokenizer (what get_info names as tokenizer_id)."""
        return self._app.tokenizer_path

    @property
    def tokenizer_env(self) -> dict[str, str]:
        """Environment that lets `get_tokenizer` find the tokenizer by the base model's name (a sampling
        client has no get_info to name the files): `TINKER_TOKENIZER_DIR` as a JSON map. The pytest
        fixture sets it for each test."""
        return {"TINKER_TOKENIZER_DIR": json.dumps({self.base_model: self.tokenizer_path})}

    @property
    def requests(self) -> list[tuple[str, str]]:
        """(method, path) of every request received, in arrival order."""
        return list(self._app.requests)

    @staticmethod
    def subprocess(
        *, base_model: str = DEFAULT_BASE_MODEL, api_key: str = DEFAULT_API_KEY, port: int = 0
    ) -> TinkerTestServerProcess:
        """The same server in a child process (one call): `with TinkerTestServer.subprocess() as server:`."""
        return TinkerTestServerProcess(base_model=base_model, api_key=api_key, port=port)

    def start(self) -> TinkerTestServer:
        if self._http is None:
            self._http = _Server(("127.0.0.1", self._port), _handler(self._app))
            self._app.base_url = f"http://127.0.0.1:{self._http.server_address[1]}"
            self._thread = threading.Thread(
                target=self._http.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="tinker-test-server",
                daemon=True,
            )
            self._thread.start()
        return self

    def close(self) -> None:
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
            self._http.close_connections()
            self._http = None

    def __enter__(self) -> TinkerTestServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        where = self._app.base_url if self._http is not None else "stopped"
        return f"TinkerTestServer({where}, base_model={self.base_model!r})"
