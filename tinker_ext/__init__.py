"""tinker-ext: a typed, fast, hard-to-break SDK for the Tinker API. `import tinker_ext as tinker`.

The public surface keeps the official SDK's top-level names (clients, futures, the types cookbook code
uses, the exception tree) so training code written for `tinker` keeps working. Extras: the
`regularizers` library for `TrainingClient.forward_backward_custom`, `resume(service, path_or_run_id)`
and `download_checkpoint(rest_client, tinker_path, output_dir)`.
"""

from __future__ import annotations

from tinker_ext import regularizers, types
from tinker_ext._checkpoints import CheckpointDownloadError, UnsafeArchiveError, download_checkpoint, resume
from tinker_ext._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    BillingError,
    ConflictError,
    FutureTimeoutError,
    InternalServerError,
    InvalidInputError,
    LimitExceededError,
    NotFoundError,
    PermissionDeniedError,
    PromiseExpiredError,
    RateLimitError,
    RedirectError,
    RequestErrorCategory,
    RequestFailedError,
    TinkerError,
    UnprocessableEntityError,
)
from tinker_ext._futures import APIFuture, QueueStateChange
from tinker_ext._limits import Limits
from tinker_ext._not_given import NOT_GIVEN, NotGiven
from tinker_ext._rest_client import AdminClient, RestClient
from tinker_ext._retry import RetryPolicy
from tinker_ext._sampling_client import SamplingClient
from tinker_ext._service_client import ServiceClient
from tinker_ext._training_client import TrainingClient
from tinker_ext.types import (
    AdamParams,
    Checkpoint,
    CheckpointType,
    Datum,
    DmelChunk,
    EncodedTextChunk,
    ForwardBackwardOutput,
    ImageAssetPointerChunk,
    ImageChunk,
    LoraConfig,
    LossFnType,
    ModelID,
    ModelInput,
    ModelInputChunk,
    OptimStepRequest,
    OptimStepResponse,
    ParsedCheckpointTinkerPath,
    PromptProvenanceSpan,
    SampledProvenanceSpan,
    SampledSequence,
    SampleRequest,
    SampleResponse,
    SamplingParams,
    StopReason,
    TensorData,
    TensorDtype,
    TrainingRun,
)

__version__ = "0.1.0"

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIFuture",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AdamParams",
    "AdminClient",
    "AuthenticationError",
    "BadRequestError",
    "BillingError",
    "Checkpoint",
    "CheckpointDownloadError",
    "CheckpointType",
    "ConflictError",
    "Datum",
    "DmelChunk",
    "EncodedTextChunk",
    "ForwardBackwardOutput",
    "FutureTimeoutError",
    "ImageAssetPointerChunk",
    "ImageChunk",
    "InternalServerError",
    "InvalidInputError",
    "LimitExceededError",
    "Limits",
    "LoraConfig",
    "LossFnType",
    "ModelID",
    "ModelInput",
    "ModelInputChunk",
    "NotFoundError",
    "NotGiven",
    "OptimStepRequest",
    "OptimStepResponse",
    "ParsedCheckpointTinkerPath",
    "PermissionDeniedError",
    "PromiseExpiredError",
    "PromptProvenanceSpan",
    "QueueStateChange",
    "RateLimitError",
    "RedirectError",
    "RequestErrorCategory",
    "RequestFailedError",
    "RestClient",
    "RetryPolicy",
    "SampleRequest",
    "SampleResponse",
    "SampledProvenanceSpan",
    "SampledSequence",
    "SamplingClient",
    "SamplingParams",
    "ServiceClient",
    "StopReason",
    "TensorData",
    "TensorDtype",
    "TinkerError",
    "TrainingClient",
    "TrainingRun",
    "UnprocessableEntityError",
    "UnsafeArchiveError",
    "__version__",
    "download_checkpoint",
    "regularizers",
    "resume",
    "types",
]
