"""`ClientContext`: what every client of one ServiceClient shares. The HTTP layer, the negotiated wire,
the session (created lazily) and its heartbeat, the counters that number models and sampling sessions,
deadlines and the queue-state callback. All its coroutines run on the SDK background loop.

It lives apart from `ServiceClient` so that the clients it serves (training, sampling, REST) depend on it
and not on each other.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import datetime
import itertools
import logging
import os
import threading
import time
from collections.abc import Callable, Coroutine, Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, get_args

import attrs
import httpx
from tinker_ext_raw import endpoints
from tinker_ext_raw.public import UntypedAPIFuture

from tinker_ext._core.exceptions import APIConnectionError, APIStatusError, InvalidInputError, TinkerError
from tinker_ext._observe.observer import CallRecord
from tinker_ext._session.byte_budget import ByteBudget
from tinker_ext._session.futures import (
    APIFuture,
    BackgroundLoop,
    background_loop,
    note_request_id,
    tracking_request_ids,
)
from tinker_ext._session.polling import QueueStateChange, poll_future
from tinker_ext._session.sample_dispatch import SampleDispatcher, SamplingDispatch
from tinker_ext._session.telemetry import Telemetry, telemetry_enabled
from tinker_ext._wire.calls import Call, perform, request_for
from tinker_ext._wire.http import ApiRequest, HttpClient
from tinker_ext._wire.json_arrays import NumpyDtype
from tinker_ext._wire.limits import ChunkLimits
from tinker_ext._wire.negotiation import Wire, WirePreference, WireSelector
from tinker_ext._wire.retry import HEARTBEAT_TIMEOUT, Timing, is_retryable_status

if TYPE_CHECKING:
    from tinker_ext.types import ClientConfigResponse, CreateSessionRequest

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_FUTURE_TIMEOUT_S",
    "FINISH_REASONS",
    "HEARTBEAT_INTERVAL_S",
    "ClientContext",
    "FinishReason",
]

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
        sampling_dispatch: SamplingDispatch | None = None,
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
        self._last_call = threading.local()
        self._model_seq = itertools.count()
        self._sampling_seq = itertools.count()
        self.closed = False
        self.chunk_limits = ChunkLimits()
        self.fwdbwd_budget = ByteBudget(int(http.limits.max_fwdbwd_bytes_in_flight))  # all training clients
        self._config_fetched = False
        # The server's get_server_capabilities model names once asked (`_service.served_models`); () = not listed.
        self.served_base_models: tuple[str, ...] | None = None
        # Shared by all sampling clients: the in-flight cap, backoff and round-robin fairness.
        self.sample_dispatcher = SampleDispatcher(sampling_dispatch or SamplingDispatch(), http.timing)
        # 0.38's telemetry (`_session.telemetry`; off with TINKER_TELEMETRY=0): errors escaping calls reach it
        self.opened_at = time.monotonic()
        self.telemetry: Telemetry | None = None
        if telemetry_enabled():
            self.telemetry = Telemetry(http, self.loop.loop, lambda: self.session_id, self.sdk_version)
            http.observer.on_error = self.telemetry.exception

    # -- counters (taken synchronously, at call time)

    def next_model_seq_id(self) -> int:
        with self._counter_lock:
            return next(self._model_seq)

    def next_sampling_session_seq_id(self) -> int:
        with self._counter_lock:
            return next(self._sampling_seq)

    # -- running work

    def submit(self, coro: Coroutine[Any, Any, T]) -> APIFuture[T]:
        """Run a logical call on the loop (observed: metrics, spans, raw responses)."""
        ids: list[str] = []  # the server request ids it waits for (`APIFuture.request_ids`)
        call, inner = self._start_call(coro, ids)
        return APIFuture(inner, self.loop, ids, call)

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run a logical call on the loop and block for its result (its record: `last_call()`)."""
        if self.loop.is_current_thread():
            return self.loop.run(coro)  # refused there (it would deadlock)
        return self._start_call(coro, None)[1].result()

    def _start_call(
        self, coro: Coroutine[Any, Any, T], ids: list[str] | None
    ) -> tuple[CallRecord, concurrent.futures.Future[T]]:
        context = tracking_request_ids(ids)  # a copy of this thread's context, for the call's task
        call = self.http.observer.start_call(getattr(self._last_call, "capture", False), context)
        self._last_call.value = call
        # a None record comes only from the bench's no-op observer (`benchmarks/worker.py`)
        return call, self.loop.submit(coro, context, None if call is None else call.end)

    def capture_raw_responses(self, on: bool) -> None:
        """Keep the responses of the calls this thread starts from now on (`with_raw_response`)."""
        self._last_call.capture = on

    def last_call(self) -> CallRecord | None:
        """The record of the last call this thread started (for `with_raw_response`)."""
        return getattr(self._last_call, "value", None)

    def deadline(self) -> float | None:
        if self.future_timeout is None:
            return None
        return self.http.timing.clock() + self.future_timeout

    async def submit_future(self, request: ApiRequest) -> UntypedAPIFuture:
        """Send a long-running operation's request; its answer parsed once into an UntypedAPIFuture."""
        return await perform(self.http, Call(request, UntypedAPIFuture))

    async def perform(self, call: Call[T]) -> T:
        """Send an endpoint call and return its answer parsed into the endpoint's type."""
        return await perform(self.http, call)

    async def wait_future(
        self,
        promise: UntypedAPIFuture,
        convert: Callable[[Any], T],
        request_type: str,
        convert_protobuf: Callable[[bytes], T] | None = None,
        *,
        max_result_bytes: int | None = None,
        numpy_dtype: NumpyDtype | None = None,
    ) -> T:
        """Given a submission's JSON answer ({"request_id", ...}), poll its result (JSON results go to
        `convert`, protobuf ones to `convert_protobuf`; a result body longer than `max_result_bytes`,
        the most its request can produce, is refused before it is parsed)."""
        request_id = promise.request_id  # a non-empty str (minLength 1 in the spec)
        note_request_id(request_id)
        return await poll_future(
            self.http,
            request_id,
            convert,
            request_type=request_type,
            deadline=self.deadline(),
            on_queue_state_change=self.on_queue_state_change,
            convert_protobuf=convert_protobuf,
            max_result_bytes=max_result_bytes,
            numpy_dtype=numpy_dtype,
        )

    async def ensure_client_config(self) -> None:
        """Read the server's chunk limits from `client/config` once; servers without it (skyrl-tx: 404)
        keep the defaults."""
        if self._config_fetched:
            return
        from tinker_ext.types import ClientConfigRequest

        config: ClientConfigResponse | None
        try:
            config = await self.perform(
                request_for(
                    endpoints.CLIENT_CONFIG, ClientConfigRequest(sdk_version=self.sdk_version), max_retries=2
                )
            )
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
        if self.wire.wire is None:
            await self.ensure_client_config()  # decides it (or raises)
        wire = self.wire.wire
        assert wire is not None
        return wire

    async def post_forward_backward(
        self, build: Callable[[Wire], ApiRequest], *, forward_only: bool
    ) -> UntypedAPIFuture:
        """POST one forward/forward_backward chunk on the negotiated wire; when the server refuses that
        wire (see `_wire.negotiation`), resend the same request (`build` keeps seq_id and idempotency key)
        on the other one."""
        wire = await self.negotiated_wire()
        request = build(wire)
        probing = self.wire.probing(wire)
        try:
            result = await self.submit_future(attrs.evolve(request, max_retries=0) if probing else request)
        except APIConnectionError:
            if not probing:
                raise
            return await self._call_accepted(wire, request)  # retried as usual
        except APIStatusError as exc:
            other = self.wire.fallback_after(wire, exc, forward_only=forward_only)
            if other is None:
                if probing and is_retryable_status(exc.status_code):
                    return await self._call_accepted(wire, request)  # a plain 5xx: retried as usual
                raise
            return await self.submit_future(build(other))
        self.wire.accepted(wire)
        return result

    async def _call_accepted(self, wire: Wire, request: ApiRequest) -> UntypedAPIFuture:
        result = await self.submit_future(request)
        self.wire.accepted(wire)
        return result

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
                parsed = await self.perform(
                    request_for(endpoints.CREATE_SESSION, self._create_session_body())
                )
                for message, level in (
                    (parsed.info_message, logging.INFO),
                    (parsed.warning_message, logging.WARNING),
                    (parsed.error_message, logging.ERROR),
                ):
                    if message:
                        logger.log(level, "%s", message)
                self.session_id = parsed.session_id
                if self.telemetry is not None:
                    self.telemetry.session_start()
                # in a context of its own: the heartbeat is no part of the call that opened the session
                self._heartbeat = asyncio.get_running_loop().create_task(
                    self._heartbeat_loop(self.session_id), context=contextvars.Context()
                )
        return self.session_id

    async def forget_session(self) -> None:
        """The server no longer knows this session (e.g. it restarted without its database): stop its
        heartbeat; the next call that needs a session creates a new one."""
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            self._heartbeat = None
        self.session_id = None

    def _create_session_body(self) -> CreateSessionRequest:
        from tinker_ext.types import CreateSessionRequest

        tags = sorted({t.strip() for t in os.environ.get("TINKER_TAGS", "").split(",") if t.strip()})
        return CreateSessionRequest(
            tags=tags,
            user_metadata=self.user_metadata or {},
            sdk_version=self.sdk_version,
            project_id=self.project_id,
            display_name=self.display_name,
        )

    async def _heartbeat_loop(self, session_id: str) -> None:
        """Every `heartbeat_interval` s: `session_heartbeat`, no retries. 410 = the session is finished
        (stop); other failures keep beating and warn on every beat once none succeeded for 120 s."""
        timing = self.heartbeat_timing
        last_success = timing.clock()
        from tinker_ext.types import SessionHeartbeatRequest

        request = request_for(
            endpoints.SESSION_HEARTBEAT,
            SessionHeartbeatRequest(session_id=session_id),
            max_retries=0,
            timeout=HEARTBEAT_TIMEOUT,
        ).request
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
            # FinishSessionRequest has no public type: `detail` goes as null when absent (the spec says so)
            body = {"reason": {"type": reason}, "detail": detail}
            await self.http.send(
                request_for(
                    endpoints.FINISH_SESSION,
                    body,
                    session_id,
                    max_retries=FINISH_MAX_RETRIES,
                    timeout=FINISH_TIMEOUT,
                ).request
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
            if self.telemetry is not None:
                if self.session_id is not None:
                    self.telemetry.session_end(datetime.timedelta(seconds=time.monotonic() - self.opened_at))
                await self.telemetry.aclose()
            await self._finish_session()
        finally:
            if self._heartbeat is not None:
                self._heartbeat.cancel()
                self._heartbeat = None
            await self.http.aclose()
            self.http.observer.metrics.export()  # the exporter's last snapshot (none without one)
