"""Every name cookbook-style code touches resolves on `tinker_ext` / `tinker_ext.types` (docs/PROTOCOL.md,
The 0.38 surface), to the same objects in both places."""

from __future__ import annotations

import inspect

import pytest

import tinker_ext as tinker
import tinker_ext.types as types
from tinker_ext.types.tensor_data import TensorData as TensorDataFromModule

CLIENTS = ["ServiceClient", "TrainingClient", "SamplingClient", "RestClient", "APIFuture"]
TYPES = [
    "AdamParams",
    "Checkpoint",
    "CheckpointType",
    "Datum",
    "DmelChunk",
    "EncodedTextChunk",
    "ForwardBackwardOutput",
    "ImageAssetPointerChunk",
    "ImageChunk",
    "LoraConfig",
    "LossFnType",
    "ModelID",
    "ModelInput",
    "ModelInputChunk",
    "OptimStepRequest",
    "OptimStepResponse",
    "ParsedCheckpointTinkerPath",
    "PromptProvenanceSpan",
    "SampledProvenanceSpan",
    "SampledSequence",
    "SampleRequest",
    "SampleResponse",
    "SamplingParams",
    "StopReason",
    "TensorData",
    "TensorDtype",
    "TrainingRun",
]
EXCEPTIONS = [
    "TinkerError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "APIConnectionError",
    "APIResponseValidationError",
    "BadRequestError",
    "AuthenticationError",
    "BillingError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "UnprocessableEntityError",
    "RateLimitError",
    "InternalServerError",
    "RequestFailedError",
]
# `tinker.types.X` uses in cookbook code
TYPES_MODULE = [
    "EncodedTextChunk",
    "ModelInput",
    "SamplingParams",
    "Datum",
    "ImageChunk",
    "SampleResponse",
    "ModelInputChunk",
    "PromptProvenanceSpan",
    "SampledProvenanceSpan",
    "ImageAssetPointerChunk",
    "AdamParams",
    "LossFnType",
    "TensorData",
    "AuditLogEntry",
    "AuditLogResponse",
    "ExternalWeightsUrlsResponse",
]
# (object, attributes cookbook code reads or calls on it)
MEMBERS = [
    ("ModelInput", ["empty", "from_ints", "to_ints", "append_int", "length", "chunks"]),
    ("TensorData", ["from_torch", "to_torch", "from_numpy", "from_torch_sparse", "tolist"]),
    ("Datum", ["with_provenance"]),
    ("ParsedCheckpointTinkerPath", ["from_tinker_path"]),
    (
        "ServiceClient",
        [
            "create_sampling_client",
            "close",
            "create_lora_training_client",
            "create_training_client_from_state",
            "create_training_client_from_state_with_optimizer",
            "create_rest_client",
            "__enter__",
            "__exit__",
        ],
    ),
    (
        "TrainingClient",
        [
            "optim_step",
            "forward_backward",
            "forward",
            "forward_backward_custom",
            "save_weights_and_get_sampling_client",
            "create_sampling_client",
            "get_tokenizer",
            "save_state",
            "save_weights_for_sampler",
            "load_state",
            "load_state_with_optimizer",
            # the 0.38 future styles on a created client
            "result",
            "result_async",
            "coroutine",
            "future",
            "__await__",
        ],
    ),
    (
        "SamplingClient",
        ["sample", "compute_logprobs", "get_tokenizer", "get_base_model", "result", "__await__"],
    ),
    (
        "RestClient",
        [
            "get_training_run_by_tinker_path",
            "delete_checkpoint_from_tinker_path",
            "set_checkpoint_ttl_from_tinker_path",
            "get_weights_info_by_tinker_path",
            "list_checkpoints",
        ],
    ),
    ("APIFuture", ["result", "result_async", "coroutine", "future", "__await__"]),
]


@pytest.mark.parametrize("name", CLIENTS + TYPES + EXCEPTIONS + ["types", "NOT_GIVEN", "NotGiven"])
def test_top_level_name_resolves_and_is_exported(name: str) -> None:
    assert getattr(tinker, name) is not None
    assert name in tinker.__all__


@pytest.mark.parametrize("name", [n for n in TYPES if n not in ("ModelID",)])
def test_top_level_types_are_the_types_module_objects(name: str) -> None:
    assert getattr(tinker, name) is getattr(types, name)


@pytest.mark.parametrize("name", TYPES_MODULE)
def test_types_module_names(name: str) -> None:
    assert getattr(tinker.types, name) is getattr(types, name)
    assert name in types.__all__


def test_types_tensor_data_submodule() -> None:
    assert TensorDataFromModule is tinker.TensorData is tinker.types.tensor_data.TensorData


@pytest.mark.parametrize("name", EXCEPTIONS)
def test_exceptions_form_one_tree(name: str) -> None:
    cls = getattr(tinker, name)
    assert inspect.isclass(cls) and issubclass(cls, tinker.TinkerError) and issubclass(cls, Exception)


def test_status_error_hierarchy() -> None:
    for name in ["BadRequestError", "AuthenticationError", "RateLimitError", "InternalServerError"]:
        assert issubclass(getattr(tinker, name), tinker.APIStatusError)
    assert issubclass(tinker.APITimeoutError, tinker.APIConnectionError)


@pytest.mark.parametrize(("owner", "members"), MEMBERS, ids=[owner for owner, _ in MEMBERS])
def test_members_cookbook_code_uses(owner: str, members: list[str]) -> None:
    cls = getattr(tinker, owner)
    # data fields of the generated (pydantic-like) types are instance attributes, as in 0.38's models
    fields = set(getattr(cls, "model_fields", {}))
    missing = [m for m in members if not hasattr(cls, m) and m not in fields]
    assert missing == []


def test_async_twins_are_coroutine_functions() -> None:
    for cls, names in [
        (
            tinker.ServiceClient,
            [
                "create_lora_training_client_async",
                "create_training_client_from_state_async",
                "create_training_client_from_state_with_optimizer_async",
                "create_sampling_client_async",
            ],
        ),
        (
            tinker.TrainingClient,
            [
                "save_weights_and_get_sampling_client_async",
                "create_sampling_client_async",
                "forward_backward_async",
                "optim_step_async",
            ],
        ),
        (tinker.SamplingClient, ["sample_async", "compute_logprobs_async"]),
    ]:
        for name in names:
            assert inspect.iscoroutinefunction(getattr(cls, name)), f"{cls.__name__}.{name}"


def test_extras() -> None:
    assert {"L1", "L2", "Entropy", "KLToReference", "Callable"} <= set(tinker.regularizers.__all__)
    new = {"ElasticNet", "KL", "Consistency", "Orthogonality", "GradientPenalty"}
    assert new <= set(tinker.regularizers.__all__)
    assert all(
        getattr(tinker.regularizers, name).__module__.startswith("tinker_ext.regularizers._") for name in new
    )
    assert tinker.regularizers.L2(weight=0.3).weight == 0.3
    assert callable(tinker.resume) and callable(tinker.download_checkpoint)
    assert {"regularizers", "resume", "download_checkpoint"} <= set(tinker.__all__)
    assert {"doctor", "DoctorReport", "DoctorCheck", "CheckStatus"} <= set(tinker.__all__)
    assert tinker.doctor.__module__ == "tinker_ext._doctor.run"


def test_all_names_resolve() -> None:
    for name in tinker.__all__:
        assert hasattr(tinker, name), name
    for name in types.__all__:
        assert hasattr(types, name), name
