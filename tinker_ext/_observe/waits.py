"""No silent waits: a future still waiting after `interval` seconds says, at INFO, what it waits for
(queue state, polls, elapsed), and again after 2x, 4x ... the interval (at most every 10 minutes).

One `WaitWatch` per client holds every polled future's `WaitReporter` and one timer on the loop, set for
the earliest report due: the message comes on time even while a long poll is held, and a future that
finishes before its interval costs two set operations (the timer is kept while the watch is empty)."""

from __future__ import annotations

import asyncio
import logging
import math
import time
from typing import Any

__all__ = ["MAX_REPORT_INTERVAL_S", "WaitReporter", "WaitWatch"]

logger = logging.getLogger("tinker_ext.futures")

MAX_REPORT_INTERVAL_S = 600.0


class WaitWatch:
    """The polled futures of one client and the one timer that reports the long waits among them."""

    def __init__(self) -> None:
        self.active: set[WaitReporter] = set()
        self.loop: asyncio.AbstractEventLoop | None = None  # the timer's
        self.timer_due = math.inf  # when the timer fires (`time.monotonic`, the clock of asyncio's loops)
        self._handle: asyncio.TimerHandle | None = None

    def add(self, reporter: WaitReporter) -> None:
        """Watch `reporter` (running on a loop). `Observer.watch` has this inline (hot path)."""
        self.active.add(reporter)
        if self.timer_due > reporter.due or self.loop is not asyncio.get_running_loop():
            self.arm(reporter.interval)

    def arm(self, delay: float) -> None:
        """(Re)set the timer to fire in `delay` seconds, on the running loop."""
        if self._handle is not None:
            self._handle.cancel()
        self._set_timer(asyncio.get_running_loop(), delay)

    def _set_timer(self, loop: asyncio.AbstractEventLoop, delay: float) -> None:
        self.loop = loop
        self._handle = loop.call_later(delay, self._tick)
        self.timer_due = self._handle.when()

    def _tick(self) -> None:
        self._handle = None
        self.timer_due = math.inf
        now = time.monotonic()
        for reporter in list(self.active):
            if now >= reporter.due:
                reporter.remind(now)
        if self.active and self.loop is not None:
            wait = max(min(r.due for r in self.active) - now, 0.001)
            self._set_timer(self.loop, wait)


class WaitReporter:
    """What one polled future waits for; `state()` is also read by `APIFuture.wait_state()` (CLI spinner).
    Once watched (`start()`, or `Observer.watch`, which also sets `metrics`, `operation` and `traced`),
    a long wait is reported, and with `metrics` its queue-state transitions and how long each state
    lasted are recorded there under `operation`. `traced`: whether its polls get spans."""

    __slots__ = (
        "due",
        "interval",
        "metrics",
        "operation",
        "polls",
        "queue_state",
        "reports",
        "request_id",
        "request_type",
        "since",
        "started",
        "traced",
        "watch",
    )

    def __init__(
        self,
        request_type: str,
        request_id: str,
        interval: float = 60.0,
        watch: WaitWatch | None = None,
        queue_state: str = "unknown",
    ) -> None:
        self.request_type = request_type
        self.request_id = request_id
        self.queue_state = queue_state
        self.polls = 0
        self.started = self.since = started = time.monotonic()
        self.interval = interval
        self.due = started + interval
        self.watch = watch  # None: not watched (yet)
        self.reports = 0
        self.metrics: Any = None
        self.operation = request_type
        self.traced = False

    def state(self) -> dict[str, Any]:
        """Request type and id, queue state, polls so far, start time (`time.monotonic`)."""
        return {
            "request_type": self.request_type,
            "request_id": self.request_id,
            "queue_state": self.queue_state,
            "polls": self.polls,
            "started": self.started,
        }

    def start(self, interval: float | None = None) -> None:
        """Watch this wait (on the watch given, else one of its own); `interval`: the first report's."""
        if interval is not None:
            self.interval = interval
            self.due = self.started + interval
        if self.watch is None:
            self.watch = WaitWatch()
        self.watch.add(self)

    def stop(self) -> None:
        # The watch's timer stays when the last one leaves: it fires once, finds nothing due, and is not
        # set again; cancelling it and setting a new one for the next future (most finish before their
        # interval, some at a time) cost a timer per future and left cancelled timers in the loop's heap.
        if self.watch is not None:
            self.watch.active.discard(self)

    def polled(self, queue_state: str | None = None) -> None:
        self.polls += 1
        if queue_state is not None:
            self.queue_state = queue_state

    def transition(self, old: str, new: str) -> None:
        """The queue state went from `old` to `new` (metrics: the transition and how long `old` lasted)."""
        now = time.monotonic()
        if self.metrics is not None:
            self.metrics.queue_state(self.operation, str(old), str(new), (now - self.since) * 1000.0)
        self.since = now
        self.queue_state = str(new)

    def describe(self) -> str:
        return (
            f"{self.request_type} {self.request_id}: queue state {self.queue_state}, "
            f"{self.polls} poll(s), {time.monotonic() - self.started:.0f} s elapsed"
        )

    def remind(self, now: float) -> None:
        """Say at INFO that this future still waits; the next time after twice the interval."""
        self.reports += 1
        logger.info("Still waiting for %s", self.describe())
        self.interval = min(self.interval * 2.0, MAX_REPORT_INTERVAL_S)
        self.due = now + self.interval
