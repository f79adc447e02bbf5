"""A current-wire fake server (`ProtoFakeTinker`) served over real sockets on 127.0.0.1, that watches how
many forward_backward chunks a client keeps in flight.

A chunk is in flight from its POST until its result was answered. Results are held (the retrieve_future
call waits, like a real long poll) until `release_at` chunks are in flight at once or the call's last chunk
arrived; from then on they are answered at once. So a client that is allowed K chunks in flight must reach
exactly K (its first K chunks are all sent before any result comes back), and one that overshoots is seen.

Each result is computed from its request: per datum `logprobs` = -target_tokens / 1000 (float32) and
`loss:sum` = the sum of the weights, so merged results can be checked datum by datum.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import numpy as np
from _fault_server import Recorded, json_response
from _proto_server import FORWARD_BACKWARD, PROTOBUF, ProtoFakeTinker, protobuf_response
from tinker_ext_raw.proto import tinker_public_pb2 as pb

HOLD_LIMIT_S = 20.0  # a held result is answered after this anyway (the test then fails its assertions)


def result_for(request: pb.ForwardBackwardRequest) -> pb.ForwardBackwardOutput:
    out = pb.ForwardBackwardOutput(loss_fn_output_type="tinker.types:ArrayRecord")
    record = out.loss_fn_outputs.add(type_tag="ArrayRecord", num_datums=len(request.data))
    targets = [np.frombuffer(d.loss_fn_inputs["target_tokens"].dense, dtype="<i8") for d in request.data]
    field = record.fields["logprobs"]
    field.dtype = pb.DTYPE_FLOAT32
    field.data = (-np.concatenate(targets) / 1000).astype("<f4").tobytes()
    field.offsets = (np.concatenate([[0], np.cumsum([len(t) for t in targets])]) * 4).astype("<i8").tobytes()
    weights = sum(
        float(np.frombuffer(d.loss_fn_inputs["weights"].dense, dtype="<f4").sum()) for d in request.data
    )
    out.metrics["loss:sum"] = weights
    return out


class PipelineFake(ProtoFakeTinker):
    def __init__(self, *, release_at: int, chunks_per_call: int, max_chunk_datums: int) -> None:
        super().__init__(client_config={"fwdbwd_max_chunk_len": max_chunk_datums}, strict_seq=True)
        self.release_at = release_at
        self.chunks_per_call = chunks_per_call
        self.in_flight = 0
        self.max_in_flight = 0
        self.in_flight_at_post: list[int] = []
        self.seq_order: list[tuple[str, int]] = []  # (path, seq_id) of training requests, in arrival order
        self._posted_in_call = 0
        self._released = False
        self._cond = threading.Condition()
        self.refuse_chunk: int | None = None  # answer this forward_backward POST (1-based) with a 400
        self._chunks_seen = 0

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == FORWARD_BACKWARD and PROTOBUF in request.headers.get("content-type", ""):
            return self._forward_backward(request)
        return super().handle(request)

    def _dispatch(self, rec: Recorded) -> httpx.Response:
        if rec.path == "/api/v1/optim_step":
            self.seq_order.append((rec.path, rec.body["seq_id"]))
        return super()._dispatch(rec)

    def _forward_backward(self, request: httpx.Request) -> httpx.Response:
        message = pb.ForwardBackwardRequest.FromString(request.content)
        rec = Recorded(request.method, request.url.path, request.headers, message, {})
        with self._lock:
            self.requests.append(rec)
            self._chunks_seen += 1
            if self._chunks_seen == self.refuse_chunk:  # not applied: its seq_id is not used up
                return json_response(400, {"detail": "refused"})
        refused = self._check_seq(message.model_id, message.seq_id)
        if refused is not None:
            return refused
        with self._cond:
            self.seq_order.append((FORWARD_BACKWARD, message.seq_id))
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            self.in_flight_at_post.append(self.in_flight)
            self._posted_in_call += 1
            if self.in_flight >= self.release_at or self._posted_in_call == self.chunks_per_call:
                self._released = True
            self._cond.notify_all()
        answer = protobuf_response(result_for(message))

        def deliver() -> httpx.Response:
            with self._cond:
                self._cond.wait_for(lambda: self._released, timeout=HOLD_LIMIT_S)
                self.in_flight -= 1
            return answer

        return self._future(rec, deliver)

    def next_call(self) -> None:
        """Start watching the next forward_backward call (results are held again)."""
        with self._cond:
            self._posted_in_call = 0
            self._released = False


class LoopbackServer:
    """Serves a `FakeTinker`'s `handle` over HTTP/1.1 on 127.0.0.1 (one thread per connection)."""

    def __init__(self, fake: Any) -> None:
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                self._answer()

            def do_GET(self) -> None:
                self._answer()

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = httpx.Request(
                    self.command, f"http://127.0.0.1{self.path}", headers=dict(self.headers), content=body
                )
                response = fake.handle(request)
                content = response.read()
                self.send_response(response.status_code)
                for key, value in response.headers.items():
                    if key.lower() not in ("content-length", "transfer-encoding"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
