"""An in-process fake of a current-wire Tinker server (like skyrl 0.4.0 / tuft), for negotiation tests.

`ProtoFakeTinker` answers `client/config`, takes forward_backward only as protobuf (a JSON body gets 415,
`/forward` 404), answers forward / forward_backward and sample results in protobuf whatever the Accept
header says, and optionally insists on contiguous seq_ids per model (tuft: 409 "Sequence conflict").
Protobuf request bodies are recorded as parsed `ForwardBackwardRequest` messages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import numpy as np
import orjson
import zstandard
from _fault_server import FakeTinker, Recorded, json_response
from tinker_ext_raw.proto import tinker_public_pb2 as pb

PROTOBUF = "application/x-protobuf"
FORWARD_BACKWARD = "/api/v1/forward_backward"
TRAINING_PATHS = (
    "/api/v1/forward_backward",
    "/api/v1/optim_step",
    "/api/v1/save_weights",
    "/api/v1/load_weights",
)


def protobuf_response(message: Any) -> httpx.Response:
    return httpx.Response(200, content=message.SerializeToString(), headers={"content-type": PROTOBUF})


def forward_backward_output(request: pb.ForwardBackwardRequest) -> pb.ForwardBackwardOutput:
    """One ArrayRecord: logprobs = -0.5 per target token (float32), loss:sum = 0.5 * total weight."""
    out = pb.ForwardBackwardOutput(loss_fn_output_type="tinker.types:ArrayRecord")
    record = out.loss_fn_outputs.add(type_tag="ArrayRecord", num_datums=len(request.data))
    field = record.fields["logprobs"]
    field.dtype = pb.DTYPE_FLOAT32
    sizes = [len(d.loss_fn_inputs["target_tokens"].dense) // 8 for d in request.data]
    field.data = np.full(sum(sizes), -0.5, dtype="<f4").tobytes()
    field.offsets = (np.concatenate([[0], np.cumsum(sizes)]) * 4).astype("<i8").tobytes()
    total_weight = sum(
        float(np.frombuffer(d.loss_fn_inputs["weights"].dense, dtype="<f4").sum())
        for d in request.data
        if "weights" in d.loss_fn_inputs
    )
    out.metrics["loss:sum"] = 0.5 * total_weight
    return out


class ProtoFakeTinker(FakeTinker):
    def __init__(
        self,
        *,
        client_config: dict[str, Any] | None = None,
        has_client_config: bool = True,
        strict_seq: bool = False,
        sample_sequence_ids: bool = False,
    ) -> None:
        super().__init__()
        self.client_config = client_config if client_config is not None else {}
        self.has_client_config = has_client_config
        self.strict_seq = strict_seq
        self.sample_sequence_ids = sample_sequence_ids
        self.expected_seq: dict[str, int] = {}
        # path -> the result answer (any bytes) for a request there, from its parsed body / message
        self.answer_for: dict[str, Callable[[Any], httpx.Response]] = {}

    def handle(self, request: httpx.Request) -> httpx.Response:
        if PROTOBUF not in request.headers.get("content-type", ""):
            return super().handle(request)
        content = request.content
        if request.headers.get("content-encoding") == "zstd":
            content = zstandard.ZstdDecompressor().decompress(content)
        message = pb.ForwardBackwardRequest()
        message.ParseFromString(content)
        rec = Recorded(request.method, request.url.path, request.headers, message, dict(request.url.params))
        with self._lock:
            self.requests.append(rec)
        refused = self._check_seq(message.model_id, message.seq_id)
        if refused is not None:
            return refused
        if FORWARD_BACKWARD in self.answer_for:
            return self._future(rec, lambda: self.answer_for[FORWARD_BACKWARD](message))
        return self._protobuf_future(rec, forward_backward_output(message))

    def _check_seq(self, model_id: str, seq_id: int) -> httpx.Response | None:
        if not self.strict_seq:
            return None
        expected = self.expected_seq.get(model_id, 1)
        if seq_id != expected:
            return json_response(409, {"detail": f"Sequence conflict: expected {expected}, got {seq_id}"})
        self.expected_seq[model_id] = expected + 1
        return None

    def _protobuf_future(self, rec: Recorded, message: Any) -> httpx.Response:
        return self._future(rec, lambda: protobuf_response(message))

    def _dispatch(self, rec: Recorded) -> httpx.Response:
        path = rec.path
        body = rec.body or {}
        if path == "/api/v1/client/config":
            if not self.has_client_config:
                return json_response(404, {"detail": "Not Found"})
            return json_response(200, self.client_config)
        if path == FORWARD_BACKWARD:
            return json_response(
                415, {"detail": "requires a application/x-protobuf body (tinker SDK >= 0.25.0)"}
            )
        if path == "/api/v1/forward":
            return json_response(404, {"detail": "Not Found"})
        if path in TRAINING_PATHS and "seq_id" in body:
            refused = self._check_seq(body["model_id"], body["seq_id"])
            if refused is not None:
                return refused
        if path == "/api/v1/asample":
            return self._sample(rec)
        if path == "/api/v1/retrieve_future":
            result = self.results.get(body.get("request_id"))
            if callable(result):
                return result()
        return super()._dispatch(rec)

    def _sample(self, rec: Recorded) -> httpx.Response:
        body = rec.body
        n = body.get("num_samples", 1)
        prompt_len = sum(len(c["tokens"]) for c in body["prompt"]["chunks"])
        out = pb.SampleResponse()
        for i in range(n):
            seq = out.sequences.add(stop_reason=pb.STOP_REASON_LENGTH)
            width = min(2, body["sampling_params"].get("max_tokens") or 2)  # a real server's bound
            seq.tokens = np.array([7 + i, 8][:width], dtype="<i4").tobytes()
            seq.logprobs = np.array([-0.5, -0.25][:width], dtype="<f4").tobytes()
        if body.get("prompt_logprobs"):
            out.prompt_logprobs = np.array([np.nan] + [-1.0] * (prompt_len - 1), dtype="<f4").tobytes()
        request_id = str(next(self._ids))
        self.applied.append(rec)
        answer = self.answer_for.get("/api/v1/asample")
        self.results[request_id] = (lambda: answer(body)) if answer else (lambda: protobuf_response(out))
        promise: dict[str, Any] = {"request_id": request_id}
        if self.sample_sequence_ids:
            promise["sample_sequence_ids"] = [f"{request_id}-seq{i}" for i in range(n)]
        return httpx.Response(
            200, content=orjson.dumps(promise), headers={"content-type": "application/json"}
        )
