"""REST resources: checkpoints, training runs, sessions, samplers, server capabilities."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any, Literal, TypeAlias

import attrs
from tinker_ext_raw.public import (
    AuditLogEntry,
    AuditLogResponse,
    Checkpoint,
    CheckpointArchiveUrlResponse,
    CheckpointsListResponse,
    CopyWeightsRequest,
    CopyWeightsResponse,
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
    ResponseFormatError,
    WireModel,
    expect_mapping,
    opt_bool,
    opt_datetime,
    opt_dict,
    opt_int,
    opt_str,
    req_bool,
    req_datetime,
    req_dict,
    req_int,
    req_items,
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


@attrs.frozen
class BillingUsageEvent(WireModel):
    """One usage bucket. `event_info` is kept as its JSON object (discriminated by `type`: training,
    sampling_prefill, sampling_sample, checkpoint, storage); unknown keys are ignored."""

    bucket_start: _dt.datetime
    bucket_end: _dt.datetime
    event_info: dict[str, Any]
    base_model: str | None = None
    session_id: str | None = None
    project_id: str | None = None
    user_id: str | None = None
    user_name: str | None = None
    estimated_cost_usd: float | None = None
    effective_rate_usd_per_million_tokens: float | None = None
    effective_rate_usd_per_gigabyte_month: float | None = None

    @classmethod
    def from_json(cls, data: Any) -> BillingUsageEvent:
        what = "BillingUsageEvent"
        body = expect_mapping(data, what)
        return cls(
            bucket_start=req_datetime(body, "bucket_start", what),
            bucket_end=req_datetime(body, "bucket_end", what),
            event_info=req_dict(body, "event_info", what),
            base_model=opt_str(body, "base_model", what),
            session_id=opt_str(body, "session_id", what),
            project_id=opt_str(body, "project_id", what),
            user_id=opt_str(body, "user_id", what),
            user_name=opt_str(body, "user_name", what),
            estimated_cost_usd=_opt_number(body, "estimated_cost_usd", what),
            effective_rate_usd_per_million_tokens=_opt_number(
                body, "effective_rate_usd_per_million_tokens", what
            ),
            effective_rate_usd_per_gigabyte_month=_opt_number(
                body, "effective_rate_usd_per_gigabyte_month", what
            ),
        )


def _opt_number(body: Mapping[str, Any], key: str, what: str) -> float | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ResponseFormatError(f"{what}.{key}: expected a number, got {value!r}")
    return float(value)


@attrs.frozen
class BillingUsageResponse(WireModel):
    data: list[BillingUsageEvent]
    sessions: dict[str, Any] = attrs.field(factory=dict)  # session id -> {user_metadata?}
    cost_data_through: _dt.datetime | None = None

    @classmethod
    def from_json(cls, data: Any) -> BillingUsageResponse:
        what = "BillingUsageResponse"
        body = expect_mapping(data, what)
        return cls(
            data=req_items(body, "data", what, BillingUsageEvent.from_json),
            sessions=opt_dict(body, "sessions", what) or {},
            cost_data_through=opt_datetime(body, "cost_data_through", what),
        )


@attrs.frozen
class CheckpointStorageUsageItem(WireModel):
    checkpoint_count: int
    size_bytes: int
    project_id: str | None = None
    user_email: str | None = None
    org_user_urn: str | None = None
    user_name: str | None = None
    size_gigabytes: float | None = None
    estimated_monthly_cost_usd: float | None = None

    @classmethod
    def from_json(cls, data: Any) -> CheckpointStorageUsageItem:
        what = "CheckpointStorageUsageItem"
        body = expect_mapping(data, what)
        return cls(
            checkpoint_count=req_int(body, "checkpoint_count", what),
            size_bytes=req_int(body, "size_bytes", what),
            project_id=opt_str(body, "project_id", what),
            user_email=opt_str(body, "user_email", what),
            org_user_urn=opt_str(body, "org_user_urn", what),
            user_name=opt_str(body, "user_name", what),
            size_gigabytes=_opt_number(body, "size_gigabytes", what),
            estimated_monthly_cost_usd=_opt_number(body, "estimated_monthly_cost_usd", what),
        )


@attrs.frozen
class CurrentCheckpointStorageUsageResponse(WireModel):
    data: list[CheckpointStorageUsageItem]
    effective_rate_usd_per_gigabyte_month: float | None = None

    @classmethod
    def from_json(cls, data: Any) -> CurrentCheckpointStorageUsageResponse:
        what = "CurrentCheckpointStorageUsageResponse"
        body = expect_mapping(data, what)
        return cls(
            data=req_items(body, "data", what, CheckpointStorageUsageItem.from_json),
            effective_rate_usd_per_gigabyte_month=_opt_number(
                body, "effective_rate_usd_per_gigabyte_month", what
            ),
        )
