"""`RequestOrder`: the order in which one model's requests reach the server, and their wire seq_ids.

Every operation of a TrainingClient reserves its request ids synchronously when it is called, after
every check of its input passed and its request was built (a refused call takes no turn), and sends
them through a turn gate, so requests reach the server in call order even when the caller pipelines
(`fb = tc.forward_backward(...); opt = tc.optim_step(...)` without waiting). Only the submission (the POST
that returns a promise) is ordered; results are awaited independently. A request that failed, was
cancelled (even before its coroutine started) or was abandoned still advances the turn
(`release_when_done`).

Wire seq_ids are handed out in that turn, when the request is sent: 1, 2, 3, ... (model creation was seq
0). A request the server refused (an HTTP 4xx answer: it was not applied) does not use its seq_id up: the
next request is sent with it, so servers that insist on contiguous seq_ids (tuft: 409 "Sequence
conflict") never see a gap. A request that may have reached the server (sent, then a 5xx or a dropped
connection) keeps its seq_id, as retries of it do.

forward / forward_backward chunks also pass a second gate, admission (`_training.fwdbwd`): they take their share
of the in-flight byte budget in request-id order, ahead of their turns.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from tinker_ext._core.exceptions import APIStatusError, InvalidInputError

__all__ = ["RequestAbandoned", "RequestOrder", "TurnGate"]

T = TypeVar("T")


class RequestAbandoned(Exception):
    """Another chunk of the same call failed before this one was sent: it is not sent (its seq_id and
    turn pass on to the next request)."""


class TurnGate:
    """Lets request k+1 be sent only after request k was sent (or failed / was abandoned / released).

    Lives on the SDK loop: `run` and `finish` are called there (`finish` is synchronous so that a
    done-callback can release ids of a call whose coroutine never started)."""

    def __init__(self) -> None:
        self._turn = 0
        self._finished: set[int] = set()
        self._waiters: dict[int, asyncio.Future[None]] = {}

    async def run(self, request_id: int, send: Callable[[], Coroutine[Any, Any, T]]) -> T:
        try:
            if request_id < self._turn:
                # Released already: its call was cancelled before its coroutine got here (a cancelled
                # task may still run up to its first suspension). Sending now would break the order.
                raise RequestAbandoned
            if request_id > self._turn:
                waiter = asyncio.get_running_loop().create_future()
                self._waiters[request_id] = waiter
                try:
                    await waiter
                finally:
                    self._waiters.pop(request_id, None)
            return await send()
        finally:
            self.finish(request_id)

    def finish(self, *request_ids: int) -> None:
        """Request ids done with their turn; idempotent (ids already passed are ignored)."""
        self._finished.update(i for i in request_ids if i >= self._turn)
        while self._turn in self._finished:
            self._finished.discard(self._turn)
            self._turn += 1
        waiter = self._waiters.get(self._turn)
        if waiter is not None and not waiter.done():
            waiter.set_result(None)


def _refused(error: APIStatusError) -> bool:
    """The server answered that it did not apply the request (any 4xx; retried ones were exhausted)."""
    return 400 <= error.status_code < 500


class RequestOrder:
    """Request ids (call order), admission numbers (chunk budget order) and seq_ids of one model."""

    def __init__(self) -> None:
        self._ids_lock = threading.Lock()  # reservations come from callers' threads
        self._next_request_id = 0
        self._next_admission = 0
        self._next_seq_id = 1  # on the wire; handed out in turn
        self.gate = TurnGate()
        self.admission = TurnGate()

    def reserve(self, count: int = 1) -> int:
        """The first of `count` consecutive request ids."""
        with self._ids_lock:
            first = self._next_request_id
            self._next_request_id += count
            return first

    def reserve_chunks(self, count: int) -> tuple[int, int]:
        """Request ids and admission numbers for `count` chunks (one lock: both orders agree)."""
        with self._ids_lock:
            first, admission = self._next_request_id, self._next_admission
            self._next_request_id += count
            self._next_admission += count
            return first, admission

    def release_when_done(
        self,
        future: concurrent.futures.Future[Any],
        loop: asyncio.AbstractEventLoop,
        ids: range,
        admissions: range = range(0),
    ) -> None:
        """However the call behind `future` ends (result, error, or cancelled before its coroutine ever
        ran, when no `finally` of it runs), its ids stop holding later requests back."""

        def release() -> None:
            self.gate.finish(*ids)
            self.admission.finish(*admissions)

        def on_done(_: object) -> None:
            # A closed loop (RuntimeError): nothing waits for a turn any more.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(release)

        future.add_done_callback(on_done)

    async def post_in_turn(self, request_id: int, post: Callable[[int], Coroutine[Any, Any, Any]]) -> Any:
        """Send request `request_id` in its turn as `post(seq_id)`; return the server's promise."""

        async def send() -> Any:
            seq_id = self._next_seq_id
            try:
                promise = await post(seq_id)
            except (InvalidInputError, RequestAbandoned):
                raise  # refused by us before anything was sent
            except APIStatusError as exc:
                if not _refused(exc):
                    self._next_seq_id += 1
                raise
            except BaseException:
                self._next_seq_id += 1  # it may have reached the server
                raise
            self._next_seq_id += 1
            return promise

        return await self.gate.run(request_id, send)
