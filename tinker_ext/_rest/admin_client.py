"""`AdminClient`: the organisation admin endpoints (audit log, billing usage, checkpoint storage) on a
client of their own, over a RestClient's plumbing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from tinker_ext._core.refusal import clears_locals_on_refusal
from tinker_ext._rest.admin_endpoints import AdminEndpoints
from tinker_ext._rest.client import RestClient
from tinker_ext._wire.calls import Call
from tinker_ext._wire.origin import display_origin

if TYPE_CHECKING:
    from tinker_ext._session.futures import APIFuture

__all__ = ["AdminClient"]

T = TypeVar("T")
U = TypeVar("U")


class AdminClient(AdminEndpoints):
    """Audit log and billing (organisation admin endpoints). `AdminClient(api_key=..., base_url=...)`.

    None of these endpoints exist on the local skyrl-tx server: they are covered by wire tests only."""

    @clears_locals_on_refusal
    def __init__(self, *, base_url: str | None = None, api_key: str | None = None, **options: Any) -> None:
        from tinker_ext._wire.credentials import ApiKey

        key = None if api_key is None else ApiKey.parse(api_key)
        api_key = None  # the raw key leaves this frame's locals before anything can raise
        self._rest: RestClient = RestClient(  # shared plumbing only
            # RestClient's own ApiKey.parse takes a parsed key as it is; the raw string is gone from here.
            api_key=None if key is None else cast("str", ApiKey.unwrap(key)),
            base_url=base_url,
            **options,
        )

    def __repr__(self) -> str:
        rest = getattr(self, "_rest", None)  # unset while __init__ runs (tracebacks with locals)
        return f"AdminClient(origin={display_origin(rest._ctx.http.base_url) if rest else None!r})"

    def _call(self, call: Call[T], then: Callable[[T], U] | None = None) -> APIFuture[Any]:
        return self._rest._call(call, then)

    def close(self) -> None:
        """Close the connections (see `RestClient.close`)."""
        self._rest.close()

    async def close_async(self) -> None:
        await self._rest.close_async()
