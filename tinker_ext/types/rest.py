"""REST resources: checkpoints, training runs, sessions, samplers, server capabilities."""

from __future__ import annotations

from typing import Literal, TypeAlias

from tinker_ext_raw.public import (
    AuditLogEntry,
    AuditLogResponse,
    BillingUsageEvent,
    BillingUsageResponse,
    Checkpoint,
    CheckpointArchiveUrlResponse,
    CheckpointsListResponse,
    CopyWeightsRequest,
    CopyWeightsResponse,
    CurrentCheckpointStorageUsageItem,
    CurrentCheckpointStorageUsageResponse,
    Cursor,
    ExternalWeightsUrlsResponse,
    GetSamplerResponse,
    GetServerCapabilitiesResponse,
    GetSessionResponse,
    HealthResponse,
    ListSessionsResponse,
    SupportedModel,
    TrainingRun,
    TrainingRunsResponse,
    WeightsInfoResponse,
    WhoamiResponse,
)

__all__ = [
    "AuditLogEntry",
    "AuditLogResponse",
    "BillingUsageEvent",
    "BillingUsageResponse",
    "Checkpoint",
    "CheckpointArchiveUrlResponse",
    "CheckpointStorageUsageItem",
    "CheckpointType",
    "CheckpointsListResponse",
    "CopyWeightsRequest",
    "CopyWeightsResponse",
    "CurrentCheckpointStorageUsageResponse",
    "Cursor",
    "ExternalWeightsUrlsResponse",
    "GetSamplerResponse",
    "GetServerCapabilitiesResponse",
    "GetSessionResponse",
    "HealthResponse",
    "ListSessionsResponse",
    "SupportedModel",
    "TrainingRun",
    "TrainingRunsResponse",
    "WeightsInfoResponse",
    "WhoamiResponse",
]

CheckpointType: TypeAlias = Literal["training", "sampler", "external"]


# The name this module used for 0.38's CurrentCheckpointStorageUsageItem (one row of the answer).
CheckpointStorageUsageItem = CurrentCheckpointStorageUsageItem
