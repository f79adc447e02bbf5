"""Future protocol bodies: the promise, retrieve_future request, try-again and failure answers."""

from __future__ import annotations

import enum
from typing import Any, Literal

import attrs

from .._exceptions import RequestErrorCategory
from ._wire import WireModel, expect_mapping, opt_list, opt_str, req_str

__all__ = [
    "FutureRetrieveRequest",
    "QueueState",
    "RequestErrorCategory",
    "RequestFailedResponse",
    "TryAgainResponse",
    "UntypedAPIFuture",
]


@attrs.frozen
class UntypedAPIFuture(WireModel):
    """Answer of every future-returning POST: `{"request_id", "model_id"?, "sample_sequence_ids"?}`."""

    request_id: str
    model_id: str | None = None
    sample_sequence_ids: list[str] | None = None

    @classmethod
    def from_json(cls, data: Any) -> UntypedAPIFuture:
        what = "UntypedAPIFuture"
        body = expect_mapping(data, what)
        ids = opt_list(body, "sample_sequence_ids", what)
        return cls(
            request_id=req_str(body, "request_id", what),
            model_id=opt_str(body, "model_id", what),
            sample_sequence_ids=None if ids is None else [str(i) for i in ids],
        )


@attrs.frozen
class FutureRetrieveRequest(WireModel):
    request_id: str
    allow_metadata_only: bool = False


class QueueState(enum.StrEnum):
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


@attrs.frozen
class TryAgainResponse(WireModel):
    """`{"type": "try_again", "request_id", "queue_state", "queue_state_reason"?}`; a missing or
    unknown queue_state parses as UNKNOWN (as the official parser tolerates it)."""

    request_id: str
    queue_state: QueueState = QueueState.UNKNOWN
    queue_state_reason: str | None = None
    type: Literal["try_again"] = "try_again"

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"type": "try_again", "request_id": self.request_id}
        if self.queue_state is not QueueState.UNKNOWN:
            body["queue_state"] = self.queue_state.value
        if self.queue_state_reason is not None:
            body["queue_state_reason"] = self.queue_state_reason
        return body

    @staticmethod
    def matches(data: Any) -> bool:
        return isinstance(data, dict) and data.get("type") == "try_again"

    @classmethod
    def from_json(cls, data: Any) -> TryAgainResponse:
        what = "TryAgainResponse"
        body = expect_mapping(data, what)
        reason = body.get("queue_state_reason")
        return cls(
            request_id=req_str(body, "request_id", what),
            queue_state=QueueState.parse(body.get("queue_state")),
            queue_state_reason=reason if isinstance(reason, str) else None,
        )


@attrs.frozen
class RequestFailedResponse(WireModel):
    """`{"error": str, "category": "unknown"|"server"|"user"}`; recognised by the key `error`."""

    error: str
    category: RequestErrorCategory = RequestErrorCategory.UNKNOWN

    def to_json(self) -> dict[str, Any]:
        return {"error": self.error, "category": self.category.value}

    @staticmethod
    def matches(data: Any) -> bool:
        return isinstance(data, dict) and "error" in data

    @classmethod
    def from_json(cls, data: Any) -> RequestFailedResponse:
        body = expect_mapping(data, "RequestFailedResponse")
        error = body.get("error")
        return cls(
            error=error if isinstance(error, str) else str(error),
            category=RequestErrorCategory.parse(body.get("category", "unknown")),
        )
