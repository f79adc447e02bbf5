"""Refused configurations leave no secret in traceback locals.

A constructor refusing its configuration (a key with a CR/LF, a base URL with a query, a header value
that cannot be sent) raises from frames whose locals hold the refused value: printed by
`traceback` with `capture_locals=True`, by error trackers or by a debugger, those locals would show it.
`clears_locals_on_refusal` wraps an entry point: when it raises, the locals of every finished frame of
the error (and of its causes) are cleared and the wrapper drops its own arguments before re-raising,
so only the message, which names no secret, remains.
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable
from typing import ParamSpec, TypeVar

__all__ = ["clear_traceback_locals", "clears_locals_on_refusal"]

P = ParamSpec("P")
R = TypeVar("R")


def clear_traceback_locals(error: BaseException) -> None:
    """Clear the locals of the finished frames of `error`'s traceback and of its causes and contexts
    (frames still running, such as the caller's, are left alone)."""
    pending: list[BaseException] = [error]
    seen: set[int] = set()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        traceback.clear_frames(current.__traceback__)
        pending += [e for e in (current.__cause__, current.__context__) if e is not None]


def clears_locals_on_refusal(fn: Callable[P, R]) -> Callable[P, R]:
    """Decorator: an error raised by `fn` leaves `fn`'s frame, the frames it called and the wrapper's
    own frame without locals. Any error, not only InvalidInputError: an error passing through would
    otherwise keep the wrapper's arguments in its locals."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            error = exc
        del args, kwargs  # the refused values must not stay in this frame either
        clear_traceback_locals(error)
        raise error

    return wrapper
