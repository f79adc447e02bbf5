"""How many HTTP attempts of one `HttpClient` are on the wire at once, and so how many connections it opens.

Over HTTP/1.1 every request in flight holds a connection of its own; the pool opens a new one whenever
none is idle. A burst (a hundred threads calling `sample()` at once) would open one per request even when
the server answers in a fraction of a millisecond and a few connections, reused, carry the whole burst.
`ConnectionGate` lets `cap` attempts through at once (at first `start`). A request that finds all `cap`
slots taken waits for one; the cap doubles, up to `limit` (the pool's size), only when the gate has
stalled: requests wait and no slot changed hands for `grace` seconds, so the server is holding every slot
(long polls, big uploads, a slow server). The connections opened follow what the server holds, not how fast
the caller submits: a quick server is served by a few reused connections; a slow one gets one per request
it holds after a few `grace` periods (8 -> 128 in 4).

Waiting for a slot counts against the request's pool timeout (httpx's `Timeout.pool`): past it the
attempt fails as `httpx.PoolTimeout` (a timeout, retried as such). Loop thread only.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable

import httpx

__all__ = ["DEFAULT_GRACE_S", "DEFAULT_START", "ConnectionGate"]

DEFAULT_START = 8  # connections a client opens before any request was held for `grace`
DEFAULT_GRACE_S = 0.1


class ConnectionGate:
    """At most `cap` attempts at once; `cap` grows from `start` to `limit` (see the module docstring)."""

    def __init__(
        self,
        limit: int,
        *,
        start: int = DEFAULT_START,
        grace: float = DEFAULT_GRACE_S,
        clock: Callable[[], float] | None = None,
    ) -> None:
        if limit < 1 or start < 1 or grace <= 0:
            raise ValueError("ConnectionGate needs limit >= 1, start >= 1 and grace > 0")
        self.limit = limit
        self.cap = min(start, limit)
        self.grace = grace
        self._clock = clock
        self.in_use = 0
        self._last_taken = 0.0
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._timer: asyncio.TimerHandle | None = None
        self.peak = 0  # most attempts ever through at once: the connections this gate let the pool need

    def _now(self) -> float:
        return self._clock() if self._clock is not None else asyncio.get_running_loop().time()

    def _take(self) -> None:
        self._last_taken = self._now()
        self.in_use += 1
        if self.in_use > self.peak:
            self.peak = self.in_use

    async def acquire(self, pool_timeout: float | None) -> None:
        """Take one slot (waiting in line if none is free); pair with `release`."""
        if self.in_use < self.cap and not self._waiters:
            self._take()
        else:
            await self._wait(pool_timeout)

    def release(self) -> None:
        self._release()

    def _release(self) -> None:
        self.in_use -= 1
        self._grant()

    async def _wait(self, pool_timeout: float | None) -> None:
        """Wait in line; a slot is taken for the waiter when it is granted (`_grant`)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        self._waiters.append(future)
        self._arm()
        expiry = None if pool_timeout is None else loop.call_later(pool_timeout, _expire, future)
        try:
            await future
        except BaseException:
            if future in self._waiters:
                self._waiters.remove(future)
            elif future.done() and not future.cancelled() and future.exception() is None:
                self._release()  # granted just as it gave up: hand the slot on
            raise
        finally:
            if expiry is not None:
                expiry.cancel()

    def _grant(self) -> None:
        """Hand free slots to the waiters, oldest first."""
        while self._waiters and self.in_use < self.cap:
            future = self._waiters.popleft()
            if not future.done():
                self._take()
                future.set_result(None)

    def _arm(self) -> None:
        """Look again when the gate has been stalled (no slot taken) for `grace`."""
        if self._timer is not None:
            return
        delay = max(0.0, self._last_taken + self.grace - self._now())
        self._timer = asyncio.get_running_loop().call_later(delay, self._check)

    def _check(self) -> None:
        """Waiters, and no slot changed hands for `grace`: the server holds every slot; double the cap."""
        self._timer = None
        if not self._waiters:
            return
        if self._now() - self._last_taken >= self.grace:
            self.cap = min(self.limit, 2 * self.cap)
            self._grant()
        if self._waiters and self.cap < self.limit:  # at the limit, only a release frees a slot
            self._arm()


def _expire(future: asyncio.Future[None]) -> None:
    """A waiter's pool timeout: it leaves the line with `httpx.PoolTimeout` (a timeout, retried as one)."""
    if not future.done():
        future.set_exception(httpx.PoolTimeout("No connection free within the pool timeout"))
