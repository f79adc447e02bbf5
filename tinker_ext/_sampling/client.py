"""`SamplingClient`: sampling and prompt logprobs from a base model or saved sampler weights.

Each `sample()` takes the next seq_id of this client (no ordering is enforced among samples). If the
server drops a promise (HTTP 410 while polling), the sample is resubmitted with a new seq_id. How many
samples are in flight at once, and the backoff on 429, is the ServiceClient's `_session.sample_dispatch.SampleDispatcher`.
"""

from __future__ import annotations

import functools
import itertools
import logging
import threading
import uuid
from typing import TYPE_CHECKING, Any

from tinker_ext_raw import endpoints
from tinker_ext_raw.public import QueueState

from tinker_ext._core.exceptions import (
    FutureTimeoutError,
    InvalidInputError,
    PromiseExpiredError,
    RateLimitError,
)
from tinker_ext._core.refusal import clears_locals_on_refusal
from tinker_ext._session.futures import APIFuture, CreatedClient
from tinker_ext._session.raw_access import RawResponses
from tinker_ext._session.sample_dispatch import prompt_byte_estimate
from tinker_ext._session.server_facts import warn_if_snapshot_rewinds
from tinker_ext._wire.answers import invalid_answer
from tinker_ext._wire.calls import Call, request_for, submit_request
from tinker_ext._wire.http import decode_model
from tinker_ext._wire.json_arrays import sample_values_dtype
from tinker_ext._wire.validation import check_sample_call, vocab_size_of
from tinker_ext.types._wire import ResponseFormatError
from tinker_ext.types.checkpoint_path import ParsedCheckpointTinkerPath

if TYPE_CHECKING:
    from collections.abc import Callable

    from tinker_ext._session.context import ClientContext
    from tinker_ext._session.telemetry import Telemetry
    from tinker_ext._tokenizers.loader import Tokenizer
    from tinker_ext._wire.answer_checks import SampleExpectation
    from tinker_ext._wire.retry_config import RetryConfig
    from tinker_ext.types import ModelInput, SampleResponse, SamplingParams, TensorData, UntypedAPIFuture

__all__ = ["SamplingClient"]

logger = logging.getLogger("tinker_ext")

_MAX_RESUBMITS = 3
_CLONE_STRIDE = 1_000_000_000  # seq_ids of one clone of a client (0.38: cloned_sampler_id = seq_id // 10**9)
BACKPRESSURE_HEADER = "X-Tinker-Sampling-Backpressure"
_THROTTLED_REASON = "the server asked to slow down (HTTP 429); samples are paused briefly and resent"


class SamplingClient(CreatedClient):
    """Samples from one sampling session. Create it with `ServiceClient.create_sampling_client(...)` or
    `TrainingClient.save_weights_and_get_sampling_client()` (which return the client itself; it also
    answers `.result()`, `await`, `.future()` ... like a finished future of itself)."""

    def __init__(
        self,
        ctx: ClientContext,
        sampling_session_id: str,
        *,
        base_model: str | None,
        retry_config: RetryConfig | None = None,
        record_stability_info: bool = False,
    ) -> None:
        from tinker_ext._wire.retry_config import check_retry_config

        self.retry_config = check_retry_config(retry_config)
        self.record_stability_info = bool(record_stability_info)
        self._handle_session_id: str | None = None  # the session of a client rebuilt from a handle
        self._ctx = ctx
        self.sampling_session_id = sampling_session_id
        self._base_model = base_model
        self._seq_lock = threading.Lock()
        self._seq = itertools.count()
        self._vocab_size: int | None = None  # from the tokenizer: loaded, or found locally
        self._vocab_looked_up = False
        self._throttle_state: str = QueueState.ACTIVE  # reported through on_queue_state_change

    def __repr__(self) -> str:
        return f"SamplingClient(sampling_session_id={self.sampling_session_id!r}, base_model={self._base_model!r})"

    @classmethod
    async def _create(
        cls,
        ctx: ClientContext,
        *,
        model_path: str | None,
        base_model: str | None,
        known_base_model: str | None = None,
        retry_config: RetryConfig | None = None,
        record_stability_info: bool = False,
    ) -> SamplingClient:
        from tinker_ext._wire.retry_config import check_retry_config

        check_retry_config(retry_config)
        if (model_path is None) == (base_model is None):
            raise InvalidInputError("Pass exactly one of model_path or base_model")
        if model_path is not None:
            ParsedCheckpointTinkerPath.from_tinker_path(model_path)  # the one strict parser
            warn_if_snapshot_rewinds(ctx.http.base_url, model_path)
        seq_id = ctx.next_sampling_session_seq_id()
        session_id = await ctx.ensure_session()
        from tinker_ext.types import CreateSamplingSessionRequest

        body = CreateSamplingSessionRequest(
            session_id=session_id,
            sampling_session_seq_id=seq_id,
            model_path=model_path,
            base_model=None if model_path is not None else base_model,
        )
        created = await ctx.perform(request_for(endpoints.CREATE_SAMPLING_SESSION, body))
        sampling_session_id = created.sampling_session_id  # non-empty (minLength 1 in the spec)
        resolved = base_model or known_base_model
        if resolved is None and model_path is not None:
            resolved = await _base_model_of_path(ctx, model_path, sampling_session_id)
        return cls(
            ctx,
            sampling_session_id,
            base_model=resolved,
            retry_config=retry_config,
            record_stability_info=record_stability_info,
        )

    @staticmethod
    def create(
        holder: Any,
        *,
        model_path: str | None = None,
        base_model: str | None = None,
        sampling_session_id: str | None = None,
        retry_config: RetryConfig | None = None,
        record_stability_info: bool = False,
    ) -> APIFuture[SamplingClient]:
        """0.38's factory: `holder` is `ServiceClient.holder` (or the ServiceClient). With
        `sampling_session_id`, wraps that existing sampling session; else creates one on `model_path` /
        `base_model` as `ServiceClient.create_sampling_client` does."""
        from tinker_ext._session.context import ClientContext

        ctx = getattr(holder, "holder", holder)  # a ServiceClient hands out its context as `holder`
        if not isinstance(ctx, ClientContext):
            raise InvalidInputError(f"holder must be ServiceClient.holder, got {type(holder).__name__}")
        if sampling_session_id is not None:
            client = SamplingClient(
                ctx,
                sampling_session_id,
                base_model=base_model,
                retry_config=retry_config,
                record_stability_info=record_stability_info,
            )
            return APIFuture.completed(client)
        return ctx.submit(
            SamplingClient._create(
                ctx,
                model_path=model_path,
                base_model=base_model,
                retry_config=retry_config,
                record_stability_info=record_stability_info,
            )
        )

    def get_sampler_handle(self) -> str:
        """A string that rebuilds this client in another process (`from_sampler_handle`); it holds the
        server URL and session ids, never a credential."""
        from tinker_ext._sampling.handle import encode_handle

        return encode_handle(
            self._ctx,
            self.sampling_session_id,
            self._base_model,
            self.record_stability_info,
            self._ctx.session_id or self._handle_session_id,
        )

    @staticmethod
    @clears_locals_on_refusal
    def from_sampler_handle(handle: str, *, api_key: str | None = None) -> SamplingClient:
        """The SamplingClient of a handle from `get_sampler_handle()`. Authenticates with `api_key` or
        `TINKER_API_KEY`; a key from the environment is only sent to the configured server
        (`TINKER_BASE_URL`), so a handle for another server needs `api_key=`."""
        from tinker_ext._sampling.handle import open_handle

        opened = open_handle(handle, api_key)
        client = SamplingClient(
            opened.ctx,
            opened.sampling_session_id,
            base_model=opened.base_model,
            record_stability_info=opened.record_stability_info,
        )
        client._handle_session_id = opened.session_id
        # A copy of a client (another process, a Ray worker) samples on the same sampling session: its
        # seq_ids start at `clone id * 10**9` with a random clone id in [1, 10**9], as 0.38's unpickled
        # clients do, so that copies never send the same (sampling_session_id, seq_id) pair.
        client._seq = itertools.count(_CLONE_STRIDE * (uuid.uuid4().int % _CLONE_STRIDE + 1))
        return client

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickles as its handle (no credentials); unpickling authenticates like from_sampler_handle.
        return (SamplingClient.from_sampler_handle, (self.get_sampler_handle(),))

    def on_queue_state_change(self, queue_state: str, queue_state_reason: str | None) -> None:
        """Hook called with this client's queue state; forwards to `ServiceClient(on_queue_state_change=...)`
        when one is set (0.38 subclasses override it to observe queueing)."""
        from tinker_ext._session.polling import QueueStateChange

        callback = self._ctx.on_queue_state_change
        if callback is not None:
            callback(QueueStateChange(request_id="", queue_state=queue_state, reason=queue_state_reason))

    async def _submit(self, call: Call[UntypedAPIFuture], nbytes: int) -> UntypedAPIFuture:
        """POST asample until the server takes it. A 429 (busy, or backpressure) is not an error: the
        dispatcher pauses new POSTs and lowers the cap, and the same request (seq_id, idempotency key)
        goes again, until the client's future_timeout (else the retry policy's progress_timeout)."""
        ctx = self._ctx
        dispatcher = ctx.sample_dispatcher
        clock = ctx.http.timing.clock
        deadline = ctx.deadline()
        if deadline is None:
            deadline = clock() + ctx.http.retry_policy.progress_timeout
        while True:
            await dispatcher.wait_out_backoff()
            try:
                promise = await ctx.perform(call)
            except RateLimitError as exc:
                dispatcher.on_throttled(nbytes)
                self._report_throttling(QueueState.PAUSED_RATE_LIMIT, _THROTTLED_REASON)
                if clock() >= deadline:
                    raise FutureTimeoutError(
                        "The server kept answering 429 (busy) to a sample until its deadline "
                        "(ServiceClient(future_timeout=...))"
                    ) from exc
                continue
            dispatcher.on_accepted()
            self._report_throttling(QueueState.ACTIVE, None)
            return promise

    def _report_throttling(self, state: QueueState, reason: str | None) -> None:
        """Tell `on_queue_state_change` when this client's samples start or stop being throttled."""
        if state == self._throttle_state:
            return
        self._throttle_state = state
        try:
            self.on_queue_state_change(state, reason)
        except Exception:  # a user hook must not break sampling
            logger.exception("on_queue_state_change raised")

    def _next_seq_id(self) -> int:
        with self._seq_lock:
            return next(self._seq)

    def get_base_model(self) -> str:
        if self._base_model is None:
            raise InvalidInputError("The base model of this sampling client is unknown")
        return self._base_model

    async def get_base_model_async(self) -> str:
        return self.get_base_model()

    @property
    def with_raw_response(self) -> RawResponses[SamplingClient]:
        """This client's methods answering with the `APIResponse` of each call (`.parse()`: the result)."""
        return RawResponses(self, self._ctx)

    def get_telemetry(self) -> Telemetry | None:
        """The telemetry sink (None when TINKER_TELEMETRY turns it off), as 0.38."""
        return self._ctx.telemetry

    def _known_vocab_size(self) -> int | None:
        """The vocabulary token ids are checked against: that of the tokenizer `get_tokenizer()` loaded,
        else of the base model's tokenizer when its file is on this machine (looked up once)."""
        if self._vocab_size is None and not self._vocab_looked_up:
            from tinker_ext._tokenizers.loader import local_vocab_size

            self._vocab_looked_up = True
            self._vocab_size = local_vocab_size(self._base_model)
        return self._vocab_size

    def get_tokenizer(self) -> Tokenizer:
        from tinker_ext._tokenizers.loader import get_tokenizer

        tokenizer = get_tokenizer(self.get_base_model(), None)
        self._vocab_size = vocab_size_of(tokenizer)  # token ids are checked against it from now on
        return tokenizer

    def sample(
        self,
        prompt: ModelInput,
        num_samples: int,
        sampling_params: SamplingParams,
        include_prompt_logprobs: bool = False,
        topk_prompt_logprobs: int = 0,
        topk_sample_logprobs: int = 0,
        target_prompt_logprobs: TensorData | None = None,
        prompt_alt_tokens_k: int = 0,
        prompt_logprobs_last_n: int | None = None,
    ) -> APIFuture[SampleResponse]:
        """`num_samples` completions of `prompt`. Options (0.38): `include_prompt_logprobs` /
        `topk_prompt_logprobs` (prompt logprobs, top-k per prompt token), `topk_sample_logprobs` (top-k
        per sampled token), `target_prompt_logprobs` (int64 [prompt_len, n] token ids whose logprobs to
        score), `prompt_alt_tokens_k`, `prompt_logprobs_last_n` (only the last n prompt positions; needs
        include_prompt_logprobs). A server without an option answers with an error or leaves the field
        out; a missing requested field is reported as an error."""
        from tinker_ext._sampling.options import check_sampling_options
        from tinker_ext.types import SampleRequest

        check_sample_call(
            prompt,
            num_samples,
            sampling_params,
            include_prompt_logprobs,
            topk_prompt_logprobs,
            self._ctx.http.limits,
            self._known_vocab_size(),
        )
        options = check_sampling_options(
            include_prompt_logprobs=include_prompt_logprobs,
            topk_sample_logprobs=topk_sample_logprobs,
            target_prompt_logprobs=target_prompt_logprobs,
            prompt_alt_tokens_k=prompt_alt_tokens_k,
            prompt_logprobs_last_n=prompt_logprobs_last_n,
            record_stability_info=self.record_stability_info,
        )

        # Built (and so checked) before a seq_id is taken: a refused call takes none.
        sample_request = SampleRequest(
            prompt=prompt,
            sampling_params=sampling_params,
            num_samples=num_samples,
            sampling_session_id=self.sampling_session_id,
            seq_id=0,
            prompt_logprobs=include_prompt_logprobs,
            topk_prompt_logprobs=topk_prompt_logprobs,
            **options.request_fields(),
        )

        def build(seq_id: int) -> Call[UntypedAPIFuture]:
            return submit_request(
                endpoints.ASAMPLE,
                sample_request._replaced(seq_id=seq_id),
                idempotency_key=str(uuid.uuid4()),
                retry_rate_limited=False,
                # Ask the server to answer 429 rather than queue: the dispatcher backs off
                # (docs/PROTOCOL.md, Sampling backpressure).
                headers={BACKPRESSURE_HEADER: "1"},
            )

        first = build(self._next_seq_id())  # encoded once, here in the caller's thread
        nbytes = prompt_byte_estimate(prompt)

        expect = options.expectation(
            prompt,
            num_samples,
            sampling_params,
            topk_prompt_logprobs,
            self._vocab_size,
            self._ctx.http.limits,
        )

        return self._ctx.submit(self._sample_resubmitting(first, build, expect, nbytes))

    async def _sample_resubmitting(
        self,
        first: Call[UntypedAPIFuture],
        build: Callable[[int], Call[UntypedAPIFuture]],
        expect: SampleExpectation,
        nbytes: int,
    ) -> SampleResponse:
        """Send `first` under the dispatcher's limits and wait for its result; a promise that expired is
        resubmitted (rebuilt with a fresh seq_id) up to `_MAX_RESUBMITS` times."""
        dispatcher = self._ctx.sample_dispatcher
        await dispatcher.acquire(self, nbytes)
        try:
            request = first
            for attempt in range(_MAX_RESUBMITS + 1):
                promise = await self._submit(request, nbytes)
                sequence_ids = promise.sample_sequence_ids  # 0.38 servers: one per sample
                try:
                    response = await self._ctx.wait_future(
                        promise,
                        expect.decode_json,
                        "Sample",
                        expect.decode_protobuf,
                        max_result_bytes=expect.result_bytes,
                        numpy_dtype=sample_values_dtype,
                    )
                    return decode_model(
                        response, functools.partial(_with_sequence_ids, sequence_ids=sequence_ids)
                    )
                except PromiseExpiredError:
                    if attempt == _MAX_RESUBMITS:
                        raise
                    request = build(self._next_seq_id())
            raise AssertionError("unreachable")
        finally:
            dispatcher.release(nbytes)

    async def sample_async(
        self,
        prompt: ModelInput,
        num_samples: int,
        sampling_params: SamplingParams,
        include_prompt_logprobs: bool = False,
        topk_prompt_logprobs: int = 0,
        topk_sample_logprobs: int = 0,
        target_prompt_logprobs: TensorData | None = None,
        prompt_alt_tokens_k: int = 0,
        prompt_logprobs_last_n: int | None = None,
    ) -> SampleResponse:
        return await self.sample(
            prompt,
            num_samples,
            sampling_params,
            include_prompt_logprobs,
            topk_prompt_logprobs,
            topk_sample_logprobs,
            target_prompt_logprobs,
            prompt_alt_tokens_k,
            prompt_logprobs_last_n,
        )

    def compute_logprobs(
        self, prompt: ModelInput, prompt_logprobs_last_n: int | None = None
    ) -> APIFuture[list[float | None]]:
        """Logprob of every prompt token under the model (first entry None); with
        `prompt_logprobs_last_n`, only the last n positions are computed (the others are None)."""
        from tinker_ext.types import SamplingParams

        fut = self.sample(
            prompt,
            1,
            SamplingParams(max_tokens=1),
            include_prompt_logprobs=True,
            prompt_logprobs_last_n=prompt_logprobs_last_n,
        )

        def take(response: Any) -> list[float | None]:
            logprobs = response.prompt_logprobs
            if logprobs is None:
                raise invalid_answer(
                    "SampleResponse",
                    "/prompt_logprobs",
                    "a list",
                    None,
                    detail="the server returned no prompt logprobs, though they were asked for",
                )
            return list(logprobs)

        return fut.map(take)

    async def compute_logprobs_async(
        self, prompt: ModelInput, prompt_logprobs_last_n: int | None = None
    ) -> list[float | None]:
        return await self.compute_logprobs(prompt, prompt_logprobs_last_n)


def _with_sequence_ids(response: SampleResponse, sequence_ids: list[str] | None) -> SampleResponse:
    """Stamp each sampled sequence with its id from the promise (used by provenance spans)."""
    if sequence_ids is None:
        return response
    if len(sequence_ids) != len(response.sequences):
        raise ResponseFormatError(
            f"asample promise named {len(sequence_ids)} sample_sequence_ids for "
            f"{len(response.sequences)} sequences"
        )
    sequences = [
        sequence._replaced(sequence_id=sequence_id)
        for sequence, sequence_id in zip(response.sequences, sequence_ids, strict=True)
    ]
    return response._replaced(sequences=sequences)


async def _base_model_of_path(ctx: ClientContext, model_path: str, sampler_id: str) -> str | None:
    """Learn the base model of a sampler checkpoint, trying in turn: GET /samplers/{id}, weights_info
    of the path, then GET /training_runs/{run id} of the path. skyrl-tx has no /samplers route and its
    weights_info takes training paths only, so the training run is the one that answers there."""
    from tinker_ext_raw.public import WeightsInfoRequest

    from tinker_ext._core.exceptions import APIResponseValidationError, APIStatusError
    from tinker_ext.types import ParsedCheckpointTinkerPath

    try:
        return (await ctx.perform(request_for(endpoints.GET_SAMPLER, None, sampler_id))).base_model
    except (APIStatusError, APIResponseValidationError):
        pass
    try:
        info = await ctx.perform(
            request_for(endpoints.GET_WEIGHTS_INFO, WeightsInfoRequest(tinker_path=model_path))
        )
        return str(info.base_model)
    except (APIStatusError, APIResponseValidationError):
        pass
    try:
        run_id = ParsedCheckpointTinkerPath.from_tinker_path(model_path).training_run_id
        run = await ctx.perform(request_for(endpoints.GET_TRAINING_RUN, None, run_id))
    except (InvalidInputError, APIStatusError, APIResponseValidationError):
        return None
    return run.base_model or None
