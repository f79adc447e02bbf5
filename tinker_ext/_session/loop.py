"""The SDK's background event loop, and the hand-offs between it and the callers' threads and loops.

All network work runs on one daemon thread per process that owns an asyncio loop (`background_loop()`).
Work goes in through `BackgroundLoop.submit` and results come back to asyncio callers through
`deliver_to`. Both hand-offs are batched: a burst of calls (a thousand `sample()`s from one task, a
hundred threads at once) wakes the other side once per burst, not once per call, as
`asyncio.run_coroutine_threadsafe` and `asyncio.wrap_future` would (a self-pipe write, a wake-up and a
callback chain each: about a quarter of the client CPU of a sample, issue 20). What each call gets is
unchanged: a `concurrent.futures.Future` (cancelling it cancels the operation) and, for an awaiting
caller, an asyncio future on its own loop whose cancellation leaves the operation running.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import contextvars
import logging
import os
import threading
import weakref
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

__all__ = ["ON_LOOP_MESSAGE", "BackgroundLoop", "background_loop", "deliver_to"]

T = TypeVar("T")

logger = logging.getLogger("tinker_ext.loop")

ON_LOOP_MESSAGE = (
    "Blocking on a tinker_ext result from inside the SDK's own event loop would deadlock; "
    "use `await future` or `await future.result_async()` instead."
)


def _copy_state(
    source: asyncio.Future[T],
    target: concurrent.futures.Future[T],
    finish: Callable[[asyncio.Future[T]], None] | None,
) -> None:
    """A finished task's outcome into the caller's future (as asyncio's own chaining does), after
    `finish(source)` (the call's observation: recorded before anyone can see the result)."""
    if finish is not None:
        try:
            finish(source)
        except Exception:  # observing must never keep a result from its caller
            logger.exception("Recording the end of a call failed")
    if source.cancelled():
        target.cancel()
    if not target.set_running_or_notify_cancel():
        return
    exception = source.exception()
    if exception is not None:
        target.set_exception(exception)
    else:
        target.set_result(source.result())


class BackgroundLoop:
    """An asyncio loop running forever on a daemon thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._lock = threading.Lock()
        self._inbox: list[
            tuple[
                Coroutine[Any, Any, Any],
                concurrent.futures.Future[Any],
                contextvars.Context,
                Callable[[asyncio.Future[Any]], None] | None,
            ]
        ] = []
        self._wake_pending = False
        self.thread = threading.Thread(target=self._run, name="tinker-ext-loop", daemon=True)
        self.thread.start()
        self._ready.wait()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.call_soon(self._ready.set)
        self.loop.run_forever()

    def is_current_thread(self) -> bool:
        return threading.current_thread() is self.thread

    def submit(
        self,
        coro: Coroutine[Any, Any, T],
        context: contextvars.Context | None = None,
        finish: Callable[[asyncio.Future[T]], None] | None = None,
    ) -> concurrent.futures.Future[T]:
        """Run `coro` on the loop (from any thread); its outcome lands in the returned future.

        The task runs in `context` (a copy made for it; default: a copy of the submitter's), not in that
        of whichever submitter's wake-up starts the burst. `finish(task)` is called when it is done,
        before the returned future gets the outcome."""
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        if context is None:
            context = contextvars.copy_context()
        with self._lock:
            self._inbox.append((coro, future, context, finish))
            wake = not self._wake_pending
            self._wake_pending = True
        if wake:
            self.loop.call_soon_threadsafe(self._start_inbox)
        return future

    def _start_inbox(self) -> None:
        """On the loop: a task for every coroutine submitted since the last wake-up."""
        with self._lock:
            inbox, self._inbox = self._inbox, []
            self._wake_pending = False
        loop = self.loop
        for coro, future, context, finish in inbox:
            if future.cancelled():  # cancelled before it started
                coro.close()
                continue
            task = loop.create_task(coro, context=context)
            task.add_done_callback(
                lambda task, future=future, finish=finish: _copy_state(task, future, finish)  # type: ignore[misc]
            )
            future.add_done_callback(
                lambda future, task=task: future.cancelled() and loop.call_soon_threadsafe(task.cancel)  # type: ignore[misc]
            )

    def run(self, coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        """Run a coroutine on the loop and block for its result (never call from the loop itself)."""
        if self.is_current_thread():
            coro.close()
            raise RuntimeError(ON_LOOP_MESSAGE)
        return self.submit(coro).result(timeout)


_loop_lock = threading.Lock()
_loop: BackgroundLoop | None = None
_loop_pid: int | None = None


def background_loop() -> BackgroundLoop:
    """The process-wide SDK loop (recreated in a forked child, where the parent's thread does not exist)."""
    global _loop, _loop_pid
    with _loop_lock:
        if _loop is None or _loop_pid != os.getpid():
            _loop = BackgroundLoop()
            _loop_pid = os.getpid()
        return _loop


# ------------------------------------------------------------------------------ results to asyncio callers


class _Delivery:
    """Finished operations handed to one caller loop, a batch per wake-up."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self._lock = threading.Lock()
        self._items: list[tuple[asyncio.Future[Any], concurrent.futures.Future[Any]]] = []
        self._wake_pending = False

    def post(self, waiter: asyncio.Future[Any], done: concurrent.futures.Future[Any]) -> None:
        """From any thread: `waiter` (on this loop) gets `done`'s outcome."""
        with self._lock:
            self._items.append((waiter, done))
            wake = not self._wake_pending
            self._wake_pending = True
        if wake:
            with contextlib.suppress(RuntimeError):  # a closed caller loop: nobody is waiting any more
                self.loop.call_soon_threadsafe(self._drain)

    def _drain(self) -> None:
        with self._lock:
            items, self._items = self._items, []
            self._wake_pending = False
        for waiter, done in items:
            if waiter.done():  # the caller stopped waiting (cancelled, timed out)
                continue
            if done.cancelled():
                waiter.cancel()
                continue
            exception = done.exception()
            if exception is not None:
                waiter.set_exception(exception)
            else:
                waiter.set_result(done.result())


_deliveries: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Delivery] = weakref.WeakKeyDictionary()
_deliveries_lock = threading.Lock()


def deliver_to(inner: concurrent.futures.Future[T]) -> asyncio.Future[T]:
    """An asyncio future on the running loop that gets `inner`'s outcome. Cancelling it leaves `inner`
    (the operation) alone, as `asyncio.shield(asyncio.wrap_future(inner))` would."""
    loop = asyncio.get_running_loop()
    delivery = _deliveries.get(loop)
    if delivery is None:
        with _deliveries_lock:
            delivery = _deliveries.setdefault(loop, _Delivery(loop))
    waiter: asyncio.Future[T] = loop.create_future()
    inner.add_done_callback(lambda done: delivery.post(waiter, done))
    return waiter
