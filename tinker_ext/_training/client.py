"""`TrainingClient`: forward/backward, optimizer steps and checkpoints of one LoRA model.

Requests reach the server in call order with contiguous seq_ids (`_training.request_order`); forward /
forward_backward calls are split into chunks that are pipelined under a byte budget (`_training.fwdbwd`).

"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import attrs
from tinker_ext_raw import endpoints

from tinker_ext._core.exceptions import InvalidInputError
from tinker_ext._session.futures import APIFuture, CreatedClient
from tinker_ext._session.raw_access import RawResponses
from tinker_ext._training.checkpoints import CheckpointCalls
from tinker_ext._training.fwdbwd import check_finite_datums, chunk_requests, plan_chunks, run_chunks
from tinker_ext._training.request_order import RequestOrder
from tinker_ext._wire.answers import invalid_answer
from tinker_ext._wire.calls import request_for, turn_request, with_seq_id
from tinker_ext._wire.endpoint import FutureEndpoint
from tinker_ext._wire.http import ApiRequest
from tinker_ext._wire.validation import check_datums, vocab_size_of

if TYPE_CHECKING:
    from tinker_ext._session.context import ClientContext
    from tinker_ext._session.telemetry import Telemetry
    from tinker_ext._tokenizers.loader import Tokenizer
    from tinker_ext._training.loss_handle import LossHandle
    from tinker_ext.types import (
        AdamParams,
        Datum,
        ForwardBackwardOutput,
        GetInfoResponse,
        OptimParams,
        OptimStepResponse,
    )


__all__ = ["TrainingClient"]

T = TypeVar("T")
R = TypeVar("R")


def _with_seq_id(request: ApiRequest, seq_id: int) -> ApiRequest:
    """The request with the seq_id of its turn: the body was encoded (and checked) at call time without
    one, so the key is appended to the bytes (`_wire.calls.turn_request`), not encoded again."""
    return attrs.evolve(request, content=with_seq_id(request.content, seq_id))


class TrainingClient(CheckpointCalls, CreatedClient):
    """Trains one model. Create it with `ServiceClient.create_lora_training_client(...)`.

    Creation returns the client itself, which also behaves as its own finished future (`.result()`,
    `await`, ... give back the client), so both the tinker 0.25 and 0.38 calling styles work.
    """

    def __init__(self, ctx: ClientContext, model_id: str) -> None:
        self._ctx = ctx
        self.model_id = model_id
        self._order = RequestOrder()
        self._info: GetInfoResponse | None = None
        self._vocab_size: int | None = None  # from the tokenizer: loaded, or found locally by get_info
        self._vocab_looked_up = False

    def __repr__(self) -> str:
        return f"TrainingClient(model_id={self.model_id!r})"

    # -- plumbing

    def _request(
        self, endpoint: FutureEndpoint[R, Any], body: R, conflict_name: str | None = None
    ) -> ApiRequest:
        # One idempotency key per logical call, reused by every retry of it. `conflict_name`: the
        # checkpoint name the user chose (a 409 is then NameConflictError at once, not retried).
        return turn_request(endpoint, body, idempotency_key=str(uuid.uuid4()), conflict_name=conflict_name)

    async def _send_and_wait(
        self, request_id: int, request: ApiRequest, convert: Callable[[Any], T], request_type: str
    ) -> T:
        promise = await self._order.post_in_turn(
            request_id, lambda seq_id: self._ctx.submit_future(_with_seq_id(request, seq_id))
        )
        return await self._ctx.wait_future(promise, convert, request_type)

    def _submit_in_order(
        self, coro: Coroutine[Any, Any, T], ids: range, admissions: range = range(0)
    ) -> APIFuture[T]:
        """Submit a call holding request ids `ids` (and admissions): they are released when it ends."""
        future = self._ctx.submit(coro)
        self._order.release_when_done(future.future(), self._ctx.loop.loop, ids, admissions)
        return future

    def _enqueue(self, request: ApiRequest, convert: Callable[[Any], T], request_type: str) -> APIFuture[T]:
        """Take the next turn for `request` and submit it. Call only once the request is built: every
        check passed, so a refused call never holds a turn."""
        request_id = self._order.reserve()
        coro = self._send_and_wait(request_id, request, convert, request_type)
        return self._submit_in_order(coro, range(request_id, request_id + 1))

    # -- info

    async def _fetch_info(self) -> GetInfoResponse:
        from tinker_ext.types import GetInfoRequest

        info = await self._ctx.perform(
            request_for(endpoints.GET_INFO, GetInfoRequest(model_id=self.model_id))
        )
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

    @property
    def with_raw_response(self) -> RawResponses[TrainingClient]:
        """This client's methods answering with the `APIResponse` of each call (`.parse()`: the result)."""
        return RawResponses(self, self._ctx)

    def get_telemetry(self) -> Telemetry | None:
        """The telemetry sink (None when TINKER_TELEMETRY turns it off), as 0.38."""
        return self._ctx.telemetry

    def get_console_url(self) -> str:
        """The web console page of this model's training run."""
        from tinker_ext._core.console import training_run_url

        return training_run_url(self.model_id)

    def get_tokenizer(self) -> Tokenizer:
        from tinker_ext._tokenizers.loader import get_tokenizer

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

    def _known_vocab_size(self) -> int | None:
        """The vocabulary token ids are checked against: that of the tokenizer `get_tokenizer()` loaded,
        else of the model's tokenizer (named by the cached get_info answer) when its file is on this
        machine; looked up once. Servers do not refuse ids beyond it (skyrl 0.4.0 answers NaN losses)."""
        if self._vocab_size is None and not self._vocab_looked_up and self._info is not None:
            from tinker_ext._tokenizers.loader import local_vocab_size

            self._vocab_looked_up = True
            data = self._info.model_data
            self._vocab_size = local_vocab_size(data.model_name or self._info.model_name, data.tokenizer_id)
        return self._vocab_size

    # -- forward / backward

    def _forward_like(
        self,
        data: Sequence[Datum],
        loss_fn: str,
        loss_fn_config: Mapping[str, Any] | None,
        forward_only: bool,
    ) -> APIFuture[ForwardBackwardOutput]:
        from tinker_ext.types.loss import validate_forward_backward_input

        check_datums(
            data, loss_fn, self._ctx.http.limits, self._known_vocab_size()
        )  # sizes first: cheap refusals
        validate_forward_backward_input(data, loss_fn, loss_fn_config)
        check_finite_datums(data)  # here, in the caller's thread: bad input raises before anything is sent
        chunks = plan_chunks(data, self._ctx.chunk_limits)
        requests = chunk_requests(self.model_id, chunks, loss_fn, loss_fn_config, forward_only)
        first_id, first_admission = self._order.reserve_chunks(len(chunks))
        kind = "Forward" if forward_only else "ForwardBackward"
        coro = run_chunks(self._ctx, self._order, first_id, first_admission, requests, kind)
        n = len(chunks)
        return self._submit_in_order(
            coro, range(first_id, first_id + n), range(first_admission, first_admission + n)
        )

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
        cross-entropy forward_backward whose weights carry that gradient (see `_training.custom_loss`).
        `loss_type_input` (deprecated in 0.38) may only be "logprobs", what the loss always receives.
        `loss_fn` may be a LossHandle (`ServiceClient.create_custom_loss`): registered on the server, it is
        one `forward_backward(data, "custom", {"loss_id": ...})`; otherwise it runs here, per datum."""
        from tinker_ext._session.server_facts import load_server_facts
        from tinker_ext._training.custom_loss import (
            backward_loss_for,
            build_forward_data,
            compute_backward,
            merge_custom_metrics,
            policy_backward_data,
        )
        from tinker_ext._training.loss_handle import LossHandle, check_handle_data, per_datum_loss_fn
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
        check_datums(data, "cross_entropy", self._ctx.http.limits, self._known_vocab_size())
        # Measured deviations of this server (tinker-ext contract) decide the backward loss, or refuse.
        backward_loss = backward_loss_for(load_server_facts(self._ctx.http.base_url))
        forward_data = build_forward_data(data, regularizers)
        validate_forward_backward_input(forward_data, "cross_entropy", None)
        check_finite_datums(forward_data)
        chunks = plan_chunks(forward_data, self._ctx.chunk_limits)
        n = len(chunks)
        # 2N ids: forward chunks, then backward chunks with the same boundaries, so a later call
        # (e.g. optim_step) is ordered after both phases.
        first_id, first_admission = self._order.reserve_chunks(2 * n)
        forward_requests = chunk_requests(self.model_id, chunks, "cross_entropy", None, forward_only=True)
        sizes = [len(c) for c in chunks]

        async def run() -> ForwardBackwardOutput:
            # A failure before the backward phase leaves its ids to `release_when_done`.
            forward_out = await run_chunks(
                self._ctx, self._order, first_id, first_admission, forward_requests, "Forward"
            )
            backward_data, metrics, loss_value = await asyncio.to_thread(
                compute_backward, data, forward_out, loss_fn, regularizers
            )
            if backward_loss == "importance_sampling":
                backward_data = policy_backward_data(backward_data, forward_out)
            check_finite_datums(backward_data)  # before any backward chunk is sent
            backward_chunks, start = [], 0
            for size in sizes:
                backward_chunks.append(backward_data[start : start + size])
                start += size
            requests = chunk_requests(self.model_id, backward_chunks, backward_loss, None, forward_only=False)
            backward_out = await run_chunks(
                self._ctx, self._order, first_id + n, first_admission + n, requests, "ForwardBackward"
            )
            return merge_custom_metrics(backward_out, metrics, loss_value, backward_data)

        return self._submit_in_order(
            run(), range(first_id, first_id + 2 * n), range(first_admission, first_admission + 2 * n)
        )

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
        from tinker_ext.types import AdamParams, OptimParamsBase, OptimStepRequest, OptimStepResponse

        if (optim_params is None) == (adam_params is None):
            raise InvalidInputError("optim_step needs exactly one of optim_params or adam_params")
        params = optim_params if optim_params is not None else adam_params
        if not isinstance(params, AdamParams | OptimParamsBase):
            raise InvalidInputError(
                "optim_params must be AdamParams, DimuonParams or OptimParamsBase, got "
                f"{type(params).__name__}"
            )
        body = OptimStepRequest(optim_params=params, model_id=self.model_id)
        request = self._request(endpoints.OPTIM_STEP, body)
        return self._enqueue(request, OptimStepResponse.from_wire, "OptimStep")

    async def optim_step_async(
        self, optim_params: OptimParams | None = None, *, adam_params: AdamParams | None = None
    ) -> APIFuture[OptimStepResponse]:
        return self.optim_step(optim_params, adam_params=adam_params)

    # -- checkpoints
