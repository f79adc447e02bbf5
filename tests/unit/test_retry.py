"""Retry policy: statuses, backoff with jitter, Retry-After parsing, x-should-retry."""

from __future__ import annotations

import email.utils

import httpx
import pytest

from tinker_ext._wire.retry import (
    RetryPolicy,
    is_retryable_status,
    retry_after_seconds,
    should_retry_response,
)


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504, 599])
def test_retryable_statuses(status: int) -> None:
    assert is_retryable_status(status)


@pytest.mark.parametrize("status", [400, 401, 402, 403, 404, 410, 422])
def test_non_retryable_statuses(status: int) -> None:
    assert not is_retryable_status(status)


def test_x_should_retry_overrides_status() -> None:
    assert should_retry_response(httpx.Response(400, headers={"x-should-retry": "true"}))
    assert not should_retry_response(httpx.Response(503, headers={"x-should-retry": "false"}))
    assert should_retry_response(httpx.Response(503))


def test_backoff_is_exponential_capped_and_jittered() -> None:
    policy = RetryPolicy()
    assert [policy.backoff_delay(n, 0.0) for n in range(7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    # jitter shrinks by at most 25 %
    assert policy.backoff_delay(0, 0.999999) == pytest.approx(0.375, rel=1e-4)
    assert policy.backoff_delay(10, 1.0) == pytest.approx(7.5)


def test_retry_after_ms_wins_over_retry_after() -> None:
    assert retry_after_seconds({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5


def test_retry_after_seconds_and_bounds() -> None:
    assert retry_after_seconds({"retry-after": "3"}) == 3.0
    assert retry_after_seconds({"retry-after": "60"}) == 60.0
    assert retry_after_seconds({"retry-after": "61"}) is None
    assert retry_after_seconds({"retry-after": "0"}) is None
    assert retry_after_seconds({"retry-after": "-2"}) is None
    assert retry_after_seconds({"retry-after": "soon"}) is None
    assert retry_after_seconds({}) is None


def test_retry_after_http_date() -> None:
    now = 1_700_000_000.0
    header = email.utils.formatdate(now + 5, usegmt=True)
    assert retry_after_seconds({"retry-after": header}, now=now) == pytest.approx(5.0)


def test_delay_for_uses_retry_after_when_present() -> None:
    from _fault_server import FakeTiming

    policy = RetryPolicy()
    timing = FakeTiming().timing()
    assert policy.delay_for(3, httpx.Response(429, headers={"retry-after": "2"}), timing) == 2.0
    assert policy.delay_for(3, httpx.Response(429), timing) == 4.0
    assert policy.delay_for(3, None, timing) == 4.0
