"""REST resources: checkpoints, training runs, sessions, samplers, server capabilities."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any, Literal, TypeAlias

import attrs

from ._wire import (
    ResponseFormatError,
    WireModel,
    expect_mapping,
    opt_bool,
    opt_datetime,
    opt_dict,
    opt_int,
    opt_str,
    req,
    req_bool,
    req_datetime,
    req_dict,
    req_int,
    req_items,
    req_list,
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
class Checkpoint(WireModel):
    checkpoint_id: str  # "kind/name", e.g. "weights/0001"
    checkpoint_type: CheckpointType
    time: _dt.datetime
    tinker_path: str
    size_bytes: int | None = None
    public: bool = False
    user_metadata: dict[str, str] | None = None
    expires_at: _dt.datetime | None = None

    @classmethod
    def from_json(cls, data: Any) -> Checkpoint:
        what = "Checkpoint"
        body = expect_mapping(data, what)
        kind = req_str(body, "checkpoint_type", what)
        if kind not in _CHECKPOINT_TYPES:
            raise ResponseFormatError(f"{what}.checkpoint_type: unknown value {kind!r}")
        return cls(
            checkpoint_id=req_str(body, "checkpoint_id", what),
            checkpoint_type=kind,  # type: ignore[arg-type]
            time=req_datetime(body, "time", what),
            tinker_path=req_str(body, "tinker_path", what),
            size_bytes=opt_int(body, "size_bytes", what),
            public=bool(opt_bool(body, "public", what, False)),
            user_metadata=_str_dict(opt_dict(body, "user_metadata", what)),
            expires_at=opt_datetime(body, "expires_at", what),
        )


@attrs.frozen
class Cursor(WireModel):
    offset: int
    limit: int
    total_count: int

    @classmethod
    def from_json(cls, data: Any) -> Cursor:
        body = expect_mapping(data, "Cursor")
        return cls(
            offset=req_int(body, "offset", "Cursor"),
            limit=req_int(body, "limit", "Cursor"),
            total_count=req_int(body, "total_count", "Cursor"),
        )


@attrs.frozen
class CheckpointsListResponse(WireModel):
    checkpoints: list[Checkpoint]
    cursor: Cursor | None = None

    @classmethod
    def from_json(cls, data: Any) -> CheckpointsListResponse:
        what = "CheckpointsListResponse"
        body = expect_mapping(data, what)
        cursor = body.get("cursor")
        return cls(
            checkpoints=req_items(body, "checkpoints", what, Checkpoint.from_json),
            cursor=None if cursor is None else Cursor.from_json(cursor),
        )


@attrs.frozen
class TrainingRun(WireModel):
    training_run_id: str
    base_model: str
    model_owner: str
    is_lora: bool
    last_request_time: _dt.datetime
    corrupted: bool = False
    lora_rank: int | None = None
    last_checkpoint: Checkpoint | None = None
    last_sampler_checkpoint: Checkpoint | None = None
    user_metadata: dict[str, str] | None = None

    @classmethod
    def from_json(cls, data: Any) -> TrainingRun:
        what = "TrainingRun"
        body = expect_mapping(data, what)
        last = body.get("last_checkpoint")
        last_sampler = body.get("last_sampler_checkpoint")
        return cls(
            training_run_id=req_str(body, "training_run_id", what),
            base_model=req_str(body, "base_model", what),
            model_owner=req_str(body, "model_owner", what),
            is_lora=req_bool(body, "is_lora", what),
            last_request_time=req_datetime(body, "last_request_time", what),
            corrupted=bool(opt_bool(body, "corrupted", what, False)),
            lora_rank=opt_int(body, "lora_rank", what),
            last_checkpoint=None if last is None else Checkpoint.from_json(last),
            last_sampler_checkpoint=None if last_sampler is None else Checkpoint.from_json(last_sampler),
            user_metadata=_str_dict(opt_dict(body, "user_metadata", what)),
        )


@attrs.frozen
class TrainingRunsResponse(WireModel):
    training_runs: list[TrainingRun]
    cursor: Cursor

    @classmethod
    def from_json(cls, data: Any) -> TrainingRunsResponse:
        what = "TrainingRunsResponse"
        body = expect_mapping(data, what)
        return cls(
            training_runs=req_items(body, "training_runs", what, TrainingRun.from_json),
            cursor=Cursor.from_json(req(body, "cursor", what)),
        )


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
class GetSamplerResponse(WireModel):
    sampler_id: str
    base_model: str
    model_path: str | None = None

    @classmethod
    def from_json(cls, data: Any) -> GetSamplerResponse:
        what = "GetSamplerResponse"
        body = expect_mapping(data, what)
        return cls(
            sampler_id=req_str(body, "sampler_id", what),
            base_model=req_str(body, "base_model", what),
            model_path=opt_str(body, "model_path", what),
        )


@attrs.frozen
class GetSessionResponse(WireModel):
    training_run_ids: list[str]
    sampler_ids: list[str]
    user_metadata: dict[str, Any] | None = None
    display_name: str | None = None

    @classmethod
    def from_json(cls, data: Any) -> GetSessionResponse:
        what = "GetSessionResponse"
        body = expect_mapping(data, what)
        return cls(
            training_run_ids=[str(x) for x in req_list(body, "training_run_ids", what)],
            sampler_ids=[str(x) for x in req_list(body, "sampler_ids", what)],
            user_metadata=opt_dict(body, "user_metadata", what),
            display_name=opt_str(body, "display_name", what),
        )


@attrs.frozen
class ListSessionsResponse(WireModel):
    sessions: list[str]

    @classmethod
    def from_json(cls, data: Any) -> ListSessionsResponse:
        body = expect_mapping(data, "ListSessionsResponse")
        return cls(sessions=[str(x) for x in req_list(body, "sessions", "ListSessionsResponse")])


@attrs.frozen
class SupportedModel(WireModel):
    model_name: str | None = None
    max_context_length: int | None = None
    trainable: bool | None = None  # 0.38
    sampleable: bool | None = None  # 0.38

    @classmethod
    def from_json(cls, data: Any) -> SupportedModel:
        what = "SupportedModel"
        body = expect_mapping(data, what)
        return cls(
            model_name=opt_str(body, "model_name", what),
            max_context_length=opt_int(body, "max_context_length", what),
            trainable=opt_bool(body, "trainable", what),
            sampleable=opt_bool(body, "sampleable", what),
        )


@attrs.frozen
class GetServerCapabilitiesResponse(WireModel):
    supported_models: list[SupportedModel]

    @classmethod
    def from_json(cls, data: Any) -> GetServerCapabilitiesResponse:
        what = "GetServerCapabilitiesResponse"
        body = expect_mapping(data, what)
        return cls(supported_models=req_items(body, "supported_models", what, SupportedModel.from_json))


@attrs.frozen
class HealthResponse(WireModel):
    status: Literal["ok"] = "ok"

    @classmethod
    def from_json(cls, data: Any) -> HealthResponse:
        what = "HealthResponse"
        if req_str(expect_mapping(data, what), "status", what) != "ok":
            raise ResponseFormatError(f"{what}.status: expected 'ok'")
        return cls()


@attrs.frozen
class WhoamiResponse(WireModel):
    user_urn: str
    org_urn: str | None = None
    email: str | None = None

    @classmethod
    def from_json(cls, data: Any) -> WhoamiResponse:
        what = "WhoamiResponse"
        body = expect_mapping(data, what)
        return cls(
            user_urn=req_str(body, "user_urn", what),
            org_urn=opt_str(body, "org_urn", what),
            email=opt_str(body, "email", what),
        )


@attrs.frozen
class CheckpointArchiveUrlResponse(WireModel):
    """Signed download URL of a checkpoint archive (0.25 REST)."""

    url: str
    expires: _dt.datetime

    @classmethod
    def from_json(cls, data: Any) -> CheckpointArchiveUrlResponse:
        what = "CheckpointArchiveUrlResponse"
        body = expect_mapping(data, what)
        return cls(url=req_str(body, "url", what), expires=req_datetime(body, "expires", what))


@attrs.frozen
class ExternalWeightsUrlsResponse(WireModel):
    """0.38: relative file path -> signed URL of an external-weights checkpoint."""

    urls: dict[str, str]
    expires: _dt.datetime

    @classmethod
    def from_json(cls, data: Any) -> ExternalWeightsUrlsResponse:
        what = "ExternalWeightsUrlsResponse"
        body = expect_mapping(data, what)
        return cls(
            urls={str(k): str(v) for k, v in req_dict(body, "urls", what).items()},
            expires=req_datetime(body, "expires", what),
        )


@attrs.frozen
class AuditLogEntry(WireModel):
    timestamp: _dt.datetime
    event: str
    event_details: dict[str, Any] = attrs.field(factory=dict)
    model_id: str | None = None
    tinker_path: str | None = None
    purpose: str | None = None

    @classmethod
    def from_json(cls, data: Any) -> AuditLogEntry:
        what = "AuditLogEntry"
        body = expect_mapping(data, what)
        return cls(
            timestamp=req_datetime(body, "timestamp", what),
            event=req_str(body, "event", what),
            event_details=opt_dict(body, "event_details", what) or {},
            model_id=opt_str(body, "model_id", what),
            tinker_path=opt_str(body, "tinker_path", what),
            purpose=opt_str(body, "purpose", what),
        )


@attrs.frozen
class AuditLogResponse(WireModel):
    entries: list[AuditLogEntry]

    @classmethod
    def from_json(cls, data: Any) -> AuditLogResponse:
        what = "AuditLogResponse"
        body = expect_mapping(data, what)
        return cls(entries=req_items(body, "entries", what, AuditLogEntry.from_json))


@attrs.frozen
class CopyWeightsRequest(WireModel):
    """`POST /api/v1/copy_weights` body (the access token travels as a header, never in this body)."""

    source_path: str
    session_id: str | None = None
    model_seq_id: int | None = None
    destination_project_id: str | None = None
    ttl_seconds: int | None = None
    weights_access_token: str | None = attrs.field(default=None, repr=False)


@attrs.frozen
class CopyWeightsResponse(WireModel):
    """0.38 `copy_weights`: the path of the copy (in a new, non-trainable training run)."""

    tinker_path: str

    @classmethod
    def from_json(cls, data: Any) -> CopyWeightsResponse:
        what = "CopyWeightsResponse"
        return cls(tinker_path=req_str(expect_mapping(data, what), "tinker_path", what))


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
