# GENERATED from openapi.yaml by codegen/types_gen.py. DO NOT EDIT.
# Change openapi.yaml (x-tinker-ext-* extensions) or tinker_ext/_types and run `nox -s codegen`.
"""The public types of tinker-ext, one class per schema marked x-tinker-ext-public in openapi.yaml."""

from __future__ import annotations

import dataclasses
import datetime
import enum
from typing import TYPE_CHECKING, Any, Literal

from tinker_ext._types import _fields as f
from tinker_ext._types._base import PublicDataclass, PublicModel
from tinker_ext._types.datum import DatumBehaviour
from tinker_ext._types.enums import EnumOf, OpenEnum
from tinker_ext._types.families import KeyedFields, OpenFamily
from tinker_ext._types.futures import RequestFailedBehaviour, TryAgainBehaviour
from tinker_ext._types.model_input import (
    DmelChunkBehaviour,
    EncodedTextChunkBehaviour,
    ImageAssetPointerChunkBehaviour,
    ImageChunkBehaviour,
    ModelInputBehaviour,
    Tokens,
)
from tinker_ext._types.optim import AdamParamsBehaviour, DimuonParamsBehaviour
from tinker_ext._types.outputs import ForwardBackwardOutputBehaviour
from tinker_ext._types.provenance import SpanBehaviour
from tinker_ext._types.pydantic_api import use_spec_json
from tinker_ext._types.sampling import (
    Logprobs,
    PromptLogprobs,
    SampledSequenceBehaviour,
    SampleRequestBehaviour,
    SampleResponseBehaviour,
    SamplingParamsBehaviour,
    TokenIds,
    TopkRows,
)
from tinker_ext._types.secrets import (
    AuthTokenBehaviour,
    CopyWeightsBehaviour,
    LoadWeightsBehaviour,
)
from tinker_ext._types.session_search import SessionSearchCursorBehaviour
from tinker_ext._types.tensor_data import TensorDataBehaviour, Values
from tinker_ext._types.training import (
    LoraConfigBehaviour,
    SamplerWeightsBehaviour,
    SaveWeightsResponseBehaviour,
)
from tinker_ext_raw.openapi_spec import SPEC_JSON

__all__ = [
    "AccessibleSearchOwner",
    "ActiveSessionStatusQuery",
    "AdamOptimizerConfig",
    "AdamParams",
    "ApiKeyInfoResponse",
    "AssignSessionProjectRequest",
    "AuditLogEntry",
    "AuditLogResponse",
    "AuthTokenRequest",
    "AuthTokenResponse",
    "BillingUsageEvent",
    "BillingUsageResponse",
    "BillingUsageSession",
    "CancelFutureRequest",
    "CancelledSessionStatusQuery",
    "Checkpoint",
    "CheckpointArchiveUrlResponse",
    "CheckpointBillingEvent",
    "CheckpointsListResponse",
    "ClientConfigRequest",
    "ClientConfigResponse",
    "ClientDynamicConfigResponse",
    "ClientFinishedSessionStatusQuery",
    "ClientSessionFinishErrored",
    "ClientSessionFinishInterrupted",
    "ClientSessionFinishSuccess",
    "ClientSessionFinished",
    "CopyWeightsRequest",
    "CopyWeightsResponse",
    "CreateCustomLossRequest",
    "CreateCustomLossResponse",
    "CreateModelRequest",
    "CreateModelResponse",
    "CreateSamplingSessionRequest",
    "CreateSamplingSessionResponse",
    "CreateSessionRequest",
    "CreateSessionResponse",
    "CurrentCheckpointStorageUsageItem",
    "CurrentCheckpointStorageUsageResponse",
    "Cursor",
    "CustomLossGraph",
    "CustomLossInput",
    "CustomLossNode",
    "Datum",
    "DimuonOptimizerConfig",
    "DimuonParams",
    "DmelChunk",
    "EmptyResponse",
    "EncodedTextChunk",
    "ExternalWeightsUrlsResponse",
    "FailedSessionStatusQuery",
    "ForwardBackwardInput",
    "ForwardBackwardOutput",
    "ForwardBackwardRequest",
    "ForwardRequest",
    "FutureRetrieveRequest",
    "GenericEvent",
    "GetBillingUsageRequest",
    "GetCurrentCheckpointStorageUsageRequest",
    "GetInfoRequest",
    "GetInfoResponse",
    "GetSamplerResponse",
    "GetServerCapabilitiesResponse",
    "GetSessionResponse",
    "HealthResponse",
    "ImageAssetPointerChunk",
    "ImageChunk",
    "JoinSamplingSessionRequest",
    "JoinSamplingSessionResponse",
    "ListSessionsResponse",
    "LoadWeightsRequest",
    "LoadWeightsResponse",
    "LoraConfig",
    "ModelData",
    "ModelInput",
    "OptimParamsBase",
    "OptimStepRequest",
    "OptimStepResponse",
    "OptimizerConfigBase",
    "OwnSearchOwner",
    "PromptAltTokens",
    "PromptProvenanceSpan",
    "QueueState",
    "RequestErrorCategory",
    "RequestFailedResponse",
    "SampleRequest",
    "SampleResponse",
    "SampledProvenanceSpan",
    "SampledSequence",
    "SamplingParams",
    "SamplingPrefillBillingEvent",
    "SamplingSampleBillingEvent",
    "SaveWeightsExternalRequest",
    "SaveWeightsExternalResponse",
    "SaveWeightsExternalResponseInternal",
    "SaveWeightsForSamplerRequest",
    "SaveWeightsForSamplerResponse",
    "SaveWeightsForSamplerResponseInternal",
    "SaveWeightsRequest",
    "SaveWeightsResponse",
    "SessionActive",
    "SessionCancelled",
    "SessionEndEvent",
    "SessionFailed",
    "SessionFailedRequestReason",
    "SessionFailedSamplingSessionReason",
    "SessionFailedTrainingRunReason",
    "SessionHeartbeatRequest",
    "SessionHeartbeatResponse",
    "SessionSearchCursor",
    "SessionSearchRequest",
    "SessionSearchResponse",
    "SessionStartEvent",
    "SessionSummary",
    "StorageBillingEvent",
    "SupportedModel",
    "TelemetryResponse",
    "TelemetrySendRequest",
    "TensorData",
    "TrainingBillingEvent",
    "TrainingRun",
    "TrainingRunsResponse",
    "TryAgainResponse",
    "UnhandledExceptionEvent",
    "UnloadModelRequest",
    "UnloadModelResponse",
    "UntypedAPIFuture",
    "UserSearchOwner",
    "WeightsInfoRequest",
    "WeightsInfoResponse",
    "WhoamiResponse",
]


class QueueState(OpenEnum, enum.StrEnum):
    """A server's queue state of a pending request; `UNKNOWN` (client-side) is a missing state or one this client does not know."""

    ACTIVE = "active"
    PAUSED_CAPACITY = "paused_capacity"
    PAUSED_RATE_LIMIT = "paused_rate_limit"
    UNKNOWN = "unknown"
    __tinker_fallback__ = "unknown"


class RequestErrorCategory(OpenEnum, enum.StrEnum):
    """Who caused a failed request (0.38's member names; the upper-case names are aliases). An unknown category parses as Unknown, case-insensitively."""

    Unknown = "unknown"
    Server = "server"
    User = "user"
    UNKNOWN = "unknown"
    SERVER = "server"
    USER = "user"
    __tinker_fallback__ = "unknown"
    __tinker_fold_case__ = True


class OptimParamsBase(OpenFamily):
    """Per-step parameters of a non-Adam optimizer family (SDK 0.38), tagged by `type` (e.g. `dimuon`); the family's own fields sit flat next to `type`."""

    type: str

    __tinker_open__ = True  # fields the schema does not name are kept (model_extra)
    __tinker_parsed_as__ = ()  # the members an answer's object may become

    if TYPE_CHECKING:

        def __init__(self, *, type: str, **extra: Any) -> None: ...

    __tinker_fields__ = (f.Field("type", f.Str(), required=True),)


class OptimizerConfigBase(OpenFamily):
    """Optimizer family chosen at model creation (SDK 0.38), e.g. `{"type":"adamw"}`; the family's own fields sit flat next to `type`."""

    type: str

    __tinker_open__ = True  # fields the schema does not name are kept (model_extra)
    __tinker_parsed_as__ = ("AdamOptimizerConfig",)  # the members an answer's object may become

    if TYPE_CHECKING:

        def __init__(self, *, type: str, **extra: Any) -> None: ...

    __tinker_fields__ = (f.Field("type", f.Str(), required=True),)


class AccessibleSearchOwner(PublicModel):
    """The SearchOwnerAccessible object of openapi.yaml."""

    type: Literal["accessible"]

    if TYPE_CHECKING:

        def __init__(self, *, type: Literal["accessible"] = ...) -> None: ...

    __tinker_fields__ = (f.Field("type", f.Const("accessible"), default="accessible"),)


class ActiveSessionStatusQuery(PublicModel):
    """The SessionStatusQueryActive object of openapi.yaml."""

    type: Literal["active"]

    if TYPE_CHECKING:

        def __init__(self, *, type: Literal["active"] = ...) -> None: ...

    __tinker_fields__ = (f.Field("type", f.Const("active"), default="active"),)


class AdamOptimizerConfig(OptimizerConfigBase):
    """The AdamW optimizer at model creation (an OptimizerConfig; SDK 0.38)."""

    type: Literal["adamw"]

    if TYPE_CHECKING:

        def __init__(self, *, type: Literal["adamw"] = ...) -> None: ...

    __tinker_fields__ = (f.Field("type", f.Const("adamw"), default="adamw"),)


class AdamParams(AdamParamsBehaviour, PublicModel):
    """The AdamParams object of openapi.yaml."""

    learning_rate: float
    beta1: float
    beta2: float
    eps: float
    weight_decay: float
    grad_clip_norm: float

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            learning_rate: float = ...,
            beta1: float = ...,
            beta2: float = ...,
            eps: float = ...,
            weight_decay: float = ...,
            grad_clip_norm: float = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("learning_rate", f.Num(), default=0.0001),
        f.Field("beta1", f.Num(), default=0.9),
        f.Field("beta2", f.Num(), default=0.95),
        f.Field("eps", f.Num(), default=1e-12),
        f.Field("weight_decay", f.Num(), default=0.0),
        f.Field("grad_clip_norm", f.Num(), default=0.0, description="0 disables clipping."),
    )


class ApiKeyInfoResponse(PublicModel):
    """The ApiKeyInfoResponse object of openapi.yaml."""

    key_id: int
    name: str
    note: str | None
    details: dict[str, Any] | None

    if TYPE_CHECKING:

        def __init__(
            self, *, key_id: int, name: str, note: str | None = ..., details: dict[str, Any] | None = ...
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("key_id", f.Int(), required=True),
        f.Field("name", f.Str(), required=True),
        f.Field("note", f.Nullable(f.Str()), default=None),
        f.Field("details", f.Nullable(f.Dict(f.Any_())), default=None),
    )


class AssignSessionProjectRequest(PublicModel):
    """The AssignSessionProjectRequest object of openapi.yaml."""

    project_id: str

    if TYPE_CHECKING:

        def __init__(self, *, project_id: str) -> None: ...

    __tinker_fields__ = (f.Field("project_id", f.Str(), required=True),)


class AuditLogEntry(PublicModel):
    """The AuditLogEntry object of openapi.yaml."""

    timestamp: datetime.datetime
    event: str
    event_details: dict[str, Any]
    model_id: str | None
    tinker_path: str | None
    purpose: str | None

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            timestamp: datetime.datetime,
            event: str,
            event_details: dict[str, Any] = ...,
            model_id: str | None = ...,
            tinker_path: str | None = ...,
            purpose: str | None = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("timestamp", f.DateTime(), required=True),
        f.Field("event", f.Str(), required=True),
        f.Field("event_details", f.Dict(f.Any_()), factory=dict),
        f.Field("model_id", f.Nullable(f.Str()), default=None),
        f.Field("tinker_path", f.Nullable(f.Str()), default=None),
        f.Field("purpose", f.Nullable(f.Str()), default=None),
    )


class AuditLogResponse(PublicModel):
    """The AuditLogResponse object of openapi.yaml."""

    entries: list[AuditLogEntry]

    if TYPE_CHECKING:

        def __init__(self, *, entries: list[AuditLogEntry]) -> None: ...

    __tinker_fields__ = (f.Field("entries", f.List(f.Ref(lambda: AuditLogEntry)), required=True),)


class AuthTokenRequest(PublicModel):
    """Always the empty object."""

    __tinker_fields__ = ()


class AuthTokenResponse(AuthTokenBehaviour, PublicModel):
    """The AuthTokenResponse object of openapi.yaml."""

    jwt: str

    if TYPE_CHECKING:

        def __init__(self, *, jwt: str) -> None: ...

    __tinker_fields__ = (f.Field("jwt", f.Str(), required=True),)


class BillingUsageEvent(PublicModel):
    """The BillingUsageEvent object of openapi.yaml."""

    bucket_start: datetime.datetime
    bucket_end: datetime.datetime
    base_model: str | None
    user_id: str | None
    user_name: str | None
    session_id: str | None
    project_id: str | None
    estimated_cost_usd: float | None
    effective_rate_usd_per_million_tokens: float | None
    effective_rate_usd_per_gigabyte_month: float | None
    event_info: (
        TrainingBillingEvent
        | SamplingPrefillBillingEvent
        | SamplingSampleBillingEvent
        | CheckpointBillingEvent
        | StorageBillingEvent
    )

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            bucket_start: datetime.datetime,
            bucket_end: datetime.datetime,
            base_model: str | None = ...,
            user_id: str | None = ...,
            user_name: str | None = ...,
            session_id: str | None = ...,
            project_id: str | None = ...,
            estimated_cost_usd: float | None = ...,
            effective_rate_usd_per_million_tokens: float | None = ...,
            effective_rate_usd_per_gigabyte_month: float | None = ...,
            event_info: TrainingBillingEvent
            | SamplingPrefillBillingEvent
            | SamplingSampleBillingEvent
            | CheckpointBillingEvent
            | StorageBillingEvent,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("bucket_start", f.DateTime(), required=True),
        f.Field("bucket_end", f.DateTime(), required=True),
        f.Field("base_model", f.Nullable(f.Str()), default=None),
        f.Field("user_id", f.Nullable(f.Str()), default=None),
        f.Field("user_name", f.Nullable(f.Str()), default=None),
        f.Field("session_id", f.Nullable(f.Str()), default=None),
        f.Field("project_id", f.Nullable(f.Str()), default=None),
        f.Field("estimated_cost_usd", f.Nullable(f.Num()), default=None),
        f.Field("effective_rate_usd_per_million_tokens", f.Nullable(f.Num()), default=None),
        f.Field("effective_rate_usd_per_gigabyte_month", f.Nullable(f.Num()), default=None),
        f.Field(
            "event_info",
            f.Tagged(
                "type",
                {
                    "training": f.Ref(lambda: TrainingBillingEvent),
                    "sampling_prefill": f.Ref(lambda: SamplingPrefillBillingEvent),
                    "sampling_sample": f.Ref(lambda: SamplingSampleBillingEvent),
                    "checkpoint": f.Ref(lambda: CheckpointBillingEvent),
                    "storage": f.Ref(lambda: StorageBillingEvent),
                },
            ),
            required=True,
        ),
    )


class BillingUsageResponse(PublicModel):
    """The BillingUsageResponse object of openapi.yaml."""

    data: list[BillingUsageEvent]
    sessions: dict[str, BillingUsageSession]
    cost_data_through: datetime.datetime | None

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            data: list[BillingUsageEvent],
            sessions: dict[str, BillingUsageSession] = ...,
            cost_data_through: datetime.datetime | None = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("data", f.List(f.Ref(lambda: BillingUsageEvent)), required=True),
        f.Field("sessions", f.Dict(f.Ref(lambda: BillingUsageSession)), factory=dict),
        f.Field("cost_data_through", f.Nullable(f.DateTime()), default=None),
    )


class BillingUsageSession(PublicModel):
    """The BillingUsageSession object of openapi.yaml."""

    user_metadata: dict[str, str] | None

    if TYPE_CHECKING:

        def __init__(self, *, user_metadata: dict[str, str] | None = ...) -> None: ...

    __tinker_fields__ = (f.Field("user_metadata", f.Nullable(f.Dict(f.Str())), default=None),)


class CancelFutureRequest(PublicModel):
    """The CancelFutureRequest object of openapi.yaml."""

    request_id: str

    if TYPE_CHECKING:

        def __init__(self, *, request_id: str) -> None: ...

    __tinker_fields__ = (f.Field("request_id", f.Str(), required=True),)


class CancelledSessionStatusQuery(PublicModel):
    """The SessionStatusQueryCancelled object of openapi.yaml."""

    type: Literal["cancelled"]

    if TYPE_CHECKING:

        def __init__(self, *, type: Literal["cancelled"] = ...) -> None: ...

    __tinker_fields__ = (f.Field("type", f.Const("cancelled"), default="cancelled"),)


class Checkpoint(PublicModel):
    """The Checkpoint object of openapi.yaml."""

    checkpoint_id: str
    checkpoint_type: Literal["training", "sampler", "external"] | str
    time: datetime.datetime
    tinker_path: str
    size_bytes: int | None
    public: bool
    user_metadata: dict[str, str] | None
    expires_at: datetime.datetime | None

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            checkpoint_id: str,
            checkpoint_type: Literal["training", "sampler", "external"] | str,
            time: datetime.datetime,
            tinker_path: str,
            size_bytes: int | None = ...,
            public: bool = ...,
            user_metadata: dict[str, str] | None = ...,
            expires_at: datetime.datetime | None = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field(
            "checkpoint_id",
            f.Str(),
            required=True,
            description="`kind/name` on the official service (e.g. `weights/0001`); a bare name on skyrl-tx.",
        ),
        f.Field(
            "checkpoint_type", f.Union(f.Enum("training", "sampler", "external"), f.Str()), required=True
        ),
        f.Field("time", f.DateTime(), required=True),
        f.Field("tinker_path", f.Str(), required=True),
        f.Field("size_bytes", f.Nullable(f.Int()), default=None),
        f.Field("public", f.Bool(), default=False),
        f.Field("user_metadata", f.Nullable(f.Dict(f.Str())), default=None),
        f.Field("expires_at", f.Nullable(f.DateTime()), default=None),
    )


class CheckpointArchiveUrlResponse(PublicModel):
    """The CheckpointArchiveUrlResponse object of openapi.yaml."""

    url: str
    expires: datetime.datetime

    if TYPE_CHECKING:

        def __init__(self, *, url: str, expires: datetime.datetime) -> None: ...

    __tinker_fields__ = (
        f.Field("url", f.Str(), required=True),
        f.Field("expires", f.DateTime(), required=True),
    )


class CheckpointBillingEvent(PublicModel):
    """The CheckpointBillingEvent object of openapi.yaml."""

    type: Literal["checkpoint"]
    count: int

    if TYPE_CHECKING:

        def __init__(self, *, type: Literal["checkpoint"] = ..., count: int) -> None: ...

    __tinker_fields__ = (
        f.Field("type", f.Const("checkpoint"), default="checkpoint"),
        f.Field("count", f.Int(), required=True),
    )


class CheckpointsListResponse(PublicModel):
    """The CheckpointsListResponse object of openapi.yaml."""

    checkpoints: list[Checkpoint]
    cursor: Cursor | None

    if TYPE_CHECKING:

        def __init__(self, *, checkpoints: list[Checkpoint], cursor: Cursor | None = ...) -> None: ...

    __tinker_fields__ = (
        f.Field("checkpoints", f.List(f.Ref(lambda: Checkpoint)), required=True),
        f.Field("cursor", f.Nullable(f.Ref(lambda: Cursor)), default=None),
    )


class ClientConfigRequest(PublicModel):
    """The ClientConfigRequest object of openapi.yaml."""

    sdk_version: str

    if TYPE_CHECKING:

        def __init__(self, *, sdk_version: str) -> None: ...

    __tinker_fields__ = (f.Field("sdk_version", f.Str(), required=True),)


class ClientConfigResponse(PublicModel):
    """The ClientConfigResponse object of openapi.yaml."""

    pjwt_auth_enabled: bool
    credential_default_source: str
    sample_dispatch_bytes_semaphore_size: int
    inflight_response_bytes_semaphore_size: int
    parallel_fwdbwd_chunks: bool
    proto_write_fwdbwd: bool
    proto_compress_fwdbwd: bool
    fwd_via_fwdbwd: bool
    fwdbwd_max_chunk_len: int
    fwdbwd_max_chunk_bytes_count: int
    fwdbwd_dispatch_bytes_semaphore_size: int
    billing_exception_max_pause_duration_sec: int
    sample_no_retries: bool
    sample_enable_stuck_detection: bool
    sample_max_concurrent_requests: int
    use_pyqwest_transport: bool
    sample_use_retrieve_futures: bool
    custom_loss_server_side: bool
    sample_join_sampling_session: bool
    create_model_via_load_weights: bool

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            pjwt_auth_enabled: bool = ...,
            credential_default_source: str = ...,
            sample_dispatch_bytes_semaphore_size: int = ...,
            inflight_response_bytes_semaphore_size: int = ...,
            parallel_fwdbwd_chunks: bool = ...,
            proto_write_fwdbwd: bool = ...,
            proto_compress_fwdbwd: bool = ...,
            fwd_via_fwdbwd: bool = ...,
            fwdbwd_max_chunk_len: int = ...,
            fwdbwd_max_chunk_bytes_count: int = ...,
            fwdbwd_dispatch_bytes_semaphore_size: int = ...,
            billing_exception_max_pause_duration_sec: int = ...,
            sample_no_retries: bool = ...,
            sample_enable_stuck_detection: bool = ...,
            sample_max_concurrent_requests: int = ...,
            use_pyqwest_transport: bool = ...,
            sample_use_retrieve_futures: bool = ...,
            custom_loss_server_side: bool = ...,
            sample_join_sampling_session: bool = ...,
            create_model_via_load_weights: bool = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("pjwt_auth_enabled", f.Bool(), default=False),
        f.Field("credential_default_source", f.Str(), default="api_key"),
        f.Field("sample_dispatch_bytes_semaphore_size", f.Int(), default=10485760),
        f.Field("inflight_response_bytes_semaphore_size", f.Int(), default=52428800),
        f.Field("parallel_fwdbwd_chunks", f.Bool(), default=True),
        f.Field("proto_write_fwdbwd", f.Bool(), default=False),
        f.Field("proto_compress_fwdbwd", f.Bool(), default=False),
        f.Field("fwd_via_fwdbwd", f.Bool(), default=False),
        f.Field("fwdbwd_max_chunk_len", f.Int(), default=1024),
        f.Field("fwdbwd_max_chunk_bytes_count", f.Int(), default=5000000),
        f.Field("fwdbwd_dispatch_bytes_semaphore_size", f.Int(), default=50000000),
        f.Field("billing_exception_max_pause_duration_sec", f.Int(), default=3600),
        f.Field("sample_no_retries", f.Bool(), default=False),
        f.Field("sample_enable_stuck_detection", f.Bool(), default=True),
        f.Field("sample_max_concurrent_requests", f.Int(), default=2000),
        f.Field("use_pyqwest_transport", f.Bool(), default=True),
        f.Field("sample_use_retrieve_futures", f.Bool(), default=False),
        f.Field("custom_loss_server_side", f.Bool(), default=False),
        f.Field("sample_join_sampling_session", f.Bool(), default=False),
        f.Field("create_model_via_load_weights", f.Bool(), default=False),
    )


class ClientDynamicConfigResponse(PublicModel):
    """The ClientDynamicConfigResponse object of openapi.yaml."""

    refresh_interval_sec: int
    sample_cancel_enabled: bool
    sample_cancel_max_batch_size: int

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            refresh_interval_sec: int = ...,
            sample_cancel_enabled: bool = ...,
            sample_cancel_max_batch_size: int = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("refresh_interval_sec", f.Int(), default=300),
        f.Field("sample_cancel_enabled", f.Bool(), default=False),
        f.Field("sample_cancel_max_batch_size", f.Int(), default=64),
    )


class ClientFinishedSessionStatusQuery(PublicModel):
    """The SessionStatusQueryClientFinished object of openapi.yaml."""

    type: Literal["client_finished"]
    reasons: list[Literal["success", "errored", "interrupted"]] | None

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            type: Literal["client_finished"] = ...,
            reasons: list[Literal["success", "errored", "interrupted"]] | None = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("type", f.Const("client_finished"), default="client_finished"),
        f.Field("reasons", f.Nullable(f.List(f.Enum("success", "errored", "interrupted"))), default=None),
    )


class ClientSessionFinishErrored(PublicModel):
    """The ClientSessionFinishErrored object of openapi.yaml."""

    type: Literal["errored"]

    if TYPE_CHECKING:

        def __init__(self, *, type: Literal["errored"] = ...) -> None: ...

    __tinker_fields__ = (f.Field("type", f.Const("errored"), default="errored"),)


class ClientSessionFinishInterrupted(PublicModel):
    """The ClientSessionFinishInterrupted object of openapi.yaml."""

    type: Literal["interrupted"]

    if TYPE_CHECKING:

        def __init__(self, *, type: Literal["interrupted"] = ...) -> None: ...

    __tinker_fields__ = (f.Field("type", f.Const("interrupted"), default="interrupted"),)


class ClientSessionFinishSuccess(PublicModel):
    """The ClientSessionFinishSuccess object of openapi.yaml."""

    type: Literal["success"]

    if TYPE_CHECKING:

        def __init__(self, *, type: Literal["success"] = ...) -> None: ...

    __tinker_fields__ = (f.Field("type", f.Const("success"), default="success"),)


class ClientSessionFinished(PublicModel):
    """The SessionStatusClientFinished object of openapi.yaml."""

    type: Literal["client_finished"]
    reason: ClientSessionFinishSuccess | ClientSessionFinishErrored | ClientSessionFinishInterrupted
    detail: str | None

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            type: Literal["client_finished"] = ...,
            reason: ClientSessionFinishSuccess | ClientSessionFinishErrored | ClientSessionFinishInterrupted,
            detail: str | None = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("type", f.Const("client_finished"), default="client_finished"),
        f.Field(
            "reason",
            f.Tagged(
                "type",
                {
                    "success": f.Ref(lambda: ClientSessionFinishSuccess),
                    "errored": f.Ref(lambda: ClientSessionFinishErrored),
                    "interrupted": f.Ref(lambda: ClientSessionFinishInterrupted),
                },
            ),
            required=True,
        ),
        f.Field("detail", f.Nullable(f.Str()), default=None),
    )


class CopyWeightsRequest(CopyWeightsBehaviour, PublicModel):
    """The CopyWeightsRequest object of openapi.yaml."""

    session_id: str | None
    model_seq_id: int | None
    destination_project_id: str | None
    source_path: str
    ttl_seconds: int | None
    weights_access_token: str | None

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            session_id: str | None = ...,
            model_seq_id: int | None = ...,
            destination_project_id: str | None = ...,
            source_path: str,
            ttl_seconds: int | None = ...,
            weights_access_token: str | None = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("session_id", f.Nullable(f.Str()), default=None),
        f.Field("model_seq_id", f.Nullable(f.Int()), default=None),
        f.Field("destination_project_id", f.Nullable(f.Str()), default=None),
        f.Field("source_path", f.Str(), required=True),
        f.Field("ttl_seconds", f.Nullable(f.Int()), default=None),
        f.Field("weights_access_token", f.Nullable(f.Str()), default=None),
    )


class CopyWeightsResponse(PublicModel):
    """The CopyWeightsResponse object of openapi.yaml."""

    tinker_path: str

    if TYPE_CHECKING:

        def __init__(self, *, tinker_path: str) -> None: ...

    __tinker_fields__ = (f.Field("tinker_path", f.Str(), required=True),)


class CreateCustomLossRequest(PublicModel):
    """The CreateCustomLossRequest object of openapi.yaml."""

    session_id: str
    custom_loss_seq_id: int
    name: str
    inputs: list[CustomLossInput]
    graph: CustomLossGraph
    type: Literal["create_custom_loss"]

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            session_id: str,
            custom_loss_seq_id: int,
            name: str,
            inputs: list[CustomLossInput],
            graph: CustomLossGraph,
            type: Literal["create_custom_loss"] = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("session_id", f.Str(), required=True),
        f.Field("custom_loss_seq_id", f.Int(), required=True),
        f.Field("name", f.Str(), required=True),
        f.Field("inputs", f.List(f.Ref(lambda: CustomLossInput)), required=True),
        f.Field("graph", f.Ref(lambda: CustomLossGraph), required=True),
        f.Field("type", f.Const("create_custom_loss"), default="create_custom_loss"),
    )


class CreateCustomLossResponse(PublicModel):
    """The CreateCustomLossResponse object of openapi.yaml."""

    loss_id: str
    type: Literal["create_custom_loss"]

    if TYPE_CHECKING:

        def __init__(self, *, loss_id: str, type: Literal["create_custom_loss"] = ...) -> None: ...

    __tinker_fields__ = (
        f.Field("loss_id", f.Str(), required=True),
        f.Field("type", f.Const("create_custom_loss"), default="create_custom_loss"),
    )


class CreateModelRequest(PublicModel):
    """The CreateModelRequest object of openapi.yaml."""

    session_id: str
    model_seq_id: int
    base_model: str
    user_metadata: dict[str, Any] | None
    lora_config: LoraConfig | None
    optimizer_config: OptimizerConfigBase | None
    type: Literal["create_model"]

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            session_id: str,
            model_seq_id: int,
            base_model: str,
            user_metadata: dict[str, Any] | None = ...,
            lora_config: LoraConfig | None = ...,
            optimizer_config: OptimizerConfigBase | None = ...,
            type: Literal["create_model"] = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("session_id", f.Str(), required=True),
        f.Field("model_seq_id", f.Int(), required=True),
        f.Field("base_model", f.Str(), required=True),
        f.Field("user_metadata", f.Nullable(f.Dict(f.Any_())), default=None),
        f.Field("lora_config", f.Nullable(f.Ref(lambda: LoraConfig)), default=None),
        f.Field(
            "optimizer_config",
            f.Nullable(f.Ref(lambda: OptimizerConfigBase)),
            factory=f.parsed(f.Nullable(f.Ref(lambda: OptimizerConfigBase)), {"type": "adamw"}),
            description="AdamW by default (as 0.38); null leaves the key out (the server's default: the clients send null unless the user chose an optimizer, as tuft 0.2.2 refuses the key).",
        ),
        f.Field("type", f.Const("create_model"), default="create_model"),
    )


class CreateModelResponse(PublicModel):
    """The CreateModelResponse object of openapi.yaml."""

    model_id: str
    type: Literal["create_model"]

    if TYPE_CHECKING:

        def __init__(self, *, model_id: str, type: Literal["create_model"] = ...) -> None: ...

    __tinker_fields__ = (
        f.Field("model_id", f.Str(), required=True),
        f.Field("type", f.Const("create_model"), default="create_model"),
    )


class CreateSamplingSessionRequest(PublicModel):
    """The CreateSamplingSessionRequest object of openapi.yaml."""

    session_id: str
    sampling_session_seq_id: int
    base_model: str | None
    model_path: str | None
    type: Literal["create_sampling_session"]

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            session_id: str,
            sampling_session_seq_id: int,
            base_model: str | None = ...,
            model_path: str | None = ...,
            type: Literal["create_sampling_session"] = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("session_id", f.Str(), required=True),
        f.Field("sampling_session_seq_id", f.Int(), required=True),
        f.Field("base_model", f.Nullable(f.Str()), default=None),
        f.Field("model_path", f.Nullable(f.Str()), default=None, description="Must start with `tinker://`."),
        f.Field("type", f.Const("create_sampling_session"), default="create_sampling_session"),
    )


class CreateSamplingSessionResponse(PublicModel):
    """The CreateSamplingSessionResponse object of openapi.yaml."""

    type: Literal["create_sampling_session"]
    sampling_session_id: str

    if TYPE_CHECKING:

        def __init__(
            self, *, type: Literal["create_sampling_session"] = ..., sampling_session_id: str
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("type", f.Const("create_sampling_session"), default="create_sampling_session"),
        f.Field("sampling_session_id", f.Str(), required=True),
    )


class CreateSessionRequest(PublicModel):
    """The CreateSessionRequest object of openapi.yaml."""

    tags: list[str]
    user_metadata: dict[str, Any] | None
    sdk_version: str
    project_id: str | None
    display_name: str | None
    type: Literal["create_session"]

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            tags: list[str],
            user_metadata: dict[str, Any] | None = ...,
            sdk_version: str,
            project_id: str | None = ...,
            display_name: str | None = ...,
            type: Literal["create_session"] = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("tags", f.List(f.Str()), required=True),
        f.Field(
            "user_metadata",
            f.Nullable(f.Dict(f.Any_())),
            default=None,
            description="The SDK sends `{}` when there is none (an explicit None is left out of the body, so servers must not require the key).",
        ),
        f.Field("sdk_version", f.Str(), required=True),
        f.Field("project_id", f.Nullable(f.Str()), default=None),
        f.Field("display_name", f.Nullable(f.Str()), default=None),
        f.Field("type", f.Const("create_session"), default="create_session"),
    )


class CreateSessionResponse(PublicModel):
    """The CreateSessionResponse object of openapi.yaml."""

    type: Literal["create_session"]
    info_message: str | None
    warning_message: str | None
    error_message: str | None
    session_id: str

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            type: Literal["create_session"] = ...,
            info_message: str | None = ...,
            warning_message: str | None = ...,
            error_message: str | None = ...,
            session_id: str,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("type", f.Const("create_session"), default="create_session"),
        f.Field("info_message", f.Nullable(f.Str()), default=None),
        f.Field("warning_message", f.Nullable(f.Str()), default=None),
        f.Field("error_message", f.Nullable(f.Str()), default=None),
        f.Field("session_id", f.Str(), required=True),
    )


class CurrentCheckpointStorageUsageItem(PublicModel):
    """The CheckpointStorageUsageItem object of openapi.yaml."""

    project_id: str | None
    org_user_urn: str | None
    user_email: str | None
    user_name: str | None
    checkpoint_count: int
    size_bytes: int
    size_gigabytes: float
    estimated_monthly_cost_usd: float | None

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            project_id: str | None = ...,
            org_user_urn: str | None = ...,
            user_email: str | None = ...,
            user_name: str | None = ...,
            checkpoint_count: int,
            size_bytes: int,
            size_gigabytes: float,
            estimated_monthly_cost_usd: float | None = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("project_id", f.Nullable(f.Str()), default=None),
        f.Field("org_user_urn", f.Nullable(f.Str()), default=None),
        f.Field("user_email", f.Nullable(f.Str()), default=None),
        f.Field("user_name", f.Nullable(f.Str()), default=None),
        f.Field("checkpoint_count", f.Int(), required=True),
        f.Field("size_bytes", f.Int(), required=True),
        f.Field("size_gigabytes", f.Num(), required=True),
        f.Field("estimated_monthly_cost_usd", f.Nullable(f.Num()), default=None),
    )


class CurrentCheckpointStorageUsageResponse(PublicModel):
    """The CurrentCheckpointStorageUsageResponse object of openapi.yaml."""

    effective_rate_usd_per_gigabyte_month: float | None
    data: list[CurrentCheckpointStorageUsageItem]

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            effective_rate_usd_per_gigabyte_month: float | None = ...,
            data: list[CurrentCheckpointStorageUsageItem],
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("effective_rate_usd_per_gigabyte_month", f.Nullable(f.Num()), default=None),
        f.Field("data", f.List(f.Ref(lambda: CurrentCheckpointStorageUsageItem)), required=True),
    )


class Cursor(PublicModel):
    """The Cursor object of openapi.yaml."""

    offset: int
    limit: int
    total_count: int

    if TYPE_CHECKING:

        def __init__(self, *, offset: int, limit: int, total_count: int) -> None: ...

    __tinker_fields__ = (
        f.Field("offset", f.Int(), required=True),
        f.Field("limit", f.Int(), required=True),
        f.Field("total_count", f.Int(), required=True),
    )


class CustomLossGraph(PublicModel):
    """The CustomLossGraph object of openapi.yaml."""

    format: Literal[1]
    nodes: list[CustomLossNode]

    if TYPE_CHECKING:

        def __init__(self, *, format: Literal[1] = ..., nodes: list[CustomLossNode]) -> None: ...

    __tinker_fields__ = (
        f.Field("format", f.Const(1), default=1),
        f.Field("nodes", f.List(f.Ref(lambda: CustomLossNode)), required=True),
    )


class CustomLossInput(PublicModel):
    """The CustomLossInput object of openapi.yaml."""

    name: str
    rank: Literal[0, 1, 2]

    if TYPE_CHECKING:

        def __init__(self, *, name: str, rank: Literal[0, 1, 2]) -> None: ...

    __tinker_fields__ = (
        f.Field("name", f.Str(), required=True),
        f.Field("rank", f.Enum(0, 1, 2), required=True),
    )


class CustomLossNode(PublicModel):
    """The CustomLossNode object of openapi.yaml."""

    op: Literal["placeholder", "get_attr", "call_function", "call_method", "call_module", "output"]
    name: str
    target: str
    args: list[Any]
    kwargs: dict[str, Any]

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            op: Literal["placeholder", "get_attr", "call_function", "call_method", "call_module", "output"],
            name: str,
            target: str,
            args: list[Any] = ...,
            kwargs: dict[str, Any] = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field(
            "op",
            f.Enum("placeholder", "get_attr", "call_function", "call_method", "call_module", "output"),
            required=True,
        ),
        f.Field("name", f.Str(), required=True),
        f.Field("target", f.Str(), required=True),
        f.Field("args", f.List(f.Any_()), factory=list),
        f.Field("kwargs", f.Dict(f.Any_()), factory=dict),
    )


@dataclasses.dataclass(frozen=True)
class Datum(DatumBehaviour, PublicDataclass):
    """One training example: the model input and its loss function inputs by name."""

    model_input: ModelInput
    loss_fn_inputs: dict[str, TensorData] = dataclasses.field(default_factory=dict)
    model_input_spans: list[PromptProvenanceSpan | SampledProvenanceSpan] | None = dataclasses.field(
        default=None, metadata={"wire": False}
    )
    loss_fn_input_spans: list[PromptProvenanceSpan | SampledProvenanceSpan] | None = dataclasses.field(
        default=None, metadata={"wire": False}
    )

    __tinker_fields__ = (
        f.Field("model_input", f.Ref(lambda: ModelInput), required=True),
        f.Field("loss_fn_inputs", f.Dict(f.Ref(lambda: TensorData)), factory=dict),
        f.Field(
            "model_input_spans",
            f.Nullable(
                f.List(f.Union(f.Ref(lambda: PromptProvenanceSpan), f.Ref(lambda: SampledProvenanceSpan)))
            ),
            default=None,
            wire=False,
            description="Provenance of the input tokens (client-side; only the protobuf body of 0.38 carries it).",
        ),
        f.Field(
            "loss_fn_input_spans",
            f.Nullable(
                f.List(f.Union(f.Ref(lambda: PromptProvenanceSpan), f.Ref(lambda: SampledProvenanceSpan)))
            ),
            default=None,
            wire=False,
            description="Provenance of the loss rows (client-side; set together with model_input_spans).",
        ),
    )


class DimuonOptimizerConfig(OptimizerConfigBase):
    """The Dimuon optimizer at model creation (an OptimizerConfig; SDK 0.38 sends version 1)."""

    type: Literal["dimuon"]
    version: int

    if TYPE_CHECKING:

        def __init__(self, *, type: Literal["dimuon"] = ..., version: int = ...) -> None: ...

    __tinker_fields__ = (
        f.Field("type", f.Const("dimuon"), default="dimuon"),
        f.Field("version", f.Int(), default=1),
    )


class DimuonParams(DimuonParamsBehaviour, OptimParamsBase):
    """Dimuon hyper-parameters (SDK 0.38), sent as the `optimizer_params` of optim_step (an OptimizerParams); the model must have been created with `optimizer=DimuonOptimizerConfig()`."""

    type: Literal["dimuon"]
    learning_rate: float
    grad_clip_norm: float
    beta1: float

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            type: Literal["dimuon"] = ...,
            learning_rate: float,
            grad_clip_norm: float = ...,
            beta1: float = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("type", f.Const("dimuon"), default="dimuon"),
        f.Field("learning_rate", f.Num(), required=True),
        f.Field(
            "grad_clip_norm",
            f.Num(),
            default=0.0,
            description="Maximum global gradient norm; nonpositive disables clipping.",
        ),
        f.Field("beta1", f.Num(), default=0.9),
    )


class DmelChunk(DmelChunkBehaviour, PublicModel):
    """The DmelChunk object of openapi.yaml."""

    dmel: bytes
    type: Literal["dmel"]

    if TYPE_CHECKING:

        def __init__(self, *, dmel: bytes, type: Literal["dmel"] = ...) -> None: ...

    __tinker_fields__ = (
        f.Field(
            "dmel",
            f.Bytes(),
            required=True,
            description="Serialized TensorContainer bytes (DMel audio tokens), base64 encoded.",
        ),
        f.Field("type", f.Const("dmel"), default="dmel"),
    )


class EmptyResponse(PublicModel):
    """A body the client ignores."""

    __tinker_fields__ = ()


class EncodedTextChunk(EncodedTextChunkBehaviour, PublicModel):
    """The EncodedTextChunk object of openapi.yaml."""

    tokens: list[int]
    type: Literal["encoded_text"]

    if TYPE_CHECKING:

        def __init__(self, *, tokens: list[int], type: Literal["encoded_text"] = ...) -> None: ...

    __tinker_fields__ = (
        f.Field("tokens", Tokens(), required=True),
        f.Field("type", f.Const("encoded_text"), default="encoded_text"),
    )


class ExternalWeightsUrlsResponse(PublicModel):
    """The ExternalWeightsUrlsResponse object of openapi.yaml."""

    urls: dict[str, str]
    expires: datetime.datetime

    if TYPE_CHECKING:

        def __init__(self, *, urls: dict[str, str], expires: datetime.datetime) -> None: ...

    __tinker_fields__ = (
        f.Field("urls", f.Dict(f.Str()), required=True),
        f.Field("expires", f.DateTime(), required=True),
    )


class FailedSessionStatusQuery(PublicModel):
    """The SessionStatusQueryFailed object of openapi.yaml."""

    type: Literal["failed"]

    if TYPE_CHECKING:

        def __init__(self, *, type: Literal["failed"] = ...) -> None: ...

    __tinker_fields__ = (f.Field("type", f.Const("failed"), default="failed"),)


@dataclasses.dataclass(frozen=True)
class ForwardBackwardInput(PublicDataclass):
    """The ForwardBackwardInput object of openapi.yaml."""

    data: list[Datum]
    loss_fn: Literal[
        "cross_entropy", "importance_sampling", "ppo", "cispo", "dro", "gspo", "stable_reinforce", "custom"
    ]
    loss_fn_config: dict[str, float | str] | None = None

    __tinker_fields__ = (
        f.Field("data", f.List(f.Ref(lambda: Datum)), required=True),
        f.Field(
            "loss_fn",
            f.Enum(
                "cross_entropy",
                "importance_sampling",
                "ppo",
                "cispo",
                "dro",
                "gspo",
                "stable_reinforce",
                "custom",
            ),
            required=True,
        ),
        f.Field("loss_fn_config", f.Nullable(f.Dict(f.Union(f.Number(), f.Str()))), default=None),
    )


@dataclasses.dataclass(frozen=True)
class ForwardBackwardOutput(ForwardBackwardOutputBehaviour, PublicDataclass):
    """JSON form of the forward/backward result (SDK <= 0.24, JSON servers)."""

    loss_fn_output_type: str
    loss_fn_outputs: list[dict[str, TensorData]]
    metrics: dict[str, float] = dataclasses.field(default_factory=dict)

    __tinker_fields__ = (
        f.Field(
            "loss_fn_output_type",
            f.Str(),
            required=True,
            description="Class name of the per-datum records, e.g. `ArrayRecord`, `TorchLossReturn`.",
        ),
        f.Field("loss_fn_outputs", f.List(f.Dict(f.Ref(lambda: TensorData))), required=True),
        f.Field("metrics", f.Dict(f.Number()), factory=dict),
    )


@dataclasses.dataclass(frozen=True)
class ForwardBackwardRequest(PublicDataclass):
    """The ForwardBackwardRequest object of openapi.yaml."""

    forward_backward_input: ForwardBackwardInput
    model_id: str
    seq_id: int | None = None

    __tinker_fields__ = (
        f.Field("forward_backward_input", f.Ref(lambda: ForwardBackwardInput), required=True),
        f.Field("model_id", f.Str(), required=True),
        f.Field("seq_id", f.Nullable(f.Int()), default=None),
    )


@dataclasses.dataclass(frozen=True)
class ForwardRequest(PublicDataclass):
    """The ForwardRequest object of openapi.yaml."""

    forward_input: ForwardBackwardInput
    model_id: str
    seq_id: int | None = None

    __tinker_fields__ = (
        f.Field("forward_input", f.Ref(lambda: ForwardBackwardInput), required=True),
        f.Field("model_id", f.Str(), required=True),
        f.Field("seq_id", f.Nullable(f.Int()), default=None),
    )


class FutureRetrieveRequest(PublicModel):
    """The FutureRetrieveRequest object of openapi.yaml."""

    request_id: str
    allow_metadata_only: bool

    if TYPE_CHECKING:

        def __init__(self, *, request_id: str, allow_metadata_only: bool = ...) -> None: ...

    __tinker_fields__ = (
        f.Field("request_id", f.Str(), required=True),
        f.Field("allow_metadata_only", f.Bool(), default=False),
    )


class GenericEvent(PublicModel):
    """The GenericEvent object of openapi.yaml."""

    event: Literal["SESSION_START", "SESSION_END", "UNHANDLED_EXCEPTION", "GENERIC_EVENT"]
    event_id: str
    event_name: str
    event_session_index: int
    severity: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
    timestamp: datetime.datetime
    event_data: dict[str, Any] | None

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            event: Literal["SESSION_START", "SESSION_END", "UNHANDLED_EXCEPTION", "GENERIC_EVENT"],
            event_id: str,
            event_name: str,
            event_session_index: int,
            severity: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"],
            timestamp: datetime.datetime,
            event_data: dict[str, Any] | None = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field(
            "event",
            f.Enum("SESSION_START", "SESSION_END", "UNHANDLED_EXCEPTION", "GENERIC_EVENT"),
            required=True,
        ),
        f.Field("event_id", f.Str(), required=True),
        f.Field("event_name", f.Str(), required=True),
        f.Field("event_session_index", f.Int(), required=True),
        f.Field("severity", f.Enum("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"), required=True),
        f.Field("timestamp", f.DateTime(), required=True),
        f.Field("event_data", f.Nullable(f.Dict(f.Any_())), default=None),
    )


class GetBillingUsageRequest(PublicModel):
    """The query of GET /api/v1/billing/usage/events (sent as query parameters, RFC 3339)."""

    starting_on: datetime.datetime
    ending_before: datetime.datetime

    if TYPE_CHECKING:

        def __init__(self, *, starting_on: datetime.datetime, ending_before: datetime.datetime) -> None: ...

    __tinker_fields__ = (
        f.Field("starting_on", f.DateTime(), required=True),
        f.Field("ending_before", f.DateTime(), required=True),
    )


class GetCurrentCheckpointStorageUsageRequest(PublicModel):
    """The query of GET /api/v1/billing/usage/checkpoints/current."""

    project_id: str | None

    if TYPE_CHECKING:

        def __init__(self, *, project_id: str | None = ...) -> None: ...

    __tinker_fields__ = (f.Field("project_id", f.Nullable(f.Str()), default=None),)


class GetInfoRequest(PublicModel):
    """The GetInfoRequest object of openapi.yaml."""

    model_id: str
    type: Literal["get_info"]

    if TYPE_CHECKING:

        def __init__(self, *, model_id: str, type: Literal["get_info"] = ...) -> None: ...

    __tinker_fields__ = (
        f.Field("model_id", f.Str(), required=True),
        f.Field("type", f.Const("get_info"), default="get_info"),
    )


class GetInfoResponse(PublicModel):
    """The GetInfoResponse object of openapi.yaml."""

    type: Literal["get_info"] | None
    model_data: ModelData
    model_id: str
    optimizer_config: OptimizerConfigBase
    is_lora: bool | None
    lora_rank: int | None
    model_name: str | None

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            type: Literal["get_info"] | None = ...,
            model_data: ModelData,
            model_id: str,
            optimizer_config: OptimizerConfigBase = ...,
            is_lora: bool | None = ...,
            lora_rank: int | None = ...,
            model_name: str | None = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("type", f.Nullable(f.Const("get_info")), default=None),
        f.Field("model_data", f.Ref(lambda: ModelData), required=True),
        f.Field("model_id", f.Str(), required=True),
        f.Field(
            "optimizer_config",
            f.Ref(lambda: OptimizerConfigBase),
            factory=f.parsed(f.Ref(lambda: OptimizerConfigBase), {"type": "adamw"}),
            description="Absent from servers before 0.38; AdamW then (as 0.38).",
        ),
        f.Field("is_lora", f.Nullable(f.Bool()), default=None),
        f.Field("lora_rank", f.Nullable(f.Int()), default=None),
        f.Field("model_name", f.Nullable(f.Str()), default=None),
    )


class GetSamplerResponse(PublicModel):
    """The GetSamplerResponse object of openapi.yaml."""

    sampler_id: str
    base_model: str
    model_path: str | None

    if TYPE_CHECKING:

        def __init__(self, *, sampler_id: str, base_model: str, model_path: str | None = ...) -> None: ...

    __tinker_fields__ = (
        f.Field("sampler_id", f.Str(), required=True),
        f.Field("base_model", f.Str(), required=True),
        f.Field("model_path", f.Nullable(f.Str()), default=None),
    )


class GetServerCapabilitiesResponse(PublicModel):
    """The GetServerCapabilitiesResponse object of openapi.yaml."""

    supported_models: list[SupportedModel]

    if TYPE_CHECKING:

        def __init__(self, *, supported_models: list[SupportedModel]) -> None: ...

    __tinker_fields__ = (f.Field("supported_models", f.List(f.Ref(lambda: SupportedModel)), required=True),)


class GetSessionResponse(PublicModel):
    """The GetSessionResponse object of openapi.yaml."""

    training_run_ids: list[str]
    sampler_ids: list[str]
    user_metadata: dict[str, Any] | None
    display_name: str | None

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            training_run_ids: list[str],
            sampler_ids: list[str],
            user_metadata: dict[str, Any] | None = ...,
            display_name: str | None = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("training_run_ids", f.List(f.Str()), required=True),
        f.Field("sampler_ids", f.List(f.Str()), required=True),
        f.Field("user_metadata", f.Nullable(f.Dict(f.Any_())), default=None),
        f.Field("display_name", f.Nullable(f.Str()), default=None),
    )


class HealthResponse(PublicModel):
    """The HealthResponse object of openapi.yaml."""

    status: Literal["ok"]

    if TYPE_CHECKING:

        def __init__(self, *, status: Literal["ok"]) -> None: ...

    __tinker_fields__ = (f.Field("status", f.Const("ok"), required=True),)


class ImageAssetPointerChunk(ImageAssetPointerChunkBehaviour, PublicModel):
    """The ImageAssetPointerChunk object of openapi.yaml."""

    format: Literal["png", "jpeg"]
    location: str
    expected_tokens: int | None
    type: Literal["image_asset_pointer"]

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            format: Literal["png", "jpeg"],
            location: str,
            expected_tokens: int | None = ...,
            type: Literal["image_asset_pointer"] = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("format", f.Enum("png", "jpeg"), required=True),
        f.Field("location", f.Str(), required=True, description="Path or URL of the image asset."),
        f.Field("expected_tokens", f.Nullable(f.Int()), default=None),
        f.Field("type", f.Const("image_asset_pointer"), default="image_asset_pointer"),
    )


class ImageChunk(ImageChunkBehaviour, PublicModel):
    """The ImageChunk object of openapi.yaml."""

    data: bytes
    format: Literal["png", "jpeg"]
    expected_tokens: int | None
    type: Literal["image"]

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            data: bytes,
            format: Literal["png", "jpeg"],
            expected_tokens: int | None = ...,
            type: Literal["image"] = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("data", f.Bytes(), required=True, description="Image bytes, base64 encoded."),
        f.Field("format", f.Enum("png", "jpeg"), required=True),
        f.Field(
            "expected_tokens",
            f.Nullable(f.Int()),
            default=None,
            description="Advisory token count; the server may fail fast on a mismatch.",
        ),
        f.Field("type", f.Const("image"), default="image"),
    )


class JoinSamplingSessionRequest(PublicModel):
    """The JoinSamplingSessionRequest object of openapi.yaml."""

    sampling_session_id: str
    type: Literal["join_sampling_session"]

    if TYPE_CHECKING:

        def __init__(
            self, *, sampling_session_id: str, type: Literal["join_sampling_session"] = ...
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("sampling_session_id", f.Str(), required=True),
        f.Field("type", f.Const("join_sampling_session"), default="join_sampling_session"),
    )


class JoinSamplingSessionResponse(PublicModel):
    """The JoinSamplingSessionResponse object of openapi.yaml."""

    type: Literal["join_sampling_session"]
    client_counter: int

    if TYPE_CHECKING:

        def __init__(self, *, type: Literal["join_sampling_session"] = ..., client_counter: int) -> None: ...

    __tinker_fields__ = (
        f.Field("type", f.Const("join_sampling_session"), default="join_sampling_session"),
        f.Field("client_counter", f.Int(), required=True),
    )


class ListSessionsResponse(PublicModel):
    """The ListSessionsResponse object of openapi.yaml."""

    sessions: list[str]

    if TYPE_CHECKING:

        def __init__(self, *, sessions: list[str]) -> None: ...

    __tinker_fields__ = (f.Field("sessions", f.List(f.Str()), required=True),)


class LoadWeightsRequest(LoadWeightsBehaviour, PublicModel):
    """Either `model_id` + `seq_id` (load into an existing model) or `session_id` + `model_seq_id` (create the model from the checkpoint)."""

    model_id: str | None
    seq_id: int | None
    session_id: str | None
    model_seq_id: int | None
    base_model: str | None
    user_metadata: dict[str, Any] | None
    path: str
    optimizer: bool
    optimizer_config: OptimizerConfigBase | None
    weights_access_token: str | None
    type: Literal["load_weights"]

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            model_id: str | None = ...,
            seq_id: int | None = ...,
            session_id: str | None = ...,
            model_seq_id: int | None = ...,
            base_model: str | None = ...,
            user_metadata: dict[str, Any] | None = ...,
            path: str,
            optimizer: bool,
            optimizer_config: OptimizerConfigBase | None = ...,
            weights_access_token: str | None = ...,
            type: Literal["load_weights"] = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("model_id", f.Nullable(f.Str()), default=None),
        f.Field("seq_id", f.Nullable(f.Int()), default=None),
        f.Field("session_id", f.Nullable(f.Str()), default=None),
        f.Field("model_seq_id", f.Nullable(f.Int()), default=None),
        f.Field("base_model", f.Nullable(f.Str()), default=None),
        f.Field("user_metadata", f.Nullable(f.Dict(f.Any_())), default=None),
        f.Field("path", f.Str(), required=True, description="tinker:// path of the checkpoint."),
        f.Field("optimizer", f.Bool(), required=True, description="Also restore the optimizer state."),
        f.Field("optimizer_config", f.Nullable(f.Ref(lambda: OptimizerConfigBase)), default=None),
        f.Field("weights_access_token", f.Nullable(f.Str()), default=None),
        f.Field("type", f.Const("load_weights"), default="load_weights"),
    )


class LoadWeightsResponse(PublicModel):
    """The LoadWeightsResponse object of openapi.yaml."""

    path: str | None
    model_id: str | None
    type: Literal["load_weights"] | None

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            path: str | None = ...,
            model_id: str | None = ...,
            type: Literal["load_weights"] | None = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("path", f.Nullable(f.Str()), default=None),
        f.Field("model_id", f.Nullable(f.Str()), default=None),
        f.Field("type", f.Nullable(f.Const("load_weights")), default=None),
    )


class LoraConfig(LoraConfigBehaviour, PublicModel):
    """The LoraConfig object of openapi.yaml."""

    rank: int
    seed: int | None
    train_unembed: bool
    train_mlp: bool
    train_attn: bool

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            rank: int,
            seed: int | None = ...,
            train_unembed: bool = ...,
            train_mlp: bool = ...,
            train_attn: bool = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("rank", f.Int(), required=True),
        f.Field("seed", f.Nullable(f.Int()), default=None, description="null = random."),
        f.Field("train_unembed", f.Bool(), default=True),
        f.Field("train_mlp", f.Bool(), default=True),
        f.Field("train_attn", f.Bool(), default=True),
    )


class ModelData(PublicModel):
    """The ModelData object of openapi.yaml."""

    arch: str | None
    model_name: str | None
    tokenizer_id: str | None

    if TYPE_CHECKING:

        def __init__(
            self, *, arch: str | None = ..., model_name: str | None = ..., tokenizer_id: str | None = ...
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("arch", f.Nullable(f.Str()), default=None),
        f.Field("model_name", f.Nullable(f.Str()), default=None),
        f.Field("tokenizer_id", f.Nullable(f.Str()), default=None),
    )


class ModelInput(ModelInputBehaviour, PublicModel):
    """The ModelInput object of openapi.yaml."""

    chunks: list[EncodedTextChunk | ImageAssetPointerChunk | ImageChunk | DmelChunk]

    if TYPE_CHECKING:

        def __init__(
            self, *, chunks: list[EncodedTextChunk | ImageAssetPointerChunk | ImageChunk | DmelChunk]
        ) -> None: ...

    __tinker_fields__ = (
        f.Field(
            "chunks",
            f.List(
                f.Tagged(
                    "type",
                    {
                        "encoded_text": f.Ref(lambda: EncodedTextChunk),
                        "image_asset_pointer": f.Ref(lambda: ImageAssetPointerChunk),
                        "image": f.Ref(lambda: ImageChunk),
                        "dmel": f.Ref(lambda: DmelChunk),
                    },
                )
            ),
            required=True,
        ),
    )


class OptimStepRequest(KeyedFields, PublicModel):
    """Exactly one of `adam_params` (Adam) or `optimizer_params` (other families, SDK 0.38)."""

    optim_params: AdamParams | OptimParamsBase
    model_id: str
    seq_id: int | None
    type: Literal["optim_step"]

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            optim_params: AdamParams | OptimParamsBase = ...,
            model_id: str,
            seq_id: int | None = ...,
            type: Literal["optim_step"] = ...,
            adam_params: AdamParams | OptimParamsBase = ...,
            optimizer_params: AdamParams | OptimParamsBase = ...,
        ) -> None: ...

    __tinker_keyed__ = {  # field -> (wire key, kind) pairs: the first that fits is sent
        "optim_params": (
            ("adam_params", f.Ref(lambda: AdamParams)),
            ("optimizer_params", f.Ref(lambda: OptimParamsBase)),
        ),
    }

    __tinker_fields__ = (
        f.Field(
            "optim_params",
            f.Union(f.Ref(lambda: AdamParams), f.Ref(lambda: OptimParamsBase)),
            required=True,
            description="The step's optimizer parameters, sent as `adam_params` for AdamParams and as `optimizer_params` for any other family (0.38); `adam_params=` / `optimizer_params=` are accepted as its names.",
        ),
        f.Field("model_id", f.Str(), required=True),
        f.Field("seq_id", f.Nullable(f.Int()), default=None),
        f.Field("type", f.Const("optim_step"), default="optim_step"),
    )


class OptimStepResponse(PublicModel):
    """The OptimStepResponse object of openapi.yaml."""

    metrics: dict[str, float] | None

    if TYPE_CHECKING:

        def __init__(self, *, metrics: dict[str, float] | None = ...) -> None: ...

    __tinker_fields__ = (f.Field("metrics", f.Nullable(f.Dict(f.Num())), default=None),)


class OwnSearchOwner(PublicModel):
    """The SearchOwnerOwn object of openapi.yaml."""

    type: Literal["own"]

    if TYPE_CHECKING:

        def __init__(self, *, type: Literal["own"] = ...) -> None: ...

    __tinker_fields__ = (f.Field("type", f.Const("own"), default="own"),)


@dataclasses.dataclass(frozen=True)
class PromptAltTokens(PublicDataclass):
    """Per prompt position, the k alternative tokens and their logprobs (0.38, prompt_alt_tokens_k)."""

    tokens: TensorData
    logprobs: TensorData

    __tinker_fields__ = (
        f.Field("tokens", f.Ref(lambda: TensorData), required=True),
        f.Field("logprobs", f.Ref(lambda: TensorData), required=True),
    )


@dataclasses.dataclass(frozen=True, kw_only=True)
class PromptProvenanceSpan(SpanBehaviour, PublicDataclass):
    """Positions `[offset, offset + length)` of the named sequence's request prompt."""

    sequence_id: str
    offset: int = 0
    length: int

    __tinker_fields__ = (
        f.Field("sequence_id", f.Str(), required=True),
        f.Field("offset", f.Int(), default=0),
        f.Field("length", f.Int(), required=True),
    )


class RequestFailedResponse(RequestFailedBehaviour, PublicModel):
    """A failed request. Has no `type` tag; recognised by the key `error`."""

    error: str
    category: RequestErrorCategory

    if TYPE_CHECKING:

        def __init__(self, *, error: str, category: RequestErrorCategory) -> None: ...

    __tinker_fields__ = (
        f.Field("error", f.Str(), required=True),
        f.Field("category", EnumOf(lambda: RequestErrorCategory), required=True),
    )


class SampleRequest(SampleRequestBehaviour, PublicModel):
    """Address the weights with `sampling_session_id` + `seq_id` (what the SDK does), or with exactly one of `base_model` / `model_path`."""

    num_samples: int
    prompt: ModelInput
    sampling_params: SamplingParams
    base_model: str | None
    model_path: str | None
    sampling_session_id: str | None
    seq_id: int | None
    prompt_logprobs: bool | None
    topk_prompt_logprobs: int
    topk_sample_logprobs: int
    target_prompt_logprobs: TensorData | None
    prompt_alt_tokens_k: int
    prompt_logprobs_last_n: int | None
    record_stability_info: bool | None
    type: Literal["sample"]

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            num_samples: int = ...,
            prompt: ModelInput,
            sampling_params: SamplingParams,
            base_model: str | None = ...,
            model_path: str | None = ...,
            sampling_session_id: str | None = ...,
            seq_id: int | None = ...,
            prompt_logprobs: bool | None = ...,
            topk_prompt_logprobs: int = ...,
            topk_sample_logprobs: int = ...,
            target_prompt_logprobs: TensorData | None = ...,
            prompt_alt_tokens_k: int = ...,
            prompt_logprobs_last_n: int | None = ...,
            record_stability_info: bool | None = ...,
            type: Literal["sample"] = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("num_samples", f.Int(), default=1),
        f.Field("prompt", f.Ref(lambda: ModelInput), required=True),
        f.Field("sampling_params", f.Ref(lambda: SamplingParams), required=True),
        f.Field("base_model", f.Nullable(f.Str()), default=None),
        f.Field("model_path", f.Nullable(f.Str()), default=None),
        f.Field("sampling_session_id", f.Nullable(f.Str()), default=None),
        f.Field("seq_id", f.Nullable(f.Int()), default=None),
        f.Field("prompt_logprobs", f.Nullable(f.Bool()), default=None),
        f.Field("topk_prompt_logprobs", f.Int(), default=0),
        f.Field("topk_sample_logprobs", f.Int(), default=0),
        f.Field("target_prompt_logprobs", f.Nullable(f.Ref(lambda: TensorData)), default=None),
        f.Field("prompt_alt_tokens_k", f.Int(), default=0),
        f.Field("prompt_logprobs_last_n", f.Nullable(f.Int()), default=None),
        f.Field("record_stability_info", f.Nullable(f.Bool()), default=None),
        f.Field("type", f.Const("sample"), default="sample"),
    )


@dataclasses.dataclass(frozen=True)
class SampleResponse(SampleResponseBehaviour, PublicDataclass):
    """The sampling result (JSON from older servers, protobuf from 0.38 ones)."""

    sequences: list[SampledSequence]
    prompt_logprobs_np: Any = dataclasses.field(default=None, repr=False, metadata={"wire": False})
    topk_prompt_logprobs_np: Any = dataclasses.field(default=None, repr=False, metadata={"wire": False})
    target_prompt_logprobs: TensorData | None = None
    prompt_cache_hit_tokens: int = 0
    prompt_alt_tokens: PromptAltTokens | None = None
    _prompt_logprobs_list: Any = dataclasses.field(default=None, repr=False, metadata={"wire": False})
    _topk_prompt_logprobs_list: Any = dataclasses.field(default=None, repr=False, metadata={"wire": False})

    __tinker_fields__ = (
        f.Field("sequences", f.List(f.Ref(lambda: SampledSequence)), required=True),
        f.Field(
            "prompt_logprobs_np",
            f.Any_(),
            wire=False,
            description="Prompt logprobs, 1-D float numpy, NaN where none.",
        ),
        f.Field(
            "topk_prompt_logprobs_np",
            f.Any_(),
            wire=False,
            description="Top-k prompt logprobs: TopkLogprobs or None.",
        ),
        f.Field(
            "target_prompt_logprobs",
            f.Nullable(f.Ref(lambda: TensorData)),
            default=None,
            description="Logprobs of the target_prompt_logprobs token ids of the request (0.38).",
        ),
        f.Field("prompt_cache_hit_tokens", f.Int(), default=0),
        f.Field(
            "prompt_alt_tokens",
            f.Nullable(f.Ref(lambda: PromptAltTokens)),
            default=None,
            description="The prompt's alternative tokens (0.38, prompt_alt_tokens_k > 0).",
        ),
        f.Field(
            "_prompt_logprobs_list",
            f.Any_(),
            wire=False,
            description="0.38's storage of a response built from lists.",
        ),
        f.Field("_topk_prompt_logprobs_list", f.Any_(), wire=False, description=""),
        f.Field("prompt_logprobs", f.Nullable(PromptLogprobs()), default=None),
        f.Field("topk_prompt_logprobs", f.Nullable(TopkRows()), default=None),
        f.Field("type", f.Const("sample"), default="sample"),
    )


@dataclasses.dataclass(frozen=True, kw_only=True)
class SampledProvenanceSpan(SpanBehaviour, PublicDataclass):
    """Positions `[offset, offset + length)` of the named sequence's sampled tokens."""

    sequence_id: str
    offset: int = 0
    length: int

    __tinker_fields__ = (
        f.Field("sequence_id", f.Str(), required=True),
        f.Field("offset", f.Int(), default=0),
        f.Field("length", f.Int(), required=True),
    )


@dataclasses.dataclass(frozen=True)
class SampledSequence(SampledSequenceBehaviour, PublicDataclass):
    """One sampled completion."""

    stop_reason: Literal["length", "stop"]
    sequence_id: str | None
    tokens_np: Any = dataclasses.field(default=None, repr=False, metadata={"wire": False})
    logprobs_np: Any = dataclasses.field(default=None, repr=False, metadata={"wire": False})
    topk_logprobs_np: Any = dataclasses.field(default=None, repr=False, metadata={"wire": False})
    _tokens_list: Any = dataclasses.field(default=None, repr=False, metadata={"wire": False})
    _logprobs_list: Any = dataclasses.field(default=None, repr=False, metadata={"wire": False})
    _topk_logprobs_list: Any = dataclasses.field(default=None, repr=False, metadata={"wire": False})

    __tinker_fields__ = (
        f.Field("stop_reason", f.Enum("length", "stop"), required=True),
        f.Field(
            "sequence_id",
            f.Any_(),
            wire=False,
            description="Session-scoped id of this sequence, stamped from the asample promise's sample_sequence_ids (None when the server names none); never on the wire.",
        ),
        f.Field("tokens_np", f.Any_(), wire=False, description="The token ids as a 1-D int32 numpy array."),
        f.Field(
            "logprobs_np",
            f.Any_(),
            wire=False,
            description="The logprobs as a 1-D float numpy array or None.",
        ),
        f.Field(
            "topk_logprobs_np",
            f.Any_(),
            wire=False,
            description="Top-k logprobs: TopkLogprobs [len, k] matrices or None.",
        ),
        f.Field(
            "_tokens_list", f.Any_(), wire=False, description="0.38's storage of a sequence built from lists."
        ),
        f.Field("_logprobs_list", f.Any_(), wire=False, description=""),
        f.Field("_topk_logprobs_list", f.Any_(), wire=False, description=""),
        f.Field("tokens", TokenIds(), required=True),
        f.Field("logprobs", f.Nullable(Logprobs()), default=None),
        f.Field(
            "topk_logprobs",
            f.Nullable(TopkRows()),
            default=None,
            wire=False,
            description="The top-k (token id, logprob) pairs of each sampled position (0.38, topk_sample_logprobs > 0; protobuf only).",
        ),
    )


class SamplingParams(SamplingParamsBehaviour, PublicModel):
    """The SamplingParams object of openapi.yaml."""

    max_tokens: int | None
    seed: int | None
    stop: str | list[str] | list[int] | None
    temperature: float
    top_k: int
    top_p: float

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            max_tokens: int | None = ...,
            seed: int | None = ...,
            stop: str | list[str] | list[int] | None = ...,
            temperature: float = ...,
            top_k: int = ...,
            top_p: float = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("max_tokens", f.Nullable(f.Int()), default=None),
        f.Field("seed", f.Nullable(f.Int()), default=None),
        f.Field(
            "stop",
            f.Nullable(f.Union(f.Str(), f.List(f.Str()), f.List(f.Int()))),
            default=None,
            description="null = stop at EOS; [] disables every stop token including EOS.",
        ),
        f.Field("temperature", f.Num(), default=1),
        f.Field("top_k", f.Int(), default=-1, description="-1 = no limit."),
        f.Field("top_p", f.Num(), default=1),
    )


class SamplingPrefillBillingEvent(PublicModel):
    """The SamplingPrefillBillingEvent object of openapi.yaml."""

    type: Literal["sampling_prefill"]
    cached: bool
    token_count: int

    if TYPE_CHECKING:

        def __init__(
            self, *, type: Literal["sampling_prefill"] = ..., cached: bool, token_count: int
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("type", f.Const("sampling_prefill"), default="sampling_prefill"),
        f.Field("cached", f.Bool(), required=True),
        f.Field("token_count", f.Int(), required=True),
    )


class SamplingSampleBillingEvent(PublicModel):
    """The SamplingSampleBillingEvent object of openapi.yaml."""

    type: Literal["sampling_sample"]
    token_count: int

    if TYPE_CHECKING:

        def __init__(self, *, type: Literal["sampling_sample"] = ..., token_count: int) -> None: ...

    __tinker_fields__ = (
        f.Field("type", f.Const("sampling_sample"), default="sampling_sample"),
        f.Field("token_count", f.Int(), required=True),
    )


class SaveWeightsExternalRequest(PublicModel):
    """The SaveWeightsExternalRequest object of openapi.yaml."""

    model_id: str
    path: str
    seq_id: int | None
    ttl_seconds: int | None
    age_encryption_recipients: list[str] | None
    type: Literal["save_weights_external"]

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            model_id: str,
            path: str,
            seq_id: int | None = ...,
            ttl_seconds: int | None = ...,
            age_encryption_recipients: list[str] | None = ...,
            type: Literal["save_weights_external"] = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("model_id", f.Str(), required=True),
        f.Field(
            "path",
            f.Str(),
            required=True,
            description="Checkpoint name: ASCII letters, digits, `_` and `-`, at most 248 characters. Measured on skyrl 0.4.0 and skyrl-tx 0.3.0: any other character (space, `.`, `/`, non-ASCII, NUL, ...) -> 422, more than 255 -> 422, 249..255 -> 400 (the checkpoint file NAME.tar.gz is too long).",
        ),
        f.Field("seq_id", f.Nullable(f.Int()), default=None),
        f.Field("ttl_seconds", f.Nullable(f.Int()), default=None),
        f.Field("age_encryption_recipients", f.Nullable(f.List(f.Str())), default=None),
        f.Field("type", f.Const("save_weights_external"), default="save_weights_external"),
    )


class SaveWeightsExternalResponse(PublicModel):
    """The result of `save_weights_external(name)` (`tinker://RUN/external_weights/NAME`): the SaveWeightsExternalResponseInternal answer with a path; `size_bytes` is kept when the server sends it."""

    path: str
    type: Literal["save_weights_external"] | None
    size_bytes: int | None

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            path: str,
            type: Literal["save_weights_external"] | None = ...,
            size_bytes: int | None = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("path", f.Str(), required=True),
        f.Field("type", f.Nullable(f.Const("save_weights_external")), default=None),
        f.Field("size_bytes", f.Nullable(f.Int()), default=None),
    )


class SaveWeightsExternalResponseInternal(PublicModel):
    """The SaveWeightsExternalResponseInternal object of openapi.yaml."""

    path: str | None
    size_bytes: int | None
    type: Literal["save_weights_external"] | None

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            path: str | None = ...,
            size_bytes: int | None = ...,
            type: Literal["save_weights_external"] | None = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("path", f.Nullable(f.Str()), default=None),
        f.Field("size_bytes", f.Nullable(f.Int()), default=None),
        f.Field("type", f.Nullable(f.Const("save_weights_external")), default=None),
    )


class SaveWeightsForSamplerRequest(PublicModel):
    """Named save (`path`) or ephemeral save that also creates a sampling session (`sampling_session_seq_id`)."""

    model_id: str
    path: str | None
    sampling_session_seq_id: int | None
    kind: Literal["snapshot", "inflight"]
    seq_id: int | None
    ttl_seconds: int | None
    user_metadata: dict[str, str] | None
    type: Literal["save_weights_for_sampler"]

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            model_id: str,
            path: str | None = ...,
            sampling_session_seq_id: int | None = ...,
            kind: Literal["snapshot", "inflight"] = ...,
            seq_id: int | None = ...,
            ttl_seconds: int | None = ...,
            user_metadata: dict[str, str] | None = ...,
            type: Literal["save_weights_for_sampler"] = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("model_id", f.Str(), required=True),
        f.Field(
            "path",
            f.Nullable(f.Str()),
            default=None,
            description="Checkpoint name: ASCII letters, digits, `_` and `-`, at most 248 characters. Measured on skyrl 0.4.0 and skyrl-tx 0.3.0: any other character (space, `.`, `/`, non-ASCII, NUL, ...) -> 422, more than 255 -> 422, 249..255 -> 400 (the checkpoint file NAME.tar.gz is too long). null: an ephemeral save.",
        ),
        f.Field("sampling_session_seq_id", f.Nullable(f.Int()), default=None),
        f.Field("kind", f.Enum("snapshot", "inflight"), default="snapshot"),
        f.Field("seq_id", f.Nullable(f.Int()), default=None),
        f.Field("ttl_seconds", f.Nullable(f.Int()), default=None),
        f.Field("user_metadata", f.Nullable(f.Dict(f.Str())), default=None),
        f.Field("type", f.Const("save_weights_for_sampler"), default="save_weights_for_sampler"),
    )


class SaveWeightsForSamplerResponse(SamplerWeightsBehaviour, PublicModel):
    """The SaveWeightsForSamplerResponse object of openapi.yaml."""

    path: str
    type: Literal["save_weights_for_sampler"] | None

    if TYPE_CHECKING:

        def __init__(self, *, path: str, type: Literal["save_weights_for_sampler"] | None = ...) -> None: ...

    __tinker_fields__ = (
        f.Field("path", f.Str(), required=True),
        f.Field("type", f.Nullable(f.Const("save_weights_for_sampler")), default=None),
    )


class SaveWeightsForSamplerResponseInternal(PublicModel):
    """What the save_weights_for_sampler future resolves to."""

    path: str | None
    sampling_session_id: str | None
    type: Literal["save_weights_for_sampler"] | None

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            path: str | None = ...,
            sampling_session_id: str | None = ...,
            type: Literal["save_weights_for_sampler"] | None = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("path", f.Nullable(f.Str()), default=None),
        f.Field("sampling_session_id", f.Nullable(f.Str()), default=None),
        f.Field("type", f.Nullable(f.Const("save_weights_for_sampler")), default=None),
    )


class SaveWeightsRequest(PublicModel):
    """The SaveWeightsRequest object of openapi.yaml."""

    model_id: str
    path: str | None
    seq_id: int | None
    ttl_seconds: int | None
    overwrite: bool
    user_metadata: dict[str, str] | None
    type: Literal["save_weights"]

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            model_id: str,
            path: str | None = ...,
            seq_id: int | None = ...,
            ttl_seconds: int | None = ...,
            overwrite: bool = ...,
            user_metadata: dict[str, str] | None = ...,
            type: Literal["save_weights"] = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("model_id", f.Str(), required=True),
        f.Field(
            "path",
            f.Nullable(f.Str()),
            default=None,
            description="Checkpoint name: ASCII letters, digits, `_` and `-`, at most 248 characters. Measured on skyrl 0.4.0 and skyrl-tx 0.3.0: any other character (space, `.`, `/`, non-ASCII, NUL, ...) -> 422, more than 255 -> 422, 249..255 -> 400 (the checkpoint file NAME.tar.gz is too long).",
        ),
        f.Field("seq_id", f.Nullable(f.Int()), default=None),
        f.Field("ttl_seconds", f.Nullable(f.Int()), default=None),
        f.Field("overwrite", f.Bool(), default=False),
        f.Field("user_metadata", f.Nullable(f.Dict(f.Str())), default=None),
        f.Field("type", f.Const("save_weights"), default="save_weights"),
    )


class SaveWeightsResponse(SaveWeightsResponseBehaviour, PublicModel):
    """The SaveWeightsResponse object of openapi.yaml."""

    path: str
    type: Literal["save_weights"] | None

    if TYPE_CHECKING:

        def __init__(self, *, path: str, type: Literal["save_weights"] | None = ...) -> None: ...

    __tinker_fields__ = (
        f.Field("path", f.Str(), required=True, description="e.g. `tinker://RUN/weights/NAME`."),
        f.Field("type", f.Nullable(f.Const("save_weights")), default=None),
    )


class SessionActive(PublicModel):
    """The SessionStatusActive object of openapi.yaml."""

    type: Literal["active"]

    if TYPE_CHECKING:

        def __init__(self, *, type: Literal["active"] = ...) -> None: ...

    __tinker_fields__ = (f.Field("type", f.Const("active"), default="active"),)


class SessionCancelled(PublicModel):
    """The SessionStatusCancelled object of openapi.yaml."""

    type: Literal["cancelled"]
    detail: str | None

    if TYPE_CHECKING:

        def __init__(self, *, type: Literal["cancelled"] = ..., detail: str | None = ...) -> None: ...

    __tinker_fields__ = (
        f.Field("type", f.Const("cancelled"), default="cancelled"),
        f.Field("detail", f.Nullable(f.Str()), default=None),
    )


class SessionEndEvent(PublicModel):
    """The SessionEndEvent object of openapi.yaml."""

    duration: str
    event: Literal["SESSION_START", "SESSION_END", "UNHANDLED_EXCEPTION", "GENERIC_EVENT"]
    event_id: str
    event_session_index: int
    severity: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
    timestamp: datetime.datetime

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            duration: str,
            event: Literal["SESSION_START", "SESSION_END", "UNHANDLED_EXCEPTION", "GENERIC_EVENT"],
            event_id: str,
            event_session_index: int,
            severity: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"],
            timestamp: datetime.datetime,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("duration", f.Str(), required=True, description="Python timedelta string."),
        f.Field(
            "event",
            f.Enum("SESSION_START", "SESSION_END", "UNHANDLED_EXCEPTION", "GENERIC_EVENT"),
            required=True,
        ),
        f.Field("event_id", f.Str(), required=True),
        f.Field("event_session_index", f.Int(), required=True),
        f.Field("severity", f.Enum("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"), required=True),
        f.Field("timestamp", f.DateTime(), required=True),
    )


class SessionFailed(PublicModel):
    """The SessionStatusFailed object of openapi.yaml."""

    type: Literal["failed"]
    category: Literal["user", "internal"]
    reason: SessionFailedRequestReason | SessionFailedTrainingRunReason | SessionFailedSamplingSessionReason
    message: str

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            type: Literal["failed"] = ...,
            category: Literal["user", "internal"],
            reason: SessionFailedRequestReason
            | SessionFailedTrainingRunReason
            | SessionFailedSamplingSessionReason,
            message: str,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("type", f.Const("failed"), default="failed"),
        f.Field("category", f.Enum("user", "internal"), required=True),
        f.Field(
            "reason",
            f.Tagged(
                "type",
                {
                    "request": f.Ref(lambda: SessionFailedRequestReason),
                    "training_run": f.Ref(lambda: SessionFailedTrainingRunReason),
                    "sampling_session": f.Ref(lambda: SessionFailedSamplingSessionReason),
                },
            ),
            required=True,
        ),
        f.Field("message", f.Str(), required=True),
    )


class SessionFailedRequestReason(PublicModel):
    """The FailedReasonRequest object of openapi.yaml."""

    type: Literal["request"]
    request_id: str
    request_type: str

    if TYPE_CHECKING:

        def __init__(self, *, type: Literal["request"] = ..., request_id: str, request_type: str) -> None: ...

    __tinker_fields__ = (
        f.Field("type", f.Const("request"), default="request"),
        f.Field("request_id", f.Str(), required=True),
        f.Field("request_type", f.Str(), required=True),
    )


class SessionFailedSamplingSessionReason(PublicModel):
    """The FailedReasonSamplingSession object of openapi.yaml."""

    type: Literal["sampling_session"]
    sampling_session_id: str

    if TYPE_CHECKING:

        def __init__(self, *, type: Literal["sampling_session"] = ..., sampling_session_id: str) -> None: ...

    __tinker_fields__ = (
        f.Field("type", f.Const("sampling_session"), default="sampling_session"),
        f.Field("sampling_session_id", f.Str(), required=True),
    )


class SessionFailedTrainingRunReason(PublicModel):
    """The FailedReasonTrainingRun object of openapi.yaml."""

    type: Literal["training_run"]
    training_run_id: str

    if TYPE_CHECKING:

        def __init__(self, *, type: Literal["training_run"] = ..., training_run_id: str) -> None: ...

    __tinker_fields__ = (
        f.Field("type", f.Const("training_run"), default="training_run"),
        f.Field("training_run_id", f.Str(), required=True),
    )


class SessionHeartbeatRequest(PublicModel):
    """The SessionHeartbeatRequest object of openapi.yaml."""

    session_id: str
    type: Literal["session_heartbeat"]

    if TYPE_CHECKING:

        def __init__(self, *, session_id: str, type: Literal["session_heartbeat"] = ...) -> None: ...

    __tinker_fields__ = (
        f.Field("session_id", f.Str(), required=True),
        f.Field("type", f.Const("session_heartbeat"), default="session_heartbeat"),
    )


class SessionHeartbeatResponse(PublicModel):
    """The SessionHeartbeatResponse object of openapi.yaml."""

    type: Literal["session_heartbeat"]

    if TYPE_CHECKING:

        def __init__(self, *, type: Literal["session_heartbeat"] = ...) -> None: ...

    __tinker_fields__ = (f.Field("type", f.Const("session_heartbeat"), default="session_heartbeat"),)


class SessionSearchCursor(SessionSearchCursorBehaviour, PublicModel):
    """The SessionSearchCursor object of openapi.yaml."""

    last_created_at: datetime.datetime
    last_session_id: str

    if TYPE_CHECKING:

        def __init__(self, *, last_created_at: datetime.datetime, last_session_id: str) -> None: ...

    __tinker_fields__ = (
        f.Field("last_created_at", f.DateTime(), required=True),
        f.Field("last_session_id", f.Str(), required=True),
    )


class SessionSearchRequest(PublicModel):
    """The SessionSearchRequest object of openapi.yaml."""

    session_id: str | None
    project_ids: list[str] | None
    user_metadata: dict[str, str]
    display_name: str | None
    owner: OwnSearchOwner | AccessibleSearchOwner | UserSearchOwner
    statuses: (
        list[
            ActiveSessionStatusQuery
            | CancelledSessionStatusQuery
            | FailedSessionStatusQuery
            | ClientFinishedSessionStatusQuery
        ]
        | None
    )
    limit: int
    cursor: SessionSearchCursor | None

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            session_id: str | None = ...,
            project_ids: list[str] | None = ...,
            user_metadata: dict[str, str] = ...,
            display_name: str | None = ...,
            owner: OwnSearchOwner | AccessibleSearchOwner | UserSearchOwner = ...,
            statuses: list[
                ActiveSessionStatusQuery
                | CancelledSessionStatusQuery
                | FailedSessionStatusQuery
                | ClientFinishedSessionStatusQuery
            ]
            | None = ...,
            limit: int = ...,
            cursor: SessionSearchCursor | None = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("session_id", f.Nullable(f.Str()), default=None),
        f.Field("project_ids", f.Nullable(f.List(f.Str())), default=None),
        f.Field("user_metadata", f.Dict(f.Str()), factory=dict),
        f.Field("display_name", f.Nullable(f.Str()), default=None),
        f.Field(
            "owner",
            f.Tagged(
                "type",
                {
                    "own": f.Ref(lambda: OwnSearchOwner),
                    "accessible": f.Ref(lambda: AccessibleSearchOwner),
                    "user": f.Ref(lambda: UserSearchOwner),
                },
            ),
            factory=f.parsed(
                f.Tagged(
                    "type",
                    {
                        "own": f.Ref(lambda: OwnSearchOwner),
                        "accessible": f.Ref(lambda: AccessibleSearchOwner),
                        "user": f.Ref(lambda: UserSearchOwner),
                    },
                ),
                {"type": "own"},
            ),
        ),
        f.Field(
            "statuses",
            f.Nullable(
                f.List(
                    f.Tagged(
                        "type",
                        {
                            "active": f.Ref(lambda: ActiveSessionStatusQuery),
                            "cancelled": f.Ref(lambda: CancelledSessionStatusQuery),
                            "failed": f.Ref(lambda: FailedSessionStatusQuery),
                            "client_finished": f.Ref(lambda: ClientFinishedSessionStatusQuery),
                        },
                    )
                )
            ),
            default=None,
        ),
        f.Field("limit", f.Int(), default=50),
        f.Field("cursor", f.Nullable(f.Ref(lambda: SessionSearchCursor)), default=None),
    )


class SessionSearchResponse(PublicModel):
    """The SessionSearchResponse object of openapi.yaml."""

    sessions: list[SessionSummary]
    next_cursor: SessionSearchCursor | None

    if TYPE_CHECKING:

        def __init__(
            self, *, sessions: list[SessionSummary], next_cursor: SessionSearchCursor | None = ...
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("sessions", f.List(f.Ref(lambda: SessionSummary)), required=True),
        f.Field("next_cursor", f.Nullable(f.Ref(lambda: SessionSearchCursor)), default=None),
    )


class SessionStartEvent(PublicModel):
    """The SessionStartEvent object of openapi.yaml."""

    event: Literal["SESSION_START", "SESSION_END", "UNHANDLED_EXCEPTION", "GENERIC_EVENT"]
    event_id: str
    event_session_index: int
    severity: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
    timestamp: datetime.datetime

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            event: Literal["SESSION_START", "SESSION_END", "UNHANDLED_EXCEPTION", "GENERIC_EVENT"],
            event_id: str,
            event_session_index: int,
            severity: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"],
            timestamp: datetime.datetime,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field(
            "event",
            f.Enum("SESSION_START", "SESSION_END", "UNHANDLED_EXCEPTION", "GENERIC_EVENT"),
            required=True,
        ),
        f.Field("event_id", f.Str(), required=True),
        f.Field("event_session_index", f.Int(), required=True),
        f.Field("severity", f.Enum("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"), required=True),
        f.Field("timestamp", f.DateTime(), required=True),
    )


class SessionSummary(PublicModel):
    """The SessionSummary object of openapi.yaml."""

    session_id: str
    created_at: datetime.datetime
    owner: str
    project_id: str
    status: SessionFailed | SessionCancelled | ClientSessionFinished | SessionActive | None
    checkpoints_count: int
    display_name: str | None
    user_metadata: dict[str, str] | None
    checkpoint_storage_bytes: int | None

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            session_id: str,
            created_at: datetime.datetime,
            owner: str,
            project_id: str,
            status: SessionFailed | SessionCancelled | ClientSessionFinished | SessionActive | None = ...,
            checkpoints_count: int,
            display_name: str | None = ...,
            user_metadata: dict[str, str] | None = ...,
            checkpoint_storage_bytes: int | None = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("session_id", f.Str(), required=True),
        f.Field("created_at", f.DateTime(), required=True),
        f.Field("owner", f.Str(), required=True),
        f.Field("project_id", f.Str(), required=True),
        f.Field(
            "status",
            f.Nullable(
                f.Tagged(
                    "type",
                    {
                        "failed": f.Ref(lambda: SessionFailed),
                        "cancelled": f.Ref(lambda: SessionCancelled),
                        "client_finished": f.Ref(lambda: ClientSessionFinished),
                        "active": f.Ref(lambda: SessionActive),
                    },
                )
            ),
            default=None,
        ),
        f.Field("checkpoints_count", f.Int(), required=True),
        f.Field("display_name", f.Nullable(f.Str()), default=None),
        f.Field("user_metadata", f.Nullable(f.Dict(f.Str())), default=None),
        f.Field("checkpoint_storage_bytes", f.Nullable(f.Int()), default=None),
    )


class StorageBillingEvent(PublicModel):
    """The StorageBillingEvent object of openapi.yaml."""

    type: Literal["storage"]
    free: bool
    gigabyte_hours: float

    if TYPE_CHECKING:

        def __init__(
            self, *, type: Literal["storage"] = ..., free: bool = ..., gigabyte_hours: float
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("type", f.Const("storage"), default="storage"),
        f.Field("free", f.Bool(), default=False),
        f.Field("gigabyte_hours", f.Num(), required=True),
    )


class SupportedModel(PublicModel):
    """The SupportedModel object of openapi.yaml."""

    model_name: str | None
    max_context_length: int | None
    trainable: bool | None
    sampleable: bool | None

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            model_name: str | None = ...,
            max_context_length: int | None = ...,
            trainable: bool | None = ...,
            sampleable: bool | None = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("model_name", f.Nullable(f.Str()), default=None),
        f.Field("max_context_length", f.Nullable(f.Int()), default=None),
        f.Field("trainable", f.Nullable(f.Bool()), default=None),
        f.Field("sampleable", f.Nullable(f.Bool()), default=None),
    )


class TelemetryResponse(PublicModel):
    """The TelemetryResponse object of openapi.yaml."""

    status: Literal["accepted"]

    if TYPE_CHECKING:

        def __init__(self, *, status: Literal["accepted"]) -> None: ...

    __tinker_fields__ = (f.Field("status", f.Const("accepted"), required=True),)


class TelemetrySendRequest(PublicModel):
    """The TelemetrySendRequest object of openapi.yaml."""

    events: list[UnhandledExceptionEvent | SessionEndEvent | GenericEvent | SessionStartEvent]
    platform: str
    sdk_version: str
    session_id: str
    process_uuid: str

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            events: list[UnhandledExceptionEvent | SessionEndEvent | GenericEvent | SessionStartEvent],
            platform: str,
            sdk_version: str,
            session_id: str,
            process_uuid: str,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field(
            "events",
            f.List(
                f.Tagged(
                    "event",
                    {
                        "UNHANDLED_EXCEPTION": f.Ref(lambda: UnhandledExceptionEvent),
                        "SESSION_END": f.Ref(lambda: SessionEndEvent),
                        "GENERIC_EVENT": f.Ref(lambda: GenericEvent),
                        "SESSION_START": f.Ref(lambda: SessionStartEvent),
                    },
                )
            ),
            required=True,
        ),
        f.Field("platform", f.Str(), required=True),
        f.Field("sdk_version", f.Str(), required=True),
        f.Field("session_id", f.Str(), required=True),
        f.Field("process_uuid", f.Str(), required=True),
    )


@dataclasses.dataclass(frozen=True, eq=False, init=False, repr=False)
class TensorData(TensorDataBehaviour, PublicDataclass):
    """An int64/float32 tensor (numpy-backed; equality and hash by identity, as 0.38)."""

    dtype: Literal["int64", "float32"]
    shape: list[int] | None = None
    sparse_crow_indices: list[int] | None = None
    sparse_col_indices: list[int] | None = None

    __tinker_fields__ = (
        f.Field(
            "data",
            Values(),
            required=True,
            description="Flattened row-major values (only the stored values when sparse).",
        ),
        f.Field("dtype", f.Enum("int64", "float32"), required=True),
        f.Field("shape", f.Nullable(f.List(f.Int())), default=None),
        f.Field(
            "sparse_crow_indices",
            f.Nullable(f.List(f.Int())),
            default=None,
            description="CSR row pointers (length nrows + 1).",
        ),
        f.Field(
            "sparse_col_indices",
            f.Nullable(f.List(f.Int())),
            default=None,
            description="CSR column indices (length nnz); set together with sparse_crow_indices.",
        ),
    )


class TrainingBillingEvent(PublicModel):
    """The TrainingBillingEvent object of openapi.yaml."""

    type: Literal["training"]
    token_count: int

    if TYPE_CHECKING:

        def __init__(self, *, type: Literal["training"] = ..., token_count: int) -> None: ...

    __tinker_fields__ = (
        f.Field("type", f.Const("training"), default="training"),
        f.Field("token_count", f.Int(), required=True),
    )


class TrainingRun(PublicModel):
    """The TrainingRun object of openapi.yaml."""

    training_run_id: str
    base_model: str
    model_owner: str
    is_lora: bool
    corrupted: bool
    lora_rank: int | None
    last_request_time: datetime.datetime
    last_checkpoint: Checkpoint | None
    last_sampler_checkpoint: Checkpoint | None
    user_metadata: dict[str, str] | None

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            training_run_id: str,
            base_model: str,
            model_owner: str,
            is_lora: bool,
            corrupted: bool = ...,
            lora_rank: int | None = ...,
            last_request_time: datetime.datetime,
            last_checkpoint: Checkpoint | None = ...,
            last_sampler_checkpoint: Checkpoint | None = ...,
            user_metadata: dict[str, str] | None = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("training_run_id", f.Str(), required=True),
        f.Field("base_model", f.Str(), required=True),
        f.Field("model_owner", f.Str(), required=True),
        f.Field("is_lora", f.Bool(), required=True),
        f.Field("corrupted", f.Bool(), default=False),
        f.Field("lora_rank", f.Nullable(f.Int()), default=None),
        f.Field("last_request_time", f.DateTime(), required=True),
        f.Field("last_checkpoint", f.Nullable(f.Ref(lambda: Checkpoint)), default=None),
        f.Field("last_sampler_checkpoint", f.Nullable(f.Ref(lambda: Checkpoint)), default=None),
        f.Field("user_metadata", f.Nullable(f.Dict(f.Str())), default=None),
    )


class TrainingRunsResponse(PublicModel):
    """The TrainingRunsResponse object of openapi.yaml."""

    training_runs: list[TrainingRun]
    cursor: Cursor

    if TYPE_CHECKING:

        def __init__(self, *, training_runs: list[TrainingRun], cursor: Cursor) -> None: ...

    __tinker_fields__ = (
        f.Field("training_runs", f.List(f.Ref(lambda: TrainingRun)), required=True),
        f.Field("cursor", f.Ref(lambda: Cursor), required=True),
    )


class TryAgainResponse(TryAgainBehaviour, PublicModel):
    """The TryAgainResponse object of openapi.yaml."""

    type: Literal["try_again"]
    request_id: str
    queue_state: QueueState
    queue_state_reason: str | None

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            type: Literal["try_again"] = ...,
            request_id: str,
            queue_state: QueueState = ...,
            queue_state_reason: str | None = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("type", f.Const("try_again"), default="try_again"),
        f.Field("request_id", f.Str(), required=True),
        f.Field(
            "queue_state",
            EnumOf(lambda: QueueState),
            factory=f.parsed(EnumOf(lambda: QueueState), "unknown"),
            description="a missing or unknown state parses as QueueState.UNKNOWN (tinker-ext tolerates it)",
        ),
        f.Field("queue_state_reason", f.Nullable(f.Str()), default=None),
    )


class UnhandledExceptionEvent(PublicModel):
    """The UnhandledExceptionEvent object of openapi.yaml."""

    error_message: str
    error_type: str
    event: Literal["SESSION_START", "SESSION_END", "UNHANDLED_EXCEPTION", "GENERIC_EVENT"]
    event_id: str
    event_session_index: int
    severity: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
    timestamp: datetime.datetime
    traceback: str | None

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            error_message: str,
            error_type: str,
            event: Literal["SESSION_START", "SESSION_END", "UNHANDLED_EXCEPTION", "GENERIC_EVENT"],
            event_id: str,
            event_session_index: int,
            severity: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"],
            timestamp: datetime.datetime,
            traceback: str | None = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("error_message", f.Str(), required=True),
        f.Field("error_type", f.Str(), required=True),
        f.Field(
            "event",
            f.Enum("SESSION_START", "SESSION_END", "UNHANDLED_EXCEPTION", "GENERIC_EVENT"),
            required=True,
        ),
        f.Field("event_id", f.Str(), required=True),
        f.Field("event_session_index", f.Int(), required=True),
        f.Field("severity", f.Enum("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"), required=True),
        f.Field("timestamp", f.DateTime(), required=True),
        f.Field("traceback", f.Nullable(f.Str()), default=None),
    )


class UnloadModelRequest(PublicModel):
    """The UnloadModelRequest object of openapi.yaml."""

    model_id: str
    type: Literal["unload_model"]

    if TYPE_CHECKING:

        def __init__(self, *, model_id: str, type: Literal["unload_model"] = ...) -> None: ...

    __tinker_fields__ = (
        f.Field("model_id", f.Str(), required=True),
        f.Field("type", f.Const("unload_model"), default="unload_model"),
    )


class UnloadModelResponse(PublicModel):
    """The UnloadModelResponse object of openapi.yaml."""

    model_id: str
    type: Literal["unload_model"] | None

    if TYPE_CHECKING:

        def __init__(self, *, model_id: str, type: Literal["unload_model"] | None = ...) -> None: ...

    __tinker_fields__ = (
        f.Field("model_id", f.Str(), required=True),
        f.Field("type", f.Nullable(f.Const("unload_model")), default=None),
    )


class UntypedAPIFuture(PublicModel):
    """The UntypedAPIFuture object of openapi.yaml."""

    request_id: str
    model_id: str | None
    sample_sequence_ids: list[str] | None

    if TYPE_CHECKING:

        def __init__(
            self, *, request_id: str, model_id: str | None = ..., sample_sequence_ids: list[str] | None = ...
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("request_id", f.Str(), required=True),
        f.Field("model_id", f.Nullable(f.Str()), default=None),
        f.Field(
            "sample_sequence_ids",
            f.Nullable(f.List(f.Str())),
            default=None,
            description="asample only (SDK 0.38 requires it); one id per requested sample.",
        ),
    )


class UserSearchOwner(PublicModel):
    """The SearchOwnerUser object of openapi.yaml."""

    type: Literal["user"]
    owner_urns: list[str]

    if TYPE_CHECKING:

        def __init__(self, *, type: Literal["user"] = ..., owner_urns: list[str]) -> None: ...

    __tinker_fields__ = (
        f.Field("type", f.Const("user"), default="user"),
        f.Field("owner_urns", f.List(f.Str()), required=True),
    )


class WeightsInfoRequest(PublicModel):
    """The WeightsInfoRequest object of openapi.yaml."""

    tinker_path: str

    if TYPE_CHECKING:

        def __init__(self, *, tinker_path: str) -> None: ...

    __tinker_fields__ = (f.Field("tinker_path", f.Str(), required=True),)


class WeightsInfoResponse(PublicModel):
    """The WeightsInfoResponse object of openapi.yaml."""

    base_model: str
    optimizer_config: OptimizerConfigBase
    is_lora: bool
    lora_rank: int | None
    train_unembed: bool | None
    train_mlp: bool | None
    train_attn: bool | None

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            base_model: str,
            optimizer_config: OptimizerConfigBase = ...,
            is_lora: bool,
            lora_rank: int | None = ...,
            train_unembed: bool | None = ...,
            train_mlp: bool | None = ...,
            train_attn: bool | None = ...,
        ) -> None: ...

    __tinker_fields__ = (
        f.Field("base_model", f.Str(), required=True),
        f.Field(
            "optimizer_config",
            f.Ref(lambda: OptimizerConfigBase),
            factory=f.parsed(f.Ref(lambda: OptimizerConfigBase), {"type": "adamw"}),
            description="Absent from servers before 0.38; AdamW then (as 0.38).",
        ),
        f.Field("is_lora", f.Bool(), required=True),
        f.Field("lora_rank", f.Nullable(f.Int()), default=None),
        f.Field("train_unembed", f.Nullable(f.Bool()), default=None),
        f.Field("train_mlp", f.Nullable(f.Bool()), default=None),
        f.Field("train_attn", f.Nullable(f.Bool()), default=None),
    )


class WhoamiResponse(PublicModel):
    """Decoded from the held JWT client-side (no endpoint)."""

    user_urn: str
    org_urn: str | None
    email: str | None

    if TYPE_CHECKING:

        def __init__(self, *, user_urn: str, org_urn: str | None = ..., email: str | None = ...) -> None: ...

    __tinker_fields__ = (
        f.Field("user_urn", f.Str(), required=True),
        f.Field("org_urn", f.Nullable(f.Str()), default=None),
        f.Field("email", f.Nullable(f.Str()), default=None),
    )


# the field kinds and annotations name every class: keep the imports used when a kind goes away
_ = (
    dataclasses,
    datetime,
    enum,
    Any,
    Literal,
    PublicDataclass,
    PublicModel,
    EnumOf,
    OpenEnum,
    KeyedFields,
    OpenFamily,
)
use_spec_json(SPEC_JSON)  # model_json_schema's schemas (the behaviour does not import this package)
