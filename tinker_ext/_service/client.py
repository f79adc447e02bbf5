"""`ServiceClient`: the entry point. It builds the shared `ClientContext` (`_session.context`: HTTP layer, wire,
session, heartbeat, counters) and creates the training, sampling and REST clients on it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import httpx
from tinker_ext_raw import endpoints

from tinker_ext._core.exceptions import InvalidInputError
from tinker_ext._core.refusal import clears_locals_on_refusal
from tinker_ext._observe.metrics import MetricsExporter, MetricsSnapshot
from tinker_ext._session.futures import APIFuture
from tinker_ext._session.opening import open_context
from tinker_ext._session.polling import QueueStateChange
from tinker_ext._session.raw_access import RawResponses
from tinker_ext._session.sample_dispatch import SamplingDispatch
from tinker_ext._wire.calls import submit_request
from tinker_ext._wire.http import ApiKey
from tinker_ext._wire.limits import Limits
from tinker_ext._wire.negotiation import Wire, WirePreference
from tinker_ext._wire.origin import display_origin
from tinker_ext._wire.retry import RetryPolicy, Timing

if TYPE_CHECKING:
    from tinker_ext._rest.client import RestClient
    from tinker_ext._sampling.client import SamplingClient
    from tinker_ext._session.telemetry import Telemetry
    from tinker_ext._training.client import TrainingClient
    from tinker_ext._training.loss_handle import LossHandle, PerDatumLossFn
    from tinker_ext._training.recovery_policy import RecoveryPolicy
    from tinker_ext._wire.retry_config import RetryConfig
    from tinker_ext.types import GetServerCapabilitiesResponse
    from tinker_ext.types.optim import OptimizerConfig

from tinker_ext._session.context import (
    DEFAULT_FUTURE_TIMEOUT_S,
    HEARTBEAT_INTERVAL_S,
    ClientContext,
    FinishReason,
)

__all__ = ["ClientContext", "FinishReason", "ServiceClient"]


T = TypeVar("T")


class ServiceClient:
    """Entry point: creates training, sampling and REST clients against one Tinker server.

    Lazy: nothing is sent until the first call that needs the server.
    """

    @clears_locals_on_refusal
    def __init__(
        self,
        user_metadata: Mapping[str, Any] | None = None,
        project_id: str | None = None,
        *,
        display_name: str | None = None,
        base_url: str | None = None,
        api_key: str | ApiKey | None = None,
        default_headers_overrides: Mapping[str, str] | None = None,
        limits: Limits | None = None,
        future_timeout: float | None = DEFAULT_FUTURE_TIMEOUT_S,
        on_queue_state_change: Callable[[QueueStateChange], None] | None = None,
        retry_policy: RetryPolicy | None = None,
        default_headers: Mapping[str, str] | None = None,
        timeout: httpx.Timeout | None = None,
        wire: WirePreference = "auto",
        sampling_dispatch: SamplingDispatch | None = None,
        metrics_exporter: MetricsExporter | None = None,
        metrics_export_interval: float = 10.0,
        tracing: bool | None = None,
        wait_report_interval: float = 60.0,
        keep_raw_responses: int = 0,
        _transport: httpx.AsyncBaseTransport | None = None,
        _timing: Timing | None = None,
        _heartbeat_interval: float = HEARTBEAT_INTERVAL_S,
        _heartbeat_timing: Timing | None = None,
    ) -> None:
        """`display_name` names the session in the console; `default_headers_overrides` (0.38) and
        `default_headers` (0.25) are extra headers on every request (overrides win). Unknown keywords
        raise TypeError (0.38 ignores them with a warning; nothing is dropped silently here).
        `sampling_dispatch` bounds the samples in flight at once and sizes the connection pool
        (`tinker_ext.SamplingDispatch`: 128 samples, 32 MiB of prompts, 192 connections by default).
        Observability (docs/OBSERVABILITY.md): `metrics_exporter` gets a `MetricsSnapshot` at most every
        `metrics_export_interval` seconds and at close; `tracing` (None: on when opentelemetry has a
        tracer provider configured); a future still waiting after `wait_report_interval` seconds logs
        what it waits for at INFO; `keep_raw_responses` > 0 keeps that many HTTP responses behind every
        future (`future.raw_responses`; off by default: a kept response costs memory and GC time while
        its call runs; `with_raw_response` calls keep theirs regardless)."""
        self._ctx = open_context(
            user_metadata,
            project_id,
            display_name=display_name,
            base_url=base_url,
            api_key=api_key,
            default_headers_overrides=default_headers_overrides,
            limits=limits,
            future_timeout=future_timeout,
            on_queue_state_change=on_queue_state_change,
            retry_policy=retry_policy,
            default_headers=default_headers,
            timeout=timeout,
            wire=wire,
            sampling_dispatch=sampling_dispatch,
            metrics_exporter=metrics_exporter,
            metrics_export_interval=metrics_export_interval,
            tracing=tracing,
            wait_report_interval=wait_report_interval,
            keep_raw_responses=keep_raw_responses,
            _transport=_transport,
            _timing=_timing,
            _heartbeat_interval=_heartbeat_interval,
            _heartbeat_timing=_heartbeat_timing,
        )
        api_key = None  # the raw key leaves this frame's locals

    def __repr__(self) -> str:
        ctx = getattr(self, "_ctx", None)  # unset while __init__ runs (tracebacks with locals)
        if ctx is None:
            return "ServiceClient(<not configured>)"
        return (
            f"ServiceClient(origin={display_origin(ctx.http.base_url)!r}, session_id={ctx.session_id!r}, "
            f"wire={ctx.wire.wire!r})"
        )

    @property
    def wire(self) -> Wire | None:
        """The wire of forward/forward_backward bodies: "json" or "protobuf" (None while `wire="auto"`
        has not asked the server yet; see `tinker_ext._wire.negotiation`)."""
        return self._ctx.wire.wire

    @property
    def session_id(self) -> str | None:
        return self._ctx.session_id

    @property
    def limits(self) -> Limits:
        return self._ctx.http.limits

    @property
    def possibly_duplicated_requests(self) -> int:
        """Non-idempotent POSTs this client retried after the request may have reached the server. A
        server that ignores X-Idempotency-Key may have applied each twice (skyrl-tx 0.3.0: any; skyrl
        0.4.0: those without a training seq_id); the hosted Tinker service deduplicates by the key."""
        return self._ctx.http.possible_duplicates

    def metrics(self) -> MetricsSnapshot:
        """This client's metrics so far, per operation (`.to_dict()`, `.to_prometheus()`)."""
        return self._ctx.http.observer.metrics.snapshot()

    @property
    def with_raw_response(self) -> RawResponses[ServiceClient]:
        """This client's methods returning the `APIResponse` of each call (`.parse()`: the result)."""
        return RawResponses(self, self._ctx)

    @property
    def holder(self) -> ClientContext:
        """The state the clients of this ServiceClient share (0.38: `SamplingClient.create(service.holder, ...)`)."""
        return self._ctx

    # -- context manager

    def __enter__(self) -> ServiceClient:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        self.close(_exit_reason(exc))

    async def __aenter__(self) -> ServiceClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object
    ) -> None:
        await self.close_async(_exit_reason(exc))

    def close(self, status: FinishReason | None = None, detail: str | None = None) -> APIFuture[None]:
        """Finish the session (`status`: "success" (default), "errored" or "interrupted"; the first
        reason given wins), stop the heartbeat and close connections.

        The finish request is best effort: servers without the endpoint (skyrl-tx answers 404) and
        network failures are logged, never raised. Calling close again does nothing. Blocks until done
        and returns a finished future (0.38 code calls `.result()` on it), except on the SDK loop.
        """
        self._ctx.record_finish_reason(status or "success", detail)
        if self._ctx.closed:
            return APIFuture.completed(None)
        if self._ctx.loop.is_current_thread():  # called from a callback on the SDK loop: cannot block
            return self._ctx.submit(self._ctx.aclose())
        self._ctx.run(self._ctx.aclose())
        return APIFuture.completed(None)

    async def close_async(self, status: FinishReason | None = None, detail: str | None = None) -> None:
        """`close` for async code (does not block the caller's event loop)."""
        self._ctx.record_finish_reason(status or "success", detail)
        if not self._ctx.closed:
            await asyncio.wrap_future(self._ctx.loop.submit(self._ctx.aclose()))

    # -- server info

    def get_server_capabilities(self) -> GetServerCapabilitiesResponse:
        """The server's models (blocking; 0.38 returns the value here, RestClient returns a future)."""
        from tinker_ext._rest.client import RestClient

        return RestClient._from_context(self._ctx).get_server_capabilities().result()

    async def get_server_capabilities_async(self) -> GetServerCapabilitiesResponse:
        from tinker_ext._rest.client import RestClient

        return await RestClient._from_context(self._ctx).get_server_capabilities()

    def get_telemetry(self) -> Telemetry | None:
        """The telemetry sink (None when TINKER_TELEMETRY turns it off), as 0.38."""
        return self._ctx.telemetry

    def get_console_url(self) -> str:
        """The web console page of this client's session (the session is created if needed)."""
        from tinker_ext._core.console import session_url

        return session_url(self._ctx.run(self._ctx.ensure_session()))

    def create_rest_client(self) -> RestClient:
        from tinker_ext._rest.client import RestClient

        return RestClient._from_context(self._ctx)

    def copy_weights(
        self, path: str, *, ttl_seconds: int | None = None, weights_access_token: str | None = None
    ) -> APIFuture[str]:
        """Copy the checkpoint `path` into this client's project (`project_id` or `TINKER_PROJECT_ID`);
        see `RestClient.copy_weights`. Not supported by the local skyrl-tx server (wire tests only)."""
        from tinker_ext._rest.client import RestClient

        return RestClient._from_context(self._ctx)._copy_weights(
            path, self._ctx.project_id, ttl_seconds, weights_access_token
        )

    async def copy_weights_async(
        self, path: str, *, ttl_seconds: int | None = None, weights_access_token: str | None = None
    ) -> str:
        return await self.copy_weights(
            path, ttl_seconds=ttl_seconds, weights_access_token=weights_access_token
        )

    # -- futures

    def retrieve_future(
        self, request_id: str, result_type: type[T], *, request_type: str | None = None
    ) -> APIFuture[T]:
        """Re-attach to a request submitted earlier, by this process or one before it (the ids are in
        `APIFuture.request_ids`): poll its result as `result_type` (ForwardBackwardOutput, OptimStepResponse,
        SaveWeightsResponse, SampleResponse, ...), decoded as the original call would have. `request_type`
        is the label sent with the polls and logged (default: from the type's name). A server that no
        longer knows the id answers 404 (NotFoundError)."""
        from tinker_ext._session.futures import note_request_id
        from tinker_ext._session.polling import poll_future, result_converters

        if not isinstance(request_id, str) or not request_id:
            raise InvalidInputError(f"request_id must be a non-empty string, got {request_id!r}")
        if request_type is not None and (not isinstance(request_type, str) or not request_type):
            raise InvalidInputError(f"request_type must be a non-empty string or None, got {request_type!r}")
        convert, convert_protobuf, default_type = result_converters(result_type)
        ctx = self._ctx

        async def poll() -> T:
            note_request_id(request_id)
            return await poll_future(
                ctx.http,
                request_id,
                convert,
                request_type=request_type or default_type,
                deadline=ctx.deadline(),
                on_queue_state_change=ctx.on_queue_state_change,
                convert_protobuf=convert_protobuf,
            )

        return ctx.submit(poll())

    # -- custom losses

    def create_custom_loss(self, fn: PerDatumLossFn, input_ranks: Mapping[str, int]) -> APIFuture[LossHandle]:
        """Trace `fn(logprobs, *inputs) -> (loss, metrics)` into a LossHandle for
        `TrainingClient.forward_backward_custom(data, handle)`. `input_ranks` gives every parameter's rank
        (0 scalar, 1 [T], 2 [T, K]). Servers announcing `custom_loss_server_side` register the graph and
        compute the loss themselves; otherwise the handle runs client-side. Needs torch."""

        async def create() -> LossHandle:
            from tinker_ext._training.loss_handle import encode_graph, trace_loss
            from tinker_ext.types import CreateCustomLossRequest, CreateCustomLossResponse, CustomLossGraph

            session_id = await self._ctx.ensure_session()
            await self._ctx.ensure_client_config()
            handle = trace_loss(fn, input_ranks, session_id)
            if handle.key in self._ctx.custom_loss_keys:
                raise InvalidInputError(f"custom loss {handle.name!r} was already created in this session")
            self._ctx.custom_loss_keys.add(handle.key)
            if not self._ctx.custom_loss_server_side:
                return handle
            body = CreateCustomLossRequest(
                session_id=session_id,
                custom_loss_seq_id=next(self._ctx.custom_loss_seq),
                name=handle.name,
                inputs=list(handle.inputs),
                graph=CustomLossGraph.from_wire(encode_graph(handle.graph)),
            )
            # a 409: the name is taken, not retried
            call = submit_request(endpoints.CREATE_CUSTOM_LOSS, body, conflict_name=handle.name)
            promise = await self._ctx.perform(call)
            loss_id = await self._ctx.wait_future(
                promise, lambda d: CreateCustomLossResponse.from_json(d).loss_id, "CreateCustomLoss"
            )
            return attrs.evolve(handle, loss_id=loss_id)

        return self._ctx.submit(create())

    # -- training clients

    def create_lora_training_client(
        self,
        base_model: str,
        rank: int = 32,
        seed: int | None = None,
        train_mlp: bool = True,
        train_attn: bool = True,
        train_unembed: bool = True,
        user_metadata: Mapping[str, Any] | None = None,
        optimizer: OptimizerConfig | None = None,
        *,
        recovery: RecoveryPolicy | None = None,
    ) -> TrainingClient:
        """Create a LoRA model and return its TrainingClient (blocking). `recovery`: opt in to surviving a
        server restart or a lost model mid-run (`tinker_ext.RecoveryPolicy`; docs/RECOVERY.md). `optimizer` picks the optimizer
        family (`DimuonOptimizerConfig()`; default AdamW); a server without it answers with an error. The client also behaves as a
        finished future of itself: `.result()`, `await`, `.future()`, `.coroutine()` work (tinker 0.38
        style), so does `await create_lora_training_client_async(...)` (0.25 style)."""
        return self._ctx.run(
            self._create_lora(
                base_model,
                rank,
                seed,
                train_mlp,
                train_attn,
                train_unembed,
                user_metadata,
                optimizer,
                recovery,
            )
        )

    async def create_lora_training_client_async(
        self,
        base_model: str,
        rank: int = 32,
        seed: int | None = None,
        train_mlp: bool = True,
        train_attn: bool = True,
        train_unembed: bool = True,
        user_metadata: Mapping[str, Any] | None = None,
        optimizer: OptimizerConfig | None = None,
        *,
        recovery: RecoveryPolicy | None = None,
    ) -> TrainingClient:
        coro = self._create_lora(
            base_model, rank, seed, train_mlp, train_attn, train_unembed, user_metadata, optimizer, recovery
        )
        return await asyncio.wrap_future(self._ctx.loop.submit(coro))

    async def _create_lora(
        self,
        base_model: str,
        rank: int,
        seed: int | None,
        train_mlp: bool,
        train_attn: bool,
        train_unembed: bool,
        user_metadata: Mapping[str, Any] | None,
        optimizer: OptimizerConfig | None = None,
        recovery: RecoveryPolicy | None = None,
    ) -> TrainingClient:
        from tinker_ext._service.model_creation import LoraSettings, create_lora, create_recoverable

        lora = LoraSettings(rank, seed, train_mlp, train_attn, train_unembed)
        return await create_recoverable(
            self._ctx,
            lambda: create_lora(self._ctx, base_model, lora, user_metadata, optimizer),
            recovery,
            base_model=base_model,
            user_metadata=user_metadata,
            optimizer=optimizer,
        )

    def create_training_client_from_state(
        self,
        path: str,
        base_model: str | None = None,
        user_metadata: Mapping[str, Any] | None = None,
        weights_access_token: str | None = None,
        optimizer: OptimizerConfig | None = None,
        *,
        recovery: RecoveryPolicy | None = None,
    ) -> TrainingClient:
        """A new LoRA TrainingClient configured like the checkpoint `path` (tinker://RUN/weights/NAME)
        with its weights loaded; the optimizer state starts fresh (`optimizer` picks its family).
        `base_model` overrides the checkpoint's (it must be compatible); `weights_access_token` grants
        access to another owner's checkpoint. Blocking; the client also answers `.result()` / `await`."""
        return self._ctx.run(
            self._from_state(
                path, base_model, user_metadata, weights_access_token, optimizer, False, recovery
            )
        )

    def create_training_client_from_state_with_optimizer(
        self,
        path: str,
        base_model: str | None = None,
        user_metadata: Mapping[str, Any] | None = None,
        weights_access_token: str | None = None,
        *,
        recovery: RecoveryPolicy | None = None,
    ) -> TrainingClient:
        """`create_training_client_from_state` that also restores the optimizer state."""
        return self._ctx.run(
            self._from_state(path, base_model, user_metadata, weights_access_token, None, True, recovery)
        )

    async def create_training_client_from_state_async(
        self,
        path: str,
        base_model: str | None = None,
        user_metadata: Mapping[str, Any] | None = None,
        weights_access_token: str | None = None,
        optimizer: OptimizerConfig | None = None,
        *,
        recovery: RecoveryPolicy | None = None,
    ) -> TrainingClient:
        coro = self._from_state(
            path, base_model, user_metadata, weights_access_token, optimizer, False, recovery
        )
        return await asyncio.wrap_future(self._ctx.loop.submit(coro))

    async def create_training_client_from_state_with_optimizer_async(
        self,
        path: str,
        base_model: str | None = None,
        user_metadata: Mapping[str, Any] | None = None,
        weights_access_token: str | None = None,
        *,
        recovery: RecoveryPolicy | None = None,
    ) -> TrainingClient:
        coro = self._from_state(path, base_model, user_metadata, weights_access_token, None, True, recovery)
        return await asyncio.wrap_future(self._ctx.loop.submit(coro))

    async def _from_state(
        self,
        path: str,
        base_model: str | None,
        user_metadata: Mapping[str, Any] | None,
        weights_access_token: str | None,
        optimizer: OptimizerConfig | None,
        with_optimizer: bool,
        recovery: RecoveryPolicy | None = None,
    ) -> TrainingClient:
        from tinker_ext._service.model_creation import create_recoverable, from_state

        return await create_recoverable(
            self._ctx,
            lambda: from_state(
                self._ctx, path, base_model, user_metadata, weights_access_token, optimizer, with_optimizer
            ),
            recovery,
            base_model=base_model,
            user_metadata=user_metadata,
            optimizer=optimizer,
        )

    # -- sampling clients

    def create_sampling_client(
        self,
        model_path: str | None = None,
        base_model: str | None = None,
        retry_config: RetryConfig | None = None,
        record_stability_info: bool = False,
    ) -> SamplingClient:
        """A SamplingClient on saved sampler weights (`model_path`) or a base model (blocking; the
        client also answers `.result()`, `await`, `.future()`, `.coroutine()` like a finished future).
        `record_stability_info` is sent with every sample request of the client."""
        return self._ctx.run(
            self._create_sampling(model_path, base_model, retry_config, record_stability_info)
        )

    async def create_sampling_client_async(
        self,
        model_path: str | None = None,
        base_model: str | None = None,
        retry_config: RetryConfig | None = None,
        record_stability_info: bool = False,
    ) -> SamplingClient:
        coro = self._create_sampling(model_path, base_model, retry_config, record_stability_info)
        return await asyncio.wrap_future(self._ctx.loop.submit(coro))

    async def _create_sampling(
        self,
        model_path: str | None,
        base_model: str | None,
        retry_config: RetryConfig | None,
        record_stability_info: bool,
    ) -> SamplingClient:
        from tinker_ext._sampling.client import SamplingClient

        return await SamplingClient._create(
            self._ctx,
            model_path=model_path,
            base_model=base_model,
            retry_config=retry_config,
            record_stability_info=record_stability_info,
        )


def _exit_reason(exc: BaseException | None) -> FinishReason:
    """Finish reason of a `with` block: success, errored (an Exception) or interrupted (e.g. Ctrl-C)."""
    if exc is None:
        return "success"
    return "errored" if isinstance(exc, Exception) else "interrupted"
