"""Behaviour of the future-protocol answers: the queue states and error categories a client tolerates.

tinker 0.38 declares `queue_state` a Literal and `category` a strict enum; tinker-ext keeps answers from
newer or older servers usable: an unknown or missing queue state is `QueueState.UNKNOWN`, an unknown
error category `RequestErrorCategory.UNKNOWN` (and `"User"` is `user`).
"""

from __future__ import annotations

import enum
from typing import Any

from tinker_ext._behaviour._fields import Bad, Kind
from tinker_ext._exceptions import RequestErrorCategory

__all__ = ["ErrorCategory", "QueueState", "QueueStateKind", "RequestFailedBehaviour", "TryAgainBehaviour"]


class QueueState(enum.StrEnum):
    """A server's queue state of a pending request (`UNKNOWN`: missing or not one we know)."""

    ACTIVE = "active"
    PAUSED_CAPACITY = "paused_capacity"
    PAUSED_RATE_LIMIT = "paused_rate_limit"
    UNKNOWN = "unknown"

    @classmethod
    def parse(cls, value: Any) -> QueueState:
        try:
            return cls(value)
        except ValueError:
            return cls.UNKNOWN


class QueueStateKind(Kind):
    """`queue_state`: any string, kept as a `QueueState` (unknown values as UNKNOWN)."""

    __slots__ = ()
    label = "a queue state string"
    plain = True

    def check(self, value: Any) -> Any:
        if not isinstance(value, str):
            raise Bad(self.label, value)
        return QueueState.parse(value)


class ErrorCategory(Kind):
    """`category`: any string, kept as a `RequestErrorCategory` (case-insensitive, unknown as UNKNOWN)."""

    __slots__ = ()
    label = "an error category string"
    plain = True

    def check(self, value: Any) -> Any:
        if not isinstance(value, str):
            raise Bad(self.label, value)
        return RequestErrorCategory.parse(value)


class TryAgainBehaviour:
    """TryAgainResponse: recognised by its `type` tag; `queue_state` is always a `QueueState`."""

    __slots__ = ()
    queue_state: str

    def _validate(self) -> None:
        if type(self.queue_state) is not QueueState:  # the default ("unknown")
            object.__setattr__(self, "queue_state", QueueState.parse(self.queue_state))

    @staticmethod
    def matches(data: Any) -> bool:
        return isinstance(data, dict) and data.get("type") == "try_again"


class RequestFailedBehaviour:
    """RequestFailedResponse: has no `type` tag, recognised by the key `error`."""

    __slots__ = ()

    @staticmethod
    def matches(data: Any) -> bool:
        return isinstance(data, dict) and "error" in data
