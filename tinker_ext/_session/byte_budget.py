"""`ByteBudget`: how many bytes of forward/forward_backward chunks may be in flight at once.

A chunk holds its estimated size from just before it is encoded until its result arrived (or it failed).
Holders are admitted first come, first served: a chunk is admitted when it fits in what is left of the
budget, or when nothing else is in flight (so a chunk larger than the whole budget still goes, alone).
FIFO admission keeps chunks in the order they asked, which is their turn order (see `_training.client`).

All methods run on the SDK loop; nothing here is thread-safe, nothing needs to be.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncIterator

from tinker_ext._core.exceptions import InvalidInputError

__all__ = ["ByteBudget"]


class ByteBudget:
    def __init__(self, capacity: int) -> None:
        if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1:
            raise InvalidInputError(f"a byte budget must be a positive int, got {capacity!r}")
        self.capacity = capacity
        self.in_flight = 0  # bytes held now
        self.holders = 0  # chunks holding bytes now
        self._waiting: deque[tuple[int, asyncio.Future[None]]] = deque()

    def _fits(self, nbytes: int) -> bool:
        return self.holders == 0 or self.in_flight + nbytes <= self.capacity

    def _take(self, nbytes: int) -> None:
        self.in_flight += nbytes
        self.holders += 1

    def _admit_waiting(self) -> None:
        while self._waiting and self._fits(self._waiting[0][0]):
            nbytes, admitted = self._waiting.popleft()
            if admitted.done():  # its waiter was cancelled
                continue
            self._take(nbytes)
            admitted.set_result(None)

    async def acquire(self, nbytes: int) -> None:
        if not self._waiting and self._fits(nbytes):
            self._take(nbytes)
            return
        admitted = asyncio.get_running_loop().create_future()
        entry = (nbytes, admitted)
        self._waiting.append(entry)
        try:
            await admitted
        except asyncio.CancelledError:
            if admitted.done() and not admitted.cancelled():
                self.release(nbytes)  # admitted just before the cancellation reached us
            else:
                with contextlib.suppress(ValueError):
                    self._waiting.remove(entry)
                self._admit_waiting()  # a smaller chunk behind us may fit now
            raise

    def release(self, nbytes: int) -> None:
        self.in_flight -= nbytes
        self.holders -= 1
        self._admit_waiting()

    @contextlib.asynccontextmanager
    async def hold(self, nbytes: int) -> AsyncIterator[None]:
        await self.acquire(nbytes)
        try:
            yield
        finally:
            self.release(nbytes)
