"""The base of the field kinds (see `_fields.py`): `Kind`, the `Bad` a check raises, and `MISSING`."""

from __future__ import annotations

from typing import Any

from tinker_ext._core.exceptions import ResponseFormatError

__all__ = ["MISSING", "Bad", "Kind"]

MISSING: Any = object()


class Bad(Exception):
    """A value does not fit its kind; `pointer` is relative to the value being checked."""

    def __init__(self, expected: str, got: Any, pointer: str = "") -> None:
        super().__init__(expected)
        self.expected = expected
        self.got = got
        self.pointer = pointer

    def within(self, key: str | int) -> Bad:
        step = str(key).replace("~", "~0").replace("/", "~1")
        return Bad(self.expected, self.got, f"/{step}{self.pointer}")

    def as_response_error(self, what: str) -> ResponseFormatError:
        got = "null" if self.got is None else type(self.got).__name__
        if isinstance(self.got, str):  # e.g. an unknown tag: say which
            got += f" {self.got[:60]!r}"
        return ResponseFormatError(
            f"{what}{self.pointer or '/'}: expected {self.expected}, got {got}",
            pointer=self.pointer,
            expected=self.expected,
        )


class Kind:
    """The checker of one JSON schema: `check` returns the Python value (copied where mutable)."""

    __slots__ = ()
    label = "a value"

    def check(self, value: Any) -> Any:
        raise NotImplementedError

    # JSON mode of a model's dump: only a `float` field changes anything (pydantic writes 1 as 1.0)
    floats = False
    # values are plain JSON already (str/int/float/bool/None, lists and dicts of them): dumped without a walk
    plain = False

    def json_value(self, value: Any) -> Any:
        return value

    def __repr__(self) -> str:
        return f"<{self.label}>"
