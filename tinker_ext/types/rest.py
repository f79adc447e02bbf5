"""REST resources: checkpoints, training runs, sessions, samplers, server capabilities."""

from __future__ import annotations

from typing import Any, Literal, TypeAlias

import attrs
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
    WhoamiResponse,
)

from ._wire import (
    WireModel,
    expect_mapping,
    opt_bool,
    opt_int,
    req_bool,
    req_str,
)
from .optim import OptimizerConfig, optimizer_config_from_json

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
_CHECKPOINT_TYPES = ("training", "sampler", "external")


def _str_dict(value: dict[str, Any] | None) -> dict[str, str] | None:
    return None if value is None else {str(k): str(v) for k, v in value.items()}


@attrs.frozen
class WeightsInfoResponse(WireModel):
    base_model: str
    is_lora: bool
    lora_rank: int | None = None
    train_unembed: bool | None = None
    train_mlp: bool | None = None
    train_attn: bool | None = None
    optimizer_config: OptimizerConfig | None = None  # 0.38 servers only

    @classmethod
    def from_json(cls, data: Any) -> WeightsInfoResponse:
        what = "WeightsInfoResponse"
        body = expect_mapping(data, what)
        return cls(
            base_model=req_str(body, "base_model", what),
            is_lora=req_bool(body, "is_lora", what),
            lora_rank=opt_int(body, "lora_rank", what),
            train_unembed=opt_bool(body, "train_unembed", what),
            train_mlp=opt_bool(body, "train_mlp", what),
            train_attn=opt_bool(body, "train_attn", what),
            optimizer_config=(
                None
                if body.get("optimizer_config") is None
                else optimizer_config_from_json(body["optimizer_config"], f"{what}.optimizer_config")
            ),
        )


# The name this module used for 0.38's CurrentCheckpointStorageUsageItem (one row of the answer).
CheckpointStorageUsageItem = CurrentCheckpointStorageUsageItem
