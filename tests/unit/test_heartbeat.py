"""Session heartbeat with injected time: every 10 s with the session id, 410 stops it, failures for more
than 120 s warn on every beat (without the API key)."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable

import httpx
import pytest
from _fault_server import FakeTiming, FakeTinker, Fault, Recorded, json_response

import tinker_ext as tinker
from tinker_ext._wire.retry import Timing

API_KEY = "tml-heartbeat-secret-42"
HEARTBEAT = "/api/v1/session_heartbeat"


class HeartbeatClock:
    """Fake time for the heartbeat: each sleep advances the clock at once; after `beats` sleeps the
    loop parks (until close cancels it) so a test can inspect a finished, deterministic history."""

    def __init__(self, beats: int) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self.beats = beats
        self.parked = threading.Event()

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if len(self.sleeps) > self.beats:
            self.parked.set()
            await asyncio.Event().wait()
        self.now += seconds

    def timing(self) -> Timing:
        return Timing(sleep=self.sleep, clock=lambda: self.now)


def start(server: FakeTinker, clock: HeartbeatClock) -> tinker.ServiceClient:
    sc = tinker.ServiceClient(
        api_key=API_KEY,
        base_url="http://t",
        _transport=server.transport(),
        _timing=FakeTiming().timing(),
        _heartbeat_timing=clock.timing(),
    )
    sc.create_sampling_client(base_model="tiny/model")  # creates the session, which starts the heartbeat
    return sc


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def answer_heartbeats(
    server: FakeTinker, clock: HeartbeatClock, answer: Callable[[int], httpx.Response]
) -> list[float]:
    """Serve heartbeats with `answer(beat_number)` (from 1); return the fake time of each beat."""
    times: list[float] = []

    def handle(rec: Recorded) -> httpx.Response:
        times.append(clock.now)
        return answer(len(times))

    server.handlers[HEARTBEAT] = handle
    return times


def test_heartbeat_every_10_s_with_the_session_id() -> None:
    server, clock = FakeTinker(), HeartbeatClock(beats=5)
    times = answer_heartbeats(server, clock, lambda n: json_response(200, {"type": "session_heartbeat"}))
    sc = start(server, clock)
    assert clock.parked.wait(10)
    assert times == [10.0, 20.0, 30.0, 40.0, 50.0]
    assert clock.sleeps == [10.0] * 6
    beats = [r for r in server.requests if r.path == HEARTBEAT]
    assert [r.body for r in beats] == [{"session_id": "sess0", "type": "session_heartbeat"}] * 5
    assert all(r.method == "POST" and r.headers["x-api-key"] == API_KEY for r in beats)
    sc.close()
    assert sc._ctx._heartbeat is None


def test_heartbeat_stops_on_410(caplog: pytest.LogCaptureFixture) -> None:
    server, clock = FakeTinker(), HeartbeatClock(beats=50)
    answer_heartbeats(
        server,
        clock,
        lambda n: (
            json_response(410, {"detail": "session finished"})
            if n == 3
            else json_response(200, {"type": "session_heartbeat"})
        ),
    )
    with caplog.at_level(logging.INFO, logger="tinker_ext"):
        sc = start(server, clock)
        task = sc._ctx._heartbeat
        assert task is not None
        wait_until(task.done)
    assert task.exception() is None  # returned normally, not crashed
    assert len([r for r in server.requests if r.path == HEARTBEAT]) == 3
    assert clock.sleeps == [10.0] * 3 and not clock.parked.is_set()
    assert "heartbeat stopped" in caplog.text
    # The session itself is still usable for requests that do not need a heartbeat.
    sc.create_sampling_client(base_model="tiny/model")
    sc.close()


def test_failures_for_more_than_120_s_warn_on_every_beat_without_the_key(
    caplog: pytest.LogCaptureFixture,
) -> None:
    server, clock = FakeTinker(), HeartbeatClock(beats=17)
    # beats 1-15 fail (5xx echoing the key, alternating with dropped connections), 16 succeeds, 17 fails
    for beat in range(1, 18):
        if beat == 16:
            server.inject(HEARTBEAT, Fault(status=200, body={"type": "session_heartbeat"}))
        elif beat % 2:
            server.inject(HEARTBEAT, Fault(status=503, body={"detail": f"overloaded for {API_KEY}"}))
        else:
            server.inject(HEARTBEAT, Fault(status=None))
    with caplog.at_level(logging.INFO, logger="tinker_ext"):
        sc = start(server, clock)
        assert clock.parked.wait(10)
    assert len([r for r in server.requests if r.path == HEARTBEAT]) == 17  # never retried, never stopped
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    # silent for 130, 140, 150 s at beats 13-15; beat 16 resets, so beat 17 (10 s later) is quiet
    assert [w.split(" (")[0] for w in warnings] == [
        "Session heartbeat failing for 130 s",
        "Session heartbeat failing for 140 s",
        "Session heartbeat failing for 150 s",
    ]
    assert "overloaded for <redacted>" in warnings[0] and "Connection error" in warnings[1]
    assert all("Your connection may be unreliable or Tinker is down" in w for w in warnings)
    assert API_KEY not in caplog.text
    sc.close()


def test_default_heartbeat_runs_on_wall_clock_not_on_the_retry_clock() -> None:
    # With the instant FakeTiming for retries and no heartbeat timing injected, no beat may go out at once.
    server = FakeTinker()
    sc = tinker.ServiceClient(
        api_key=API_KEY, base_url="http://t", _transport=server.transport(), _timing=FakeTiming().timing()
    )
    sc.create_sampling_client(base_model="tiny/model")
    time.sleep(0.2)
    assert HEARTBEAT not in server.paths()
    assert sc._ctx.heartbeat_interval == 10.0
    sc.close()
