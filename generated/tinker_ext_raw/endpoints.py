# GENERATED from openapi.yaml by codegen/endpoints_gen.py. DO NOT EDIT.
# Change openapi.yaml (operations, x-tinker-ext-* operation extensions) and run `nox -s codegen`.
"""Every operation of openapi.yaml as a typed constant (see tinker_ext._wire.endpoint)."""

from __future__ import annotations

from typing import Any

from tinker_ext._wire.endpoint import Endpoint, FutureEndpoint, NoBody
from tinker_ext_raw.public import (
    ApiKeyInfoResponse,
    AssignSessionProjectRequest,
    AuditLogResponse,
    AuthTokenRequest,
    AuthTokenResponse,
    BillingUsageResponse,
    CancelFutureRequest,
    CheckpointArchiveUrlResponse,
    CheckpointsListResponse,
    ClientConfigRequest,
    ClientConfigResponse,
    ClientDynamicConfigResponse,
    CopyWeightsRequest,
    CopyWeightsResponse,
    CreateCustomLossRequest,
    CreateCustomLossResponse,
    CreateModelRequest,
    CreateModelResponse,
    CreateSamplingSessionRequest,
    CreateSamplingSessionResponse,
    CreateSessionRequest,
    CreateSessionResponse,
    CurrentCheckpointStorageUsageResponse,
    EmptyResponse,
    ExternalWeightsUrlsResponse,
    ForwardBackwardOutput,
    ForwardBackwardRequest,
    ForwardRequest,
    FutureRetrieveRequest,
    GetInfoRequest,
    GetInfoResponse,
    GetSamplerResponse,
    GetServerCapabilitiesResponse,
    GetSessionResponse,
    HealthResponse,
    JoinSamplingSessionRequest,
    JoinSamplingSessionResponse,
    ListSessionsResponse,
    LoadWeightsRequest,
    LoadWeightsResponse,
    OptimStepRequest,
    OptimStepResponse,
    SampleRequest,
    SampleResponse,
    SaveWeightsExternalRequest,
    SaveWeightsExternalResponse,
    SaveWeightsForSamplerRequest,
    SaveWeightsForSamplerResponseInternal,
    SaveWeightsRequest,
    SaveWeightsResponse,
    SessionHeartbeatRequest,
    SessionHeartbeatResponse,
    SessionSearchRequest,
    SessionSearchResponse,
    TelemetryResponse,
    TelemetrySendRequest,
    TrainingRun,
    TrainingRunsResponse,
    UnloadModelRequest,
    UnloadModelResponse,
    UntypedAPIFuture,
    WeightsInfoRequest,
    WeightsInfoResponse,
)

__all__ = [
    "ALL",
    "ASAMPLE",
    "ASSIGN_SESSION_PROJECT",
    "AUTH_TOKEN",
    "CANCEL_FUTURE",
    "CLIENT_CONFIG",
    "CLIENT_DYNAMIC_CONFIG",
    "COPY_WEIGHTS",
    "CREATE_CUSTOM_LOSS",
    "CREATE_MODEL",
    "CREATE_SAMPLING_SESSION",
    "CREATE_SESSION",
    "DELETE_API_KEY",
    "DELETE_CHECKPOINT",
    "DOWNLOAD_CHECKPOINT_ARCHIVE",
    "EXPORT_SESSION_TRACE",
    "FINISH_SESSION",
    "FORWARD",
    "FORWARD_BACKWARD",
    "GET_API_KEY_INFO",
    "GET_AUDIT_LOG",
    "GET_BILLING_USAGE",
    "GET_CHECKPOINT_ARCHIVE_URL",
    "GET_CHECKPOINT_ARCHIVE_URL_BY_ID",
    "GET_CURRENT_CHECKPOINT_STORAGE_USAGE",
    "GET_EXTERNAL_WEIGHTS_URLS",
    "GET_INFO",
    "GET_SAMPLER",
    "GET_SERVER_CAPABILITIES",
    "GET_SESSION",
    "GET_TRAINING_RUN",
    "GET_WEIGHTS_INFO",
    "HEALTHZ",
    "JOIN_SAMPLING_SESSION",
    "LIST_CHECKPOINTS",
    "LIST_MODEL_CHECKPOINTS",
    "LIST_SESSIONS",
    "LIST_TRAINING_RUNS",
    "LIST_USER_CHECKPOINTS",
    "LOAD_WEIGHTS",
    "OPTIM_STEP",
    "PUBLISH_CHECKPOINT",
    "RETRIEVE_FUTURE",
    "RETRIEVE_FUTURES",
    "SAMPLE",
    "SAVE_WEIGHTS",
    "SAVE_WEIGHTS_EXTERNAL",
    "SAVE_WEIGHTS_FOR_SAMPLER",
    "SEARCH_SESSIONS",
    "SEND_TELEMETRY",
    "SESSION_HEARTBEAT",
    "SET_CHECKPOINT_TTL",
    "UNLOAD_MODEL",
    "UNPUBLISH_CHECKPOINT",
]

_ = NoBody

CLIENT_CONFIG: Endpoint[ClientConfigRequest, ClientConfigResponse] = Endpoint(
    operation_id="client_config",
    method="POST",
    path="/api/v1/client/config",
    path_params=(),
    query_params=(),
    query_defaults=(),
    content_types=("application/json",),
    protobuf_messages=(),
    read_only=True,
    idempotent=True,
    request_type=ClientConfigRequest,
    response_type=ClientConfigResponse,
)
"""POST /api/v1/client/config: Server-side feature flags for this client (SDK >= 0.18)."""

CLIENT_DYNAMIC_CONFIG: Endpoint[ClientConfigRequest, ClientDynamicConfigResponse] = Endpoint(
    operation_id="client_dynamic_config",
    method="POST",
    path="/api/v1/client/dynamic_config",
    path_params=(),
    query_params=(),
    query_defaults=(),
    content_types=("application/json",),
    protobuf_messages=(),
    read_only=True,
    idempotent=True,
    request_type=ClientConfigRequest,
    response_type=ClientDynamicConfigResponse,
)
"""POST /api/v1/client/dynamic_config: Periodically refreshed client settings (404 means defaults)."""

AUTH_TOKEN: Endpoint[AuthTokenRequest, AuthTokenResponse] = Endpoint(
    operation_id="auth_token",
    method="POST",
    path="/api/v1/auth/token",
    path_params=(),
    query_params=(),
    query_defaults=(),
    content_types=("application/json",),
    protobuf_messages=(),
    read_only=False,
    idempotent=False,
    request_type=AuthTokenRequest,
    response_type=AuthTokenResponse,
)
"""POST /api/v1/auth/token: Exchange the credential for a short-lived JWT."""

GET_API_KEY_INFO: Endpoint[NoBody, ApiKeyInfoResponse] = Endpoint(
    operation_id="get_api_key_info",
    method="GET",
    path="/api/v1/auth/apikey/me",
    path_params=(),
    query_params=(),
    query_defaults=(),
    content_types=(),
    protobuf_messages=(),
    read_only=False,
    idempotent=True,
    request_type=None,
    response_type=ApiKeyInfoResponse,
)
"""GET /api/v1/auth/apikey/me: Describe the API key in the X-API-Key header (CLI `auth login`)."""

DELETE_API_KEY: Endpoint[NoBody, EmptyResponse] = Endpoint(
    operation_id="delete_api_key",
    method="DELETE",
    path="/api/v1/auth/apikey/me",
    path_params=(),
    query_params=(),
    query_defaults=(),
    content_types=(),
    protobuf_messages=(),
    read_only=False,
    idempotent=True,
    request_type=None,
    response_type=EmptyResponse,
)
"""DELETE /api/v1/auth/apikey/me: Revoke the API key in the X-API-Key header (CLI `auth logout`)."""

CREATE_SESSION: Endpoint[CreateSessionRequest, CreateSessionResponse] = Endpoint(
    operation_id="create_session",
    method="POST",
    path="/api/v1/create_session",
    path_params=(),
    query_params=(),
    query_defaults=(),
    content_types=("application/json",),
    protobuf_messages=(),
    read_only=False,
    idempotent=False,
    request_type=CreateSessionRequest,
    response_type=CreateSessionResponse,
)
"""POST /api/v1/create_session"""

SESSION_HEARTBEAT: Endpoint[SessionHeartbeatRequest, SessionHeartbeatResponse] = Endpoint(
    operation_id="session_heartbeat",
    method="POST",
    path="/api/v1/session_heartbeat",
    path_params=(),
    query_params=(),
    query_defaults=(),
    content_types=("application/json",),
    protobuf_messages=(),
    read_only=True,
    idempotent=True,
    request_type=SessionHeartbeatRequest,
    response_type=SessionHeartbeatResponse,
)
"""POST /api/v1/session_heartbeat: Sent every 10 s; 410 means the session is finished."""

FINISH_SESSION: Endpoint[Any, EmptyResponse] = Endpoint(
    operation_id="finish_session",
    method="POST",
    path="/api/v1/sessions/{session_id}/finish",
    path_params=("session_id",),
    query_params=(),
    query_defaults=(),
    content_types=("application/json",),
    protobuf_messages=(),
    read_only=False,
    idempotent=True,
    request_type=None,
    response_type=EmptyResponse,
)
"""POST /api/v1/sessions/{session_id}/finish"""

CREATE_SAMPLING_SESSION: Endpoint[CreateSamplingSessionRequest, CreateSamplingSessionResponse] = Endpoint(
    operation_id="create_sampling_session",
    method="POST",
    path="/api/v1/create_sampling_session",
    path_params=(),
    query_params=(),
    query_defaults=(),
    content_types=("application/json",),
    protobuf_messages=(),
    read_only=False,
    idempotent=False,
    request_type=CreateSamplingSessionRequest,
    response_type=CreateSamplingSessionResponse,
)
"""POST /api/v1/create_sampling_session"""

JOIN_SAMPLING_SESSION: Endpoint[JoinSamplingSessionRequest, JoinSamplingSessionResponse] = Endpoint(
    operation_id="join_sampling_session",
    method="POST",
    path="/api/v1/join_sampling_session",
    path_params=(),
    query_params=(),
    query_defaults=(),
    content_types=("application/json",),
    protobuf_messages=(),
    read_only=False,
    idempotent=False,
    request_type=JoinSamplingSessionRequest,
    response_type=JoinSamplingSessionResponse,
)
"""POST /api/v1/join_sampling_session"""

HEALTHZ: Endpoint[NoBody, HealthResponse] = Endpoint(
    operation_id="healthz",
    method="GET",
    path="/api/v1/healthz",
    path_params=(),
    query_params=(),
    query_defaults=(),
    content_types=(),
    protobuf_messages=(),
    read_only=False,
    idempotent=True,
    request_type=None,
    response_type=HealthResponse,
)
"""GET /api/v1/healthz"""

GET_SERVER_CAPABILITIES: Endpoint[NoBody, GetServerCapabilitiesResponse] = Endpoint(
    operation_id="get_server_capabilities",
    method="GET",
    path="/api/v1/get_server_capabilities",
    path_params=(),
    query_params=(),
    query_defaults=(),
    content_types=(),
    protobuf_messages=(),
    read_only=False,
    idempotent=True,
    request_type=None,
    response_type=GetServerCapabilitiesResponse,
)
"""GET /api/v1/get_server_capabilities"""

SEND_TELEMETRY: Endpoint[TelemetrySendRequest, TelemetryResponse] = Endpoint(
    operation_id="send_telemetry",
    method="POST",
    path="/api/v1/telemetry",
    path_params=(),
    query_params=(),
    query_defaults=(),
    content_types=("application/json",),
    protobuf_messages=(),
    read_only=False,
    idempotent=False,
    request_type=TelemetrySendRequest,
    response_type=TelemetryResponse,
)
"""POST /api/v1/telemetry"""

CREATE_MODEL: FutureEndpoint[CreateModelRequest, CreateModelResponse] = FutureEndpoint(
    operation_id="create_model",
    method="POST",
    path="/api/v1/create_model",
    path_params=(),
    query_params=(),
    query_defaults=(),
    content_types=("application/json",),
    protobuf_messages=(),
    read_only=False,
    idempotent=False,
    request_type=CreateModelRequest,
    response_type=CreateModelResponse,
)
"""POST /api/v1/create_model: Creates a LoRA training model; the future resolves to `CreateModelResponse`."""

GET_INFO: Endpoint[GetInfoRequest, GetInfoResponse] = Endpoint(
    operation_id="get_info",
    method="POST",
    path="/api/v1/get_info",
    path_params=(),
    query_params=(),
    query_defaults=(),
    content_types=("application/json",),
    protobuf_messages=(),
    read_only=True,
    idempotent=True,
    request_type=GetInfoRequest,
    response_type=GetInfoResponse,
)
"""POST /api/v1/get_info"""

FORWARD_BACKWARD: FutureEndpoint[ForwardBackwardRequest, ForwardBackwardOutput] = FutureEndpoint(
    operation_id="forward_backward",
    method="POST",
    path="/api/v1/forward_backward",
    path_params=(),
    query_params=(),
    query_defaults=(),
    content_types=("application/json", "application/x-protobuf"),
    protobuf_messages=("tinker_public.ForwardBackwardRequest",),
    read_only=False,
    idempotent=False,
    request_type=ForwardBackwardRequest,
    response_type=ForwardBackwardOutput,
)
"""POST /api/v1/forward_backward: Forward and backward pass; the future resolves to `ForwardBackwardOutput`. JSON body as sent by SDK"""

FORWARD: FutureEndpoint[ForwardRequest, ForwardBackwardOutput] = FutureEndpoint(
    operation_id="forward",
    method="POST",
    path="/api/v1/forward",
    path_params=(),
    query_params=(),
    query_defaults=(),
    content_types=("application/json",),
    protobuf_messages=(),
    read_only=False,
    idempotent=False,
    request_type=ForwardRequest,
    response_type=ForwardBackwardOutput,
)
"""POST /api/v1/forward: Legacy forward-only pass (SDK <= 0.24, skyrl-tx, tinkex); note the body key `forward_input`."""

OPTIM_STEP: FutureEndpoint[OptimStepRequest, OptimStepResponse] = FutureEndpoint(
    operation_id="optim_step",
    method="POST",
    path="/api/v1/optim_step",
    path_params=(),
    query_params=(),
    query_defaults=(),
    content_types=("application/json",),
    protobuf_messages=(),
    read_only=False,
    idempotent=False,
    request_type=OptimStepRequest,
    response_type=OptimStepResponse,
)
"""POST /api/v1/optim_step"""

UNLOAD_MODEL: FutureEndpoint[UnloadModelRequest, UnloadModelResponse] = FutureEndpoint(
    operation_id="unload_model",
    method="POST",
    path="/api/v1/unload_model",
    path_params=(),
    query_params=(),
    query_defaults=(),
    content_types=("application/json",),
    protobuf_messages=(),
    read_only=False,
    idempotent=False,
    request_type=UnloadModelRequest,
    response_type=UnloadModelResponse,
)
"""POST /api/v1/unload_model"""

CREATE_CUSTOM_LOSS: FutureEndpoint[CreateCustomLossRequest, CreateCustomLossResponse] = FutureEndpoint(
    operation_id="create_custom_loss",
    method="POST",
    path="/api/v1/create_custom_loss",
    path_params=(),
    query_params=(),
    query_defaults=(),
    content_types=("application/json",),
    protobuf_messages=(),
    read_only=False,
    idempotent=False,
    request_type=CreateCustomLossRequest,
    response_type=CreateCustomLossResponse,
)
"""POST /api/v1/create_custom_loss"""

ASAMPLE: FutureEndpoint[SampleRequest, SampleResponse] = FutureEndpoint(
    operation_id="asample",
    method="POST",
    path="/api/v1/asample",
    path_params=(),
    query_params=(),
    query_defaults=(),
    content_types=("application/json",),
    protobuf_messages=(),
    read_only=False,
    idempotent=False,
    request_type=SampleRequest,
    response_type=SampleResponse,
)
"""POST /api/v1/asample: Asynchronous sampling; the future resolves to `SampleResponse` (JSON for SDK <= 0.24)."""

SAMPLE: Endpoint[SampleRequest, SampleResponse] = Endpoint(
    operation_id="sample",
    method="POST",
    path="/api/v1/sample",
    path_params=(),
    query_params=(),
    query_defaults=(),
    content_types=("application/json",),
    protobuf_messages=(),
    read_only=False,
    idempotent=False,
    request_type=SampleRequest,
    response_type=SampleResponse,
)
"""POST /api/v1/sample: Synchronous sampling of SDK 0.1.x."""

SAVE_WEIGHTS: FutureEndpoint[SaveWeightsRequest, SaveWeightsResponse] = FutureEndpoint(
    operation_id="save_weights",
    method="POST",
    path="/api/v1/save_weights",
    path_params=(),
    query_params=(),
    query_defaults=(),
    content_types=("application/json",),
    protobuf_messages=(),
    read_only=False,
    idempotent=False,
    request_type=SaveWeightsRequest,
    response_type=SaveWeightsResponse,
)
"""POST /api/v1/save_weights"""

SAVE_WEIGHTS_FOR_SAMPLER: FutureEndpoint[
    SaveWeightsForSamplerRequest, SaveWeightsForSamplerResponseInternal
] = FutureEndpoint(
    operation_id="save_weights_for_sampler",
    method="POST",
    path="/api/v1/save_weights_for_sampler",
    path_params=(),
    query_params=(),
    query_defaults=(),
    content_types=("application/json",),
    protobuf_messages=(),
    read_only=False,
    idempotent=False,
    request_type=SaveWeightsForSamplerRequest,
    response_type=SaveWeightsForSamplerResponseInternal,
)
"""POST /api/v1/save_weights_for_sampler"""

SAVE_WEIGHTS_EXTERNAL: FutureEndpoint[SaveWeightsExternalRequest, SaveWeightsExternalResponse] = (
    FutureEndpoint(
        operation_id="save_weights_external",
        method="POST",
        path="/api/v1/save_weights_external",
        path_params=(),
        query_params=(),
        query_defaults=(),
        content_types=("application/json",),
        protobuf_messages=(),
        read_only=False,
        idempotent=False,
        request_type=SaveWeightsExternalRequest,
        response_type=SaveWeightsExternalResponse,
    )
)
"""POST /api/v1/save_weights_external"""

LOAD_WEIGHTS: FutureEndpoint[LoadWeightsRequest, LoadWeightsResponse] = FutureEndpoint(
    operation_id="load_weights",
    method="POST",
    path="/api/v1/load_weights",
    path_params=(),
    query_params=(),
    query_defaults=(),
    content_types=("application/json",),
    protobuf_messages=(),
    read_only=False,
    idempotent=False,
    request_type=LoadWeightsRequest,
    response_type=LoadWeightsResponse,
)
"""POST /api/v1/load_weights"""

GET_WEIGHTS_INFO: Endpoint[WeightsInfoRequest, WeightsInfoResponse] = Endpoint(
    operation_id="get_weights_info",
    method="POST",
    path="/api/v1/weights_info",
    path_params=(),
    query_params=(),
    query_defaults=(),
    content_types=("application/json",),
    protobuf_messages=(),
    read_only=True,
    idempotent=True,
    request_type=WeightsInfoRequest,
    response_type=WeightsInfoResponse,
)
"""POST /api/v1/weights_info"""

COPY_WEIGHTS: Endpoint[CopyWeightsRequest, CopyWeightsResponse] = Endpoint(
    operation_id="copy_weights",
    method="POST",
    path="/api/v1/copy_weights",
    path_params=(),
    query_params=(),
    query_defaults=(),
    content_types=("application/json",),
    protobuf_messages=(),
    read_only=False,
    idempotent=False,
    request_type=CopyWeightsRequest,
    response_type=CopyWeightsResponse,
)
"""POST /api/v1/copy_weights"""

RETRIEVE_FUTURE: Endpoint[FutureRetrieveRequest, Any] = Endpoint(
    operation_id="retrieve_future",
    method="POST",
    path="/api/v1/retrieve_future",
    path_params=(),
    query_params=(),
    query_defaults=(),
    content_types=("application/json",),
    protobuf_messages=("tinker_public.ForwardBackwardOutput", "tinker_public.SampleResponse"),
    read_only=True,
    idempotent=True,
    request_type=FutureRetrieveRequest,
    response_type=None,
)
"""POST /api/v1/retrieve_future: Long-polls one future. How a client classifies an HTTP 200 body, in this order"""

RETRIEVE_FUTURES: Endpoint[Any, Any] = Endpoint(
    operation_id="retrieve_futures",
    method="POST",
    path="/api/v1/retrieve_futures",
    path_params=(),
    query_params=(),
    query_defaults=(),
    content_types=("application/json",),
    protobuf_messages=(),
    read_only=True,
    idempotent=True,
    request_type=None,
    response_type=None,
)
"""POST /api/v1/retrieve_futures: Session-wide long-poll of sampling futures (SDK 0.38, behind a server flag)."""

CANCEL_FUTURE: Endpoint[CancelFutureRequest, EmptyResponse] = Endpoint(
    operation_id="cancel_future",
    method="POST",
    path="/api/v1/cancel_future",
    path_params=(),
    query_params=(),
    query_defaults=(),
    content_types=("application/json",),
    protobuf_messages=(),
    read_only=False,
    idempotent=False,
    request_type=CancelFutureRequest,
    response_type=EmptyResponse,
)
"""POST /api/v1/cancel_future"""

LIST_TRAINING_RUNS: Endpoint[NoBody, TrainingRunsResponse] = Endpoint(
    operation_id="list_training_runs",
    method="GET",
    path="/api/v1/training_runs",
    path_params=(),
    query_params=("limit", "offset", "access_scope", "project_id"),
    query_defaults=(("limit", 20), ("offset", 0)),
    content_types=(),
    protobuf_messages=(),
    read_only=False,
    idempotent=True,
    request_type=None,
    response_type=TrainingRunsResponse,
)
"""GET /api/v1/training_runs"""

GET_TRAINING_RUN: Endpoint[NoBody, TrainingRun] = Endpoint(
    operation_id="get_training_run",
    method="GET",
    path="/api/v1/training_runs/{training_run_id}",
    path_params=("training_run_id",),
    query_params=("access_scope",),
    query_defaults=(),
    content_types=(),
    protobuf_messages=(),
    read_only=False,
    idempotent=True,
    request_type=None,
    response_type=TrainingRun,
)
"""GET /api/v1/training_runs/{training_run_id}"""

LIST_CHECKPOINTS: Endpoint[NoBody, CheckpointsListResponse] = Endpoint(
    operation_id="list_checkpoints",
    method="GET",
    path="/api/v1/training_runs/{training_run_id}/checkpoints",
    path_params=("training_run_id",),
    query_params=(),
    query_defaults=(),
    content_types=(),
    protobuf_messages=(),
    read_only=False,
    idempotent=True,
    request_type=None,
    response_type=CheckpointsListResponse,
)
"""GET /api/v1/training_runs/{training_run_id}/checkpoints"""

LIST_MODEL_CHECKPOINTS: Endpoint[NoBody, CheckpointsListResponse] = Endpoint(
    operation_id="list_model_checkpoints",
    method="GET",
    path="/api/v1/models/{training_run_id}/checkpoints",
    path_params=("training_run_id",),
    query_params=(),
    query_defaults=(),
    content_types=(),
    protobuf_messages=(),
    read_only=False,
    idempotent=True,
    request_type=None,
    response_type=CheckpointsListResponse,
)
"""GET /api/v1/models/{training_run_id}/checkpoints: Alias of `list_checkpoints` (SDK 0.1.x-0.3.x; kept by skyrl-tx)."""

DELETE_CHECKPOINT: Endpoint[NoBody, EmptyResponse] = Endpoint(
    operation_id="delete_checkpoint",
    method="DELETE",
    path="/api/v1/training_runs/{training_run_id}/checkpoints/{checkpoint_kind}/{checkpoint_name}",
    path_params=("training_run_id", "checkpoint_kind", "checkpoint_name"),
    query_params=(),
    query_defaults=(),
    content_types=(),
    protobuf_messages=(),
    read_only=False,
    idempotent=True,
    request_type=None,
    response_type=EmptyResponse,
)
"""DELETE /api/v1/training_runs/{training_run_id}/checkpoints/{checkpoint_kind}/{checkpoint_name}"""

PUBLISH_CHECKPOINT: Endpoint[NoBody, EmptyResponse] = Endpoint(
    operation_id="publish_checkpoint",
    method="POST",
    path="/api/v1/training_runs/{training_run_id}/checkpoints/{checkpoint_kind}/{checkpoint_name}/publish",
    path_params=("training_run_id", "checkpoint_kind", "checkpoint_name"),
    query_params=(),
    query_defaults=(),
    content_types=(),
    protobuf_messages=(),
    read_only=False,
    idempotent=False,
    request_type=None,
    response_type=EmptyResponse,
)
"""POST /api/v1/training_runs/{training_run_id}/checkpoints/{checkpoint_kind}/{checkpoint_name}/publish"""

UNPUBLISH_CHECKPOINT: Endpoint[NoBody, EmptyResponse] = Endpoint(
    operation_id="unpublish_checkpoint",
    method="DELETE",
    path="/api/v1/training_runs/{training_run_id}/checkpoints/{checkpoint_kind}/{checkpoint_name}/publish",
    path_params=("training_run_id", "checkpoint_kind", "checkpoint_name"),
    query_params=(),
    query_defaults=(),
    content_types=(),
    protobuf_messages=(),
    read_only=False,
    idempotent=True,
    request_type=None,
    response_type=EmptyResponse,
)
"""DELETE /api/v1/training_runs/{training_run_id}/checkpoints/{checkpoint_kind}/{checkpoint_name}/publish"""

SET_CHECKPOINT_TTL: Endpoint[Any, EmptyResponse] = Endpoint(
    operation_id="set_checkpoint_ttl",
    method="PUT",
    path="/api/v1/training_runs/{training_run_id}/checkpoints/{checkpoint_kind}/{checkpoint_name}/ttl",
    path_params=("training_run_id", "checkpoint_kind", "checkpoint_name"),
    query_params=(),
    query_defaults=(),
    content_types=("application/json",),
    protobuf_messages=(),
    read_only=False,
    idempotent=True,
    request_type=None,
    response_type=EmptyResponse,
)
"""PUT /api/v1/training_runs/{training_run_id}/checkpoints/{checkpoint_kind}/{checkpoint_name}/ttl"""

GET_EXTERNAL_WEIGHTS_URLS: Endpoint[NoBody, ExternalWeightsUrlsResponse] = Endpoint(
    operation_id="get_external_weights_urls",
    method="GET",
    path="/api/v1/training_runs/{training_run_id}/checkpoints/{checkpoint_kind}/{checkpoint_name}/external_weights_urls",
    path_params=("training_run_id", "checkpoint_kind", "checkpoint_name"),
    query_params=(),
    query_defaults=(),
    content_types=(),
    protobuf_messages=(),
    read_only=False,
    idempotent=True,
    request_type=None,
    response_type=ExternalWeightsUrlsResponse,
)
"""GET /api/v1/training_runs/{training_run_id}/checkpoints/{checkpoint_kind}/{checkpoint_name}/external_weights_urls"""

GET_CHECKPOINT_ARCHIVE_URL: Endpoint[NoBody, CheckpointArchiveUrlResponse] = Endpoint(
    operation_id="get_checkpoint_archive_url",
    method="GET",
    path="/api/v1/training_runs/{training_run_id}/checkpoints/{checkpoint_kind}/{checkpoint_name}/archive",
    path_params=("training_run_id", "checkpoint_kind", "checkpoint_name"),
    query_params=(),
    query_defaults=(),
    content_types=(),
    protobuf_messages=(),
    read_only=False,
    idempotent=True,
    request_type=None,
    response_type=CheckpointArchiveUrlResponse,
)
"""GET /api/v1/training_runs/{training_run_id}/checkpoints/{checkpoint_kind}/{checkpoint_name}/archive: Signed URL of a tar archive of the checkpoint (SDK <= 0.25). Send `Accept: application/json` and do"""

GET_CHECKPOINT_ARCHIVE_URL_BY_ID: Endpoint[NoBody, CheckpointArchiveUrlResponse] = Endpoint(
    operation_id="get_checkpoint_archive_url_by_id",
    method="GET",
    path="/api/v1/training_runs/{training_run_id}/checkpoints/{checkpoint_id}/archive",
    path_params=("training_run_id", "checkpoint_id"),
    query_params=(),
    query_defaults=(),
    content_types=(),
    protobuf_messages=(),
    read_only=False,
    idempotent=True,
    request_type=None,
    response_type=CheckpointArchiveUrlResponse,
)
"""GET /api/v1/training_runs/{training_run_id}/checkpoints/{checkpoint_id}/archive: skyrl-tx form of `get_checkpoint_archive_url`, whose checkpoint ids have no kind prefix."""

DOWNLOAD_CHECKPOINT_ARCHIVE: Endpoint[NoBody, Any] = Endpoint(
    operation_id="download_checkpoint_archive",
    method="GET",
    path="/api/v1/training_runs/{training_run_id}/checkpoints/{checkpoint_id}/download",
    path_params=("training_run_id", "checkpoint_id"),
    query_params=(),
    query_defaults=(),
    content_types=(),
    protobuf_messages=(),
    read_only=False,
    idempotent=True,
    request_type=None,
    response_type=None,
)
"""GET /api/v1/training_runs/{training_run_id}/checkpoints/{checkpoint_id}/download: skyrl-tx only; target of its archive redirect. Streams a tar.gz."""

LIST_USER_CHECKPOINTS: Endpoint[NoBody, CheckpointsListResponse] = Endpoint(
    operation_id="list_user_checkpoints",
    method="GET",
    path="/api/v1/checkpoints",
    path_params=(),
    query_params=("limit", "offset"),
    query_defaults=(("limit", 100), ("offset", 0)),
    content_types=(),
    protobuf_messages=(),
    read_only=False,
    idempotent=True,
    request_type=None,
    response_type=CheckpointsListResponse,
)
"""GET /api/v1/checkpoints"""

LIST_SESSIONS: Endpoint[NoBody, ListSessionsResponse] = Endpoint(
    operation_id="list_sessions",
    method="GET",
    path="/api/v1/sessions",
    path_params=(),
    query_params=("limit", "offset", "access_scope"),
    query_defaults=(("limit", 20), ("offset", 0)),
    content_types=(),
    protobuf_messages=(),
    read_only=False,
    idempotent=True,
    request_type=None,
    response_type=ListSessionsResponse,
)
"""GET /api/v1/sessions"""

SEARCH_SESSIONS: Endpoint[SessionSearchRequest, SessionSearchResponse] = Endpoint(
    operation_id="search_sessions",
    method="POST",
    path="/api/v1/sessions/search",
    path_params=(),
    query_params=(),
    query_defaults=(),
    content_types=("application/json",),
    protobuf_messages=(),
    read_only=True,
    idempotent=True,
    request_type=SessionSearchRequest,
    response_type=SessionSearchResponse,
)
"""POST /api/v1/sessions/search"""

GET_SESSION: Endpoint[NoBody, GetSessionResponse] = Endpoint(
    operation_id="get_session",
    method="GET",
    path="/api/v1/sessions/{session_id}",
    path_params=("session_id",),
    query_params=("access_scope",),
    query_defaults=(),
    content_types=(),
    protobuf_messages=(),
    read_only=False,
    idempotent=True,
    request_type=None,
    response_type=GetSessionResponse,
)
"""GET /api/v1/sessions/{session_id}"""

ASSIGN_SESSION_PROJECT: Endpoint[AssignSessionProjectRequest, EmptyResponse] = Endpoint(
    operation_id="assign_session_project",
    method="PUT",
    path="/api/v1/sessions/{session_id}/project",
    path_params=("session_id",),
    query_params=(),
    query_defaults=(),
    content_types=("application/json",),
    protobuf_messages=(),
    read_only=False,
    idempotent=True,
    request_type=AssignSessionProjectRequest,
    response_type=EmptyResponse,
)
"""PUT /api/v1/sessions/{session_id}/project"""

EXPORT_SESSION_TRACE: Endpoint[NoBody, Any] = Endpoint(
    operation_id="export_session_trace",
    method="GET",
    path="/api/v1/sessions/{session_id}/trace_export",
    path_params=("session_id",),
    query_params=(),
    query_defaults=(),
    content_types=(),
    protobuf_messages=(),
    read_only=False,
    idempotent=True,
    request_type=None,
    response_type=None,
)
"""GET /api/v1/sessions/{session_id}/trace_export: Polled every 5 s until `ready` or `failed`."""

GET_SAMPLER: Endpoint[NoBody, GetSamplerResponse] = Endpoint(
    operation_id="get_sampler",
    method="GET",
    path="/api/v1/samplers/{sampler_id}",
    path_params=("sampler_id",),
    query_params=(),
    query_defaults=(),
    content_types=(),
    protobuf_messages=(),
    read_only=False,
    idempotent=True,
    request_type=None,
    response_type=GetSamplerResponse,
)
"""GET /api/v1/samplers/{sampler_id}"""

GET_AUDIT_LOG: Endpoint[NoBody, AuditLogResponse] = Endpoint(
    operation_id="get_audit_log",
    method="GET",
    path="/api/v1/audit",
    path_params=(),
    query_params=("event_type", "day"),
    query_defaults=(),
    content_types=(),
    protobuf_messages=(),
    read_only=False,
    idempotent=True,
    request_type=None,
    response_type=AuditLogResponse,
)
"""GET /api/v1/audit"""

GET_BILLING_USAGE: Endpoint[NoBody, BillingUsageResponse] = Endpoint(
    operation_id="get_billing_usage",
    method="GET",
    path="/api/v1/billing/usage/events",
    path_params=(),
    query_params=("starting_on", "ending_before"),
    query_defaults=(),
    content_types=(),
    protobuf_messages=(),
    read_only=False,
    idempotent=True,
    request_type=None,
    response_type=BillingUsageResponse,
)
"""GET /api/v1/billing/usage/events"""

GET_CURRENT_CHECKPOINT_STORAGE_USAGE: Endpoint[NoBody, CurrentCheckpointStorageUsageResponse] = Endpoint(
    operation_id="get_current_checkpoint_storage_usage",
    method="GET",
    path="/api/v1/billing/usage/checkpoints/current",
    path_params=(),
    query_params=("project_id",),
    query_defaults=(),
    content_types=(),
    protobuf_messages=(),
    read_only=False,
    idempotent=True,
    request_type=None,
    response_type=CurrentCheckpointStorageUsageResponse,
)
"""GET /api/v1/billing/usage/checkpoints/current"""

ALL: tuple[Endpoint[Any, Any] | FutureEndpoint[Any, Any], ...] = (
    CLIENT_CONFIG,
    CLIENT_DYNAMIC_CONFIG,
    AUTH_TOKEN,
    GET_API_KEY_INFO,
    DELETE_API_KEY,
    CREATE_SESSION,
    SESSION_HEARTBEAT,
    FINISH_SESSION,
    CREATE_SAMPLING_SESSION,
    JOIN_SAMPLING_SESSION,
    HEALTHZ,
    GET_SERVER_CAPABILITIES,
    SEND_TELEMETRY,
    CREATE_MODEL,
    GET_INFO,
    FORWARD_BACKWARD,
    FORWARD,
    OPTIM_STEP,
    UNLOAD_MODEL,
    CREATE_CUSTOM_LOSS,
    ASAMPLE,
    SAMPLE,
    SAVE_WEIGHTS,
    SAVE_WEIGHTS_FOR_SAMPLER,
    SAVE_WEIGHTS_EXTERNAL,
    LOAD_WEIGHTS,
    GET_WEIGHTS_INFO,
    COPY_WEIGHTS,
    RETRIEVE_FUTURE,
    RETRIEVE_FUTURES,
    CANCEL_FUTURE,
    LIST_TRAINING_RUNS,
    GET_TRAINING_RUN,
    LIST_CHECKPOINTS,
    LIST_MODEL_CHECKPOINTS,
    DELETE_CHECKPOINT,
    PUBLISH_CHECKPOINT,
    UNPUBLISH_CHECKPOINT,
    SET_CHECKPOINT_TTL,
    GET_EXTERNAL_WEIGHTS_URLS,
    GET_CHECKPOINT_ARCHIVE_URL,
    GET_CHECKPOINT_ARCHIVE_URL_BY_ID,
    DOWNLOAD_CHECKPOINT_ARCHIVE,
    LIST_USER_CHECKPOINTS,
    LIST_SESSIONS,
    SEARCH_SESSIONS,
    GET_SESSION,
    ASSIGN_SESSION_PROJECT,
    EXPORT_SESSION_TRACE,
    GET_SAMPLER,
    GET_AUDIT_LOG,
    GET_BILLING_USAGE,
    GET_CURRENT_CHECKPOINT_STORAGE_USAGE,
)
