"""A tiny threaded HTTP server on loopback that answers the Tinker endpoints a training loop touches
with canned JSON of the right shape. It is a benchmark harness, not a test double: it checks nothing
and answers every request at once, so what a client measures against it is the client's own overhead.

It runs in its own process (`python benchmarks/fake_server.py`, prints `PORT <n>` when ready) so that
its work neither competes with the measured client for the GIL nor shows up in the client's memory.

forward/forward_backward answers carry one `logprobs` and one `elementwise_loss` tensor per datum of
the request (datums are counted without parsing the body), `SEQ_LEN` floats each, like a real server.
The last forward_backward bodies received per API key are kept, so the orchestrator can check that
both SDKs put the same JSON on the wire (`POST /bench/bodies {"api_key": ...}`).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import socket
import sys
import threading
from collections import Counter, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SEQ_LEN = 2048
MODEL_ID = "bench-model-0"
SESSION_ID = "bench-session-0"
BASE_MODEL = "bench/tiny-base"
KEPT_BODIES_PER_KEY = 4


def _dumps(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


class CannedResults:
    """Pre-serialised result bodies, built once per datum count."""

    def __init__(self, seq_len: int) -> None:
        rng = random.Random(1234)
        # float32 values as a real server sends them (float32 -> Python float -> shortest repr).
        import numpy as np

        logprobs = (-np.abs(np.array([rng.gauss(0, 3) for _ in range(seq_len)], dtype=np.float32))).tolist()
        losses = [-v for v in logprobs]
        tensor = {"dtype": "float32", "shape": [seq_len]}
        self._per_datum = _dumps(
            {"logprobs": {"data": logprobs, **tensor}, "elementwise_loss": {"data": losses, **tensor}}
        )
        self._cache: dict[int, bytes] = {}
        self._lock = threading.Lock()

    def forward_backward(self, n_datums: int) -> bytes:
        with self._lock:
            body = self._cache.get(n_datums)
            if body is None:
                outputs = b",".join([self._per_datum] * n_datums)
                metrics = _dumps({"loss:sum": 1234.5 * n_datums, "tokens:sum": float(SEQ_LEN * n_datums)})
                body = (
                    b'{"loss_fn_output_type":"ArrayRecord","loss_fn_outputs":['
                    + outputs
                    + b'],"metrics":'
                    + metrics
                    + b"}"
                )
                self._cache[n_datums] = body
            return body


class BenchState:
    def __init__(self, seq_len: int) -> None:
        self.lock = threading.Lock()
        self.ids = itertools.count()
        self.pending: dict[str, tuple[str, int]] = {}  # request_id -> (kind, n_datums)
        self.hits: Counter[str] = Counter()
        self.bodies: dict[str, deque[bytes]] = {}
        self.results = CannedResults(seq_len)

    def new_future(self, kind: str, n: int = 0) -> str:
        with self.lock:
            request_id = f"req-{next(self.ids)}"
            self.pending[request_id] = (kind, n)
        return request_id


_GET_INFO = _dumps(
    {
        "type": "get_info",
        "model_data": {"arch": "llama", "model_name": BASE_MODEL},
        "model_id": MODEL_ID,
        "is_lora": True,
        "lora_rank": 8,
        "model_name": BASE_MODEL,
    }
)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real server
    server: BenchServer

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        # Headers and body in one write: two small writes would meet Nagle + delayed ACK (~40 ms).
        self._headers_buffer.append(b"\r\n")
        self._headers_buffer.append(body)
        self.wfile.write(b"".join(self._headers_buffer))
        self._headers_buffer = []

    def do_GET(self) -> None:
        self._read_body()
        path = self.path.split("?", 1)[0]
        state = self.server.state
        with state.lock:
            state.hits[f"GET {path}"] += 1
        if path == "/api/v1/get_server_capabilities":
            self._send(200, _dumps({"supported_models": [{"model_name": BASE_MODEL}]}))
        elif path == "/api/v1/healthz":
            self._send(200, b'{"status":"ok"}')
        elif path == "/bench/stats":
            with state.lock:
                self._send(200, _dumps(dict(state.hits)))
        else:
            self._send(404, b'{"detail":"Not Found"}')

    def do_POST(self) -> None:
        body = self._read_body()
        path = self.path.split("?", 1)[0]
        state = self.server.state
        with state.lock:
            state.hits[f"POST {path}"] += 1
        route = path.removeprefix("/api/v1/")
        if route == "client/config":
            self._send(200, b'{"pjwt_auth_enabled":false}')
        elif route == "create_session":
            self._send(200, _dumps({"type": "create_session", "session_id": SESSION_ID}))
        elif route == "session_heartbeat":
            self._send(200, b'{"type":"session_heartbeat"}')
        elif route == "telemetry":
            self._send(200, b'{"status":"accepted"}')
        elif route == "create_model":
            self._send(200, _dumps({"request_id": state.new_future("create_model"), "model_id": MODEL_ID}))
        elif route == "get_info":
            self._send(200, _GET_INFO)
        elif route in ("forward_backward", "forward"):
            n_datums = body.count(b'"model_input"')
            key = self.headers.get("X-API-Key", "")
            with state.lock:
                state.bodies.setdefault(key, deque(maxlen=KEPT_BODIES_PER_KEY)).append(body)
            self._send(200, _dumps({"request_id": state.new_future("forward_backward", n_datums)}))
        elif route == "retrieve_future":
            request_id = json.loads(body)["request_id"]
            with state.lock:
                kind, n = state.pending.pop(request_id, ("", 0))
            if kind == "create_model":
                self._send(200, _dumps({"model_id": MODEL_ID, "type": "create_model"}))
            elif kind == "forward_backward":
                self._send(200, state.results.forward_backward(n))
            else:
                self._send(410, b'{"detail":"unknown or expired request_id"}')
        elif path == "/bench/bodies":
            key = json.loads(body)["api_key"]
            with state.lock:
                kept = list(state.bodies.get(key, ()))
            self._send(200, b"[" + b",".join(kept) + b"]")
        else:
            self._send(404, b'{"detail":"Not Found"}')


class BenchServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, seq_len: int) -> None:
        super().__init__(("127.0.0.1", port), Handler)
        self.state = BenchState(seq_len)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--seq-len", type=int, default=SEQ_LEN)
    args = parser.parse_args()
    server = BenchServer(args.port, args.seq_len)
    print(f"PORT {server.server_address[1]}", flush=True)
    # Stop when the parent closes our stdin (no orphan server if the benchmark dies).
    threading.Thread(target=lambda: (sys.stdin.read(), server.shutdown()), daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
