"""Public data types of tinker-ext, with the official SDK's names and JSON wire shapes.

Every wire type has `to_json()` (the exact dict the official SDK sends: None fields omitted,
non-None defaults and `type` discriminators included); response types also have
`from_json(data)` (unknown keys ignored; a missing required key raises `ResponseFormatError`).
"""

from __future__ import annotations

from ._wire import ResponseFormatError
from .checkpoint_path import ParsedCheckpointTinkerPath
from .datum import LOSS_FN_INPUT_DTYPES, Datum, LossFnInputs, coerce_loss_fn_input
from .futures import (
    FutureRetrieveRequest,
    QueueState,
    RequestErrorCategory,
    RequestFailedResponse,
    TryAgainResponse,
    UntypedAPIFuture,
)
from .loss import (
    LOSS_FN_TYPES,
    LossFnConfig,
    LossFnType,
    check_loss_fn_type,
    is_loss_fn_type,
    validate_forward_backward_input,
)
from .model_input import (
    DmelChunk,
    EncodedTextChunk,
    ImageAssetPointerChunk,
    ImageChunk,
    ImageFormat,
    ModelInput,
    ModelInputChunk,
    chunk_from_json,
)
from .optim import AdamParams, OptimStepRequest, OptimStepResponse
from .outputs import (
    ForwardBackwardInput,
    ForwardBackwardOutput,
    ForwardBackwardRequest,
    ForwardRequest,
    LossFnOutput,
)
from .rest import (
    Checkpoint,
    CheckpointsListResponse,
    CheckpointType,
    Cursor,
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
from .sampling import SampledSequence, SampleRequest, SampleResponse, SamplingParams, StopReason
from .session import (
    ClientConfigRequest,
    ClientConfigResponse,
    CreateSamplingSessionRequest,
    CreateSamplingSessionResponse,
    CreateSessionRequest,
    CreateSessionResponse,
    SessionHeartbeatRequest,
    SessionHeartbeatResponse,
)
from .tensor_data import TensorData
from .tensor_dtype import TensorDtype
from .training import (
    CreateModelRequest,
    CreateModelResponse,
    GetInfoRequest,
    GetInfoResponse,
    LoadWeightsRequest,
    LoadWeightsResponse,
    LoraConfig,
    ModelData,
    SaveWeightsForSamplerRequest,
    SaveWeightsForSamplerResponse,
    SaveWeightsForSamplerResponseInternal,
    SaveWeightsRequest,
    SaveWeightsResponse,
    UnloadModelRequest,
    UnloadModelResponse,
)

ModelID = str
RequestID = str

__all__ = [
    "LOSS_FN_INPUT_DTYPES",
    "LOSS_FN_TYPES",
    "AdamParams",
    "Checkpoint",
    "CheckpointType",
    "CheckpointsListResponse",
    "ClientConfigRequest",
    "ClientConfigResponse",
    "CreateModelRequest",
    "CreateModelResponse",
    "CreateSamplingSessionRequest",
    "CreateSamplingSessionResponse",
    "CreateSessionRequest",
    "CreateSessionResponse",
    "Cursor",
    "Datum",
    "DmelChunk",
    "EncodedTextChunk",
    "ForwardBackwardInput",
    "ForwardBackwardOutput",
    "ForwardBackwardRequest",
    "ForwardRequest",
    "FutureRetrieveRequest",
    "GetInfoRequest",
    "GetInfoResponse",
    "GetSamplerResponse",
    "GetServerCapabilitiesResponse",
    "GetSessionResponse",
    "HealthResponse",
    "ImageAssetPointerChunk",
    "ImageChunk",
    "ImageFormat",
    "ListSessionsResponse",
    "LoadWeightsRequest",
    "LoadWeightsResponse",
    "LoraConfig",
    "LossFnConfig",
    "LossFnInputs",
    "LossFnOutput",
    "LossFnType",
    "ModelData",
    "ModelID",
    "ModelInput",
    "ModelInputChunk",
    "OptimStepRequest",
    "OptimStepResponse",
    "ParsedCheckpointTinkerPath",
    "QueueState",
    "RequestErrorCategory",
    "RequestFailedResponse",
    "RequestID",
    "ResponseFormatError",
    "SampleRequest",
    "SampleResponse",
    "SampledSequence",
    "SamplingParams",
    "SaveWeightsForSamplerRequest",
    "SaveWeightsForSamplerResponse",
    "SaveWeightsForSamplerResponseInternal",
    "SaveWeightsRequest",
    "SaveWeightsResponse",
    "SessionHeartbeatRequest",
    "SessionHeartbeatResponse",
    "StopReason",
    "SupportedModel",
    "TensorData",
    "TensorDtype",
    "TrainingRun",
    "TrainingRunsResponse",
    "TryAgainResponse",
    "UnloadModelRequest",
    "UnloadModelResponse",
    "UntypedAPIFuture",
    "WeightsInfoResponse",
    "WhoamiResponse",
    "check_loss_fn_type",
    "chunk_from_json",
    "coerce_loss_fn_input",
    "is_loss_fn_type",
    "validate_forward_backward_input",
]
