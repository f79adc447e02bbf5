"""tinker-ext: a typed, fast, hard-to-break SDK for the Tinker API. `import tinker_ext as tinker`.

The public surface keeps the official SDK's top-level names (clients, futures, the types cookbook code
uses, the exception tree) so training code written for `tinker` keeps working. Extras: the
`regularizers` library for `TrainingClient.forward_backward_custom`, `resume(service, path_or_run_id)`
and `download_checkpoint(rest_client, tinker_path, output_dir)`.
"""

from __future__ import annotations

import httpx as _httpx

from tinker_ext import auth, lib, regularizers, types
from tinker_ext._checkpoints import CheckpointDownloadError, UnsafeArchiveError, download_checkpoint, resume
from tinker_ext._dispatch import SamplingDispatch
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
from tinker_ext._loss_handle import LossHandle, PerDatumLossFn
from tinker_ext._not_given import NOT_GIVEN, NotGiven
from tinker_ext._rest_client import AdminClient, RestClient
from tinker_ext._retry import RetryPolicy
from tinker_ext._sampling_client import SamplingClient
from tinker_ext._service_client import ServiceClient
from tinker_ext._training_client import TrainingClient
from tinker_ext._warnings import ExperimentalWarning
from tinker_ext.lib.public_interfaces import BackcompatSamplingClientFuture, BackcompatTrainingClientFuture
from tinker_ext.types import (
    AdamOptimizerConfig,
    AdamParams,
    Checkpoint,
    CheckpointType,
    Datum,
    DimuonOptimizerConfig,
    DimuonParams,
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
    OptimParams,
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

# httpx's timeout class, under the official SDK's top-level name (`ServiceClient(timeout=tinker.Timeout(...))`).
Timeout = _httpx.Timeout

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIFuture",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AdamOptimizerConfig",
    "AdamParams",
    "AdminClient",
    "AuthenticationError",
    "BackcompatSamplingClientFuture",
    "BackcompatTrainingClientFuture",
    "BadRequestError",
    "BillingError",
    "Checkpoint",
    "CheckpointDownloadError",
    "CheckpointType",
    "ConflictError",
    "Datum",
    "DimuonOptimizerConfig",
    "DimuonParams",
    "DmelChunk",
    "EncodedTextChunk",
    "ExperimentalWarning",
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
    "LossHandle",
    "ModelID",
    "ModelInput",
    "ModelInputChunk",
    "NotFoundError",
    "NotGiven",
    "OptimParams",
    "OptimStepRequest",
    "OptimStepResponse",
    "ParsedCheckpointTinkerPath",
    "PerDatumLossFn",
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
    "SamplingDispatch",
    "SamplingParams",
    "ServiceClient",
    "StopReason",
    "TensorData",
    "TensorDtype",
    "Timeout",
    "TinkerError",
    "TrainingClient",
    "TrainingRun",
    "UnprocessableEntityError",
    "UnsafeArchiveError",
    "__version__",
    "auth",
    "download_checkpoint",
    "lib",
    "regularizers",
    "resume",
    "types",
]
