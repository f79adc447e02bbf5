"""Test doubles for the HTTP layer: instant fake time and an in-process fake Tinker server.

`FakeTiming` replaces sleep/clock/random so retries and backoffs run instantly while the sleeps that
would have happened are recorded. `FakeTinker` is an httpx.MockTransport handler that speaks the JSON
wire (SDK 0.24 dialect, like skyrl-tx), records every request, and lets a test inject faults per path.
"""

from __future__ import annotations

import itertools
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

import attrs
import httpx
import orjson

from tinker_ext._wire.retry import Timing


class FakeTiming:
    """Sleeping advances a fake clock instantly; `sleeps` records every requested delay."""

    def __init__(self, rand: float = 0.0) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self._rand = rand

    async def _sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def timing(self) -> Timing:
        return Timing(sleep=self._sleep, clock=lambda: self.now, random=lambda: self._rand)


@attrs.define
class Recorded:
    method: str
    path: str
    headers: httpx.Headers
    body: Any
    params: dict[str, str]


@attrs.define
class Fault:
    status: int | None = None  # None = drop the connection
    body: Any = None
    headers: dict[str, str] = attrs.Factory(dict)
    after_apply: bool = False  # apply the request first, then answer with the fault


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(
        status,
        content=orjson.dumps(body),
        headers={"content-type": "application/json", **(headers or {})},
    )


class FakeTinker:
    """A minimal JSON-wire Tinker server for unit tests (MockTransport handler)."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.faults: dict[str, deque[Fault]] = {}
        self.applied: list[Recorded] = []  # submissions the "server" acted on, in order
        self.results: dict[str, Any] = {}  # request_id -> result body (or a callable producing one)
        self.try_agains: dict[str, int] = {}  # request_id -> try_again answers left
        self.try_again_default = 0
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.session_counter = itertools.count()
        self.model_info: dict[str, Any] = {"model_name": "tiny/model", "tokenizer_id": None}
        self.handlers: dict[str, Callable[[Recorded], httpx.Response]] = {}
        self.result_for: dict[str, Callable[[Recorded], Any]] = {}

    # -- configuration

    def inject(self, path: str, *faults: Fault) -> None:
        self.faults.setdefault(path, deque()).extend(faults)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def bodies(self, path: str) -> list[Any]:
        return [r.body for r in self.requests if r.path == path]

    # -- handling

    def handle(self, request: httpx.Request) -> httpx.Response:
        try:
            body = orjson.loads(request.content) if request.content else None
        except orjson.JSONDecodeError:  # e.g. a protobuf body: FastAPI servers answer 422
            self.requests.append(Recorded(request.method, request.url.path, request.headers, None, {}))
            return json_response(422, {"detail": [{"type": "json_invalid", "msg": "JSON decode error"}]})
        rec = Recorded(request.method, request.url.path, request.headers, body, dict(request.url.params))
        with self._lock:
            self.requests.append(rec)
            queue = self.faults.get(rec.path)
            fault = queue.popleft() if queue else None
        if fault is not None and not fault.after_apply:
            return self._fault_response(fault, request)
        response = self._dispatch(rec)
        if fault is not None:
            return self._fault_response(fault, request)
        return response

    def _fault_response(self, fault: Fault, request: httpx.Request) -> httpx.Response:
        if fault.status is None:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            )
        if fault.body is None:
            return httpx.Response(fault.status, headers=fault.headers)
        return json_response(fault.status, fault.body, fault.headers)

    def _future(self, rec: Recorded, result: Any) -> httpx.Response:
        request_id = str(next(self._ids))
        self.applied.append(rec)
        self.results[request_id] = result
        self.try_agains[request_id] = self.try_again_default
        return json_response(200, {"request_id": request_id, "status": "pending"})

    def _dispatch(self, rec: Recorded) -> httpx.Response:
        path = rec.path
        if path in self.handlers:
            return self.handlers[path](rec)
        body = rec.body or {}
        if path == "/api/v1/create_session":
            return json_response(
                200, {"session_id": f"sess{next(self.session_counter)}", "type": "create_session"}
            )
        if path == "/api/v1/session_heartbeat":
            return json_response(200, {"type": "session_heartbeat"})
        if path == "/api/v1/client/config":
            return json_response(404, {"detail": "Not Found"})
        if path == "/api/v1/create_model":
            return self._future(
                rec, {"model_id": f"model-{body.get('model_seq_id')}", "type": "create_model"}
            )
        if path == "/api/v1/get_info":
            return json_response(
                200,
                {"model_id": body["model_id"], "model_data": dict(self.model_info), "type": "get_info"},
            )
        if path == "/api/v1/create_sampling_session":
            return json_response(200, {"sampling_session_id": f"samp{body.get('sampling_session_seq_id')}"})
        if path in self.result_for:
            return self._future(rec, self.result_for[path](rec))
        if path in ("/api/v1/forward_backward", "/api/v1/forward"):
            key = "forward_backward_input" if path.endswith("backward") else "forward_input"
            data = body[key]["data"]
            return self._future(
                rec,
                {
                    "loss_fn_output_type": "scalar",
                    "loss_fn_outputs": [
                        {
                            "logprobs": {
                                "data": [-1.0] * len(d["loss_fn_inputs"]["target_tokens"]["data"]),
                                "dtype": "float32",
                            }
                        }
                        for d in data
                    ],
                    "metrics": {"loss:sum": float(len(data))},
                },
            )
        if path == "/api/v1/optim_step":
            return self._future(rec, {"metrics": {}})
        if path == "/api/v1/save_weights":
            return self._future(rec, {"path": f"tinker://{body['model_id']}/weights/{body.get('path')}"})
        if path == "/api/v1/save_weights_for_sampler":
            if body.get("path"):
                return self._future(
                    rec, {"path": f"tinker://{body['model_id']}/sampler_weights/{body['path']}"}
                )
            return self._future(
                rec, {"path": None, "sampling_session_id": f"eph{body.get('sampling_session_seq_id')}"}
            )
        if path == "/api/v1/load_weights":
            return self._future(rec, {"path": body.get("path"), "type": "load_weights"})
        if path == "/api/v1/asample":
            width = min(2, body["sampling_params"].get("max_tokens") or 2)  # a real server's bound
            sequence = {"tokens": [1, 2][:width], "logprobs": [-0.5, -0.25][:width], "stop_reason": "length"}
            return self._future(rec, {"sequences": [sequence] * body.get("num_samples", 1), "type": "sample"})
        if path == "/api/v1/retrieve_future":
            request_id = body["request_id"]
            if request_id not in self.results:
                return json_response(404, {"detail": "Future not found"})
            if self.try_agains.get(request_id, 0) > 0:
                self.try_agains[request_id] -= 1
                return json_response(
                    200, {"type": "try_again", "request_id": request_id, "queue_state": "active"}
                )
            return json_response(200, self.results[request_id])
        return json_response(404, {"detail": f"no route {path}"})
