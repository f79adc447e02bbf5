"""Billing request and event types of tinker 0.38 (the responses are in `rest.py`): the query of
`get_billing_usage` / `get_current_checkpoint_storage_usage`, the typed `event_info` variants and the
per-session entry of a usage answer."""

from __future__ import annotations

import datetime as _dt
from typing import Any, Literal, TypeAlias

import attrs

from ._wire import ResponseFormatError, WireModel, expect_mapping, opt_dict, req_str
from .rest import CheckpointStorageUsageItem

__all__ = [
    "BillingEventInfo",
    "BillingUsageSession",
    "CheckpointBillingEvent",
    "CurrentCheckpointStorageUsageItem",
    "GetBillingUsageRequest",
    "GetCurrentCheckpointStorageUsageRequest",
    "SamplingPrefillBillingEvent",
    "SamplingSampleBillingEvent",
    "StorageBillingEvent",
    "TrainingBillingEvent",
    "billing_event_from_json",
]

# The official name of one row of `CurrentCheckpointStorageUsageResponse.data`.
CurrentCheckpointStorageUsageItem = CheckpointStorageUsageItem


@attrs.frozen
class GetBillingUsageRequest(WireModel):
    starting_on: _dt.datetime
    ending_before: _dt.datetime


@attrs.frozen
class GetCurrentCheckpointStorageUsageRequest(WireModel):
    project_id: str | None = None


@attrs.frozen
class BillingUsageSession(WireModel):
    user_metadata: dict[str, str] | None = None

    @classmethod
    def from_json(cls, data: Any) -> BillingUsageSession:
        return cls(
            user_metadata=opt_dict(
                expect_mapping(data, "BillingUsageSession"), "user_metadata", "BillingUsageSession"
            )
        )


@attrs.frozen
class TrainingBillingEvent(WireModel):
    token_count: int
    type: Literal["training"] = "training"


@attrs.frozen
class SamplingPrefillBillingEvent(WireModel):
    cached: bool
    token_count: int
    type: Literal["sampling_prefill"] = "sampling_prefill"


@attrs.frozen
class SamplingSampleBillingEvent(WireModel):
    token_count: int
    type: Literal["sampling_sample"] = "sampling_sample"


@attrs.frozen
class CheckpointBillingEvent(WireModel):
    count: int
    type: Literal["checkpoint"] = "checkpoint"


@attrs.frozen
class StorageBillingEvent(WireModel):
    gigabyte_hours: float
    free: bool = False
    type: Literal["storage"] = "storage"


BillingEventInfo: TypeAlias = (
    TrainingBillingEvent
    | SamplingPrefillBillingEvent
    | SamplingSampleBillingEvent
    | CheckpointBillingEvent
    | StorageBillingEvent
)

_EVENTS: dict[str, type[Any]] = {
    "training": TrainingBillingEvent,
    "sampling_prefill": SamplingPrefillBillingEvent,
    "sampling_sample": SamplingSampleBillingEvent,
    "checkpoint": CheckpointBillingEvent,
    "storage": StorageBillingEvent,
}


def billing_event_from_json(data: Any) -> BillingEventInfo:
    """The typed form of a `BillingUsageEvent.event_info` object (kept as a dict on the event itself)."""
    what = "BillingEventInfo"
    body = expect_mapping(data, what)
    cls = _EVENTS.get(req_str(body, "type", what))
    if cls is None:
        raise ResponseFormatError(f"{what}.type: unknown value {body.get('type')!r}")
    known = {f.name for f in attrs.fields(cls)}
    try:
        event: BillingEventInfo = cls(**{k: v for k, v in body.items() if k in known})
    except TypeError as exc:
        raise ResponseFormatError(f"{what}: {exc}") from None
    return event
