"""Session search (`RestClient.search_sessions`, experimental in 0.38): the request with its owner and
status filters, and the answer with each session's summary and status. Tagged unions are discriminated by
`type`; an unknown `type` in an answer is a ResponseFormatError."""

from __future__ import annotations

import datetime as _dt
from typing import Any, Literal, TypeAlias

import attrs

from ._wire import (
    ResponseFormatError,
    WireModel,
    expect_mapping,
    opt_dict,
    opt_int,
    opt_str,
    req,
    req_datetime,
    req_int,
    req_list,
    req_str,
)

__all__ = [
    "AccessibleSearchOwner",
    "ActiveSessionStatusQuery",
    "CancelledSessionStatusQuery",
    "ClientFinishedSessionStatusQuery",
    "ClientSessionFinishErrored",
    "ClientSessionFinishInterrupted",
    "ClientSessionFinishReason",
    "ClientSessionFinishReasonType",
    "ClientSessionFinishSuccess",
    "ClientSessionFinished",
    "FailedSessionStatusQuery",
    "OwnSearchOwner",
    "SearchOwner",
    "SessionActive",
    "SessionCancelled",
    "SessionFailed",
    "SessionFailedReason",
    "SessionFailedRequestReason",
    "SessionFailedSamplingSessionReason",
    "SessionFailedTrainingRunReason",
    "SessionSearchCursor",
    "SessionSearchRequest",
    "SessionSearchResponse",
    "SessionStatus",
    "SessionStatusQuery",
    "SessionSummary",
    "UserSearchOwner",
    "session_status_from_json",
]

ClientSessionFinishReasonType: TypeAlias = Literal["success", "errored", "interrupted"]


# ------------------------------------------------------------------------------------------- request


@attrs.frozen
class OwnSearchOwner(WireModel):
    type: Literal["own"] = "own"


@attrs.frozen
class AccessibleSearchOwner(WireModel):
    type: Literal["accessible"] = "accessible"


@attrs.frozen
class UserSearchOwner(WireModel):
    owner_urns: list[str]
    type: Literal["user"] = "user"


SearchOwner: TypeAlias = OwnSearchOwner | AccessibleSearchOwner | UserSearchOwner


@attrs.frozen
class ActiveSessionStatusQuery(WireModel):
    type: Literal["active"] = "active"


@attrs.frozen
class CancelledSessionStatusQuery(WireModel):
    type: Literal["cancelled"] = "cancelled"


@attrs.frozen
class FailedSessionStatusQuery(WireModel):
    type: Literal["failed"] = "failed"


@attrs.frozen
class ClientFinishedSessionStatusQuery(WireModel):
    reasons: list[ClientSessionFinishReasonType] | None = None
    type: Literal["client_finished"] = "client_finished"


SessionStatusQuery: TypeAlias = (
    ActiveSessionStatusQuery
    | CancelledSessionStatusQuery
    | FailedSessionStatusQuery
    | ClientFinishedSessionStatusQuery
)


@attrs.frozen
class SessionSearchCursor(WireModel):
    last_created_at: _dt.datetime
    last_session_id: str

    @classmethod
    def from_json(cls, data: Any) -> SessionSearchCursor:
        what = "SessionSearchCursor"
        body = expect_mapping(data, what)
        return cls(
            last_created_at=req_datetime(body, "last_created_at", what),
            last_session_id=req_str(body, "last_session_id", what),
        )


@attrs.frozen
class SessionSearchRequest(WireModel):
    session_id: str | None = None
    project_ids: list[str] | None = None
    user_metadata: dict[str, str] = attrs.field(factory=dict)
    display_name: str | None = None
    owner: SearchOwner = attrs.field(factory=OwnSearchOwner)
    statuses: list[SessionStatusQuery] | None = None
    limit: int = 50
    cursor: SessionSearchCursor | None = None


# ------------------------------------------------------------------------------------------- answer


@attrs.frozen
class SessionFailedRequestReason(WireModel):
    request_id: str
    request_type: str
    type: Literal["request"] = "request"


@attrs.frozen
class SessionFailedTrainingRunReason(WireModel):
    training_run_id: str
    type: Literal["training_run"] = "training_run"


@attrs.frozen
class SessionFailedSamplingSessionReason(WireModel):
    sampling_session_id: str
    type: Literal["sampling_session"] = "sampling_session"


SessionFailedReason: TypeAlias = (
    SessionFailedRequestReason | SessionFailedTrainingRunReason | SessionFailedSamplingSessionReason
)


@attrs.frozen
class ClientSessionFinishSuccess(WireModel):
    type: Literal["success"] = "success"


@attrs.frozen
class ClientSessionFinishErrored(WireModel):
    type: Literal["errored"] = "errored"


@attrs.frozen
class ClientSessionFinishInterrupted(WireModel):
    type: Literal["interrupted"] = "interrupted"


ClientSessionFinishReason: TypeAlias = (
    ClientSessionFinishSuccess | ClientSessionFinishErrored | ClientSessionFinishInterrupted
)


@attrs.frozen
class SessionActive(WireModel):
    type: Literal["active"] = "active"


@attrs.frozen
class SessionCancelled(WireModel):
    detail: str | None = None
    type: Literal["cancelled"] = "cancelled"


@attrs.frozen
class SessionFailed(WireModel):
    category: Literal["user", "internal"]
    reason: SessionFailedReason
    message: str
    type: Literal["failed"] = "failed"


@attrs.frozen
class ClientSessionFinished(WireModel):
    reason: ClientSessionFinishReason
    detail: str | None = None
    type: Literal["client_finished"] = "client_finished"


SessionStatus: TypeAlias = SessionFailed | SessionCancelled | ClientSessionFinished | SessionActive


def _tag(data: Any, what: str) -> tuple[dict[str, Any], str]:
    body = dict(expect_mapping(data, what))
    return body, req_str(body, "type", what)


def _failed_reason(data: Any, what: str) -> SessionFailedReason:
    body, kind = _tag(data, what)
    if kind == "request":
        return SessionFailedRequestReason(
            req_str(body, "request_id", what), req_str(body, "request_type", what)
        )
    if kind == "training_run":
        return SessionFailedTrainingRunReason(req_str(body, "training_run_id", what))
    if kind == "sampling_session":
        return SessionFailedSamplingSessionReason(req_str(body, "sampling_session_id", what))
    raise ResponseFormatError(f"{what}.type: unknown value {kind!r}")


_FINISH_REASONS: dict[str, ClientSessionFinishReason] = {
    "success": ClientSessionFinishSuccess(),
    "errored": ClientSessionFinishErrored(),
    "interrupted": ClientSessionFinishInterrupted(),
}


def session_status_from_json(data: Any, what: str = "SessionStatus") -> SessionStatus:
    body, kind = _tag(data, what)
    if kind == "active":
        return SessionActive()
    if kind == "cancelled":
        return SessionCancelled(detail=opt_str(body, "detail", what))
    if kind == "failed":
        category = req_str(body, "category", what)
        if category not in ("user", "internal"):
            raise ResponseFormatError(f"{what}.category: unknown value {category!r}")
        return SessionFailed(
            category=category,  # type: ignore[arg-type]
            reason=_failed_reason(req(body, "reason", what), f"{what}.reason"),
            message=req_str(body, "message", what),
        )
    if kind == "client_finished":
        _, reason = _tag(req(body, "reason", what), f"{what}.reason")
        if reason not in _FINISH_REASONS:
            raise ResponseFormatError(f"{what}.reason.type: unknown value {reason!r}")
        return ClientSessionFinished(reason=_FINISH_REASONS[reason], detail=opt_str(body, "detail", what))
    raise ResponseFormatError(f"{what}.type: unknown value {kind!r}")


@attrs.frozen
class SessionSummary(WireModel):
    session_id: str
    created_at: _dt.datetime
    owner: str
    project_id: str
    checkpoints_count: int
    status: SessionStatus | None = None
    display_name: str | None = None
    user_metadata: dict[str, str] | None = None
    checkpoint_storage_bytes: int | None = None

    @classmethod
    def from_json(cls, data: Any) -> SessionSummary:
        what = "SessionSummary"
        body = expect_mapping(data, what)
        status = body.get("status")
        return cls(
            session_id=req_str(body, "session_id", what),
            created_at=req_datetime(body, "created_at", what),
            owner=req_str(body, "owner", what),
            project_id=req_str(body, "project_id", what),
            checkpoints_count=req_int(body, "checkpoints_count", what),
            status=None if status is None else session_status_from_json(status, f"{what}.status"),
            display_name=opt_str(body, "display_name", what),
            user_metadata=opt_dict(body, "user_metadata", what),
            checkpoint_storage_bytes=opt_int(body, "checkpoint_storage_bytes", what),
        )


@attrs.frozen
class SessionSearchResponse(WireModel):
    sessions: list[SessionSummary]
    next_cursor: SessionSearchCursor | None = None

    @classmethod
    def from_json(cls, data: Any) -> SessionSearchResponse:
        what = "SessionSearchResponse"
        body = expect_mapping(data, what)
        cursor = body.get("next_cursor")
        return cls(
            sessions=[SessionSummary.from_json(s) for s in req_list(body, "sessions", what)],
            next_cursor=None if cursor is None else SessionSearchCursor.from_json(cursor),
        )
