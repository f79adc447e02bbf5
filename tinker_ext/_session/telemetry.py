"""Telemetry in the official SDK's shape (0.38): events of the SDK's own life sent to
`POST /api/v1/telemetry` as `TelemetrySendRequest` batches (types generated from openapi.yaml).

On unless `TINKER_TELEMETRY` is set to something else than 1/true/yes/on (0.38's switch). Events queue in
memory (at most 10,000; more are dropped with one warning) and are flushed every 10 s and at close, in
batches of at most 100, each request with a 5 s timeout; a failed batch is dropped. A server without the
route (404/405 on the first batch) turns telemetry off for the client's lifetime, silently.

What is sent: session start and end (with its duration), and exceptions that escape a call: a user error
(4xx but 408, a request failed in the user's category, input refused before sending) as a `user_error`
event with its type and status code only; any other as `UNHANDLED_EXCEPTION` with type, message and
traceback. Never headers, the key, tokens or any datum: events are built here from those fields alone.
"""

from __future__ import annotations

import asyncio
import contextvars
import datetime
import logging
import os
import platform
import threading
import traceback
import uuid
from collections import deque
from collections.abc import Callable
from typing import Any, Literal

import httpx
from tinker_ext_raw import endpoints
from tinker_ext_raw.public import (
    GenericEvent,
    SessionEndEvent,
    SessionStartEvent,
    TelemetrySendRequest,
    UnhandledExceptionEvent,
)

from tinker_ext._core.exceptions import APIError, APIStatusError, InvalidInputError, RequestFailedError
from tinker_ext._wire.calls import perform, request_for
from tinker_ext._wire.http import HttpClient

__all__ = ["TELEMETRY_ENV", "Telemetry", "telemetry_enabled"]

logger = logging.getLogger("tinker_ext.telemetry")

TELEMETRY_ENV = "TINKER_TELEMETRY"
MAX_QUEUED = 10_000
MAX_BATCH = 100
FLUSH_INTERVAL_S = 10.0
SEND_TIMEOUT = httpx.Timeout(5.0)
CLOSE_WAIT_S = 30.0
_MAX_MESSAGE = 1000
_MAX_TRACEBACK = 8000

Severity = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
Event = SessionStartEvent | SessionEndEvent | UnhandledExceptionEvent | GenericEvent
_PROCESS: tuple[int, str] | None = None


def telemetry_enabled() -> bool:
    value = os.environ.get(TELEMETRY_ENV)
    return value is None or value.strip().lower() in ("1", "true", "yes", "on")


def _process_uuid() -> str:
    """One id per process (a new one after fork)."""
    global _PROCESS
    if _PROCESS is None or _PROCESS[0] != os.getpid():
        _PROCESS = (os.getpid(), str(uuid.uuid4()))
    return _PROCESS[1]


def is_user_error(exc: BaseException) -> bool:
    """A mistake of the caller (0.38's rule): HTTP 4xx but 408, a request failed in the user category,
    input refused before sending; searched through the causes."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, APIStatusError) and 400 <= current.status_code < 500:
            return current.status_code != 408
        if isinstance(current, RequestFailedError) and str(current.category) == "user":
            return True
        if isinstance(current, InvalidInputError):
            return True
        current = current.__cause__ or current.__context__
    return False


class Telemetry:
    """The telemetry sink of one ServiceClient (`get_telemetry()`)."""

    def __init__(
        self,
        http: HttpClient,
        loop: asyncio.AbstractEventLoop,
        session_id: Callable[[], str | None],
        sdk_version: str,
    ) -> None:
        self._http = http
        self._loop = loop
        self._session_id = session_id
        self._sdk_version = sdk_version
        self._lock = threading.Lock()
        self._queue: deque[Event] = deque()
        self._index = 0
        self._dropped = 0
        self._task: asyncio.Task[None] | None = None
        self._sessionless_id = f"sessionless-{uuid.uuid4()}"
        self.disabled = False  # the server has no telemetry route
        self.sent = 0

    def __repr__(self) -> str:
        return f"Telemetry(queued={len(self._queue)}, sent={self.sent}, disabled={self.disabled})"

    # -- events

    def _common(self, severity: Severity) -> dict[str, Any]:
        with self._lock:
            index, self._index = self._index, self._index + 1
        return {
            "event_id": str(uuid.uuid4()),
            "event_session_index": index,
            "severity": severity,
            "timestamp": datetime.datetime.now(datetime.UTC),
        }

    def _put(self, event: Event) -> None:
        if self.disabled:
            return
        with self._lock:
            if len(self._queue) >= MAX_QUEUED:
                self._dropped += 1
                if self._dropped == 1:
                    logger.warning("Telemetry queue full (%d events): dropping new events", MAX_QUEUED)
                return
            self._queue.append(event)
        self._loop.call_soon_threadsafe(self._ensure_flusher)

    def log(
        self, event_name: str, event_data: dict[str, Any] | None = None, severity: Severity = "INFO"
    ) -> None:
        """A generic event (low-cardinality name; JSON-able data the caller vouches holds no secret)."""
        self._put(
            GenericEvent(
                event="GENERIC_EVENT",
                event_name=event_name,
                event_data=event_data or {},
                **self._common(severity),
            )
        )

    def session_start(self) -> None:
        self._put(SessionStartEvent(event="SESSION_START", **self._common("INFO")))

    def session_end(self, duration: datetime.timedelta) -> None:
        self._put(SessionEndEvent(event="SESSION_END", duration=str(duration), **self._common("INFO")))

    def exception(self, exc: BaseException) -> None:
        """An exception escaped a call: `user_error` (type and status only) or UNHANDLED_EXCEPTION."""
        if not isinstance(exc, Exception) or self.disabled:
            return
        if is_user_error(exc):
            data: dict[str, Any] = {"error_type": type(exc).__name__}
            status = getattr(exc, "status_code", None)
            if isinstance(status, int):
                data["status_code"] = status
            self.log("user_error", data, "WARNING")
            return
        self._put(
            UnhandledExceptionEvent(
                event="UNHANDLED_EXCEPTION",
                error_type=type(exc).__name__,
                error_message=str(exc)[:_MAX_MESSAGE],
                traceback="".join(traceback.format_exception(exc))[-_MAX_TRACEBACK:],
                **self._common("ERROR"),
            )
        )

    # -- sending (on the SDK loop)

    def _ensure_flusher(self) -> None:
        if self._task is None or self._task.done():
            # a context of its own: the flusher is no part of the call that logged the event
            self._task = self._loop.create_task(self._flush_every(), context=contextvars.Context())

    async def _flush_every(self) -> None:
        while self._queue and not self.disabled:
            await asyncio.sleep(FLUSH_INTERVAL_S)
            await self.flush()

    async def flush(self) -> None:
        """Send what is queued, in batches of at most 100 (a failed batch is dropped)."""
        while self._queue and not self.disabled:
            with self._lock:
                batch = [self._queue.popleft() for _ in range(min(MAX_BATCH, len(self._queue)))]
            body = TelemetrySendRequest(
                events=batch,
                platform=platform.system(),
                sdk_version=self._sdk_version,
                session_id=self._session_id() or self._sessionless_id,
                process_uuid=_process_uuid(),
            )
            try:
                await perform(
                    self._http,
                    request_for(endpoints.SEND_TELEMETRY, body, timeout=SEND_TIMEOUT, max_retries=2),
                )
            except APIStatusError as exc:
                if exc.status_code in (404, 405):  # no such route here: off for good, silently
                    self.disabled = True
                    with self._lock:
                        self._queue.clear()
                    logger.debug("The server has no telemetry route (%d): telemetry off", exc.status_code)
                    return
                logger.debug("Telemetry batch of %d events dropped: %s", len(batch), type(exc).__name__)
            except APIError as exc:
                logger.debug("Telemetry batch of %d events dropped: %s", len(batch), type(exc).__name__)
            else:
                self.sent += len(batch)

    async def aclose(self) -> None:
        """Flush what is left (at most 30 s), stop the timer."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        try:
            await asyncio.wait_for(self.flush(), CLOSE_WAIT_S)
        except (TimeoutError, APIError):
            logger.debug("Telemetry not flushed at close")
