"""Session search (`RestClient.search_sessions`, experimental in 0.38): the request with its owner and
status filters, and the answer with each session's summary and status. All generated from openapi.yaml
(tinker_ext_raw.public); the tagged unions dispatch on `type`, and an unknown `type` in an answer is a
ResponseFormatError."""

from __future__ import annotations

from typing import Literal, TypeAlias

from tinker_ext_raw.public import (
    AccessibleSearchOwner,
    ActiveSessionStatusQuery,
    CancelledSessionStatusQuery,
    ClientFinishedSessionStatusQuery,
    ClientSessionFinished,
    ClientSessionFinishErrored,
    ClientSessionFinishInterrupted,
    ClientSessionFinishSuccess,
    FailedSessionStatusQuery,
    OwnSearchOwner,
    SessionActive,
    SessionCancelled,
    SessionFailed,
    SessionFailedRequestReason,
    SessionFailedSamplingSessionReason,
    SessionFailedTrainingRunReason,
    SessionSearchCursor,
    SessionSearchRequest,
    SessionSearchResponse,
    SessionSummary,
    UserSearchOwner,
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
]

# The unions of 0.38 (the spec's oneOf schemas with a `type` discriminator) and the reason literal.
ClientSessionFinishReasonType: TypeAlias = Literal["success", "errored", "interrupted"]
SearchOwner: TypeAlias = OwnSearchOwner | AccessibleSearchOwner | UserSearchOwner
SessionStatusQuery: TypeAlias = (
    ActiveSessionStatusQuery
    | CancelledSessionStatusQuery
    | FailedSessionStatusQuery
    | ClientFinishedSessionStatusQuery
)
SessionFailedReason: TypeAlias = (
    SessionFailedRequestReason | SessionFailedTrainingRunReason | SessionFailedSamplingSessionReason
)
ClientSessionFinishReason: TypeAlias = (
    ClientSessionFinishSuccess | ClientSessionFinishErrored | ClientSessionFinishInterrupted
)
SessionStatus: TypeAlias = SessionFailed | SessionCancelled | ClientSessionFinished | SessionActive
