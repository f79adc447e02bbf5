"""While the CLI waits on a future: a spinner on stderr saying what it waits for (issue 22 part 6), read
from `APIFuture.wait_state()` (request type and id, queue state, polls, time waited)."""

from __future__ import annotations

import time
from typing import Any

__all__ = ["describe_wait", "wait_with_spinner"]

_TICK_S = 0.2


def describe_wait(state: dict[str, Any] | None) -> str:
    if state is None:
        return "Waiting for the server..."
    return (
        f"Waiting for {state['request_type']} {state['request_id']}: queue state {state['queue_state']}, "
        f"{state['polls']} poll(s), {time.monotonic() - state['started']:.0f} s"
    )


def wait_with_spinner(future: Any, console: Any = None) -> Any:
    """`future.result()`, showing a rich spinner with the wait state meanwhile."""
    from rich.console import Console

    from tinker_ext._core.exceptions import FutureTimeoutError

    console = console or Console(stderr=True)
    with console.status(describe_wait(None)) as status:
        while True:
            try:
                return future.result(timeout=_TICK_S)
            except FutureTimeoutError:
                status.update(describe_wait(future.wait_state()))
