"""No silent waits: a future still waiting after `interval` seconds says, at INFO, what it waits for
(queue state, polls, elapsed), and again after 2x, 4x ... the interval (at most every 10 minutes).
It runs on a timer of the loop, so the message comes on time even while a long poll is held."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

__all__ = ["MAX_REPORT_INTERVAL_S", "WaitReporter"]

logger = logging.getLogger("tinker_ext.futures")

MAX_REPORT_INTERVAL_S = 600.0


class WaitReporter:
    """Tracks what a polled future waits for; `state` is also read by the CLI spinner."""

    def __init__(self, request_type: str, request_id: str, interval: float) -> None:
        self.state: dict[str, Any] = {
            "request_type": request_type,
            "request_id": request_id,
            "queue_state": "unknown",
            "polls": 0,
            "started": time.monotonic(),
        }
        self._interval = interval
        self._handle: asyncio.TimerHandle | None = None
        self.reports = 0

    def start(self) -> None:
        self._handle = asyncio.get_running_loop().call_later(self._interval, self._report)

    def stop(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

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

    def _report(self) -> None:
        self.reports += 1
        logger.info("Still waiting for %s", self.describe())
        self._interval = min(self._interval * 2.0, MAX_REPORT_INTERVAL_S)
        self._handle = asyncio.get_running_loop().call_later(self._interval, self._report)
