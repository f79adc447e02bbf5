"""`TrainingClient`: forward/backward, optimizer steps and checkpoints of one LoRA model.

Ordering: every operation reserves its request ids synchronously when it is called, and sends them
through a turn gate, so requests reach the server in call order even when the caller pipelines
(`fb = tc.forward_backward(...); opt = tc.optim_step(...)` without waiting). Only the submission (the
POST that returns a promise) is ordered; results are awaited independently. A failed or cancelled
request still advances the turn.

Wire seq_ids are handed out in that turn, when the request is sent: 1, 2, 3, ... (model creation was
seq 0). A request the server refused (an HTTP 4xx answer: it was not applied) does not use its seq_id up:
the next request is sent with it, so servers that insist on contiguous seq_ids (tuft: 409 "Sequence
conflict") never see a gap. A request that may have reached the server (sent, then a 5xx or a dropped
connection) keeps its seq_id, as retries of it do.

Pipelining: the chunks of a forward / forward_backward call are submitted one after another in their
turns, and their results are awaited concurrently, so several chunks are in flight at once. Each chunk
holds its estimated bytes of the ServiceClient's in-flight budget (`Limits.max_fwdbwd_bytes_in_flight`,
`_byte_budget`) from just before it is encoded until its result arrived. Chunks are admitted to the
budget (and encoded) in request-id order, ahead of their turns, so the next chunks are encoded while
one is on the wire; the encoded bodies waiting to be sent are bounded by the budget too. A chunk that
does not fit waits, and everything after it waits behind it, so the wire order stays the call order.
Results are merged in chunk order: the outcome is the same as sending one chunk at a time.

forward / forward_backward bodies go on the wire the ServiceClient negotiated (`_negotiation`): JSON
`/forward` and `/forward_backward`, or protobuf `/forward_backward` (`forward_only` for forward passes).
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import attrs
import numpy as np

from tinker_ext._answers import invalid_answer
from tinker_ext._exceptions import APIStatusError, InvalidInputError
from tinker_ext._futures import APIFuture, CreatedClient
from tinker_ext._http import (
    ApiRequest,
    check_finite,
    encode_json,
    generated_request,
    parse_generated,
    parse_response,
)
from tinker_ext._validation import check_datums, vocab_size_of

if TYPE_CHECKING:
    from tokenizers import Tokenizer

    from tinker_ext._context import ClientContext
    from tinker_ext._loss_handle import LossHandle
    from tinker_ext._negotiation import Wire
    from tinker_ext._retry_config import RetryConfig
    from tinker_ext._sampling_client import SamplingClient
    from tinker_ext.types import (
        AdamParams,
        Datum,
        ForwardBackwardOutput,
        GetInfoResponse,
        LoadWeightsResponse,
        OptimParams,
        OptimStepResponse,
        SaveWeightsForSamplerResponse,
        SaveWeightsResponse,
    )
    from tinker_ext.types.training import SamplingClientKind, SaveWeightsExternalResponse


__all__ = ["TrainingClient"]

T = TypeVar("T")


class _ChunkAbandoned(Exception):
    """Another chunk of the same call failed before this one was sent: it is not sent (its seq_id and
    turn pass on to the next request)."""


@attrs.define
class _CallState:
    failed: bool = False  # a chunk of this call failed: the ones not yet sent are abandoned


class _TurnGate:
    """Lets request k+1 be sent only after request k was sent (or failed / was abandoned)."""

    def __init__(self) -> None:
        self._turn = 0
        self._finished: set[int] = set()
        self._cond: asyncio.Condition | None = None

    def _condition(self) -> asyncio.Condition:
        if self._cond is None:
            self._cond = asyncio.Condition()
        return self._cond

    async def run(self, request_id: int, send: Callable[[], Coroutine[Any, Any, T]]) -> T:
        cond = self._condition()
        try:
            async with cond:
                await cond.wait_for(lambda: self._turn == request_id)
            return await send()
        finally:
            await self.finish(request_id)

    async def finish(self, *request_ids: int) -> None:
        cond = self._condition()
        async with cond:
            self._finished.update(request_ids)
            while self._turn in self._finished:
                self._finished.discard(self._turn)
                self._turn += 1
            cond.notify_all()


def _check_finite_datums(data: Sequence[Datum], where: str = "data", first_index: int = 0) -> None:
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
                # Sparse: only the stored values (densifying would add pad values and cost memory).
                values = np.asarray(tensor.data) if tensor.is_sparse else tensor.to_numpy()
                check_finite(values, f"{where}[{index}].loss_fn_inputs.{key}")


@attrs.frozen
class _ChunkRequest:
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
    byte_estimate: int = 0  # what it holds of the in-flight budget (`_chunking.datum_byte_estimate`)
    idempotency_key: str = attrs.field(factory=lambda: str(uuid.uuid4()))  # the same on every resend

    def encode_protobuf(self) -> bytes:
        """The protobuf body without its seq_id (`build` appends it in the chunk's turn)."""
        from tinker_ext._proto import encode_forward_backward_request

        # Checked again here: the caller may have changed an array since the call.
        _check_finite_datums(self.datums, first_index=self.first_index)
        return encode_forward_backward_request(
            model_id=self.model_id,
            seq_id=None,
            data=self.datums,
            loss_fn=self.loss_fn,
            loss_fn_config=self.loss_fn_config,
            forward_only=self.forward_only,
            first_index=self.first_index,
        )

    def build(self, seq_id: int, wire: Wire, compress: bool, encoded: bytes | None = None) -> ApiRequest:
        """The request with `seq_id`; `encoded` is this chunk's `encode_protobuf()` when made in advance."""
        options = {"idempotency_key": self.idempotency_key}
        if wire == "protobuf":
            return _protobuf_chunk(
                self.encode_protobuf() if encoded is None else encoded, seq_id, compress, options
            )
        _check_finite_datums(self.datums, first_index=self.first_index)
        input_key = "forward_input" if self.forward_only else "forward_backward_input"
        fb_input: dict[str, Any] = {"data": [], "loss_fn": self.loss_fn}
        if self.loss_fn_config is not None:
            fb_input["loss_fn_config"] = dict(self.loss_fn_config)
        body = {input_key: fb_input, "model_id": self.model_id, "seq_id": seq_id}
        operation, model = (
            ("training.forward", "ForwardRequest")
            if self.forward_only
            else ("training.forward_backward", "ForwardBackwardRequest")
        )
        envelope = generated_request(operation, body=body, body_model=model, options=options)
        fb_input = {**envelope.body[input_key], "data": [d.to_json() for d in self.datums]}
        content = encode_json({**envelope.body, input_key: fb_input}, check=False)
        return attrs.evolve(envelope, body=None, content=content)


def _protobuf_chunk(encoded: bytes, seq_id: int, compress: bool, options: dict[str, Any]) -> ApiRequest:
    from tinker_ext_raw.api.training import forward_backward
    from tinker_ext_raw.types import File

    from tinker_ext._proto import seq_id_field

    # A serialized message followed by another one parses as their merge: appending the seq_id field sets
    # it without encoding the datums again (the body was made before the chunk's turn).
    content = encoded + seq_id_field(seq_id)
    if compress:
        import zstandard

        content = zstandard.ZstdCompressor().compress(content)
    # File is typed BinaryIO, but its payload only becomes the httpx `content`, which takes bytes as they are.
    body = File(payload=content)  # type: ignore[arg-type]
    request = ApiRequest.from_generated(forward_backward._get_kwargs(body=body), **options)
    if compress:
        request = attrs.evolve(request, headers={**request.headers, "Content-Encoding": "zstd"})
    return request


def _refused(error: APIStatusError) -> bool:
    """The server answered that it did not apply the request (any 4xx; retried ones were exhausted)."""
    return 400 <= error.status_code < 500


def _with_seq_id(request: ApiRequest, seq_id: int) -> ApiRequest:
    """The request with the seq_id of its turn (the body was built, and checked against the spec, at call
    time with `request_id + 1` as a stand-in)."""
    return attrs.evolve(request, body={**request.body, "seq_id": seq_id})


class TrainingClient(CreatedClient):
    """Trains one model. Create it with `ServiceClient.create_lora_training_client(...)`.

    Creation returns the client itself, which also behaves as its own finished future (`.result()`,
    `await`, ... give back the client), so both the tinker 0.25 and 0.38 calling styles work.
    """

    def __init__(self, ctx: ClientContext, model_id: str) -> None:
        self._ctx = ctx
        self.model_id = model_id
        self._ids_lock = threading.Lock()
        self._next_request_id = 0
        self._next_seq_id = 1  # on the wire; handed out in turn (see the module docstring)
        self._gate = _TurnGate()
        # forward/forward_backward chunks take the in-flight budget and are encoded in this order (their
        # request-id order), ahead of their turns: see `_send_chunk`.
        self._next_admission = 0
        self._admission = _TurnGate()
        self._info: GetInfoResponse | None = None
        self._vocab_size: int | None = None  # known once get_tokenizer() loaded the tokenizer

    def __repr__(self) -> str:
        return f"TrainingClient(model_id={self.model_id!r})"

    # -- plumbing

    def _reserve(self, count: int = 1) -> int:
        with self._ids_lock:
            first = self._next_request_id
            self._next_request_id += count
            return first

    def _reserve_chunks(self, count: int) -> tuple[int, int]:
        """Request ids and admission numbers for `count` chunks (one lock: both orders agree)."""
        with self._ids_lock:
            first, admission = self._next_request_id, self._next_admission
            self._next_request_id += count
            self._next_admission += count
            return first, admission

    def _request(self, operation: str, model: str, body: dict[str, Any]) -> ApiRequest:
        # One idempotency key per logical call, reused by every retry of it.
        return generated_request(
            operation, body=body, body_model=model, options={"idempotency_key": str(uuid.uuid4())}
        )

    async def _post_in_turn(self, request_id: int, post: Callable[[int], Coroutine[Any, Any, Any]]) -> Any:
        """Send request `request_id` in its turn as `post(seq_id)`; return the server's promise."""

        async def send() -> Any:
            seq_id = self._next_seq_id
            try:
                promise = await post(seq_id)
            except (InvalidInputError, _ChunkAbandoned):
                raise  # refused by us before anything was sent
            except APIStatusError as exc:
                if not _refused(exc):
                    self._next_seq_id += 1
                raise
            except BaseException:
                self._next_seq_id += 1  # it may have reached the server
                raise
            self._next_seq_id += 1
            return promise

        return await self._gate.run(request_id, send)

    async def _send_and_wait(
        self, request_id: int, request: ApiRequest, convert: Callable[[Any], T], request_type: str
    ) -> T:
        promise = await self._post_in_turn(
            request_id, lambda seq_id: self._ctx.call(_with_seq_id(request, seq_id))
        )
        return await self._ctx.wait_future(promise, convert, request_type)

    def _submit(self, coro: Coroutine[Any, Any, T]) -> APIFuture[T]:
        return self._ctx.submit(coro)

    # -- info

    async def _fetch_info(self) -> GetInfoResponse:
        from tinker_ext.types import GetInfoResponse

        data = await self._ctx.call(
            generated_request(
                "training.get_info",
                body={"model_id": self.model_id, "type": "get_info"},
                body_model="GetInfoRequest",
            )
        )
        info: GetInfoResponse = parse_response("GetInfoResponse", data, GetInfoResponse.from_json)
        self._info = info
        return info

    def get_info(self) -> GetInfoResponse:
        """The model's info (cached from creation)."""
        if self._info is None:
            return self._ctx.run(self._fetch_info())
        return self._info

    async def get_info_async(self) -> GetInfoResponse:
        if self._info is None:
            return await asyncio.wrap_future(self._ctx.loop.submit(self._fetch_info()))
        return self._info

    def get_telemetry(self) -> None:
        """Always None: tinker-ext sends no telemetry (0.38 returns its telemetry sink, or None)."""
        return None

    def get_console_url(self) -> str:
        """The web console page of this model's training run."""
        from tinker_ext._console import training_run_url

        return training_run_url(self.model_id)

    def get_tokenizer(self) -> Tokenizer:
        from tinker_ext._tokenizer import get_tokenizer

        info = self.get_info()
        model_data = info.model_data
        name = model_data.model_name or info.model_name
        if not name and not model_data.tokenizer_id:  # e.g. get_info answered "model_data": {}
            raise invalid_answer(
                "GetInfoResponse",
                "/model_data/model_name",
                "a model name to find the tokenizer by",
                info.to_json(),
            )
        tokenizer = get_tokenizer(name or "", model_data.tokenizer_id)
        self._vocab_size = vocab_size_of(tokenizer)  # token ids are checked against it from now on
        return tokenizer

    # -- forward / backward

    def _plan(self, data: Sequence[Datum]) -> list[list[Datum]]:
        from tinker_ext._chunking import plan_chunk_bounds

        return [list(data[start:stop]) for start, stop in plan_chunk_bounds(data, self._ctx.chunk_limits)]

    def _fwd_requests(
        self,
        chunks: list[list[Datum]],
        loss_fn: str,
        loss_fn_config: Mapping[str, Any] | None,
        forward_only: bool,
    ) -> list[_ChunkRequest]:
        from tinker_ext._chunking import datum_byte_estimate

        requests = []
        first_index = 0
        for chunk in chunks:
            estimate = sum(datum_byte_estimate(datum) for datum in chunk)
            requests.append(
                _ChunkRequest(
                    self.model_id, chunk, loss_fn, loss_fn_config, forward_only, first_index, estimate
                )
            )
            first_index += len(chunk)
        return requests

    async def _send_chunk(
        self, request_id: int, admission: int, chunk: _ChunkRequest, request_type: str, call: _CallState
    ) -> ForwardBackwardOutput:
        """Admission (in chunk order, ahead of the turn): take the chunk's share of the in-flight budget and
        encode its protobuf body, so that the next chunks are encoded while this one is on the wire. Then,
        in its turn, send it with its seq_id; then wait for its result (concurrently with later chunks).
        The budget is held until the result arrived; the body only until the POST returned (retries of
        the POST resend it). Admissions follow request-id order, so an admitted chunk never waits for a
        turn of a chunk that waits for budget: no deadlock."""
        from tinker_ext._proto import decode_forward_backward_output
        from tinker_ext.types import ForwardBackwardOutput

        def convert(data: Any) -> ForwardBackwardOutput:
            parse_generated("ForwardBackwardOutput", data)
            return ForwardBackwardOutput.from_json(data)

        ctx = self._ctx
        budget = ctx.fwdbwd_budget
        admitted = in_turn = False
        encoded: bytes | None = None

        async def admit() -> None:
            nonlocal admitted, encoded
            if call.failed:
                raise _ChunkAbandoned
            await budget.acquire(chunk.byte_estimate)
            admitted = True
            if await ctx.negotiated_wire() == "protobuf":
                encoded = chunk.encode_protobuf()

        async def post(seq_id: int) -> Any:
            nonlocal in_turn
            in_turn = True
            if call.failed:
                raise _ChunkAbandoned
            return await ctx.post_forward_backward(
                lambda wire: chunk.build(seq_id, wire, ctx.compress_forward_backward, encoded),
                forward_only=chunk.forward_only,
            )

        try:
            await self._admission.run(admission, admit)
            promise = await self._post_in_turn(request_id, post)
            encoded = None  # sent: the result does not need the body
            return await ctx.wait_future(
                promise, convert, request_type, convert_protobuf=decode_forward_backward_output
            )
        except BaseException:
            # Set before this chunk frees its budget and turn, so the chunks waiting for them see it.
            call.failed = True
            raise
        finally:
            if admitted:  # in flight until its result (or failure) arrived
                budget.release(chunk.byte_estimate)
            if not in_turn:  # failed or cancelled before its turn: later requests must not wait for it
                await self._gate.finish(request_id)

    async def _run_chunks(
        self, first_id: int, first_admission: int, requests: list[_ChunkRequest], request_type: str
    ) -> ForwardBackwardOutput:
        from tinker_ext._chunking import combine_forward_backward_outputs

        call = _CallState()
        tasks = [
            asyncio.ensure_future(
                self._send_chunk(first_id + i, first_admission + i, req, request_type, call)
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
        # Always reduce, even one chunk (as the official SDK does): malformed metric keys raise, unknown
        # reductions are dropped and hash2 values are normalised the same way for every chunk count.
        return combine_forward_backward_outputs(outputs)

    def _forward_like(
        self,
        data: Sequence[Datum],
        loss_fn: str,
        loss_fn_config: Mapping[str, Any] | None,
        forward_only: bool,
    ) -> APIFuture[ForwardBackwardOutput]:
        from tinker_ext.types.loss import validate_forward_backward_input

        check_datums(data, loss_fn, self._ctx.http.limits, self._vocab_size)  # sizes first: cheap refusals
        validate_forward_backward_input(data, loss_fn, loss_fn_config)
        _check_finite_datums(data)  # here, in the caller's thread: bad input raises before anything is sent
        chunks = self._plan(data)
        requests = self._fwd_requests(chunks, loss_fn, loss_fn_config, forward_only)
        first_id, first_admission = self._reserve_chunks(len(chunks))
        kind = "Forward" if forward_only else "ForwardBackward"
        return self._submit(self._run_chunks(first_id, first_admission, requests, kind))

    def forward(
        self,
        data: Sequence[Datum],
        loss_fn: str = "cross_entropy",
        loss_fn_config: Mapping[str, Any] | None = None,
    ) -> APIFuture[ForwardBackwardOutput]:
        return self._forward_like(data, loss_fn, loss_fn_config, forward_only=True)

    def forward_backward(
        self, data: Sequence[Datum], loss_fn: str, loss_fn_config: Mapping[str, Any] | None = None
    ) -> APIFuture[ForwardBackwardOutput]:
        return self._forward_like(data, loss_fn, loss_fn_config, forward_only=False)

    async def forward_async(
        self,
        data: Sequence[Datum],
        loss_fn: str = "cross_entropy",
        loss_fn_config: Mapping[str, Any] | None = None,
    ) -> APIFuture[ForwardBackwardOutput]:
        return self.forward(data, loss_fn, loss_fn_config)

    async def forward_backward_async(
        self, data: Sequence[Datum], loss_fn: str, loss_fn_config: Mapping[str, Any] | None = None
    ) -> APIFuture[ForwardBackwardOutput]:
        return self.forward_backward(data, loss_fn, loss_fn_config)

    def forward_backward_custom(
        self,
        data: Sequence[Datum],
        loss_fn: Callable[..., Any] | LossHandle,
        regularizers: Sequence[Any] | None = None,
        *,
        loss_type_input: Literal["logprobs"] | None = None,
    ) -> APIFuture[ForwardBackwardOutput]:
        """Custom loss on the client: forward pass, the loss's gradient w.r.t. the logprobs, then a
        cross-entropy forward_backward whose weights carry that gradient (see `_custom_loss`).
        `loss_type_input` (deprecated in 0.38) may only be "logprobs", what the loss always receives.
        `loss_fn` may be a LossHandle (`ServiceClient.create_custom_loss`): registered on the server, it is
        one `forward_backward(data, "custom", {"loss_id": ...})`; otherwise it runs here, per datum."""
        from tinker_ext._custom_loss import build_forward_data, compute_backward, merge_custom_metrics
        from tinker_ext._loss_handle import LossHandle, check_handle_data, per_datum_loss_fn
        from tinker_ext.types.loss import validate_forward_backward_input

        if loss_type_input not in (None, "logprobs"):
            raise InvalidInputError(f"loss_type_input must be 'logprobs' or None, got {loss_type_input!r}")
        if isinstance(loss_fn, LossHandle):
            check_handle_data(loss_fn, data, self._ctx.session_id)
            if loss_fn.loss_id is not None:
                return self.forward_backward(data, "custom", {"loss_id": loss_fn.loss_id})
            loss_fn = per_datum_loss_fn(loss_fn)
        if not callable(loss_fn):
            raise InvalidInputError("loss_fn must be a callable (data, logprobs_list) -> (loss, metrics)")
        check_datums(data, "cross_entropy", self._ctx.http.limits, self._vocab_size)
        forward_data = build_forward_data(data)
        validate_forward_backward_input(forward_data, "cross_entropy", None)
        _check_finite_datums(forward_data)
        chunks = self._plan(forward_data)
        n = len(chunks)
        # 2N ids: forward chunks, then backward chunks with the same boundaries, so a later call
        # (e.g. optim_step) is ordered after both phases.
        first_id, first_admission = self._reserve_chunks(2 * n)
        forward_requests = self._fwd_requests(chunks, "cross_entropy", None, forward_only=True)
        sizes = [len(c) for c in chunks]

        async def run() -> ForwardBackwardOutput:
            backward_started = False
            try:
                forward_out = await self._run_chunks(first_id, first_admission, forward_requests, "Forward")
                backward_data, metrics, loss_value = await asyncio.to_thread(
                    compute_backward, data, forward_out, loss_fn, regularizers
                )
                _check_finite_datums(backward_data)  # before any backward chunk is sent
                backward_chunks, start = [], 0
                for size in sizes:
                    backward_chunks.append(backward_data[start : start + size])
                    start += size
                requests = self._fwd_requests(backward_chunks, "cross_entropy", None, forward_only=False)
                backward_started = True
                backward_out = await self._run_chunks(
                    first_id + n, first_admission + n, requests, "ForwardBackward"
                )
                return merge_custom_metrics(backward_out, metrics, loss_value, backward_data)
            finally:
                if not backward_started:
                    await self._gate.finish(*range(first_id + n, first_id + 2 * n))
                    await self._admission.finish(*range(first_admission + n, first_admission + 2 * n))

        return self._submit(run())

    async def forward_backward_custom_async(
        self,
        data: Sequence[Datum],
        loss_fn: Callable[..., Any] | LossHandle,
        regularizers: Sequence[Any] | None = None,
        *,
        loss_type_input: Literal["logprobs"] | None = None,
    ) -> APIFuture[ForwardBackwardOutput]:
        return self.forward_backward_custom(data, loss_fn, regularizers, loss_type_input=loss_type_input)

    # -- optimizer

    def optim_step(
        self, optim_params: OptimParams | None = None, *, adam_params: AdamParams | None = None
    ) -> APIFuture[OptimStepResponse]:
        """One optimizer step. `optim_params`: AdamParams (sent as `adam_params`) or the parameters of
        the model's optimizer family, e.g. DimuonParams (sent as `optimizer_params`); `adam_params=` is
        the older spelling. Exactly one of the two."""
        from tinker_ext.types import OptimStepResponse
        from tinker_ext.types.optim import optim_params_body

        if (optim_params is None) == (adam_params is None):
            raise InvalidInputError("optim_step needs exactly one of optim_params or adam_params")
        params_body = optim_params_body(optim_params if optim_params is not None else adam_params)
        request_id = self._reserve()
        body = {
            **params_body,
            "model_id": self.model_id,
            "seq_id": request_id + 1,
            "type": "optim_step",
        }
        request = self._request("training.optim_step", "OptimStepRequest", body)

        return self._submit(
            self._send_and_wait(request_id, request, OptimStepResponse.from_wire, "OptimStep")
        )

    async def optim_step_async(
        self, optim_params: OptimParams | None = None, *, adam_params: AdamParams | None = None
    ) -> APIFuture[OptimStepResponse]:
        return self.optim_step(optim_params, adam_params=adam_params)

    # -- checkpoints

    def save_state(
        self,
        name: str,
        ttl_seconds: int | None = None,
        overwrite: bool = False,
        user_metadata: Mapping[str, str] | None = None,
    ) -> APIFuture[SaveWeightsResponse]:
        """Save weights and optimizer state as `tinker://RUN/weights/NAME`. `ttl_seconds=None`: never
        expires; `overwrite=True` replaces an existing checkpoint of that name (and its whole
        `user_metadata`)."""
        from tinker_ext.types import SaveWeightsResponse

        _check_name(name)
        metadata = _check_metadata(user_metadata)
        request_id = self._reserve()
        body: dict[str, Any] = {
            "model_id": self.model_id,
            "path": name,
            "seq_id": request_id + 1,
            "type": "save_weights",
        }
        if ttl_seconds is not None:
            body["ttl_seconds"] = ttl_seconds
        if overwrite:
            body["overwrite"] = True
        if metadata is not None:
            body["user_metadata"] = metadata
        request = self._request("weights.save_weights", "SaveWeightsRequest", body)
        return self._submit(
            self._send_and_wait(request_id, request, SaveWeightsResponse.from_json, "SaveWeights")
        )

    async def save_state_async(
        self,
        name: str,
        ttl_seconds: int | None = None,
        overwrite: bool = False,
        user_metadata: Mapping[str, str] | None = None,
    ) -> APIFuture[SaveWeightsResponse]:
        return self.save_state(name, ttl_seconds, overwrite, user_metadata)

    def _load(
        self, path: str, weights_access_token: str | None = None, *, optimizer: bool
    ) -> APIFuture[LoadWeightsResponse]:
        from tinker_ext.types import LoadWeightsResponse, ParsedCheckpointTinkerPath

        ParsedCheckpointTinkerPath.from_tinker_path(path)  # the one strict parser (no '..', 3 segments)
        request_id = self._reserve()
        body = {
            "model_id": self.model_id,
            "path": path,
            "seq_id": request_id + 1,
            "optimizer": optimizer,
            "type": "load_weights",
        }
        if weights_access_token is not None:
            body["weights_access_token"] = weights_access_token
        request = self._request("weights.load_weights", "LoadWeightsRequest", body)
        return self._submit(
            self._send_and_wait(request_id, request, LoadWeightsResponse.from_json, "LoadWeights")
        )

    def load_state(
        self, path: str, weights_access_token: str | None = None
    ) -> APIFuture[LoadWeightsResponse]:
        """Load weights only (the optimizer state starts fresh). `weights_access_token` grants access to
        another owner's checkpoint."""
        return self._load(path, weights_access_token, optimizer=False)

    def load_state_with_optimizer(
        self, path: str, weights_access_token: str | None = None
    ) -> APIFuture[LoadWeightsResponse]:
        return self._load(path, weights_access_token, optimizer=True)

    async def load_state_async(
        self, path: str, weights_access_token: str | None = None
    ) -> APIFuture[LoadWeightsResponse]:
        return self.load_state(path, weights_access_token)

    async def load_state_with_optimizer_async(
        self, path: str, weights_access_token: str | None = None
    ) -> APIFuture[LoadWeightsResponse]:
        return self.load_state_with_optimizer(path, weights_access_token)

    def save_weights_for_sampler(
        self, name: str, ttl_seconds: int | None = None, user_metadata: Mapping[str, str] | None = None
    ) -> APIFuture[SaveWeightsForSamplerResponse]:
        from tinker_ext.types import SaveWeightsForSamplerResponse

        _check_name(name)
        metadata = _check_metadata(user_metadata)
        request_id = self._reserve()
        body: dict[str, Any] = {
            "model_id": self.model_id,
            "path": name,
            "seq_id": request_id + 1,
            "type": "save_weights_for_sampler",
        }
        if ttl_seconds is not None:
            body["ttl_seconds"] = ttl_seconds
        if metadata is not None:
            body["user_metadata"] = metadata
        request = self._request("weights.save_weights_for_sampler", "SaveWeightsForSamplerRequest", body)
        return self._submit(
            self._send_and_wait(
                request_id, request, SaveWeightsForSamplerResponse.from_wire, "SaveWeightsForSampler"
            )
        )

    async def save_weights_for_sampler_async(
        self, name: str, ttl_seconds: int | None = None, user_metadata: Mapping[str, str] | None = None
    ) -> APIFuture[SaveWeightsForSamplerResponse]:
        return self.save_weights_for_sampler(name, ttl_seconds, user_metadata)

    def save_weights_external(
        self,
        name: str,
        ttl_seconds: int | None = None,
        age_encryption_recipients: Sequence[str] | None = None,
    ) -> APIFuture[SaveWeightsExternalResponse]:
        """Export the weights as downloadable files (`tinker://RUN/external_weights/NAME`; list them
        with `RestClient.get_external_weights_urls`). `age_encryption_recipients`: at most 10 age/SSH
        public keys; the files are then stored encrypted. None arguments are omitted from the body.

        Not supported by the local skyrl-tx server: covered by wire tests only."""
        from tinker_ext.types.training import SaveWeightsExternalResponse

        _check_name(name)
        recipients = _check_recipients(age_encryption_recipients)
        request_id = self._reserve()
        body: dict[str, Any] = {
            "model_id": self.model_id,
            "path": name,
            "seq_id": request_id + 1,
            "type": "save_weights_external",
        }
        if ttl_seconds is not None:
            body["ttl_seconds"] = ttl_seconds
        if recipients is not None:
            body["age_encryption_recipients"] = recipients
        try:
            request = self._request("weights.save_weights_external", "SaveWeightsExternalRequest", body)
        except BaseException:
            self._submit(self._gate.finish(request_id))  # the reserved id must not block later calls
            raise

        return self._submit(
            self._send_and_wait(
                request_id, request, SaveWeightsExternalResponse.from_wire, "SaveWeightsExternal"
            )
        )

    async def save_weights_external_async(
        self,
        name: str,
        ttl_seconds: int | None = None,
        age_encryption_recipients: Sequence[str] | None = None,
    ) -> APIFuture[SaveWeightsExternalResponse]:
        return self.save_weights_external(name, ttl_seconds, age_encryption_recipients)

    def _save_and_sample(
        self, retry_config: RetryConfig | None, record_stability_info: bool, kind: SamplingClientKind
    ) -> APIFuture[SamplingClient]:
        from tinker_ext._retry_config import check_retry_config
        from tinker_ext._sampling_client import SamplingClient
        from tinker_ext.types import SaveWeightsForSamplerResponseInternal

        if kind not in ("snapshot", "inflight"):
            raise InvalidInputError(f"kind must be 'snapshot' or 'inflight', got {kind!r}")
        check_retry_config(retry_config)
        sampling_seq_id = self._ctx.next_sampling_session_seq_id()
        request_id = self._reserve()
        body = {
            "model_id": self.model_id,
            "sampling_session_seq_id": sampling_seq_id,
            "seq_id": request_id + 1,
            "type": "save_weights_for_sampler",
        }
        if kind != "snapshot":  # the server's default; "inflight" must reach it
            body["kind"] = kind
        request = self._request("weights.save_weights_for_sampler", "SaveWeightsForSamplerRequest", body)

        async def run() -> SamplingClient:
            result = await self._send_and_wait(
                request_id, request, SaveWeightsForSamplerResponseInternal.from_wire, "SaveWeightsForSampler"
            )
            info = self._info if self._info is not None else await self._fetch_info()
            base_model = info.model_data.model_name
            if result.sampling_session_id:
                return SamplingClient(
                    self._ctx,
                    result.sampling_session_id,
                    base_model=base_model,
                    retry_config=retry_config,
                    record_stability_info=record_stability_info,
                )
            if result.path:
                return await SamplingClient._create(
                    self._ctx,
                    model_path=result.path,
                    base_model=None,
                    known_base_model=base_model,
                    retry_config=retry_config,
                    record_stability_info=record_stability_info,
                )
            raise invalid_answer(
                "SaveWeightsForSamplerResponse", "", "a path or a sampling_session_id", result.to_json()
            )

        return self._submit(run())

    def save_weights_and_get_sampling_client(
        self,
        name: str | None = None,
        retry_config: RetryConfig | None = None,
        record_stability_info: bool = False,
        kind: SamplingClientKind = "snapshot",
    ) -> SamplingClient:
        """Save the current weights for sampling and return a SamplingClient on them (blocking; the
        client also answers `.result()` / `await` like a finished future, the tinker 0.38 style).
        `name` is ignored, as in 0.38 (the save is ephemeral); `kind="inflight"` asks for a sampler
        that follows later inflight saves."""
        return self._save_and_sample(retry_config, record_stability_info, kind).result()

    async def save_weights_and_get_sampling_client_async(
        self,
        name: str | None = None,
        retry_config: RetryConfig | None = None,
        record_stability_info: bool = False,
        kind: SamplingClientKind = "snapshot",
    ) -> SamplingClient:
        return await self._save_and_sample(retry_config, record_stability_info, kind)

    def create_sampling_client(
        self, model_path: str, retry_config: RetryConfig | None = None, record_stability_info: bool = False
    ) -> SamplingClient:
        """A SamplingClient on saved sampler weights `tinker://...` (blocking; see
        `save_weights_and_get_sampling_client` for the calling styles)."""
        from tinker_ext._sampling_client import SamplingClient

        return self._ctx.run(
            SamplingClient._create(
                self._ctx,
                model_path=model_path,
                base_model=None,
                retry_config=retry_config,
                record_stability_info=record_stability_info,
            )
        )

    async def create_sampling_client_async(
        self, model_path: str, retry_config: RetryConfig | None = None, record_stability_info: bool = False
    ) -> SamplingClient:
        from tinker_ext._sampling_client import SamplingClient

        coro = SamplingClient._create(
            self._ctx,
            model_path=model_path,
            base_model=None,
            retry_config=retry_config,
            record_stability_info=record_stability_info,
        )
        return await asyncio.wrap_future(self._ctx.loop.submit(coro))


def _check_metadata(user_metadata: Mapping[str, str] | None) -> dict[str, str] | None:
    if user_metadata is None:
        return None
    if not isinstance(user_metadata, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in user_metadata.items()
    ):
        raise InvalidInputError("user_metadata must be a mapping of str to str")
    return dict(user_metadata)


def _check_name(name: Any) -> None:
    if not isinstance(name, str) or not name or "/" in name:
        raise InvalidInputError(f"checkpoint name must be a non-empty string without '/', got {name!r}")


MAX_AGE_RECIPIENTS = 10


def _check_recipients(recipients: Sequence[str] | None) -> list[str] | None:
    if recipients is None:
        return None
    if isinstance(recipients, str) or not all(isinstance(r, str) and r for r in recipients):
        raise InvalidInputError("age_encryption_recipients must be a list of non-empty public key strings")
    if len(recipients) > MAX_AGE_RECIPIENTS:
        raise InvalidInputError(
            f"age_encryption_recipients: at most {MAX_AGE_RECIPIENTS} recipients, got {len(recipients)}"
        )
    return list(recipients)
