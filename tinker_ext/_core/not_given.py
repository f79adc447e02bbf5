"""The "argument not given" sentinel.

Rule: an argument left at `NOT_GIVEN` is *omitted* from the JSON body (the server applies its own
default); an explicit `None` is sent as JSON `null`. Typed request models already omit their own
`None`-valued optional fields (that is what the official SDK sends), so `NOT_GIVEN` matters for the
few raw bodies and request options where "absent" and `null` mean different things, e.g.
`{"ttl_seconds": null}` (remove an expiry) or `timeout=None` (no timeout) vs `timeout=NOT_GIVEN`
(client default).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, TypeVar, Union, final

__all__ = ["NOT_GIVEN", "NotGiven", "NotGivenOr", "drop_not_given", "is_given"]

_T = TypeVar("_T")


@final
class NotGiven:
    """Falsy singleton marking an argument the caller did not pass."""

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __copy__(self) -> NotGiven:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> NotGiven:
        return self

    def __reduce__(self) -> str:
        # Pickles by reference to the module-level name, so unpickling keeps the singleton.
        return "NOT_GIVEN"


NOT_GIVEN: Final[NotGiven] = NotGiven()

NotGivenOr = Union[_T, NotGiven]  # noqa: UP007 (a generic alias needs Union on 3.11)


def is_given(value: object) -> bool:
    """True unless `value` is the NOT_GIVEN sentinel (`None` counts as given)."""
    return not isinstance(value, NotGiven)


def drop_not_given(values: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `values` without the NOT_GIVEN entries; `None` entries are kept (sent as null)."""
    return {key: value for key, value in values.items() if not isinstance(value, NotGiven)}
