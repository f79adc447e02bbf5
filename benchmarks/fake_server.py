"""A tiny threaded HTTP server on loopback that answers the Tinker endpoints a training loop touches
with canned JSON of the right shape. It is a benchmark harness, not a test double: it checks nothing
and answers every request at once, so what a client measures against it is the client's own overhead.

It runs in its own process (`python benchmarks/fake_server.py`, prints `PORT <n>` when ready) so that
its work neither competes with the measured client for the GIL nor shows up in the client's memory.

forward/forward_backward answers carry one `logprobs` and one `elementwise_loss` tensor per datum of
the request (datums are counted without parsing the body), `SEQ_LEN` floats each, like a real server.
The last forward_backward bodies received per API key are kept, so the orchestrator can check that
both SDKs put the same JSON on the wire (`POST /bench/bodies {"api_key": ...}`).

It answers the current (protobuf) wire too, as SDK 0.38 needs it: a protobuf forward_backward body
(`Content-Type: application/x-protobuf`, zstd when `Content-Encoding` says so) gets a protobuf
`ForwardBackwardOutput` result (one float32 `logprobs` and `elementwise_loss` per datum, as long as its
tokens), `asample` promises carry `sample_sequence_ids` and sample results are protobuf `SampleResponse`s
(`SAMPLE_TOKENS` tokens each). Per API key it counts TCP connections (`GET /bench/stats`: `conn <key>`) and
keeps a digest of every protobuf forward_backward body (deterministic re-serialisation, by seq_id), so the
orchestrator can check both SDKs sent the same messages (`POST /bench/digests {"api_key": ...}`).
"""

from __future__ import annotations

import argparse
import hashlib
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
SAMPLE_TOKENS = 16
PROTOBUF = "application/x-protobuf"


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


class ProtoResults:
    """Protobuf results (the generated message layer of tinker_ext, imported only when first needed)."""

    def __init__(self) -> None:
        import numpy as np
        from tinker_ext_raw.proto import tinker_public_pb2 as pb

        self.pb = pb
        self._np = np
        self._lock = threading.Lock()
        self._cache: dict[tuple[int, ...], bytes] = {}
        sample = pb.SampleResponse()
        seq = sample.sequences.add(stop_reason=pb.STOP_REASON_LENGTH)
        seq.tokens = np.arange(100, 100 + SAMPLE_TOKENS, dtype="<i4").tobytes()
        seq.logprobs = np.full(SAMPLE_TOKENS, -0.5, dtype="<f4").tobytes()
        self.sample = sample.SerializeToString()

    def parse_forward_backward(self, body: bytes, encoding: str) -> tuple[tuple[int, ...], int, str]:
        """(tokens per datum, seq_id, digest of the message) of a protobuf forward_backward body."""
        if encoding == "zstd":
            import zstandard

            body = zstandard.ZstdDecompressor().decompress(body)
        message = self.pb.ForwardBackwardRequest.FromString(body)
        sizes = tuple(
            sum(len(chunk.encoded_text.tokens) // 4 for chunk in datum.model_input) for datum in message.data
        )
        digest = hashlib.sha256(message.SerializeToString(deterministic=True)).hexdigest()
        return sizes, message.seq_id, digest

    def forward_backward(self, sizes: tuple[int, ...]) -> bytes:
        with self._lock:
            body = self._cache.get(sizes)
            if body is None:
                np, pb = self._np, self.pb
                out = pb.ForwardBackwardOutput(loss_fn_output_type="tinker.types:ArrayRecord")
                record = out.loss_fn_outputs.add(type_tag="ArrayRecord", num_datums=len(sizes))
                total = sum(sizes)
                offsets = (np.concatenate([[0], np.cumsum(sizes)]) * 4).astype("<i8").tobytes()
                values = -np.abs(np.random.default_rng(len(sizes)).standard_normal(total)).astype("<f4")
                for name, data in (("logprobs", values), ("elementwise_loss", -values)):
                    field = record.fields[name]
                    field.dtype = pb.DTYPE_FLOAT32
                    field.data = data.tobytes()
                    field.offsets = offsets
                out.metrics["loss:sum"] = 1234.5 * len(sizes)
                body = out.SerializeToString()
                if len(self._cache) < 8:
                    self._cache[sizes] = body
            return body


class BenchState:
    def __init__(self, seq_len: int) -> None:
        self.lock = threading.Lock()
        self.ids = itertools.count()
        self.pending: dict[str, tuple[str, Any]] = {}  # request_id -> (kind, n_datums or sizes)
        self.hits: Counter[str] = Counter()
        self.bodies: dict[str, deque[bytes]] = {}
        self.digests: dict[str, dict[int, str]] = {}  # api key -> seq_id -> digest
        self.results = CannedResults(seq_len)
        self._proto: ProtoResults | None = None

    @property
    def proto(self) -> ProtoResults:
        with self.lock:
            if self._proto is None:
                self._proto = ProtoResults()
            return self._proto

    def new_future(self, kind: str, n: Any = 0) -> str:
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

    def _count_connection(self) -> None:
        """Count this TCP connection once, under the API key of its first request."""
        if not getattr(self, "_counted", False):
            self._counted = True
            with self.server.state.lock:
                self.server.state.hits[f"conn {self.headers.get('X-API-Key', '')}"] += 1

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        # Headers and body in one write: two small writes would meet Nagle + delayed ACK (~40 ms).
        self._headers_buffer.append(b"\r\n")
        self._headers_buffer.append(body)
        self.wfile.write(b"".join(self._headers_buffer))
        self._headers_buffer = []

    def do_GET(self) -> None:
        self._count_connection()
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
        self._count_connection()
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
        elif route == "create_sampling_session":
            self._send(200, b'{"type":"create_sampling_session","sampling_session_id":"bench-sampler-0"}')
        elif route == "asample":
            request_id = state.new_future("sample")
            self._send(200, _dumps({"request_id": request_id, "sample_sequence_ids": [f"{request_id}-0"]}))
        elif route == "forward_backward" and PROTOBUF in self.headers.get("Content-Type", ""):
            encoding = self.headers.get("Content-Encoding", "")
            sizes, seq_id, digest = state.proto.parse_forward_backward(body, encoding)
            key = self.headers.get("X-API-Key", "")
            with state.lock:
                state.digests.setdefault(key, {})[seq_id] = digest
            self._send(200, _dumps({"request_id": state.new_future("forward_backward_proto", sizes)}))
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
            elif kind == "forward_backward_proto":
                self._send(200, state.proto.forward_backward(n), PROTOBUF)
            elif kind == "sample":
                self._send(200, state.proto.sample, PROTOBUF)
            else:
                self._send(410, b'{"detail":"unknown or expired request_id"}')
        elif path == "/bench/bodies":
            key = json.loads(body)["api_key"]
            with state.lock:
                kept = list(state.bodies.get(key, ()))
            self._send(200, b"[" + b",".join(kept) + b"]")
        elif path == "/bench/digests":
            key = json.loads(body)["api_key"]
            with state.lock:
                self._send(200, _dumps(sorted(state.digests.get(key, {}).items())))
        else:
            self._send(404, b'{"detail":"Not Found"}')


class BenchServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 4096  # a burst of connects must not overflow the listen backlog (1 s SYN retry)

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
