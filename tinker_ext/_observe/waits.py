"""No silent waits: a future still waiting after `interval` seconds says, at INFO, what it waits for
(queue state, polls, elapsed), and again after 2x, 4x ... the interval (at most every 10 minutes).

One `WaitWatch` per client holds every polled future's `WaitReporter` and one timer on the loop, set for
the earliest report due: the message comes on time even while a long poll is held, and a future that
finishes before its interval costs two dict operations (the timer is kept while the watch is empty)."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

__all__ = ["MAX_REPORT_INTERVAL_S", "WaitReporter", "WaitWatch"]

logger = logging.getLogger("tinker_ext.futures")

MAX_REPORT_INTERVAL_S = 600.0


class WaitWatch:
    """The polled futures of one client and the one timer that reports the long waits among them."""

    def __init__(self) -> None:
        self.active: dict[int, WaitReporter] = {}
        self._handle: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def add(self, reporter: WaitReporter) -> None:
        self.active[id(reporter)] = reporter
        loop = asyncio.get_running_loop()
        handle = self._handle
        if handle is not None and self._loop is loop and handle.when() <= loop.time() + reporter.interval:
            return  # the timer comes before this reporter is due
        if handle is not None:
            handle.cancel()
        self._loop = loop
        self._handle = loop.call_later(reporter.interval, self._tick)

    def remove(self, reporter: WaitReporter) -> None:
        # The timer stays when the last one leaves: it fires once, finds nothing due, and is not set
        # again; cancelling it and setting a new one for the next future (most finish before their
        # interval, some at a time) cost a timer per future and left cancelled timers in the loop's heap.
        self.active.pop(id(reporter), None)

    def _tick(self) -> None:
        self._handle = None
        now = time.monotonic()
        for reporter in list(self.active.values()):
            if now >= reporter.due:
                reporter.report(now)
        if self.active and self._loop is not None:
            wait = max(min(r.due for r in self.active.values()) - now, 0.001)
            self._handle = self._loop.call_later(wait, self._tick)


class WaitReporter:
    """What one polled future waits for; `state` is also read by `APIFuture.wait_state()` (CLI spinner)."""

    __slots__ = ("due", "interval", "reports", "state", "watch")

    def __init__(
        self, request_type: str, request_id: str, interval: float, watch: WaitWatch | None = None
    ) -> None:
        started = time.monotonic()
        self.state: dict[str, Any] = {
            "request_type": request_type,
            "request_id": request_id,
            "queue_state": "unknown",
            "polls": 0,
            "started": started,
        }
        self.interval = interval
        self.due = started + interval
        self.watch = watch or WaitWatch()
        self.reports = 0

    def start(self) -> None:
        self.watch.add(self)

    def stop(self) -> None:
        self.watch.remove(self)

    def polled(self, queue_state: str | None = None) -> None:
        self.state["polls"] += 1
        if queue_state is not None:
            self.state["queue_state"] = queue_state

    def describe(self) -> str:
        s = self.state
        return (
            f"{s['request_type']} {s['request_id']}: queue state {s['queue_state']}, "
            f"{s['polls']} poll(s), {time.monotonic() - s['started']:.0f} s elapsed"
        )

    def report(self, now: float) -> None:
        self.reports += 1
        logger.info("Still waiting for %s", self.describe())
        self.interval = min(self.interval * 2.0, MAX_REPORT_INTERVAL_S)
        self.due = now + self.interval
