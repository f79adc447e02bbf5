"""tinker-ext: a typed, fast, hard-to-break SDK for the Tinker API. `import tinker_ext as tinker`.

The public surface keeps the official SDK's top-level names (clients, futures, the types cookbook code
uses, the exception tree) so training code written for `tinker` keeps working. Extras: the
`regularizers` library for `TrainingClient.forward_backward_custom`, `resume(service, path_or_run_id)`
and `download_checkpoint(rest_client, tinker_path, output_dir)`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what type checkers see; at run time each name is imported on first use (_EXPORTS)
    import httpx as _httpx

    from tinker_ext import auth as auth
    from tinker_ext import lib as lib
    from tinker_ext import regularizers as regularizers
    from tinker_ext import types as types
    from tinker_ext._checkpoints import (
        CheckpointDownloadError as CheckpointDownloadError,
    )
    from tinker_ext._checkpoints import (
        UnsafeArchiveError as UnsafeArchiveError,
    )
    from tinker_ext._checkpoints import (
        download_checkpoint as download_checkpoint,
    )
    from tinker_ext._checkpoints import (
        resume as resume,
    )
    from tinker_ext._dispatch import SamplingDispatch as SamplingDispatch
    from tinker_ext._exceptions import (
        APIConnectionError as APIConnectionError,
    )
    from tinker_ext._exceptions import (
        APIError as APIError,
    )
    from tinker_ext._exceptions import (
        APIResponseValidationError as APIResponseValidationError,
    )
    from tinker_ext._exceptions import (
        APIStatusError as APIStatusError,
    )
    from tinker_ext._exceptions import (
        APITimeoutError as APITimeoutError,
    )
    from tinker_ext._exceptions import (
        AuthenticationError as AuthenticationError,
    )
    from tinker_ext._exceptions import (
        BadRequestError as BadRequestError,
    )
    from tinker_ext._exceptions import (
        BillingError as BillingError,
    )
    from tinker_ext._exceptions import (
        ConflictError as ConflictError,
    )
    from tinker_ext._exceptions import (
        FutureTimeoutError as FutureTimeoutError,
    )
    from tinker_ext._exceptions import (
        InternalServerError as InternalServerError,
    )
    from tinker_ext._exceptions import (
        InvalidInputError as InvalidInputError,
    )
    from tinker_ext._exceptions import (
        LimitExceededError as LimitExceededError,
    )
    from tinker_ext._exceptions import (
        NameConflictError as NameConflictError,
    )
    from tinker_ext._exceptions import (
        NotFoundError as NotFoundError,
    )
    from tinker_ext._exceptions import (
        PermissionDeniedError as PermissionDeniedError,
    )
    from tinker_ext._exceptions import (
        PromiseExpiredError as PromiseExpiredError,
    )
    from tinker_ext._exceptions import (
        RateLimitError as RateLimitError,
    )
    from tinker_ext._exceptions import (
        RedirectError as RedirectError,
    )
    from tinker_ext._exceptions import (
        RequestFailedError as RequestFailedError,
    )
    from tinker_ext._exceptions import (
        ServerDeviationError as ServerDeviationError,
    )
    from tinker_ext._exceptions import (
        TinkerError as TinkerError,
    )
    from tinker_ext._exceptions import (
        UnprocessableEntityError as UnprocessableEntityError,
    )
    from tinker_ext._futures import APIFuture as APIFuture
    from tinker_ext._futures import QueueStateChange as QueueStateChange
    from tinker_ext._limits import Limits as Limits
    from tinker_ext._loss_handle import LossHandle as LossHandle
    from tinker_ext._loss_handle import PerDatumLossFn as PerDatumLossFn
    from tinker_ext._not_given import NOT_GIVEN as NOT_GIVEN
    from tinker_ext._not_given import NotGiven as NotGiven
    from tinker_ext._rest_client import AdminClient as AdminClient
    from tinker_ext._rest_client import RestClient as RestClient
    from tinker_ext._retry import RetryPolicy as RetryPolicy
    from tinker_ext._sampling_client import SamplingClient as SamplingClient
    from tinker_ext._service_client import ServiceClient as ServiceClient
    from tinker_ext._training_client import TrainingClient as TrainingClient
    from tinker_ext._warnings import ExperimentalWarning as ExperimentalWarning
    from tinker_ext.lib.public_interfaces import (
        BackcompatSamplingClientFuture as BackcompatSamplingClientFuture,
    )
    from tinker_ext.lib.public_interfaces import (
        BackcompatTrainingClientFuture as BackcompatTrainingClientFuture,
    )
    from tinker_ext.types import (
        AdamOptimizerConfig as AdamOptimizerConfig,
    )
    from tinker_ext.types import (
        AdamParams as AdamParams,
    )
    from tinker_ext.types import (
        Checkpoint as Checkpoint,
    )
    from tinker_ext.types import (
        CheckpointType as CheckpointType,
    )
    from tinker_ext.types import (
        Datum as Datum,
    )
    from tinker_ext.types import (
        DimuonOptimizerConfig as DimuonOptimizerConfig,
    )
    from tinker_ext.types import (
        DimuonParams as DimuonParams,
    )
    from tinker_ext.types import (
        DmelChunk as DmelChunk,
    )
    from tinker_ext.types import (
        EncodedTextChunk as EncodedTextChunk,
    )
    from tinker_ext.types import (
        ForwardBackwardOutput as ForwardBackwardOutput,
    )
    from tinker_ext.types import (
        ImageAssetPointerChunk as ImageAssetPointerChunk,
    )
    from tinker_ext.types import (
        ImageChunk as ImageChunk,
    )
    from tinker_ext.types import (
        LoraConfig as LoraConfig,
    )
    from tinker_ext.types import (
        LossFnType as LossFnType,
    )
    from tinker_ext.types import (
        ModelID as ModelID,
    )
    from tinker_ext.types import (
        ModelInput as ModelInput,
    )
    from tinker_ext.types import (
        ModelInputChunk as ModelInputChunk,
    )
    from tinker_ext.types import (
        OptimParams as OptimParams,
    )
    from tinker_ext.types import (
        OptimStepRequest as OptimStepRequest,
    )
    from tinker_ext.types import (
        OptimStepResponse as OptimStepResponse,
    )
    from tinker_ext.types import (
        ParsedCheckpointTinkerPath as ParsedCheckpointTinkerPath,
    )
    from tinker_ext.types import (
        PromptProvenanceSpan as PromptProvenanceSpan,
    )
    from tinker_ext.types import (
        RequestErrorCategory as RequestErrorCategory,
    )
    from tinker_ext.types import (
        SampledProvenanceSpan as SampledProvenanceSpan,
    )
    from tinker_ext.types import (
        SampledSequence as SampledSequence,
    )
    from tinker_ext.types import (
        SampleRequest as SampleRequest,
    )
    from tinker_ext.types import (
        SampleResponse as SampleResponse,
    )
    from tinker_ext.types import (
        SamplingParams as SamplingParams,
    )
    from tinker_ext.types import (
        StopReason as StopReason,
    )
    from tinker_ext.types import (
        TensorData as TensorData,
    )
    from tinker_ext.types import (
        TensorDtype as TensorDtype,
    )
    from tinker_ext.types import (
        TrainingRun as TrainingRun,
    )

    Timeout = _httpx.Timeout

__version__ = "0.1.0"

# name -> (module, attribute in it; None for a submodule). Importing tinker_ext imports nothing else, so the
# generated public types can import tinker_ext._behaviour without hitting a half-initialised package, and
# `import tinker_ext` costs only what is used. tests/unit/test_lazy_exports.py checks this table against the
# TYPE_CHECKING imports above.
_EXPORTS: dict[str, tuple[str, str | None]] = {
    "auth": ("tinker_ext.auth", None),
    "lib": ("tinker_ext.lib", None),
    "regularizers": ("tinker_ext.regularizers", None),
    "types": ("tinker_ext.types", None),
    "CheckpointDownloadError": ("tinker_ext._checkpoints", "CheckpointDownloadError"),
    "UnsafeArchiveError": ("tinker_ext._checkpoints", "UnsafeArchiveError"),
    "download_checkpoint": ("tinker_ext._checkpoints", "download_checkpoint"),
    "resume": ("tinker_ext._checkpoints", "resume"),
    "APIConnectionError": ("tinker_ext._exceptions", "APIConnectionError"),
    "APIError": ("tinker_ext._exceptions", "APIError"),
    "APIResponseValidationError": ("tinker_ext._exceptions", "APIResponseValidationError"),
    "APIStatusError": ("tinker_ext._exceptions", "APIStatusError"),
    "APITimeoutError": ("tinker_ext._exceptions", "APITimeoutError"),
    "AuthenticationError": ("tinker_ext._exceptions", "AuthenticationError"),
    "BadRequestError": ("tinker_ext._exceptions", "BadRequestError"),
    "BillingError": ("tinker_ext._exceptions", "BillingError"),
    "ConflictError": ("tinker_ext._exceptions", "ConflictError"),
    "FutureTimeoutError": ("tinker_ext._exceptions", "FutureTimeoutError"),
    "ServerDeviationError": ("tinker_ext._exceptions", "ServerDeviationError"),
    "InternalServerError": ("tinker_ext._exceptions", "InternalServerError"),
    "InvalidInputError": ("tinker_ext._exceptions", "InvalidInputError"),
    "LimitExceededError": ("tinker_ext._exceptions", "LimitExceededError"),
    "NameConflictError": ("tinker_ext._exceptions", "NameConflictError"),
    "NotFoundError": ("tinker_ext._exceptions", "NotFoundError"),
    "PermissionDeniedError": ("tinker_ext._exceptions", "PermissionDeniedError"),
    "PromiseExpiredError": ("tinker_ext._exceptions", "PromiseExpiredError"),
    "RateLimitError": ("tinker_ext._exceptions", "RateLimitError"),
    "RedirectError": ("tinker_ext._exceptions", "RedirectError"),
    "RequestErrorCategory": ("tinker_ext.types", "RequestErrorCategory"),
    "RequestFailedError": ("tinker_ext._exceptions", "RequestFailedError"),
    "TinkerError": ("tinker_ext._exceptions", "TinkerError"),
    "UnprocessableEntityError": ("tinker_ext._exceptions", "UnprocessableEntityError"),
    "SamplingDispatch": ("tinker_ext._dispatch", "SamplingDispatch"),
    "APIFuture": ("tinker_ext._futures", "APIFuture"),
    "QueueStateChange": ("tinker_ext._futures", "QueueStateChange"),
    "Limits": ("tinker_ext._limits", "Limits"),
    "LossHandle": ("tinker_ext._loss_handle", "LossHandle"),
    "PerDatumLossFn": ("tinker_ext._loss_handle", "PerDatumLossFn"),
    "NOT_GIVEN": ("tinker_ext._not_given", "NOT_GIVEN"),
    "NotGiven": ("tinker_ext._not_given", "NotGiven"),
    "AdminClient": ("tinker_ext._rest_client", "AdminClient"),
    "RestClient": ("tinker_ext._rest_client", "RestClient"),
    "RetryPolicy": ("tinker_ext._retry", "RetryPolicy"),
    "SamplingClient": ("tinker_ext._sampling_client", "SamplingClient"),
    "ServiceClient": ("tinker_ext._service_client", "ServiceClient"),
    "TrainingClient": ("tinker_ext._training_client", "TrainingClient"),
    "ExperimentalWarning": ("tinker_ext._warnings", "ExperimentalWarning"),
    "BackcompatSamplingClientFuture": ("tinker_ext.lib.public_interfaces", "BackcompatSamplingClientFuture"),
    "BackcompatTrainingClientFuture": ("tinker_ext.lib.public_interfaces", "BackcompatTrainingClientFuture"),
    "AdamOptimizerConfig": ("tinker_ext.types", "AdamOptimizerConfig"),
    "AdamParams": ("tinker_ext.types", "AdamParams"),
    "Checkpoint": ("tinker_ext.types", "Checkpoint"),
    "CheckpointType": ("tinker_ext.types", "CheckpointType"),
    "Datum": ("tinker_ext.types", "Datum"),
    "DimuonOptimizerConfig": ("tinker_ext.types", "DimuonOptimizerConfig"),
    "DimuonParams": ("tinker_ext.types", "DimuonParams"),
    "DmelChunk": ("tinker_ext.types", "DmelChunk"),
    "EncodedTextChunk": ("tinker_ext.types", "EncodedTextChunk"),
    "ForwardBackwardOutput": ("tinker_ext.types", "ForwardBackwardOutput"),
    "ImageAssetPointerChunk": ("tinker_ext.types", "ImageAssetPointerChunk"),
    "ImageChunk": ("tinker_ext.types", "ImageChunk"),
    "LoraConfig": ("tinker_ext.types", "LoraConfig"),
    "LossFnType": ("tinker_ext.types", "LossFnType"),
    "ModelID": ("tinker_ext.types", "ModelID"),
    "ModelInput": ("tinker_ext.types", "ModelInput"),
    "ModelInputChunk": ("tinker_ext.types", "ModelInputChunk"),
    "OptimParams": ("tinker_ext.types", "OptimParams"),
    "OptimStepRequest": ("tinker_ext.types", "OptimStepRequest"),
    "OptimStepResponse": ("tinker_ext.types", "OptimStepResponse"),
    "ParsedCheckpointTinkerPath": ("tinker_ext.types", "ParsedCheckpointTinkerPath"),
    "PromptProvenanceSpan": ("tinker_ext.types", "PromptProvenanceSpan"),
    "SampledProvenanceSpan": ("tinker_ext.types", "SampledProvenanceSpan"),
    "SampledSequence": ("tinker_ext.types", "SampledSequence"),
    "SampleRequest": ("tinker_ext.types", "SampleRequest"),
    "SampleResponse": ("tinker_ext.types", "SampleResponse"),
    "SamplingParams": ("tinker_ext.types", "SamplingParams"),
    "StopReason": ("tinker_ext.types", "StopReason"),
    "TensorData": ("tinker_ext.types", "TensorData"),
    "TensorDtype": ("tinker_ext.types", "TensorDtype"),
    "TrainingRun": ("tinker_ext.types", "TrainingRun"),
}

__all__ = sorted([*_EXPORTS, "Timeout", "__version__"])


def __getattr__(name: str) -> Any:
    if name == "Timeout":  # httpx's timeout class, under the official SDK's top-level name
        import httpx

        value: Any = httpx.Timeout
    elif name in _EXPORTS:
        module, attribute = _EXPORTS[name]
        value = importlib.import_module(module)
        if attribute is not None:
            value = getattr(value, attribute)
    else:
        raise AttributeError(f"module 'tinker_ext' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
