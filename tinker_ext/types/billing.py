"""Billing request and event types of tinker 0.38 (the responses are in `rest.py`): the query of
`get_billing_usage` / `get_current_checkpoint_storage_usage`, the typed `event_info` variants and the
per-session entry of a usage answer. All generated from openapi.yaml (tinker_ext_raw.public)."""

from __future__ import annotations

from typing import TypeAlias

from tinker_ext_raw.public import (
    BillingUsageSession,
    CheckpointBillingEvent,
    CurrentCheckpointStorageUsageItem,
    GetBillingUsageRequest,
    GetCurrentCheckpointStorageUsageRequest,
    SamplingPrefillBillingEvent,
    SamplingSampleBillingEvent,
    StorageBillingEvent,
    TrainingBillingEvent,
)

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
]

# `BillingUsageEvent.event_info`: discriminated by `type` (the spec's BillingEventInfo)
BillingEventInfo: TypeAlias = (
    TrainingBillingEvent
    | SamplingPrefillBillingEvent
    | SamplingSampleBillingEvent
    | CheckpointBillingEvent
    | StorageBillingEvent
)
