"""Future protocol bodies: the promise, retrieve_future request, try-again and failure answers.

Generated from openapi.yaml (tinker_ext_raw.public); QueueState is hand-written (tinker 0.38 has no such
type, only a Literal; its UNKNOWN member is tinker-ext's tolerance of unknown states, not a wire value).
"""

from __future__ import annotations

from tinker_ext_raw.public import (
    FutureRetrieveRequest,
    RequestFailedResponse,
    TryAgainResponse,
    UntypedAPIFuture,
)

from .._behaviour.futures import QueueState
from .._exceptions import RequestErrorCategory

__all__ = [
    "FutureRetrieveRequest",
    "QueueState",
    "RequestErrorCategory",
    "RequestFailedResponse",
    "TryAgainResponse",
    "UntypedAPIFuture",
]
