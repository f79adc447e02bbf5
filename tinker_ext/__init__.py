"""tinker-ext: a typed, fast, hard-to-break SDK for the Tinker API. `import tinker_ext as tinker`.

The public surface keeps the official SDK's top-level names (clients, futures, the types cookbook code
uses, the exception tree) so training code written for `tinker` keeps working. Extras: the
`regularizers` library for `TrainingClient.forward_backward_custom`, `resume(service, path_or_run_id)`,
`download_checkpoint(rest_client, tinker_path, output_dir)` and `doctor()` (a preflight of the server,
key and base model: a `DoctorReport`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # THE list of public names: type checkers read it, and so does _exports() below
    from httpx import Timeout as Timeout

    from tinker_ext import auth as auth
    from tinker_ext import lib as lib
    from tinker_ext import regularizers as regularizers
    from tinker_ext import types as types
    from tinker_ext._core.exceptions import APIConnectionError as APIConnectionError
    from tinker_ext._core.exceptions import APIError as APIError
    from tinker_ext._core.exceptions import APIResponseValidationError as APIResponseValidationError
    from tinker_ext._core.exceptions import APIStatusError as APIStatusError
    from tinker_ext._core.exceptions import APITimeoutError as APITimeoutError
    from tinker_ext._core.exceptions import AuthenticationError as AuthenticationError
    from tinker_ext._core.exceptions import BadRequestError as BadRequestError
    from tinker_ext._core.exceptions import BillingError as BillingError
    from tinker_ext._core.exceptions import ConflictError as ConflictError
    from tinker_ext._core.exceptions import FutureTimeoutError as FutureTimeoutError
    from tinker_ext._core.exceptions import InternalServerError as InternalServerError
    from tinker_ext._core.exceptions import InvalidInputError as InvalidInputError
    from tinker_ext._core.exceptions import LimitExceededError as LimitExceededError
    from tinker_ext._core.exceptions import NameConflictError as NameConflictError
    from tinker_ext._core.exceptions import NotFoundError as NotFoundError
    from tinker_ext._core.exceptions import PermissionDeniedError as PermissionDeniedError
    from tinker_ext._core.exceptions import PromiseExpiredError as PromiseExpiredError
    from tinker_ext._core.exceptions import RateLimitError as RateLimitError
    from tinker_ext._core.exceptions import RecoveryFailedError as RecoveryFailedError
    from tinker_ext._core.exceptions import RedirectError as RedirectError
    from tinker_ext._core.exceptions import RequestFailedError as RequestFailedError
    from tinker_ext._core.exceptions import ServerDeviationError as ServerDeviationError
    from tinker_ext._core.exceptions import TinkerError as TinkerError
    from tinker_ext._core.exceptions import UnprocessableEntityError as UnprocessableEntityError
    from tinker_ext._core.not_given import NOT_GIVEN as NOT_GIVEN
    from tinker_ext._core.not_given import NotGiven as NotGiven
    from tinker_ext._core.warnings import ExperimentalWarning as ExperimentalWarning
    from tinker_ext._doctor.report import CheckStatus as CheckStatus
    from tinker_ext._doctor.report import DoctorCheck as DoctorCheck
    from tinker_ext._doctor.report import DoctorReport as DoctorReport
    from tinker_ext._doctor.run import doctor as doctor
    from tinker_ext._observe.metrics import MetricsSnapshot as MetricsSnapshot
    from tinker_ext._observe.raw import APIResponse as APIResponse
    from tinker_ext._observe.raw import AsyncAPIResponse as AsyncAPIResponse
    from tinker_ext._rest.admin_client import AdminClient as AdminClient
    from tinker_ext._rest.checkpoints import CheckpointDownloadError as CheckpointDownloadError
    from tinker_ext._rest.checkpoints import UnsafeArchiveError as UnsafeArchiveError
    from tinker_ext._rest.checkpoints import download_checkpoint as download_checkpoint
    from tinker_ext._rest.checkpoints import resume as resume
    from tinker_ext._rest.client import RestClient as RestClient
    from tinker_ext._sampling.client import SamplingClient as SamplingClient
    from tinker_ext._service.client import ServiceClient as ServiceClient
    from tinker_ext._session.futures import APIFuture as APIFuture
    from tinker_ext._session.polling import QueueStateChange as QueueStateChange
    from tinker_ext._session.sample_dispatch import SamplingDispatch as SamplingDispatch
    from tinker_ext._training.client import TrainingClient as TrainingClient
    from tinker_ext._training.loss_handle import LossHandle as LossHandle
    from tinker_ext._training.loss_handle import PerDatumLossFn as PerDatumLossFn
    from tinker_ext._training.recovery import RecoveringTrainingClient as RecoveringTrainingClient
    from tinker_ext._training.recovery_policy import RecoveryCounters as RecoveryCounters
    from tinker_ext._training.recovery_policy import RecoveryPolicy as RecoveryPolicy
    from tinker_ext._wire.limits import Limits as Limits
    from tinker_ext._wire.retry import RetryPolicy as RetryPolicy
    from tinker_ext.lib.public_interfaces import (
        BackcompatSamplingClientFuture as BackcompatSamplingClientFuture,
    )
    from tinker_ext.lib.public_interfaces import (
        BackcompatTrainingClientFuture as BackcompatTrainingClientFuture,
    )
    from tinker_ext.types import AdamOptimizerConfig as AdamOptimizerConfig
    from tinker_ext.types import AdamParams as AdamParams
    from tinker_ext.types import Checkpoint as Checkpoint
    from tinker_ext.types import CheckpointType as CheckpointType
    from tinker_ext.types import Datum as Datum
    from tinker_ext.types import DimuonOptimizerConfig as DimuonOptimizerConfig
    from tinker_ext.types import DimuonParams as DimuonParams
    from tinker_ext.types import DmelChunk as DmelChunk
    from tinker_ext.types import EncodedTextChunk as EncodedTextChunk
    from tinker_ext.types import ForwardBackwardOutput as ForwardBackwardOutput
    from tinker_ext.types import ImageAssetPointerChunk as ImageAssetPointerChunk
    from tinker_ext.types import ImageChunk as ImageChunk
    from tinker_ext.types import LoraConfig as LoraConfig
    from tinker_ext.types import LossFnType as LossFnType
    from tinker_ext.types import ModelID as ModelID
    from tinker_ext.types import ModelInput as ModelInput
    from tinker_ext.types import ModelInputChunk as ModelInputChunk
    from tinker_ext.types import OptimParams as OptimParams
    from tinker_ext.types import OptimStepRequest as OptimStepRequest
    from tinker_ext.types import OptimStepResponse as OptimStepResponse
    from tinker_ext.types import ParsedCheckpointTinkerPath as ParsedCheckpointTinkerPath
    from tinker_ext.types import PromptProvenanceSpan as PromptProvenanceSpan
    from tinker_ext.types import RequestErrorCategory as RequestErrorCategory
    from tinker_ext.types import SampledProvenanceSpan as SampledProvenanceSpan
    from tinker_ext.types import SampledSequence as SampledSequence
    from tinker_ext.types import SampleRequest as SampleRequest
    from tinker_ext.types import SampleResponse as SampleResponse
    from tinker_ext.types import SamplingParams as SamplingParams
    from tinker_ext.types import StopReason as StopReason
    from tinker_ext.types import TensorData as TensorData
    from tinker_ext.types import TensorDtype as TensorDtype
    from tinker_ext.types import TrainingRun as TrainingRun

__version__ = "0.1.0"

# httpx's command-line tool (click, rich: ~50 ms) is loaded when used, not with httpx (_core/httpx_cli.py).
from tinker_ext._core import httpx_cli as _httpx_cli

_httpx_cli.defer()

# Every public name is written once, in the TYPE_CHECKING block above: mypy sees each with its type, and at run
# time `_exports()` reads the same block (on the first public name used, never at `import tinker_ext`) into
# name -> (module, attribute; None for a submodule). Importing tinker_ext imports nothing else, so the
# generated public types can import tinker_ext._types without hitting a half-initialised package, and
# `import tinker_ext` costs only what is used. A second, hand-kept runtime table would drift from the first.
_export_table: dict[str, tuple[str, str | None]] | None = None


def _exports() -> dict[str, tuple[str, str | None]]:
    global _export_table
    if _export_table is None:
        import ast

        with open(__file__, encoding="utf-8") as source:
            tree = ast.parse(source.read())
        block = next(n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING")
        table: dict[str, tuple[str, str | None]] = {}
        for node in block.body:  # `from M import N as N` statements only (ruff's isort keeps one name each)
            if not (isinstance(node, ast.ImportFrom) and node.module):
                raise ImportError(f"tinker_ext/__init__.py line {node.lineno}: not `from M import N as N`")
            for alias in node.names:
                submodule = node.module == "tinker_ext"
                table[alias.asname or alias.name] = (
                    (f"tinker_ext.{alias.name}", None) if submodule else (node.module, alias.name)
                )
        _export_table = table
    return _export_table


def __getattr__(name: str) -> Any:
    if name == "__all__":
        value: Any = sorted([*_exports(), "__version__"])
    elif name in _exports():
        module, attribute = _exports()[name]
        value = importlib.import_module(module)
        if attribute is not None:
            value = getattr(value, attribute)
    else:
        raise AttributeError(f"module 'tinker_ext' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_exports(), "__all__"})
