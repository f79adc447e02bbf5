"""Future protocol bodies: the promise, retrieve_future request, try-again and failure answers, the queue
states and error categories (generated from openapi.yaml)."""

from __future__ import annotations

from tinker_ext_raw.public import (
    FutureRetrieveRequest,
    QueueState,
    RequestErrorCategory,
    RequestFailedResponse,
    TryAgainResponse,
    UntypedAPIFuture,
)

__all__ = [
    "FutureRetrieveRequest",
    "QueueState",
    "RequestErrorCategory",
    "RequestFailedResponse",
    "TryAgainResponse",
    "UntypedAPIFuture",
]
