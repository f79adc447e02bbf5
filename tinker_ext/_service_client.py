"""`ServiceClient`: the entry point. Owns the session (created lazily), its heartbeat and the counters
that number models and sampling sessions within it.

`ClientContext` is what every client of one ServiceClient shares: the HTTP layer, the session, deadlines
and the queue-state callback. All its coroutines run on the SDK background loop.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import threading
from collections.abc import Callable, Coroutine, Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, get_args

import attrs
import httpx

from tinker_ext._answers import parse_checked
from tinker_ext._chunking import ChunkLimits
from tinker_ext._exceptions import APIStatusError, InvalidInputError, TinkerError
from tinker_ext._futures import (
    APIFuture,
    BackgroundLoop,
    QueueStateChange,
    background_loop,
    poll_future,
)
from tinker_ext._http import ApiKey, ApiRequest, HttpClient, generated_request, parse_generated
from tinker_ext._limits import Limits
from tinker_ext._negotiation import Wire, WirePreference, WireSelector
from tinker_ext._retry import HEARTBEAT_TIMEOUT, RetryPolicy, Timing
from tinker_ext._validation import check_encodable

if TYPE_CHECKING:
    from tinker_ext._loss_handle import LossHandle, PerDatumLossFn
    from tinker_ext._rest_client import RestClient
    from tinker_ext._retry_config import RetryConfig
    from tinker_ext._sampling_client import SamplingClient
    from tinker_ext._training_client import TrainingClient
    from tinker_ext.types import GetServerCapabilitiesResponse
    from tinker_ext.types.optim import OptimizerConfig

__all__ = ["ClientContext", "FinishReason", "ServiceClient"]

logger = logging.getLogger("tinker_ext")

T = TypeVar("T")

# What servers see as our client version: the SDK generation whose wire we speak. Servers may gate
# features on it; we speak the 0.25 protobuf wire and, for legacy servers, the 0.24 JSON one.
SDK_VERSION = "0.25.0"
JSON_SDK_VERSION = "0.24.1"
DEFAULT_BASE_URL = "https://tinker.thinkingmachines.dev/services/tinker-prod"
HEARTBEAT_INTERVAL_S = 10.0
HEARTBEAT_WARN_AFTER_S = 120.0
DEFAULT_FUTURE_TIMEOUT_S = 7200.0  # the official progress timeout: 120 minutes
FINISH_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
FINISH_MAX_RETRIES = 2  # close() should not hang for long on a server that is going away

# Why a session ended, sent to `POST /api/v1/sessions/{id}/finish`.
FinishReason = Literal["success", "errored", "interrupted"]
FINISH_REASONS: frozenset[str] = frozenset(get_args(FinishReason))


class ClientContext:
    """Shared state of a ServiceClient and the clients it creates."""

    def __init__(
        self,
        http: HttpClient,
        *,
        user_metadata: Mapping[str, Any] | None,
        project_id: str | None,
        future_timeout: float | None,
        display_name: str | None = None,
        on_queue_state_change: Callable[[QueueStateChange], None] | None,
        heartbeat_interval: float = HEARTBEAT_INTERVAL_S,
        heartbeat_timing: Timing | None = None,
        wire: WirePreference = "auto",
    ) -> None:
        self.http = http
        self.wire = WireSelector(wire)
        self.sdk_version = JSON_SDK_VERSION if wire == "json" else SDK_VERSION
        # zstd for protobuf forward_backward bodies, when the server's client/config asks for it.
        self.compress_forward_backward = False
        # Custom losses: registered on the server when its client/config says so (0.38), else run here.
        self.custom_loss_server_side = False
        self.custom_loss_keys: set[str] = set()
        self.custom_loss_seq = itertools.count()
        self.loop: BackgroundLoop = background_loop()
        self.user_metadata = dict(user_metadata) if user_metadata else None
        self.project_id = project_id
        self.display_name = display_name
        self.future_timeout = future_timeout
        self.on_queue_state_change = on_queue_state_change
        self.heartbeat_interval = heartbeat_interval
        # Wall-clock by default even when tests fake the retry clock (a fake no-op sleep would spin).
        self.heartbeat_timing = heartbeat_timing or Timing()
        self.finish_reason: tuple[FinishReason, str | None] | None = None
        self.session_id: str | None = None
        self._session_lock: asyncio.Lock | None = None
        self._heartbeat: asyncio.Task[None] | None = None
        self._counter_lock = threading.Lock()
        self._model_seq = itertools.count()
        self._sampling_seq = itertools.count()
        self.closed = False
        self.chunk_limits = ChunkLimits()
        self._config_fetched = False

    # -- counters (taken synchronously, at call time)

    def next_model_seq_id(self) -> int:
        with self._counter_lock:
            return next(self._model_seq)

    def next_sampling_session_seq_id(self) -> int:
        with self._counter_lock:
            return next(self._sampling_seq)

    # -- running work

    def submit(self, coro: Coroutine[Any, Any, T]) -> APIFuture[T]:
        return APIFuture(self.loop.submit(coro), self.loop)

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return self.loop.run(coro)

    def deadline(self) -> float | None:
        if self.future_timeout is None:
            return None
        return self.http.timing.clock() + self.future_timeout

    async def call(self, request: ApiRequest) -> Any:
        return await self.http.send_json(request)

    async def wait_future(
        self,
        promise: Any,
        convert: Callable[[Any], T],
        request_type: str,
        convert_protobuf: Callable[[bytes], T] | None = None,
    ) -> T:
        """Given a submission's JSON answer ({"request_id", ...}), poll its result (JSON results go to
        `convert`, protobuf ones to `convert_protobuf`)."""
        request_id = str(parse_generated("UntypedAPIFuture", promise).request_id)  # a non-empty str
        return await poll_future(
            self.http,
            request_id,
            convert,
            request_type=request_type,
            deadline=self.deadline(),
            on_queue_state_change=self.on_queue_state_change,
            convert_protobuf=convert_protobuf,
        )

    async def ensure_client_config(self) -> None:
        """Read the server's chunk limits from `client/config` once; servers without it (skyrl-tx: 404)
        keep the defaults."""
        if self._config_fetched:
            return
        from tinker_ext.types import ClientConfigResponse

        try:
            data = await self.call(
                generated_request(
                    "service.client_config",
                    body={"sdk_version": self.sdk_version},
                    body_model="ClientConfigRequest",
                    options={"max_retries": 2},
                )
            )
            config = parse_checked("ClientConfigResponse", ClientConfigResponse.from_json, data)
        except APIStatusError as exc:
            if exc.status_code >= 500:
                raise
            config = None
        self.chunk_limits = ChunkLimits.from_client_config(config)
        self.compress_forward_backward = bool(config is not None and config.proto_compress_fwdbwd)
        self.custom_loss_server_side = bool(config is not None and config.custom_loss_server_side)
        self.wire.decide_from_client_config(answered=config is not None)
        self._config_fetched = True

    async def negotiated_wire(self) -> Wire:
        """The wire for forward/forward_backward bodies (asks `client/config` first under `auto`)."""
        wire = self.wire.wire
        if wire is None:
            await self.ensure_client_config()
            wire = self.wire.decide_from_client_config(answered=False)  # no-op once decided
        return wire

    async def post_forward_backward(self, build: Callable[[Wire], ApiRequest], *, forward_only: bool) -> Any:
        """POST one forward/forward_backward chunk on the negotiated wire; when the server refuses that
        wire (see `_negotiation`), resend the same request (`build` keeps seq_id and idempotency key)
        on the other one."""
        wire = await self.negotiated_wire()
        try:
            return await self.call(build(wire))
        except APIStatusError as exc:
            other = self.wire.fallback_after(wire, exc, forward_only=forward_only)
            if other is None:
                raise
        return await self.call(build(other))

    # -- session

    async def ensure_session(self) -> str:
        if self.closed:
            raise TinkerError("This ServiceClient is closed")
        if self.session_id is not None:
            return self.session_id
        if self._session_lock is None:
            self._session_lock = asyncio.Lock()
        async with self._session_lock:
            if self.session_id is None:
                tags = sorted({t.strip() for t in os.environ.get("TINKER_TAGS", "").split(",") if t.strip()})
                body: dict[str, Any] = {
                    "tags": tags,
                    "user_metadata": self.user_metadata or {},
                    "sdk_version": self.sdk_version,
                    "type": "create_session",
                }
                if self.project_id is not None:
                    body["project_id"] = self.project_id
                if self.display_name is not None:
                    body["display_name"] = self.display_name
                data = await self.call(
                    generated_request("service.create_session", body=body, body_model="CreateSessionRequest")
                )
                parsed = parse_generated("CreateSessionResponse", data)
                for key, level in (
                    ("info_message", logging.INFO),
                    ("warning_message", logging.WARNING),
                    ("error_message", logging.ERROR),
                ):
                    message = data.get(key) if isinstance(data, dict) else None
                    if message:
                        logger.log(level, "%s", message)
                self.session_id = str(parsed.session_id)
                self._heartbeat = asyncio.get_running_loop().create_task(
                    self._heartbeat_loop(self.session_id)
                )
        return self.session_id

    async def _heartbeat_loop(self, session_id: str) -> None:
        """Every `heartbeat_interval` s: `session_heartbeat`, no retries. 410 = the session is finished
        (stop); other failures keep beating and warn on every beat once none succeeded for 120 s."""
        timing = self.heartbeat_timing
        last_success = timing.clock()
        request = generated_request(
            "service.session_heartbeat",
            body={"session_id": session_id, "type": "session_heartbeat"},
            body_model="SessionHeartbeatRequest",
            options={"max_retries": 0, "timeout": HEARTBEAT_TIMEOUT},
        )
        while True:
            await timing.sleep(self.heartbeat_interval)
            try:
                await self.http.send(request)
                last_success = timing.clock()
            except APIStatusError as exc:
                if exc.status_code == 410:
                    logger.info("Session %s finished on the server; heartbeat stopped", session_id)
                    return
                self._warn_if_stale(timing.clock() - last_success, exc)
            except Exception as exc:  # transport errors: keep beating (CancelledError is not an Exception)
                self._warn_if_stale(timing.clock() - last_success, exc)

    def _warn_if_stale(self, silent_for: float, exc: Exception) -> None:
        if silent_for > HEARTBEAT_WARN_AFTER_S:
            # Exceptions of the HTTP layer are already scrubbed of the API key; scrub once more anyway.
            logger.warning(
                "Session heartbeat failing for %.0f s (%s). Your connection may be unreliable or Tinker is "
                "down. If this persists, the session will be terminated.",
                silent_for,
                self.http.api_key.scrub(str(exc)),
            )

    # -- finishing

    def record_finish_reason(self, reason: FinishReason, detail: str | None = None) -> None:
        """Remember why the session ends; the first reason recorded wins."""
        if reason not in FINISH_REASONS:
            raise InvalidInputError(f"finish status must be one of {sorted(FINISH_REASONS)}, got {reason!r}")
        if detail is not None and not isinstance(detail, str):
            raise InvalidInputError(f"finish detail must be a string or None, got {type(detail).__name__}")
        if self.finish_reason is None:
            self.finish_reason = (reason, detail)

    async def _finish_session(self) -> None:
        """`POST /sessions/{id}/finish` with the recorded reason. Never raises: servers without the
        route (skyrl-tx: 404) and failures only get logged, the session then simply stops beating."""
        session_id = self.session_id
        if session_id is None:  # lazy client that never talked to the server: nothing to finish
            return
        reason, detail = self.finish_reason or ("success", None)
        try:
            await self.http.send(
                generated_request(
                    "service.finish_session",
                    session_id,
                    body={"reason": {"type": reason}, "detail": detail},
                    body_model="FinishSessionRequest",
                    options={"max_retries": FINISH_MAX_RETRIES, "timeout": FINISH_TIMEOUT},
                )
            )
        except APIStatusError as exc:
            if exc.status_code == 404:
                logger.debug("The server has no session finish endpoint (404); session %s left", session_id)
            else:
                logger.warning("Finishing session %s failed: %s", session_id, exc)
        except Exception as exc:
            logger.warning("Finishing session %s failed: %s", session_id, self.http.api_key.scrub(str(exc)))

    async def aclose(self) -> None:
        """Finish the session (see `_finish_session`), stop the heartbeat, close HTTP. Idempotent."""
        if self.closed:
            return
        self.closed = True
        try:
            await self._finish_session()
        finally:
            if self._heartbeat is not None:
                self._heartbeat.cancel()
                self._heartbeat = None
            await self.http.aclose()


class ServiceClient:
    """Entry point: creates training, sampling and REST clients against one Tinker server.

    Lazy: nothing is sent until the first call that needs the server.
    """

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
        _transport: httpx.AsyncBaseTransport | None = None,
        _timing: Timing | None = None,
        _heartbeat_interval: float = HEARTBEAT_INTERVAL_S,
        _heartbeat_timing: Timing | None = None,
    ) -> None:
        """`display_name` names the session in the console; `default_headers_overrides` (0.38) and
        `default_headers` (0.25) are extra headers on every request (overrides win). Unknown keywords
        raise TypeError (0.38 ignores them with a warning; nothing is dropped silently here)."""
        from tinker_ext._credentials_file import stored_api_key

        raw_key = api_key if api_key is not None else (os.environ.get("TINKER_API_KEY") or stored_api_key())
        api_key = None  # the raw key leaves this frame's locals before anything can raise
        if raw_key is None:
            raise InvalidInputError(
                "The api_key client option must be set either by passing api_key to the client, by "
                "setting the TINKER_API_KEY environment variable, or with `tinker-ext auth login`"
            )
        parsed_key = ApiKey.parse(raw_key)
        raw_key = None
        key = ApiKey.unwrap(parsed_key)
        url = base_url or os.environ.get("TINKER_BASE_URL") or DEFAULT_BASE_URL
        http_kwargs: dict[str, Any] = {}
        if timeout is not None:
            http_kwargs["timeout"] = timeout
        http = HttpClient(
            base_url=url,
            api_key=key,
            limits=limits,
            retry_policy=retry_policy,
            timing=_timing,
            transport=_transport,
            default_headers={**(default_headers or {}), **(default_headers_overrides or {})} or None,
            **http_kwargs,
        )
        self._ctx = ClientContext(
            http,
            user_metadata=user_metadata,
            project_id=project_id or os.environ.get("TINKER_PROJECT_ID") or None,
            future_timeout=future_timeout,
            display_name=display_name,
            on_queue_state_change=on_queue_state_change,
            heartbeat_interval=_heartbeat_interval,
            heartbeat_timing=_heartbeat_timing,
            wire=wire,
        )

    def __repr__(self) -> str:
        ctx = getattr(self, "_ctx", None)  # unset while __init__ runs (tracebacks with locals)
        if ctx is None:
            return "ServiceClient(<not configured>)"
        return (
            f"ServiceClient(base_url={ctx.http.base_url!r}, session_id={ctx.session_id!r}, "
            f"wire={ctx.wire.wire!r})"
        )

    @property
    def wire(self) -> Wire | None:
        """The wire of forward/forward_backward bodies: "json" or "protobuf" (None while `wire="auto"`
        has not asked the server yet; see `tinker_ext._negotiation`)."""
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
        server that ignores X-Idempotency-Key (skyrl-tx 0.3.0, skyrl 0.4.0) may have applied each twice;
        the hosted Tinker service deduplicates by the key."""
        return self._ctx.http.possible_duplicates

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
        from tinker_ext._rest_client import RestClient

        return RestClient._from_context(self._ctx).get_server_capabilities().result()

    async def get_server_capabilities_async(self) -> GetServerCapabilitiesResponse:
        from tinker_ext._rest_client import RestClient

        return await RestClient._from_context(self._ctx).get_server_capabilities()

    def get_telemetry(self) -> None:
        """Always None: tinker-ext sends no telemetry (0.38 returns its telemetry sink, or None)."""
        return None

    def get_console_url(self) -> str:
        """The web console page of this client's session (the session is created if needed)."""
        from tinker_ext._console import session_url

        return session_url(self._ctx.run(self._ctx.ensure_session()))

    def create_rest_client(self) -> RestClient:
        from tinker_ext._rest_client import RestClient

        return RestClient._from_context(self._ctx)

    def copy_weights(
        self, path: str, *, ttl_seconds: int | None = None, weights_access_token: str | None = None
    ) -> APIFuture[str]:
        """Copy the checkpoint `path` into this client's project (`project_id` or `TINKER_PROJECT_ID`);
        see `RestClient.copy_weights`. Not supported by the local skyrl-tx server (wire tests only)."""
        from tinker_ext._rest_client import RestClient

        return RestClient._from_context(self._ctx)._copy_weights(
            path, self._ctx.project_id, ttl_seconds, weights_access_token
        )

    async def copy_weights_async(
        self, path: str, *, ttl_seconds: int | None = None, weights_access_token: str | None = None
    ) -> str:
        return await self.copy_weights(
            path, ttl_seconds=ttl_seconds, weights_access_token=weights_access_token
        )

    # -- custom losses

    def create_custom_loss(self, fn: PerDatumLossFn, input_ranks: Mapping[str, int]) -> APIFuture[LossHandle]:
        """Trace `fn(logprobs, *inputs) -> (loss, metrics)` into a LossHandle for
        `TrainingClient.forward_backward_custom(data, handle)`. `input_ranks` gives every parameter's rank
        (0 scalar, 1 [T], 2 [T, K]). Servers announcing `custom_loss_server_side` register the graph and
        compute the loss themselves; otherwise the handle runs client-side. Needs torch."""

        async def create() -> LossHandle:
            from tinker_ext._loss_handle import encode_graph, trace_loss
            from tinker_ext.types import CreateCustomLossResponse

            session_id = await self._ctx.ensure_session()
            await self._ctx.ensure_client_config()
            handle = trace_loss(fn, input_ranks, session_id)
            if handle.key in self._ctx.custom_loss_keys:
                raise InvalidInputError(f"custom loss {handle.name!r} was already created in this session")
            self._ctx.custom_loss_keys.add(handle.key)
            if not self._ctx.custom_loss_server_side:
                return handle
            body = {
                "session_id": session_id,
                "custom_loss_seq_id": next(self._ctx.custom_loss_seq),
                "name": handle.name,
                "inputs": [i.to_json() for i in handle.inputs],
                "graph": encode_graph(handle.graph),
                "type": "create_custom_loss",
            }
            promise = await self._ctx.call(
                generated_request(
                    "training.create_custom_loss", body=body, body_model="CreateCustomLossRequest"
                )
            )
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
    ) -> TrainingClient:
        """Create a LoRA model and return its TrainingClient (blocking). `optimizer` picks the optimizer
        family (`DimuonOptimizerConfig()`; default AdamW); a server without it answers with an error. The client also behaves as a
        finished future of itself: `.result()`, `await`, `.future()`, `.coroutine()` work (tinker 0.38
        style), so does `await create_lora_training_client_async(...)` (0.25 style)."""
        return self._ctx.run(
            self._create_lora(
                base_model, rank, seed, train_mlp, train_attn, train_unembed, user_metadata, optimizer
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
    ) -> TrainingClient:
        coro = self._create_lora(
            base_model, rank, seed, train_mlp, train_attn, train_unembed, user_metadata, optimizer
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
    ) -> TrainingClient:
        from tinker_ext._training_client import TrainingClient
        from tinker_ext.types.optim import optimizer_config_json

        optimizer_config = None if optimizer is None else optimizer_config_json(optimizer)
        if not isinstance(base_model, str) or not base_model:
            raise InvalidInputError("base_model must be a non-empty string")
        if not isinstance(rank, int) or isinstance(rank, bool) or rank <= 0:
            raise InvalidInputError(f"rank must be a positive integer, got {rank!r}")
        # Before the session is created: the model's fields must be sendable at all.
        check_encodable({"base_model": base_model, "seed": seed, "user_metadata": user_metadata})
        model_seq_id = self._ctx.next_model_seq_id()
        session_id = await self._ctx.ensure_session()
        await self._ctx.ensure_client_config()
        lora: dict[str, Any] = {
            "rank": rank,
            "train_unembed": train_unembed,
            "train_mlp": train_mlp,
            "train_attn": train_attn,
        }
        if seed is not None:
            lora["seed"] = seed
        body: dict[str, Any] = {
            "session_id": session_id,
            "model_seq_id": model_seq_id,
            "base_model": base_model,
            "lora_config": lora,
            "type": "create_model",
        }
        if user_metadata is not None:
            body["user_metadata"] = dict(user_metadata)
        if optimizer_config is not None:
            body["optimizer_config"] = optimizer_config
        promise = await self._ctx.call(
            generated_request("training.create_model", body=body, body_model="CreateModelRequest")
        )
        model_id = await self._ctx.wait_future(
            promise, lambda d: str(parse_generated("CreateModelResponse", d).model_id), "CreateModel"
        )
        client = TrainingClient(self._ctx, model_id)
        await client._fetch_info()
        return client

    def create_training_client_from_state(
        self,
        path: str,
        base_model: str | None = None,
        user_metadata: Mapping[str, Any] | None = None,
        weights_access_token: str | None = None,
        optimizer: OptimizerConfig | None = None,
    ) -> TrainingClient:
        """A new LoRA TrainingClient configured like the checkpoint `path` (tinker://RUN/weights/NAME)
        with its weights loaded; the optimizer state starts fresh (`optimizer` picks its family).
        `base_model` overrides the checkpoint's (it must be compatible); `weights_access_token` grants
        access to another owner's checkpoint. Blocking; the client also answers `.result()` / `await`."""
        return self._ctx.run(
            self._from_state(
                path, base_model, user_metadata, weights_access_token, optimizer, with_optimizer=False
            )
        )

    def create_training_client_from_state_with_optimizer(
        self,
        path: str,
        base_model: str | None = None,
        user_metadata: Mapping[str, Any] | None = None,
        weights_access_token: str | None = None,
    ) -> TrainingClient:
        """`create_training_client_from_state` that also restores the optimizer state."""
        return self._ctx.run(
            self._from_state(path, base_model, user_metadata, weights_access_token, None, with_optimizer=True)
        )

    async def create_training_client_from_state_async(
        self,
        path: str,
        base_model: str | None = None,
        user_metadata: Mapping[str, Any] | None = None,
        weights_access_token: str | None = None,
        optimizer: OptimizerConfig | None = None,
    ) -> TrainingClient:
        coro = self._from_state(
            path, base_model, user_metadata, weights_access_token, optimizer, with_optimizer=False
        )
        return await asyncio.wrap_future(self._ctx.loop.submit(coro))

    async def create_training_client_from_state_with_optimizer_async(
        self,
        path: str,
        base_model: str | None = None,
        user_metadata: Mapping[str, Any] | None = None,
        weights_access_token: str | None = None,
    ) -> TrainingClient:
        coro = self._from_state(
            path, base_model, user_metadata, weights_access_token, None, with_optimizer=True
        )
        return await asyncio.wrap_future(self._ctx.loop.submit(coro))

    async def _from_state(
        self,
        path: str,
        base_model: str | None,
        user_metadata: Mapping[str, Any] | None,
        weights_access_token: str | None,
        optimizer: OptimizerConfig | None,
        *,
        with_optimizer: bool,
    ) -> TrainingClient:
        """weights_info(path) -> a LoRA client with the checkpoint's config -> load_weights."""
        from tinker_ext._rest_client import RestClient
        from tinker_ext.types import ParsedCheckpointTinkerPath

        ParsedCheckpointTinkerPath.from_tinker_path(path)  # the one strict parser
        info = await RestClient._from_context(self._ctx)._weights_info(path, weights_access_token)
        client = await self._create_lora(
            base_model or str(info["base_model"]),
            int(info.get("lora_rank") or 32),
            None,
            _flag(info.get("train_mlp")),
            _flag(info.get("train_attn")),
            _flag(info.get("train_unembed")),
            user_metadata,
            optimizer,
        )
        await client._load(path, weights_access_token, optimizer=with_optimizer).result_async()
        return client

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
        from tinker_ext._sampling_client import SamplingClient

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


def _flag(value: Any) -> bool:
    return True if value is None else bool(value)
