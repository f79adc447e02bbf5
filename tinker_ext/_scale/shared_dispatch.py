"""One sampling dispatch shared by many processes (the workers of `tinker_ext.ray`).

In one process, every sampling client of a ServiceClient goes through one `SampleDispatcher`
(`_session/sample_dispatch.py`): at most `max_in_flight` samples and `max_in_flight_bytes` of prompt in
flight, granted round-robin per client, with one adaptive cap that a 429 halves and one backoff that every
new POST waits out. A copy of a SamplingClient in another process (unpickled in a Ray worker) has a context
and so a dispatcher of its own: N workers would hold N times the bound and each would back off alone.

Here the dispatcher of each worker's copy is replaced by a `SharedDispatcher`: a stand-in that asks one
`AdmissionDesk` (hosted once, in a coordinator process) for every slot, reports every 429 and every accepted
sample to it, and waits out the desk's backoff. The desk holds the one real `SampleDispatcher` of the whole
fleet, with the worker index as the round-robin key: the fleet keeps the single-process semantics.

The stand-in reaches the desk through a `DeskLink` (a Ray actor handle in `_scale/ray_pool.py`; the desk
itself, on one loop, in the unit tests), so this module does not import Ray.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Hashable
from typing import TYPE_CHECKING, Protocol, TypeVar

from tinker_ext._session.sample_dispatch import SampleDispatcher, SamplingDispatch
from tinker_ext._wire.retry import Timing

if TYPE_CHECKING:
    from tinker_ext._sampling.client import SamplingClient

__all__ = ["AdmissionDesk", "DeskLink", "SharedDispatcher", "install_shared_dispatcher"]

# How many granted tickets the desk remembers for a late cancel (a worker whose wait was cancelled just
# as its slot was granted gives the slot back by ticket). A cancel follows its grant within milliseconds.
RECENT_TICKETS = 4096

V = TypeVar("V")


class DeskLink(Protocol):
    """How a worker reaches the `AdmissionDesk`. The awaitables complete when the desk has done it; the
    other calls are sent without waiting for the desk (their order from one worker is kept)."""

    def acquire(self, ticket: str, worker: int, nbytes: int) -> Awaitable[None]: ...

    def cancel(self, ticket: str) -> object: ...

    def release(self, nbytes: int) -> object: ...

    def on_throttled(self, nbytes: int) -> object: ...

    def on_accepted(self) -> object: ...

    def wait_out_backoff(self) -> Awaitable[None]: ...


class AdmissionDesk:
    """The coordinator's side: the one `SampleDispatcher` of a fleet of workers (one asyncio loop)."""

    def __init__(self, dispatch: SamplingDispatch, timing: Timing | None = None) -> None:
        self.dispatcher = SampleDispatcher(dispatch, timing or Timing())
        self._waiting: dict[str, asyncio.Task[None]] = {}
        self._granted: OrderedDict[str, int] = OrderedDict()  # ticket -> prompt bytes, newest last
        self._cancelled: OrderedDict[str, None] = OrderedDict()  # cancels that came before their acquire

    async def acquire(self, ticket: str, worker: int, nbytes: int) -> None:
        """Wait for a slot for a sample of `worker`; `ticket` names this wait for `cancel`."""
        if ticket in self._cancelled:
            del self._cancelled[ticket]
            return  # cancelled before it was asked: nothing taken
        task = asyncio.ensure_future(self.dispatcher.acquire(worker, nbytes))
        self._waiting[ticket] = task
        try:
            await task
        finally:
            self._waiting.pop(ticket, None)
        _remember(self._granted, ticket, nbytes)

    def cancel(self, ticket: str) -> None:
        """The worker stopped waiting for `ticket`: drop the wait, or give back a slot granted meanwhile."""
        task = self._waiting.pop(ticket, None)
        if task is not None:
            task.cancel()  # SampleDispatcher.acquire gives the slot back if it was granted just then
            return
        nbytes = self._granted.pop(ticket, None)
        if nbytes is not None:
            self.dispatcher.release(nbytes)
        else:
            _remember(self._cancelled, ticket, None)

    def release(self, nbytes: int) -> None:
        self.dispatcher.release(nbytes)

    def on_throttled(self, nbytes: int) -> None:
        self.dispatcher.on_throttled(nbytes)

    def on_accepted(self) -> None:
        self.dispatcher.on_accepted()

    async def wait_out_backoff(self) -> None:
        await self.dispatcher.wait_out_backoff()

    def stats(self) -> dict[str, float]:
        """The fleet's counters: samples in flight now and at most so far, 429s, the adaptive cap."""
        d = self.dispatcher
        return {
            "in_flight": d.in_flight,
            "in_flight_bytes": d.in_flight_bytes,
            "max_seen_in_flight": d.max_seen_in_flight,
            "throttled": d.throttled,
            "limit": d.limit,
        }


def _remember(table: OrderedDict[str, V], key: str, value: V) -> None:
    table[key] = value
    while len(table) > RECENT_TICKETS:
        table.popitem(last=False)


class SharedDispatcher(SampleDispatcher):
    """A worker's stand-in for its context's `SampleDispatcher`: every decision is the desk's. The local
    counters (`in_flight`, `max_seen_in_flight`, `throttled`) count this worker's own samples."""

    def __init__(self, link: DeskLink, worker: int, config: SamplingDispatch, timing: Timing) -> None:
        super().__init__(config, timing)
        self._link = link
        self._worker = worker
        self.in_flight = 0
        self.in_flight_bytes = 0
        self.max_seen_in_flight = 0
        self.throttled = 0

    async def acquire(self, client: Hashable, nbytes: int) -> None:
        ticket = uuid.uuid4().hex
        try:
            await self._link.acquire(ticket, self._worker, nbytes)
        except asyncio.CancelledError:
            self._link.cancel(ticket)
            raise
        self.in_flight += 1
        self.in_flight_bytes += nbytes
        self.max_seen_in_flight = max(self.max_seen_in_flight, self.in_flight)

    def release(self, nbytes: int) -> None:
        self.in_flight -= 1
        self.in_flight_bytes -= nbytes
        self._link.release(nbytes)

    def on_throttled(self, nbytes: int) -> None:
        self.throttled += 1
        self._link.on_throttled(nbytes)

    def on_accepted(self) -> None:
        self._link.on_accepted()

    async def wait_out_backoff(self) -> None:
        await self._link.wait_out_backoff()


def install_shared_dispatcher(client: SamplingClient, link: DeskLink, worker: int) -> SharedDispatcher:
    """Make every sample of `client`'s context (a copy of a client in this worker) go through the desk."""
    ctx = client._ctx
    local = ctx.sample_dispatcher
    shared = SharedDispatcher(link, worker, local.config, local.timing)
    ctx.sample_dispatcher = shared
    return shared
