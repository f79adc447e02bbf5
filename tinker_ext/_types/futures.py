"""Behaviour of the future-protocol answers: how a client recognises each kind of answer.

The queue states and error categories are generated enums (QueueState, RequestErrorCategory): an unknown or
missing state parses as `QueueState.UNKNOWN`, an unknown category as `RequestErrorCategory.Unknown`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["RequestFailedBehaviour", "TryAgainBehaviour"]


class TryAgainBehaviour:
    """TryAgainResponse: recognised by its `type` tag."""

    __slots__ = ()

    @staticmethod
    def matches(data: Any) -> bool:
        return isinstance(data, dict) and data.get("type") == "try_again"


class RequestFailedBehaviour:
    """RequestFailedResponse: has no `type` tag, recognised by the key `error`."""

    __slots__ = ()

    @staticmethod
    def matches(data: Any) -> bool:
        return isinstance(data, dict) and "error" in data
