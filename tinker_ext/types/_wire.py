"""The answer-format error of the public types and the one parsing helper the hand-written chunk parser
uses (everything else is parsed by the generated types' field kinds)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tinker_ext._core.exceptions import ResponseFormatError

__all__ = ["ResponseFormatError", "expect_mapping"]


def expect_mapping(data: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise ResponseFormatError(
            f"{what}: expected a JSON object, got {type(data).__name__}", pointer="", expected="a JSON object"
        )
    return data
