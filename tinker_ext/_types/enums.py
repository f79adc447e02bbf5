"""Behaviour of the generated enums (`x-tinker-ext-public: enum`) and the field kind that holds them.

An enum with `x-tinker-ext-enum-fallback` is open: an answer's value that is not a member (a newer server's
state, a missing one) parses as the fallback member instead of failing (`parse`). The constructor
(`QueueState("x")`) stays strict, as a stdlib enum.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, TypeVar

from tinker_ext._types._kind import Bad, Kind

__all__ = ["EnumOf", "OpenEnum"]

_E = TypeVar("_E", bound=enum.Enum)


class OpenEnum:
    """`parse(value)`: the member of `value` (case folded when the enum says so), else the fallback."""

    __slots__ = ()
    # set by the generated class body (dunder names are no enum members)
    __tinker_fallback__: str | None = None
    __tinker_fold_case__: bool = False

    @classmethod
    def parse(cls: type[_E], value: Any) -> _E:  # type: ignore[misc]
        fold = getattr(cls, "__tinker_fold_case__", False)
        if isinstance(value, str):
            try:
                return cls(value.lower() if fold else value)
            except ValueError:
                pass
        fallback = getattr(cls, "__tinker_fallback__", None)
        if fallback is None:
            raise ValueError(f"{value!r} is not a valid {cls.__name__}")
        return cls(fallback)


class EnumOf(Kind):
    """A field holding a generated enum: a string becomes its member (an open enum takes any string)."""

    __slots__ = ("_cls", "_target")
    plain = True

    def __init__(self, target: Callable[[], type[Any]]) -> None:
        self._target = target  # a lambda: the enum may be defined later in its module
        self._cls: type[Any] | None = None

    @property
    def cls(self) -> type[Any]:
        if self._cls is None:
            self._cls = self._target()
        return self._cls

    @property
    def label(self) -> str:  # type: ignore[override]
        cls = self.cls
        if getattr(cls, "__tinker_fallback__", None) is not None:
            return "a string"
        return "one of " + ", ".join(sorted(str(m.value) for m in cls))

    def check(self, value: Any) -> Any:
        cls = self.cls
        if isinstance(value, cls):
            return value
        if not isinstance(value, str):
            raise Bad(self.label, value)
        try:
            return cls.parse(value)
        except ValueError:
            raise Bad(self.label, value) from None
