# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
"""Contains all the data models used in inputs/outputs.

Names are imported lazily (PEP 562): `from tinker_ext_raw.models import X` imports only X's module.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .access_scope import AccessScope
    from .adam_optimizer_config import AdamOptimizerConfig
    from .adam_params import AdamParams
    from .api_key_info_response import ApiKeyInfoResponse
    from .api_key_info_response_details import ApiKeyInfoResponseDetails
    from .asample_x_tinker_sampling_backpressure import (
        AsampleXTinkerSamplingBackpressure,
    )
    from .assign_session_project_request import AssignSessionProjectRequest
    from .audit_event_type import AuditEventType
    from .audit_log_entry import AuditLogEntry
    from .audit_log_entry_event_details import AuditLogEntryEventDetails
    from .audit_log_response import AuditLogResponse
    from .auth_token_request import AuthTokenRequest
    from .auth_token_response import AuthTokenResponse
    from .billing_usage_event import BillingUsageEvent
    from .billing_usage_response import BillingUsageResponse
    from .billing_usage_session import BillingUsageSession
    from .billing_usage_sessions import BillingUsageSessions
    from .cancel_future_request import CancelFutureRequest
    from .checkpoint import Checkpoint
    from .checkpoint_archive_url_response import CheckpointArchiveUrlResponse
    from .checkpoint_billing_event import CheckpointBillingEvent
    from .checkpoint_kind import CheckpointKind
    from .checkpoint_storage_usage_item import CheckpointStorageUsageItem
    from .checkpoint_type import CheckpointType
    from .checkpoints_list_response import CheckpointsListResponse
    from .client_config_request import ClientConfigRequest
    from .client_config_response import ClientConfigResponse
    from .client_dynamic_config_response import ClientDynamicConfigResponse
    from .client_session_finish_errored import ClientSessionFinishErrored
    from .client_session_finish_interrupted import ClientSessionFinishInterrupted
    from .client_session_finish_success import ClientSessionFinishSuccess
    from .copy_weights_request import CopyWeightsRequest
    from .copy_weights_response import CopyWeightsResponse
    from .create_custom_loss_request import CreateCustomLossRequest
    from .create_custom_loss_response import CreateCustomLossResponse
    from .create_model_request import CreateModelRequest
    from .create_model_response import CreateModelResponse
    from .create_sampling_session_request import CreateSamplingSessionRequest
    from .create_sampling_session_response import CreateSamplingSessionResponse
    from .create_session_request import CreateSessionRequest
    from .create_session_response import CreateSessionResponse
    from .current_checkpoint_storage_usage_response import (
        CurrentCheckpointStorageUsageResponse,
    )
    from .cursor import Cursor
    from .custom_loss_graph import CustomLossGraph
    from .custom_loss_input import CustomLossInput
    from .custom_loss_input_rank import CustomLossInputRank
    from .custom_loss_node import CustomLossNode
    from .custom_loss_node_kwargs import CustomLossNodeKwargs
    from .custom_loss_node_op import CustomLossNodeOp
    from .datum import Datum
    from .dimuon_optimizer_config import DimuonOptimizerConfig
    from .dimuon_params import DimuonParams
    from .dmel_chunk import DmelChunk
    from .empty_response import EmptyResponse
    from .encoded_text_chunk import EncodedTextChunk
    from .error_response import ErrorResponse
    from .event_type import EventType
    from .external_weights_urls_response import ExternalWeightsUrlsResponse
    from .failed_reason_request import FailedReasonRequest
    from .failed_reason_sampling_session import FailedReasonSamplingSession
    from .failed_reason_training_run import FailedReasonTrainingRun
    from .finish_session_request import FinishSessionRequest
    from .forward_backward_input import ForwardBackwardInput
    from .forward_backward_output import ForwardBackwardOutput
    from .forward_backward_request import ForwardBackwardRequest
    from .forward_request import ForwardRequest
    from .future_completed_result import FutureCompletedResult
    from .future_failed import FutureFailed
    from .future_finished import FutureFinished
    from .future_metadata_only_response import FutureMetadataOnlyResponse
    from .future_retrieve_request import FutureRetrieveRequest
    from .futures_retrieve_request import FuturesRetrieveRequest
    from .futures_retrieve_response import FuturesRetrieveResponse
    from .generic_event import GenericEvent
    from .generic_event_event_data import GenericEventEventData
    from .get_billing_usage_request import GetBillingUsageRequest
    from .get_current_checkpoint_storage_usage_request import (
        GetCurrentCheckpointStorageUsageRequest,
    )
    from .get_info_request import GetInfoRequest
    from .get_info_response import GetInfoResponse
    from .get_sampler_response import GetSamplerResponse
    from .get_server_capabilities_response import GetServerCapabilitiesResponse
    from .get_session_response import GetSessionResponse
    from .health_response import HealthResponse
    from .http_validation_error import HTTPValidationError
    from .image_asset_pointer_chunk import ImageAssetPointerChunk
    from .image_chunk import ImageChunk
    from .image_format import ImageFormat
    from .join_sampling_session_request import JoinSamplingSessionRequest
    from .join_sampling_session_response import JoinSamplingSessionResponse
    from .list_sessions_response import ListSessionsResponse
    from .load_weights_request import LoadWeightsRequest
    from .load_weights_response import LoadWeightsResponse
    from .lora_config import LoraConfig
    from .loss_fn_config import LossFnConfig
    from .loss_fn_inputs import LossFnInputs
    from .loss_fn_output import LossFnOutput
    from .loss_fn_type import LossFnType
    from .metrics import Metrics
    from .model_data import ModelData
    from .model_input import ModelInput
    from .optim_step_request import OptimStepRequest
    from .optim_step_response import OptimStepResponse
    from .optimizer_config import OptimizerConfig
    from .optimizer_params import OptimizerParams
    from .prompt_alt_tokens import PromptAltTokens
    from .prompt_provenance_span import PromptProvenanceSpan
    from .queue_state import QueueState
    from .request_error_category import RequestErrorCategory
    from .request_failed_response import RequestFailedResponse
    from .sample_request import SampleRequest
    from .sample_response import SampleResponse
    from .sampled_provenance_span import SampledProvenanceSpan
    from .sampled_sequence import SampledSequence
    from .sampling_client_kind import SamplingClientKind
    from .sampling_params import SamplingParams
    from .sampling_prefill_billing_event import SamplingPrefillBillingEvent
    from .sampling_sample_billing_event import SamplingSampleBillingEvent
    from .sampling_session_futures_target import SamplingSessionFuturesTarget
    from .save_weights_external_request import SaveWeightsExternalRequest
    from .save_weights_external_response import SaveWeightsExternalResponse
    from .save_weights_external_response_internal import (
        SaveWeightsExternalResponseInternal,
    )
    from .save_weights_for_sampler_request import SaveWeightsForSamplerRequest
    from .save_weights_for_sampler_response import SaveWeightsForSamplerResponse
    from .save_weights_for_sampler_response_internal import (
        SaveWeightsForSamplerResponseInternal,
    )
    from .save_weights_request import SaveWeightsRequest
    from .save_weights_response import SaveWeightsResponse
    from .search_owner_accessible import SearchOwnerAccessible
    from .search_owner_own import SearchOwnerOwn
    from .search_owner_user import SearchOwnerUser
    from .session_end_event import SessionEndEvent
    from .session_finish_reason import SessionFinishReason
    from .session_finish_reason_type import SessionFinishReasonType
    from .session_heartbeat_request import SessionHeartbeatRequest
    from .session_heartbeat_response import SessionHeartbeatResponse
    from .session_search_cursor import SessionSearchCursor
    from .session_search_request import SessionSearchRequest
    from .session_search_response import SessionSearchResponse
    from .session_start_event import SessionStartEvent
    from .session_status_active import SessionStatusActive
    from .session_status_cancelled import SessionStatusCancelled
    from .session_status_client_finished import SessionStatusClientFinished
    from .session_status_failed import SessionStatusFailed
    from .session_status_failed_category import SessionStatusFailedCategory
    from .session_status_query_active import SessionStatusQueryActive
    from .session_status_query_cancelled import SessionStatusQueryCancelled
    from .session_status_query_client_finished import SessionStatusQueryClientFinished
    from .session_status_query_failed import SessionStatusQueryFailed
    from .session_summary import SessionSummary
    from .set_checkpoint_ttl_request import SetCheckpointTtlRequest
    from .severity import Severity
    from .stop_reason import StopReason
    from .storage_billing_event import StorageBillingEvent
    from .string_metadata import StringMetadata
    from .supported_model import SupportedModel
    from .telemetry_response import TelemetryResponse
    from .telemetry_send_request import TelemetrySendRequest
    from .tensor_data import TensorData
    from .tensor_dtype import TensorDtype
    from .trace_export_response import TraceExportResponse
    from .trace_export_status import TraceExportStatus
    from .training_billing_event import TrainingBillingEvent
    from .training_run import TrainingRun
    from .training_runs_response import TrainingRunsResponse
    from .try_again_response import TryAgainResponse
    from .unhandled_exception_event import UnhandledExceptionEvent
    from .unload_model_request import UnloadModelRequest
    from .unload_model_response import UnloadModelResponse
    from .untyped_api_future import UntypedAPIFuture
    from .user_metadata import UserMetadata
    from .validation_error_item import ValidationErrorItem
    from .weights_info_request import WeightsInfoRequest
    from .weights_info_response import WeightsInfoResponse
    from .whoami_response import WhoamiResponse

_MODULE_OF: dict[str, str] = {
    "AccessScope": ".access_scope",
    "AdamOptimizerConfig": ".adam_optimizer_config",
    "AdamParams": ".adam_params",
    "ApiKeyInfoResponse": ".api_key_info_response",
    "ApiKeyInfoResponseDetails": ".api_key_info_response_details",
    "AsampleXTinkerSamplingBackpressure": ".asample_x_tinker_sampling_backpressure",
    "AssignSessionProjectRequest": ".assign_session_project_request",
    "AuditEventType": ".audit_event_type",
    "AuditLogEntry": ".audit_log_entry",
    "AuditLogEntryEventDetails": ".audit_log_entry_event_details",
    "AuditLogResponse": ".audit_log_response",
    "AuthTokenRequest": ".auth_token_request",
    "AuthTokenResponse": ".auth_token_response",
    "BillingUsageEvent": ".billing_usage_event",
    "BillingUsageResponse": ".billing_usage_response",
    "BillingUsageSession": ".billing_usage_session",
    "BillingUsageSessions": ".billing_usage_sessions",
    "CancelFutureRequest": ".cancel_future_request",
    "Checkpoint": ".checkpoint",
    "CheckpointArchiveUrlResponse": ".checkpoint_archive_url_response",
    "CheckpointBillingEvent": ".checkpoint_billing_event",
    "CheckpointKind": ".checkpoint_kind",
    "CheckpointStorageUsageItem": ".checkpoint_storage_usage_item",
    "CheckpointType": ".checkpoint_type",
    "CheckpointsListResponse": ".checkpoints_list_response",
    "ClientConfigRequest": ".client_config_request",
    "ClientConfigResponse": ".client_config_response",
    "ClientDynamicConfigResponse": ".client_dynamic_config_response",
    "ClientSessionFinishErrored": ".client_session_finish_errored",
    "ClientSessionFinishInterrupted": ".client_session_finish_interrupted",
    "ClientSessionFinishSuccess": ".client_session_finish_success",
    "CopyWeightsRequest": ".copy_weights_request",
    "CopyWeightsResponse": ".copy_weights_response",
    "CreateCustomLossRequest": ".create_custom_loss_request",
    "CreateCustomLossResponse": ".create_custom_loss_response",
    "CreateModelRequest": ".create_model_request",
    "CreateModelResponse": ".create_model_response",
    "CreateSamplingSessionRequest": ".create_sampling_session_request",
    "CreateSamplingSessionResponse": ".create_sampling_session_response",
    "CreateSessionRequest": ".create_session_request",
    "CreateSessionResponse": ".create_session_response",
    "CurrentCheckpointStorageUsageResponse": ".current_checkpoint_storage_usage_response",
    "Cursor": ".cursor",
    "CustomLossGraph": ".custom_loss_graph",
    "CustomLossInput": ".custom_loss_input",
    "CustomLossInputRank": ".custom_loss_input_rank",
    "CustomLossNode": ".custom_loss_node",
    "CustomLossNodeKwargs": ".custom_loss_node_kwargs",
    "CustomLossNodeOp": ".custom_loss_node_op",
    "Datum": ".datum",
    "DimuonOptimizerConfig": ".dimuon_optimizer_config",
    "DimuonParams": ".dimuon_params",
    "DmelChunk": ".dmel_chunk",
    "EmptyResponse": ".empty_response",
    "EncodedTextChunk": ".encoded_text_chunk",
    "ErrorResponse": ".error_response",
    "EventType": ".event_type",
    "ExternalWeightsUrlsResponse": ".external_weights_urls_response",
    "FailedReasonRequest": ".failed_reason_request",
    "FailedReasonSamplingSession": ".failed_reason_sampling_session",
    "FailedReasonTrainingRun": ".failed_reason_training_run",
    "FinishSessionRequest": ".finish_session_request",
    "ForwardBackwardInput": ".forward_backward_input",
    "ForwardBackwardOutput": ".forward_backward_output",
    "ForwardBackwardRequest": ".forward_backward_request",
    "ForwardRequest": ".forward_request",
    "FutureCompletedResult": ".future_completed_result",
    "FutureFailed": ".future_failed",
    "FutureFinished": ".future_finished",
    "FutureMetadataOnlyResponse": ".future_metadata_only_response",
    "FutureRetrieveRequest": ".future_retrieve_request",
    "FuturesRetrieveRequest": ".futures_retrieve_request",
    "FuturesRetrieveResponse": ".futures_retrieve_response",
    "GenericEvent": ".generic_event",
    "GenericEventEventData": ".generic_event_event_data",
    "GetBillingUsageRequest": ".get_billing_usage_request",
    "GetCurrentCheckpointStorageUsageRequest": ".get_current_checkpoint_storage_usage_request",
    "GetInfoRequest": ".get_info_request",
    "GetInfoResponse": ".get_info_response",
    "GetSamplerResponse": ".get_sampler_response",
    "GetServerCapabilitiesResponse": ".get_server_capabilities_response",
    "GetSessionResponse": ".get_session_response",
    "HealthResponse": ".health_response",
    "HTTPValidationError": ".http_validation_error",
    "ImageAssetPointerChunk": ".image_asset_pointer_chunk",
    "ImageChunk": ".image_chunk",
    "ImageFormat": ".image_format",
    "JoinSamplingSessionRequest": ".join_sampling_session_request",
    "JoinSamplingSessionResponse": ".join_sampling_session_response",
    "ListSessionsResponse": ".list_sessions_response",
    "LoadWeightsRequest": ".load_weights_request",
    "LoadWeightsResponse": ".load_weights_response",
    "LoraConfig": ".lora_config",
    "LossFnConfig": ".loss_fn_config",
    "LossFnInputs": ".loss_fn_inputs",
    "LossFnOutput": ".loss_fn_output",
    "LossFnType": ".loss_fn_type",
    "Metrics": ".metrics",
    "ModelData": ".model_data",
    "ModelInput": ".model_input",
    "OptimStepRequest": ".optim_step_request",
    "OptimStepResponse": ".optim_step_response",
    "OptimizerConfig": ".optimizer_config",
    "OptimizerParams": ".optimizer_params",
    "PromptAltTokens": ".prompt_alt_tokens",
    "PromptProvenanceSpan": ".prompt_provenance_span",
    "QueueState": ".queue_state",
    "RequestErrorCategory": ".request_error_category",
    "RequestFailedResponse": ".request_failed_response",
    "SampleRequest": ".sample_request",
    "SampleResponse": ".sample_response",
    "SampledProvenanceSpan": ".sampled_provenance_span",
    "SampledSequence": ".sampled_sequence",
    "SamplingClientKind": ".sampling_client_kind",
    "SamplingParams": ".sampling_params",
    "SamplingPrefillBillingEvent": ".sampling_prefill_billing_event",
    "SamplingSampleBillingEvent": ".sampling_sample_billing_event",
    "SamplingSessionFuturesTarget": ".sampling_session_futures_target",
    "SaveWeightsExternalRequest": ".save_weights_external_request",
    "SaveWeightsExternalResponse": ".save_weights_external_response",
    "SaveWeightsExternalResponseInternal": ".save_weights_external_response_internal",
    "SaveWeightsForSamplerRequest": ".save_weights_for_sampler_request",
    "SaveWeightsForSamplerResponse": ".save_weights_for_sampler_response",
    "SaveWeightsForSamplerResponseInternal": ".save_weights_for_sampler_response_internal",
    "SaveWeightsRequest": ".save_weights_request",
    "SaveWeightsResponse": ".save_weights_response",
    "SearchOwnerAccessible": ".search_owner_accessible",
    "SearchOwnerOwn": ".search_owner_own",
    "SearchOwnerUser": ".search_owner_user",
    "SessionEndEvent": ".session_end_event",
    "SessionFinishReason": ".session_finish_reason",
    "SessionFinishReasonType": ".session_finish_reason_type",
    "SessionHeartbeatRequest": ".session_heartbeat_request",
    "SessionHeartbeatResponse": ".session_heartbeat_response",
    "SessionSearchCursor": ".session_search_cursor",
    "SessionSearchRequest": ".session_search_request",
    "SessionSearchResponse": ".session_search_response",
    "SessionStartEvent": ".session_start_event",
    "SessionStatusActive": ".session_status_active",
    "SessionStatusCancelled": ".session_status_cancelled",
    "SessionStatusClientFinished": ".session_status_client_finished",
    "SessionStatusFailed": ".session_status_failed",
    "SessionStatusFailedCategory": ".session_status_failed_category",
    "SessionStatusQueryActive": ".session_status_query_active",
    "SessionStatusQueryCancelled": ".session_status_query_cancelled",
    "SessionStatusQueryClientFinished": ".session_status_query_client_finished",
    "SessionStatusQueryFailed": ".session_status_query_failed",
    "SessionSummary": ".session_summary",
    "SetCheckpointTtlRequest": ".set_checkpoint_ttl_request",
    "Severity": ".severity",
    "StopReason": ".stop_reason",
    "StorageBillingEvent": ".storage_billing_event",
    "StringMetadata": ".string_metadata",
    "SupportedModel": ".supported_model",
    "TelemetryResponse": ".telemetry_response",
    "TelemetrySendRequest": ".telemetry_send_request",
    "TensorData": ".tensor_data",
    "TensorDtype": ".tensor_dtype",
    "TraceExportResponse": ".trace_export_response",
    "TraceExportStatus": ".trace_export_status",
    "TrainingBillingEvent": ".training_billing_event",
    "TrainingRun": ".training_run",
    "TrainingRunsResponse": ".training_runs_response",
    "TryAgainResponse": ".try_again_response",
    "UnhandledExceptionEvent": ".unhandled_exception_event",
    "UnloadModelRequest": ".unload_model_request",
    "UnloadModelResponse": ".unload_model_response",
    "UntypedAPIFuture": ".untyped_api_future",
    "UserMetadata": ".user_metadata",
    "ValidationErrorItem": ".validation_error_item",
    "WeightsInfoRequest": ".weights_info_request",
    "WeightsInfoResponse": ".weights_info_response",
    "WhoamiResponse": ".whoami_response",
}

__all__ = (
    "AccessScope",
    "AdamOptimizerConfig",
    "AdamParams",
    "ApiKeyInfoResponse",
    "ApiKeyInfoResponseDetails",
    "AsampleXTinkerSamplingBackpressure",
    "AssignSessionProjectRequest",
    "AuditEventType",
    "AuditLogEntry",
    "AuditLogEntryEventDetails",
    "AuditLogResponse",
    "AuthTokenRequest",
    "AuthTokenResponse",
    "BillingUsageEvent",
    "BillingUsageResponse",
    "BillingUsageSession",
    "BillingUsageSessions",
    "CancelFutureRequest",
    "Checkpoint",
    "CheckpointArchiveUrlResponse",
    "CheckpointBillingEvent",
    "CheckpointKind",
    "CheckpointsListResponse",
    "CheckpointStorageUsageItem",
    "CheckpointType",
    "ClientConfigRequest",
    "ClientConfigResponse",
    "ClientDynamicConfigResponse",
    "ClientSessionFinishErrored",
    "ClientSessionFinishInterrupted",
    "ClientSessionFinishSuccess",
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
    "CurrentCheckpointStorageUsageResponse",
    "Cursor",
    "CustomLossGraph",
    "CustomLossInput",
    "CustomLossInputRank",
    "CustomLossNode",
    "CustomLossNodeKwargs",
    "CustomLossNodeOp",
    "Datum",
    "DimuonOptimizerConfig",
    "DimuonParams",
    "DmelChunk",
    "EmptyResponse",
    "EncodedTextChunk",
    "ErrorResponse",
    "EventType",
    "ExternalWeightsUrlsResponse",
    "FailedReasonRequest",
    "FailedReasonSamplingSession",
    "FailedReasonTrainingRun",
    "FinishSessionRequest",
    "ForwardBackwardInput",
    "ForwardBackwardOutput",
    "ForwardBackwardRequest",
    "ForwardRequest",
    "FutureCompletedResult",
    "FutureFailed",
    "FutureFinished",
    "FutureMetadataOnlyResponse",
    "FutureRetrieveRequest",
    "FuturesRetrieveRequest",
    "FuturesRetrieveResponse",
    "GenericEvent",
    "GenericEventEventData",
    "GetBillingUsageRequest",
    "GetCurrentCheckpointStorageUsageRequest",
    "GetInfoRequest",
    "GetInfoResponse",
    "GetSamplerResponse",
    "GetServerCapabilitiesResponse",
    "GetSessionResponse",
    "HealthResponse",
    "HTTPValidationError",
    "ImageAssetPointerChunk",
    "ImageChunk",
    "ImageFormat",
    "JoinSamplingSessionRequest",
    "JoinSamplingSessionResponse",
    "ListSessionsResponse",
    "LoadWeightsRequest",
    "LoadWeightsResponse",
    "LoraConfig",
    "LossFnConfig",
    "LossFnInputs",
    "LossFnOutput",
    "LossFnType",
    "Metrics",
    "ModelData",
    "ModelInput",
    "OptimizerConfig",
    "OptimizerParams",
    "OptimStepRequest",
    "OptimStepResponse",
    "PromptAltTokens",
    "PromptProvenanceSpan",
    "QueueState",
    "RequestErrorCategory",
    "RequestFailedResponse",
    "SampledProvenanceSpan",
    "SampledSequence",
    "SampleRequest",
    "SampleResponse",
    "SamplingClientKind",
    "SamplingParams",
    "SamplingPrefillBillingEvent",
    "SamplingSampleBillingEvent",
    "SamplingSessionFuturesTarget",
    "SaveWeightsExternalRequest",
    "SaveWeightsExternalResponse",
    "SaveWeightsExternalResponseInternal",
    "SaveWeightsForSamplerRequest",
    "SaveWeightsForSamplerResponse",
    "SaveWeightsForSamplerResponseInternal",
    "SaveWeightsRequest",
    "SaveWeightsResponse",
    "SearchOwnerAccessible",
    "SearchOwnerOwn",
    "SearchOwnerUser",
    "SessionEndEvent",
    "SessionFinishReason",
    "SessionFinishReasonType",
    "SessionHeartbeatRequest",
    "SessionHeartbeatResponse",
    "SessionSearchCursor",
    "SessionSearchRequest",
    "SessionSearchResponse",
    "SessionStartEvent",
    "SessionStatusActive",
    "SessionStatusCancelled",
    "SessionStatusClientFinished",
    "SessionStatusFailed",
    "SessionStatusFailedCategory",
    "SessionStatusQueryActive",
    "SessionStatusQueryCancelled",
    "SessionStatusQueryClientFinished",
    "SessionStatusQueryFailed",
    "SessionSummary",
    "SetCheckpointTtlRequest",
    "Severity",
    "StopReason",
    "StorageBillingEvent",
    "StringMetadata",
    "SupportedModel",
    "TelemetryResponse",
    "TelemetrySendRequest",
    "TensorData",
    "TensorDtype",
    "TraceExportResponse",
    "TraceExportStatus",
    "TrainingBillingEvent",
    "TrainingRun",
    "TrainingRunsResponse",
    "TryAgainResponse",
    "UnhandledExceptionEvent",
    "UnloadModelRequest",
    "UnloadModelResponse",
    "UntypedAPIFuture",
    "UserMetadata",
    "ValidationErrorItem",
    "WeightsInfoRequest",
    "WeightsInfoResponse",
    "WhoamiResponse",
)


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
