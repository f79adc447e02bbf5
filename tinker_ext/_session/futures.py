"""`APIFuture`, and the SDK's background event loop it waits on.

All network work runs on one daemon thread per process that owns an asyncio loop (`background_loop()`,
`_session/loop.py`, with the batched hand-offs to and from it). Public methods submit coroutines to it and
hand back an `APIFuture`, which can be waited on from plain threads (`.result()`), from any asyncio loop
(`await fut`, `.result_async()`, `.coroutine()`) or through a `concurrent.futures.Future` (`.future()`).
Blocking on `.result()` from the SDK's own loop would deadlock, so it raises instead. The polling of a
server's future (`retrieve_future`) is `_session/polling.py`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
from collections.abc import Callable, Coroutine, Generator
from typing import Any, Generic, Self, TypeVar

from tinker_ext._core.exceptions import FutureTimeoutError
from tinker_ext._observe.observer import CallRecord
from tinker_ext._observe.raw import APIResponse
from tinker_ext._session.loop import ON_LOOP_MESSAGE, BackgroundLoop, background_loop, deliver_to

__all__ = [
    "APIFuture",
    "BackgroundLoop",
    "CreatedClient",
    "background_loop",
    "note_request_id",
    "tracking_request_ids",
]

T = TypeVar("T")
U = TypeVar("U")


# --------------------------------------------------------------------------------------------- APIFuture


# The server request ids of the operation whose coroutine is running (`tracking_request_ids`); tasks it
# starts copy the context, so the chunks of one call append to the same list.
_request_ids: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "tinker_ext_request_ids", default=None
)


def note_request_id(request_id: str) -> None:
    """Record a server request id on the APIFuture of the operation running now (if it tracks ids)."""
    ids = _request_ids.get()
    if ids is not None:
        ids.append(request_id)


def tracking_request_ids(ids: list[str] | None) -> contextvars.Context:
    """A copy of this thread's context in which a coroutine run on the SDK loop (and every task it
    starts) appends the server request ids it waits for to `ids` (None: tracks none); give it to
    `BackgroundLoop.submit`."""
    context = contextvars.copy_context()
    if ids is not None or _request_ids.get() is not None:
        context.run(_request_ids.set, ids)
    return context


class APIFuture(Generic[T]):
    """The result of an operation that is running (or queued) on the SDK's background loop."""

    def __init__(
        self,
        inner: concurrent.futures.Future[T],
        loop: BackgroundLoop | None = None,
        request_ids: list[str] | None = None,
        call: CallRecord | None = None,
    ) -> None:
        self._inner = inner
        self._loop = loop or background_loop()
        self._request_ids = request_ids if request_ids is not None else []
        self._call = call

    @property
    def request_ids(self) -> tuple[str, ...]:
        """The server's request ids of this operation so far (one per chunk or resend; empty for calls
        answered at once). Keep them to re-attach after a restart: `ServiceClient.retrieve_future`."""
        return tuple(self._request_ids)

    @property
    def raw_responses(self) -> list[APIResponse[Any]]:
        """The HTTP responses behind this future (the submission, then the poll that carried the result;
        the last `ServiceClient(keep_raw_responses=N)`, none by default), in the official `APIResponse`
        shape: status, headers, `elapsed`, `retries_taken`; the last one's `parse()` is the result."""
        return [] if self._call is None else self._call.raw_responses()

    def wait_state(self) -> dict[str, Any] | None:
        """While the result is polled: what it waits for (request type and id, queue state, polls,
        start time on `time.monotonic`); else None."""
        waiting = None if self._call is None else self._call.waiting
        return None if waiting is None else waiting.state()

    @classmethod
    def submit(cls, coro: Coroutine[Any, Any, T]) -> APIFuture[T]:
        loop = background_loop()
        return cls(loop.submit(coro), loop)

    @classmethod
    def completed(cls, value: T) -> APIFuture[T]:
        inner: concurrent.futures.Future[T] = concurrent.futures.Future()
        inner.set_result(value)
        return cls(inner)

    def result(self, timeout: float | None = None) -> T:
        """Block until the result is available (or `timeout` seconds pass: FutureTimeoutError).

        A timeout here bounds the wait, not the operation: the request was already submitted (the
        server may be applying it, and later training calls are ordered after it), so it keeps being
        polled, up to the client's `future_timeout`; `result()` may be called again. `cancel()` stops
        polling (the server may still apply the request).
        """
        if not self._inner.done() and self._loop.is_current_thread():
            raise RuntimeError(ON_LOOP_MESSAGE)
        try:
            return self._inner.result(timeout)
        except concurrent.futures.TimeoutError:
            if self._inner.done():  # the operation itself raised a TimeoutError subclass
                raise
            raise FutureTimeoutError(_still_running(timeout)) from None

    async def result_async(self, timeout: float | None = None) -> T:
        # deliver_to: a caller-side timeout or cancellation does not cancel the shared underlying operation
        waiter = deliver_to(self._inner)
        try:
            async with asyncio.timeout(timeout):
                return await waiter
        except TimeoutError:
            if self._inner.done():
                raise
            raise FutureTimeoutError(_still_running(timeout)) from None

    def __await__(self) -> Generator[Any, None, T]:
        return self.result_async().__await__()

    def coroutine(self) -> Coroutine[Any, Any, T]:
        return self.result_async()

    def future(self) -> concurrent.futures.Future[T]:
        """The underlying concurrent.futures.Future (cancelling it cancels the operation)."""
        return self._inner

    def done(self) -> bool:
        return self._inner.done()

    def cancel(self) -> bool:
        return self._inner.cancel()

    def map(self, fn: Callable[[T], U]) -> APIFuture[U]:
        """A future of `fn(result)`; the conversion runs on the background loop."""
        inner = self._inner

        async def convert() -> U:
            return fn(await asyncio.wrap_future(inner))

        return APIFuture.submit(convert())

    def __repr__(self) -> str:
        state = "done" if self._inner.done() else "pending"
        return f"<APIFuture {state}>"


def _still_running(timeout: float | None) -> str:
    return (
        f"No result within {timeout} s; the operation keeps running (polled until the client's "
        "future_timeout): call result() again, or cancel() to stop polling"
    )


# ----------------------------------------------------------------------------------------- created client


class CreatedClient:
    """Mixin of the clients that creation methods return: a client is also its own finished future.

    tinker 0.25 returned clients directly from `create_lora_training_client(...)` and friends; 0.38
    returns a future of the client. Our creation methods return the client (already created), and this
    mixin makes the 0.38 styles work on it too: `.result()`, `await client`, `.result_async()`,
    `.coroutine()`, `.future()` all give back the client itself.
    """

    __slots__ = ()

    def result(self, timeout: float | None = None) -> Self:
        return self

    async def result_async(self, timeout: float | None = None) -> Self:
        return self

    def __await__(self) -> Generator[Any, None, Self]:
        return self.result_async().__await__()

    def coroutine(self) -> Coroutine[Any, Any, Self]:
        return self.result_async()

    def future(self) -> concurrent.futures.Future[Self]:
        done: concurrent.futures.Future[Self] = concurrent.futures.Future()
        done.set_result(self)
        return done

    def done(self) -> bool:
        return True
