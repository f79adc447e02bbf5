"""Sampling dispatch: how many `sample()` calls of one ServiceClient are in flight at once, and how they
back off when the server says it is busy.

All sampling clients of one ServiceClient share one `SampleDispatcher` (on the `ClientContext`). A sample
holds a slot from its `asample` POST until its result is in (or it failed), so the number of concurrent
sample HTTP requests, and therefore of connections they need, never exceeds the cap; the HTTP pool is
sized from it (`SamplingDispatch.pool_size`). Slots are granted round-robin across sampling clients, so
a client that queued ten thousand samples does not starve one that queued ten.

Backoff (docs/PROTOCOL.md, Sampling backpressure): an `asample` answered 429 (the answer to
`X-Tinker-Sampling-Backpressure: 1`, "answer 429 instead of queuing") is not an error: the sample keeps its
slot, every new POST waits out `backoff` seconds (`large_request_backoff` for prompts above
`large_request_bytes`), and the cap is halved (never below `min_in_flight`); each accepted sample then raises
it by 1/cap, up to `max_in_flight` (additive increase, multiplicative decrease, as TCP does). The same request
(same seq_id, same idempotency key) is sent again, so nothing is lost or applied twice.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict, deque
from collections.abc import Hashable
from typing import Any

import attrs

from tinker_ext._core.exceptions import InvalidInputError
from tinker_ext._wire.retry import Timing

__all__ = ["SampleDispatcher", "SamplingDispatch", "prompt_byte_estimate"]

KiB = 1 << 10
MiB = 1 << 20


def _positive(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise InvalidInputError(f"SamplingDispatch.{attribute.name} must be a positive number, got {value!r}")


def _positive_int(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInputError(f"SamplingDispatch.{attribute.name} must be an int >= 1, got {value!r}")


@attrs.frozen
class SamplingDispatch:
    """Sampling concurrency of one ServiceClient: `ServiceClient(sampling_dispatch=SamplingDispatch(...))`.

    `max_in_flight` samples (from the asample POST to the result) and `max_in_flight_bytes` of prompt
    (estimated as the official SDK does: 10 bytes per token, raw bytes of images) at once, across all
    its sampling clients; more wait in line, served round-robin per sampling client. The HTTP pool holds
    `max_in_flight + spare_connections` connections, the spare ones for training, polling and
    heartbeats; it opens `initial_connections` at first and more only when the server holds them all for
    `connection_grace` seconds. See the module docstring for the backoff parameters.
    """

    # 128: over HTTP/1.1 each sample in flight holds a connection; on the 2-core bench 128 already keeps
    # the client busy (256 was no faster and opened twice the connections). Raise it for a slow server.
    max_in_flight: int = attrs.field(default=128, validator=_positive_int)
    max_in_flight_bytes: int = attrs.field(default=32 * MiB, validator=_positive_int)
    min_in_flight: int = attrs.field(default=8, validator=_positive_int)
    backoff: float = attrs.field(default=1.0, validator=_positive)
    large_request_backoff: float = attrs.field(default=5.0, validator=_positive)
    large_request_bytes: int = attrs.field(default=128 * KiB, validator=_positive_int)
    spare_connections: int = attrs.field(default=64, validator=_positive_int)
    # Connections opened before the server held every one for `connection_grace` seconds; then twice as
    # many, up to `pool_size` (`_wire.connection_gate`: a quick server is served by a few reused ones).
    initial_connections: int = attrs.field(default=8, validator=_positive_int)
    connection_grace: float = attrs.field(default=0.1, validator=_positive)

    def __attrs_post_init__(self) -> None:
        if self.min_in_flight > self.max_in_flight:
            raise InvalidInputError(
                f"SamplingDispatch.min_in_flight ({self.min_in_flight}) exceeds max_in_flight "
                f"({self.max_in_flight})"
            )

    @property
    def pool_size(self) -> int:
        """Connections the HTTP pool may open (and keep alive)."""
        return self.max_in_flight + self.spare_connections


def prompt_byte_estimate(prompt: Any) -> int:
    """The official estimate of a prompt's size: 10 bytes per token of text, the raw size of images,
    image pointers and dmel chunks."""
    total = 0
    for chunk in prompt.chunks:
        tokens = getattr(chunk, "tokens", None)
        if tokens is not None:
            total += 10 * len(tokens)
            continue
        for field in ("data", "location", "dmel"):
            value = getattr(chunk, field, None)
            if value is not None:
                total += len(value)
                break
    return total


@attrs.define
class _Waiter:
    nbytes: int
    future: asyncio.Future[None]


class SampleDispatcher:
    """Admission of sample calls under `SamplingDispatch` (one per ClientContext; loop thread only)."""

    def __init__(self, config: SamplingDispatch, timing: Timing) -> None:
        self.config = config
        self.timing = timing
        self.limit = float(config.max_in_flight)  # the adaptive cap, min_in_flight..max_in_flight
        self.in_flight = 0
        self.in_flight_bytes = 0
        self.max_seen_in_flight = 0
        self.backoff_until = 0.0
        self.throttled = 0  # 429 answers so far
        # client key -> its waiters, oldest first; the dict's order is the round-robin order.
        self._queues: OrderedDict[Hashable, deque[_Waiter]] = OrderedDict()

    def _fits(self, nbytes: int) -> bool:
        if self.in_flight >= int(self.limit):
            return False
        # One prompt larger than the whole budget still goes, alone.
        return self.in_flight == 0 or self.in_flight_bytes + nbytes <= self.config.max_in_flight_bytes

    def _take(self, nbytes: int) -> None:
        self.in_flight += 1
        self.in_flight_bytes += nbytes
        self.max_seen_in_flight = max(self.max_seen_in_flight, self.in_flight)

    async def acquire(self, client: Hashable, nbytes: int) -> None:
        """Wait for a slot for a sample of `client` whose prompt is `nbytes`; pair with `release`."""
        if not self._queues and self._fits(nbytes):
            self._take(nbytes)
            return
        waiter = _Waiter(nbytes, asyncio.get_running_loop().create_future())
        self._queues.setdefault(client, deque()).append(waiter)
        try:
            await waiter.future
        except asyncio.CancelledError:
            if waiter.future.done() and not waiter.future.cancelled():
                self.release(nbytes)  # granted just as it was cancelled: give the slot back
            else:
                queue = self._queues.get(client)
                if queue is not None and waiter in queue:
                    queue.remove(waiter)
                    if not queue:
                        del self._queues[client]
                self._grant()
            raise

    def release(self, nbytes: int) -> None:
        self.in_flight -= 1
        self.in_flight_bytes -= nbytes
        self._grant()

    def _grant(self) -> None:
        """Hand free slots to waiters, one client at a time in round-robin order."""
        while self._queues:
            client, queue = next(iter(self._queues.items()))
            waiter = queue[0]
            if not self._fits(waiter.nbytes):
                return
            queue.popleft()
            self._queues.move_to_end(client)
            if not queue:
                del self._queues[client]
            self._take(waiter.nbytes)
            waiter.future.set_result(None)

    # -- backoff

    def on_throttled(self, nbytes: int) -> None:
        """The server answered 429 to a sample of `nbytes`: pause new POSTs, halve the cap."""
        self.throttled += 1
        config = self.config
        now = self.timing.clock()
        pause = config.large_request_backoff if nbytes > config.large_request_bytes else config.backoff
        if now >= self.backoff_until:  # one decrease per backoff period, not one per 429 of a burst
            self.limit = max(float(config.min_in_flight), self.limit / 2)
        self.backoff_until = max(self.backoff_until, now + pause)

    def on_accepted(self) -> None:
        """A sample was accepted: grow the cap by 1/cap (one slot per cap's worth of acceptances)."""
        if self.limit < self.config.max_in_flight:
            self.limit = min(float(self.config.max_in_flight), self.limit + 1.0 / self.limit)
            self._grant()

    async def wait_out_backoff(self) -> None:
        while True:
            left = self.backoff_until - self.timing.clock()
            if left <= 0:
                return
            await self.timing.sleep(left)
