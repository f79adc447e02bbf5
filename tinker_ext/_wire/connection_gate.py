"""How many HTTP attempts of one `HttpClient` are on the wire at once, and so how many connections it opens.

Over HTTP/1.1 every request in flight holds a connection of its own; the pool opens a new one whenever
none is idle. A burst (a hundred threads calling `sample()` at once) would open one per request even when
the server answers in a fraction of a millisecond and a few connections, reused, carry the whole burst.
`ConnectionGate` lets `cap` attempts through at once (at first `start`). A request that finds all `cap`
slots taken waits for one; the cap grows only when the slots are held by requests the server keeps (the
oldest has been in flight for `grace` seconds: long polls, big uploads, a slow server), by as many as are
waiting then, up to `limit` (the pool's size). So the connections opened follow what the server holds,
not how fast the caller submits: a quick server is served by a few reused connections, a slow one gets one
per request it holds, after at most `grace` of extra wait once.

Waiting for a slot counts against the request's pool timeout (httpx's `Timeout.pool`): past it the
attempt fails as `httpx.PoolTimeout` (a timeout, retried as such). Loop thread only.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

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
        self._held: OrderedDict[int, float] = OrderedDict()  # token -> when it got its slot, oldest first
        self._tokens = itertools.count()
        self._waiters: deque[asyncio.Future[int]] = deque()
        self._timer: asyncio.TimerHandle | None = None
        self.peak = 0  # most attempts ever through at once: the connections this gate let the pool need

    def _now(self) -> float:
        return self._clock() if self._clock is not None else asyncio.get_running_loop().time()

    def _take(self) -> int:
        token = next(self._tokens)
        self._held[token] = self._now()
        if len(self._held) > self.peak:
            self.peak = len(self._held)
        return token

    @asynccontextmanager
    async def slot(self, pool_timeout: float | None) -> AsyncIterator[None]:
        """Hold one slot for the body of the `async with`."""
        if len(self._held) < self.cap and not self._waiters:
            token = self._take()
        else:
            token = await self._wait(pool_timeout)
        try:
            yield
        finally:
            self._release(token)

    def _release(self, token: int) -> None:
        del self._held[token]
        self._grant()

    async def _wait(self, pool_timeout: float | None) -> int:
        """Wait in line; a slot is taken for the waiter when it is granted (`_grant`)."""
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._waiters.append(future)
        self._arm()
        try:
            async with asyncio.timeout(pool_timeout):
                return await future
        except (TimeoutError, asyncio.CancelledError) as exc:
            if future in self._waiters:
                self._waiters.remove(future)
            elif future.done() and not future.cancelled():
                self._release(future.result())  # granted just as it gave up: hand the slot on
            if isinstance(exc, TimeoutError):
                raise httpx.PoolTimeout(f"No connection free within {pool_timeout} s") from None
            raise

    def _grant(self) -> None:
        """Hand free slots to the waiters, oldest first."""
        while self._waiters and len(self._held) < self.cap:
            future = self._waiters.popleft()
            if not future.done():
                future.set_result(self._take())

    def _arm(self) -> None:
        """Look again when the oldest slot turns `grace` old."""
        if self._timer is not None or not self._held:
            return
        oldest = next(iter(self._held.values()))
        delay = max(0.0, oldest + self.grace - self._now())
        self._timer = asyncio.get_running_loop().call_later(delay, self._check)

    def _check(self) -> None:
        """Waiters behind slots held `grace` or longer: the server holds them; grow the cap."""
        self._timer = None
        if not self._waiters:
            return
        if self._held and self._now() - next(iter(self._held.values())) >= self.grace:
            self.cap = min(self.limit, len(self._held) + len(self._waiters))
            self._grant()
        if self._waiters and self.cap < self.limit:  # at the limit, only a release frees a slot
            self._arm()
