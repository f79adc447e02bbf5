"""forward / forward_backward chunks: planned, encoded when their turn comes, several in flight, merged.

The chunks of a forward / forward_backward call are submitted one after another in their turns
(`_training.request_order`), and their results are awaited concurrently, so several chunks are in flight at once.
Each chunk holds its estimated bytes of the ServiceClient's in-flight budget
(`Limits.max_fwdbwd_bytes_in_flight`, `_session.byte_budget`) from its admission until its result arrived.
Chunks are admitted to the budget in request-id order, ahead of their turns; a chunk that does not fit
waits, and everything after it waits behind it, so the wire order stays the call order. A chunk's body is
encoded in its turn, with its seq_id, and dropped once its POST returned: encoding writes each array once
(`_wire.proto_datums`), so encoding ahead saved little and kept up to the whole budget in encoded bodies
waiting to be sent (measured on a 1 GB call: peak RSS 1.53x -> 1.50x the payload). Results are merged in chunk order: the outcome is the same as sending one chunk at a
time. When a chunk fails, the chunks of its call not sent yet are abandoned (no seq_id used).

Bodies go on the wire the ServiceClient negotiated (`_wire.negotiation`): JSON `/forward` and
`/forward_backward`, or protobuf `/forward_backward` (`forward_only` for forward passes).
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from tinker_ext_raw import endpoints

from tinker_ext._training.request_order import RequestAbandoned
from tinker_ext._wire.answers import parse_checked
from tinker_ext._wire.http import PROTOBUF_CONTENT_TYPE, ApiRequest, check_finite, encode_json
from tinker_ext._wire.validation import check_finite_values

if TYPE_CHECKING:
    from tinker_ext._session.context import ClientContext
    from tinker_ext._training.chunking import ChunkLimits
    from tinker_ext._training.request_order import RequestOrder
    from tinker_ext._wire.negotiation import Wire
    from tinker_ext.types import Datum, ForwardBackwardOutput

__all__ = ["ChunkRequest", "check_finite_datums", "chunk_requests", "plan_chunks", "run_chunks"]

_TENSOR_DTYPES: dict[Any, type[np.generic]] = {"float32": np.float32, "int64": np.int64}


def _tensor_values_dtype(key: str, holder: dict[str, Any]) -> type[np.generic] | None:
    """TensorData values of a JSON result are read into numpy of the tensor's dtype directly (a 200 MB
    answer is ~9x that as Python floats)."""
    return _TENSOR_DTYPES.get(holder.get("dtype")) if key == "data" else None


@attrs.define
class _CallState:
    failed: bool = False  # a chunk of this call failed: the ones not yet sent are abandoned


def check_finite_datums(data: Sequence[Datum], where: str = "data", first_index: int = 0) -> None:
    """Reject NaN/inf in datums (orjson would write them as null), on the arrays instead of the JSON.

    Floats can only come from float32 loss_fn_inputs (one numpy check each) and from token lists
    that are not all ints (`check_finite`'s sum fast path); everything else in a Datum is ints or text.
    """
    from tinker_ext.types import EncodedTextChunk

    for index, datum in enumerate(data, first_index):
        for chunk in datum.model_input.chunks:
            if isinstance(chunk, EncodedTextChunk):
                check_finite(chunk.tokens, f"{where}[{index}].model_input")
        for key, tensor in datum.loss_fn_inputs.items():
            if tensor.dtype == "float32":
                # Sparse: `_array` holds only the stored values (densifying would add pad values).
                check_finite_values(tensor._array, f"{where}[{index}].loss_fn_inputs.{key}")


@attrs.frozen
class ChunkRequest:
    """One forward / forward_backward chunk, encoded only when it is sent (on the wire negotiated by then,
    with the seq_id of its turn). Only the encoded bytes live while the chunk is in flight; the JSON
    datums skip the generated models' per-datum round trip (validated at construction; the parity tests
    prove `to_json()` equals the spec models' output)."""

    model_id: str
    datums: Sequence[Datum]
    loss_fn: str
    loss_fn_config: Mapping[str, Any] | None
    forward_only: bool
    first_index: int  # of datums[0] in the caller's list (for error messages)
    byte_estimate: int = 0  # what it holds of the in-flight budget (`_training.chunking.datum_byte_estimate`)
    idempotency_key: str = attrs.field(factory=lambda: str(uuid.uuid4()))  # the same on every resend

    def span_attributes(self, seq_id: int) -> dict[str, Any]:
        """What a trace shows of this chunk (`_observe.tracing`)."""
        return {
            "tinker.model_id": self.model_id,
            "tinker.seq_id": seq_id,
            "tinker.chunk.first_datum": self.first_index,
            "tinker.chunk.datums": len(self.datums),
        }

    def encode_protobuf(self, seq_id: int) -> bytes:
        """The protobuf body, encoded in the chunk's turn (its seq_id known, written in place)."""
        from tinker_ext._wire.proto import encode_forward_backward_request

        # NaN/inf are refused by the encoder, on the arrays it writes (the caller may have changed an array
        # since the call's own check).
        return encode_forward_backward_request(
            model_id=self.model_id,
            seq_id=seq_id,
            data=self.datums,
            loss_fn=self.loss_fn,
            loss_fn_config=self.loss_fn_config,
            forward_only=self.forward_only,
            first_index=self.first_index,
        )

    def build(self, seq_id: int, wire: Wire, compress: bool) -> ApiRequest:
        """The request with `seq_id`, encoded now (in the chunk's turn)."""
        if wire == "protobuf":
            return attrs.evolve(
                _protobuf_chunk(self.encode_protobuf(seq_id), compress, self.idempotency_key),
                span_attributes=self.span_attributes(seq_id),
            )
        # The datums were checked when built (types) and for NaN/inf here, on their arrays: the body is
        # written once from their own JSON (`_request_json`), with no second walk to check it.
        check_finite_datums(self.datums, first_index=self.first_index)
        check_finite(self.loss_fn_config, "loss_fn_config")
        endpoint = endpoints.FORWARD if self.forward_only else endpoints.FORWARD_BACKWARD
        input_key = "forward_input" if self.forward_only else "forward_backward_input"
        fb_input: dict[str, Any] = {
            "data": [d._request_json() for d in self.datums],
            "loss_fn": self.loss_fn,
        }
        if self.loss_fn_config is not None:
            fb_input["loss_fn_config"] = dict(self.loss_fn_config)
        body = {input_key: fb_input, "model_id": self.model_id, "seq_id": seq_id}
        return ApiRequest(
            method=endpoint.method,
            path=endpoint.path,
            content=encode_json(body, check=False),
            idempotent=endpoint.idempotent,
            idempotency_key=self.idempotency_key,
            operation=endpoint.operation_id,
            span_attributes=self.span_attributes(seq_id),
        )


def _protobuf_chunk(content: bytes, compress: bool, idempotency_key: str) -> ApiRequest:
    if compress:
        content = _compressor().compress(content)
    endpoint = endpoints.FORWARD_BACKWARD
    return ApiRequest(
        method=endpoint.method,
        path=endpoint.path,
        content=content,
        content_type=PROTOBUF_CONTENT_TYPE,
        headers={"Content-Encoding": "zstd"} if compress else {},
        idempotent=endpoint.idempotent,
        idempotency_key=idempotency_key,
        operation=endpoint.operation_id,
    )


# zstd level 1: on forward_backward bodies it writes within ~1% of the bytes of 0.38's level 3 in ~0.4x the
# CPU (benchmarks/proto_codec.py, "zstd" rows); any level is one standard frame, which the servers'
# decompressing middleware reads. One compressor per thread (not thread-safe), reused: a fresh one costs
# its context's allocation on every request.
ZSTD_LEVEL = 1
_compressors = threading.local()


def _compressor() -> Any:
    compressor = getattr(_compressors, "compressor", None)
    if compressor is None:
        import zstandard

        compressor = _compressors.compressor = zstandard.ZstdCompressor(level=ZSTD_LEVEL)
    return compressor


def plan_chunks(data: Sequence[Datum], limits: ChunkLimits) -> list[list[Datum]]:
    from tinker_ext._training.chunking import plan_chunk_bounds

    return [list(data[start:stop]) for start, stop in plan_chunk_bounds(data, limits)]


def chunk_requests(
    model_id: str,
    chunks: list[list[Datum]],
    loss_fn: str,
    loss_fn_config: Mapping[str, Any] | None,
    forward_only: bool,
) -> list[ChunkRequest]:
    from tinker_ext._training.chunking import datum_byte_estimate

    requests = []
    first_index = 0
    for chunk in chunks:
        estimate = sum(datum_byte_estimate(datum) for datum in chunk)
        requests.append(
            ChunkRequest(model_id, chunk, loss_fn, loss_fn_config, forward_only, first_index, estimate)
        )
        first_index += len(chunk)
    return requests


async def _send_chunk(
    ctx: ClientContext,
    order: RequestOrder,
    request_id: int,
    admission: int,
    chunk: ChunkRequest,
    request_type: str,
    call: _CallState,
) -> ForwardBackwardOutput:
    """Admission (in chunk order, ahead of the turn): take the chunk's share of the in-flight budget.
    Then, in its turn, encode and send it with its seq_id; then wait for its result (concurrently with
    later chunks). The budget is held until the result arrived; the body only until the POST returned
    (retries of the POST resend it). Admissions follow request-id order, so an admitted chunk never waits for a
    turn of a chunk that waits for budget: no deadlock."""
    from tinker_ext._wire.answer_checks import ForwardExpectation
    from tinker_ext._wire.proto import decode_forward_backward_output
    from tinker_ext.types import ForwardBackwardOutput

    expect = ForwardExpectation.of(chunk.datums, chunk.loss_fn, ctx.http.limits)

    def convert(data: Any) -> ForwardBackwardOutput:
        expect.check_json(data)
        return expect.check_result(ForwardBackwardOutput.from_json(data))

    def convert_protobuf(content: bytes) -> ForwardBackwardOutput:
        return expect.check_result(decode_forward_backward_output(content, expect))

    budget = ctx.fwdbwd_budget
    admitted = in_turn = False

    async def admit() -> None:
        nonlocal admitted
        if call.failed:
            raise RequestAbandoned
        await budget.acquire(chunk.byte_estimate)
        admitted = True

    async def post(seq_id: int) -> Any:
        nonlocal in_turn
        in_turn = True
        if call.failed:
            raise RequestAbandoned
        return await ctx.post_forward_backward(
            lambda wire: chunk.build(seq_id, wire, ctx.compress_forward_backward),
            forward_only=chunk.forward_only,
        )

    try:
        await order.admission.run(admission, admit)
        promise = await order.post_in_turn(request_id, post)
        return await ctx.wait_future(
            promise,
            convert,
            request_type,
            convert_protobuf,
            max_result_bytes=expect.result_bytes,
            numpy_dtype=_tensor_values_dtype,
        )
    except BaseException:
        # Set before this chunk frees its budget and turn, so the chunks waiting for them see it.
        call.failed = True
        raise
    finally:
        if admitted:  # in flight until its result (or failure) arrived
            budget.release(chunk.byte_estimate)
        if not in_turn:  # failed or cancelled before its turn: later requests must not wait for it
            order.gate.finish(request_id)


async def run_chunks(
    ctx: ClientContext,
    order: RequestOrder,
    first_id: int,
    first_admission: int,
    requests: list[ChunkRequest],
    request_type: str,
) -> ForwardBackwardOutput:
    """Send `requests` (ids `first_id...`, admissions `first_admission...`) and merge their results."""
    from tinker_ext._training.chunking import combine_forward_backward_outputs

    call = _CallState()
    tasks = [
        asyncio.ensure_future(
            _send_chunk(ctx, order, first_id + i, first_admission + i, req, request_type, call)
        )
        for i, req in enumerate(requests)
    ]
    try:
        outputs = await asyncio.gather(*tasks)
    except BaseException:
        call.failed = True
        for task in tasks:
            task.cancel()
        # The first failure is raised; the others (abandoned chunks) are collected here.
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
    # Always reduce, even one chunk (as the official SDK does): malformed metric keys raise (an unusable
    # answer: APIResponseValidationError), unknown reductions are dropped and hash2 values are normalised
    # the same way for every chunk count.
    return parse_checked("ForwardBackwardOutput", combine_forward_backward_outputs, outputs)
