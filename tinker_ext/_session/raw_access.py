"""`client.with_raw_response.<method>(...)`: the same call, answered with the official SDK's
`APIResponse` of the HTTP response that carried its result (status, headers, `elapsed`,
`retries_taken`, ...); `.parse()` gives what the method itself returns. A method that returns a future
returns a future of that `APIResponse`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from tinker_ext._core.exceptions import TinkerError
from tinker_ext._observe.observer import CallRecord
from tinker_ext._observe.raw import APIResponse
from tinker_ext._session.futures import APIFuture

if TYPE_CHECKING:
    from tinker_ext._session.context import ClientContext

__all__ = ["RawResponses", "final_response"]

ClientT = TypeVar("ClientT")


def final_response(call: CallRecord | None, value: Any) -> APIResponse[Any]:
    """The response that ended `call`, whose `parse()` returns `value`."""
    if call is None or not call.responses:
        raise TinkerError("This call sent no request (its answer was known already): no raw response")
    response, retries_taken, elapsed, operation = call.responses[-1]
    return APIResponse(
        response, retries_taken=retries_taken, elapsed=elapsed, operation=operation, parse=lambda: value
    )


class RawResponses(Generic[ClientT]):
    """The methods of `client`, answering with raw responses (see the module docstring)."""

    def __init__(self, client: ClientT, ctx: ClientContext) -> None:
        self._client = client
        self._ctx = ctx

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._client, name)
        if name.startswith("_") or not callable(method):
            raise AttributeError(f"with_raw_response has no method {name!r}")
        if name.endswith("_async"):
            raise AttributeError(
                f"with_raw_response.{name}: use with_raw_response.{name[: -len('_async')]}(...) and await "
                "the future it returns"
            )

        def raw(*args: Any, **kwargs: Any) -> Any:
            before = self._ctx.last_call()
            self._ctx.capture_raw_responses(True)
            try:
                value = method(*args, **kwargs)
            finally:
                self._ctx.capture_raw_responses(False)
            call = getattr(value, "_call", None)
            if isinstance(value, APIFuture) and call is not None:
                return value.map(lambda result: final_response(call, result))
            after = self._ctx.last_call()
            return final_response(None if after is before else after, value)

        raw.__name__ = name
        raw.__doc__ = getattr(method, "__doc__", None)
        return raw
