"""Retry policy of the HTTP layer: which failures are retried, how long to wait, when to give up.

The numbers follow the official SDK (docs/PROTOCOL.md, Retry policy): retry 408/409/429/5xx, transport errors
and timeouts; exponential backoff from 0.5 s capped at 10 s with 25 % jitter; honour `retry-after-ms` /
`retry-after` when 0 < d <= 60 s; `x-should-retry` overrides the status rule; at most 10 retries and no more
than 120 minutes without progress. Timed-out attempts are retried at most `max_timeout_retries` (2) times per
call. A client that never reached its server gives up on connect failures after `first_contact_timeout`
(10 s); retries of a call failing for more than `warn_after` (3 s) log at WARNING. Every source of time
(sleep, clock, randomness) is injectable so tests run instantly and deterministically.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping

import attrs
import httpx

from tinker_ext._core.exceptions import APIConnectionError

__all__ = [
    "CONNECT_TIMEOUT_S",
    "DEFAULT_TIMEOUT",
    "HEARTBEAT_TIMEOUT",
    "REQUEST_TIMEOUT_S",
    "RETRIEVE_FUTURE_TIMEOUT",
    "RetryPolicy",
    "Timing",
    "is_retryable_status",
    "log_retry",
    "nothing_answered",
    "retry_after_seconds",
    "should_retry_response",
]

REQUEST_TIMEOUT_S = 60.0
CONNECT_TIMEOUT_S = 5.0
DEFAULT_TIMEOUT = httpx.Timeout(REQUEST_TIMEOUT_S, connect=CONNECT_TIMEOUT_S)
RETRIEVE_FUTURE_TIMEOUT = httpx.Timeout(45.0, connect=CONNECT_TIMEOUT_S)
HEARTBEAT_TIMEOUT = httpx.Timeout(10.0, connect=CONNECT_TIMEOUT_S)

logger = logging.getLogger("tinker_ext.http")

_RETRYABLE_STATUSES = frozenset({408, 409, 429})
_MAX_RETRY_AFTER_S = 60.0


def is_retryable_status(status_code: int) -> bool:
    return status_code in _RETRYABLE_STATUSES or status_code >= 500


def should_retry_response(response: httpx.Response) -> bool:
    """Status rule, overridden by the server's explicit `x-should-retry: true|false`."""
    override = response.headers.get("x-should-retry", "").strip().lower()
    if override == "true":
        return True
    if override == "false":
        return False
    return is_retryable_status(response.status_code)


def retry_after_seconds(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """The server-requested delay, if it is a usable one (0 < d <= 60 s); else None."""
    delay: float | None = None
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        try:
            delay = float(raw_ms) / 1000.0
        except ValueError:
            delay = None
    if delay is None:
        raw = headers.get("retry-after")
        if raw is not None:
            try:
                delay = float(raw)
            except ValueError:
                try:
                    parsed = email.utils.parsedate_to_datetime(raw)
                except (TypeError, ValueError, IndexError):
                    parsed = None
                if parsed is not None:
                    current = time.time() if now is None else now
                    delay = parsed.timestamp() - current
    if delay is None or not (0.0 < delay <= _MAX_RETRY_AFTER_S):
        return None
    return delay


async def _asyncio_sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


@attrs.frozen
class Timing:
    """Injectable time sources. Tests pass a recording no-op sleep and a fake clock."""

    sleep: Callable[[float], Awaitable[None]] = _asyncio_sleep
    clock: Callable[[], float] = time.monotonic
    random: Callable[[], float] = random.random


@attrs.frozen
class RetryPolicy:
    max_retries: int = 10
    initial_delay: float = 0.5
    max_delay: float = 10.0
    jitter: float = 0.25
    # Give up when no attempt has succeeded for this long (official "progress timeout": 120 minutes).
    progress_timeout: float = 7200.0
    # Attempts that timed out (a silent server) are retried at most this many times per call: each one
    # already waited a full read timeout, so ten of them would hold a call for ten minutes.
    max_timeout_retries: int = 2
    # Until a client has once reached its server, connect failures (refused, DNS, nothing listening) are
    # retried for at most this long: a wrong URL or a stopped server is reported in seconds, not minutes.
    first_contact_timeout: float = 10.0
    # A call still failing this long after its first attempt logs each further retry at WARNING
    # (earlier retries at INFO).
    warn_after: float = 3.0

    def backoff_delay(self, retries_taken: int, rand: float) -> float:
        """Delay before retry number `retries_taken + 1`: exponential, capped, jitter shrinks it by <= 25 %."""
        base = min(self.initial_delay * (2.0 ** min(retries_taken, 1000)), self.max_delay)
        return base * (1.0 - self.jitter * rand)

    def delay_for(self, retries_taken: int, response: httpx.Response | None, timing: Timing) -> float:
        if response is not None:
            requested = retry_after_seconds(response.headers)
            if requested is not None:
                return requested
        return self.backoff_delay(retries_taken, timing.random())


def log_retry(
    policy: RetryPolicy,
    what: str,
    error: Exception,
    attempt: tuple[int, int],
    elapsed: float,
    delay: float,
    *,
    unreached: str | None,
) -> None:
    """Log a retry of `what` ("POST /path"): INFO for a short hiccup, WARNING once the retry takes the
    call past `policy.warn_after` seconds, so a program waiting on a failing server says why.
    `attempt`: (the attempt that failed, attempts allowed); `unreached`: the base URL while nothing has
    answered there yet."""
    level = logging.WARNING if elapsed + delay >= policy.warn_after else logging.INFO
    logger.log(
        level,
        "Retrying %s in %.1f s (attempt %d/%d failed, %.1f s so far%s): %s",
        what,
        delay,
        *attempt,
        elapsed,
        "" if unreached is None else f"; nothing has answered at {unreached} yet",
        error,
    )


def nothing_answered(
    error: APIConnectionError, base_url: str, attempts: int, elapsed: float
) -> APIConnectionError:
    """The error of a client that never reached its server: names the URL (checked to hold no query or
    user info, so no key) and says nothing answered there."""
    message = (
        f"Nothing answered at {base_url}: {attempts} connection attempt(s) in {elapsed:.1f} s failed "
        f"(last: {error.message}). Check base_url and that the server is running "
        "(RetryPolicy(first_contact_timeout=...) sets how long a first connection is tried)."
    )
    return type(error)(error.request, message)
