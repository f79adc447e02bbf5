"""The generated public types behave like tinker==0.38.0's for the calls user code makes (issue 8, item 2).

For each type generated as a pydantic-like model, the same JSON answer is validated by both SDKs and the
results are compared call by call: model_dump (python/json, exclude_none, exclude_unset), model_dump_json,
model_fields, model_fields_set, model_copy(update=...), ==, hash, pickle, repr/str, defaults, list copying
and frozenness. Runs in `nox -s parity_038` (tinker 0.38.0 installed).
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import pickle
import re
from typing import Any

import numpy as np
import pytest

tinker = pytest.importorskip("tinker")
if not tinker.__version__.startswith("0.38"):
    pytest.skip(f"oracle is tinker 0.38.x, found {tinker.__version__}", allow_module_level=True)

from tinker import types as official  # noqa: E402

from tinker_ext import types as ours  # noqa: E402
from tinker_ext._types._base import PublicModel  # noqa: E402

pytestmark = pytest.mark.parity

CKPT: dict[str, Any] = {
    "checkpoint_id": "weights/0001",
    "checkpoint_type": "training",
    "time": "2025-06-01T12:00:00.250000Z",
    "tinker_path": "tinker://run-1/weights/0001",
    "size_bytes": 1234,
    "user_metadata": {"stage": "sft"},
}
RUN: dict[str, Any] = {
    "training_run_id": "run-1",
    "base_model": "Qwen/Qwen3-8B",
    "model_owner": "me",
    "is_lora": True,
    "lora_rank": 32,
    "last_request_time": "2025-01-02T03:04:05+02:00",
    "last_checkpoint": CKPT,
}
CURSOR = {"offset": 0, "limit": 10, "total_count": 1}
WHEN = "2026-01-01T00:00:00Z"
USAGE_EVENT: dict[str, Any] = {
    "bucket_start": WHEN,
    "bucket_end": "2026-01-01T01:00:00Z",
    "base_model": "Qwen/Qwen3-8B",
    "session_id": "s1",
    "estimated_cost_usd": 1,
    "event_info": {"type": "sampling_prefill", "cached": True, "token_count": 7},
}
STORAGE_ROW: dict[str, Any] = {
    "checkpoint_count": 2,
    "size_bytes": 2048,
    "size_gigabytes": 2e-6,
    "estimated_monthly_cost_usd": 1.5e-5,
    "user_name": "u",
}
SEARCH_CURSOR = {"last_created_at": WHEN, "last_session_id": "s0"}
FAILED: dict[str, Any] = {
    "type": "failed",
    "category": "user",
    "reason": {"type": "request", "request_id": "r1", "request_type": "Sample"},
    "message": "bad",
}
SUMMARY: dict[str, Any] = {
    "session_id": "s1",
    "created_at": "2026-01-02T03:04:05+02:00",
    "owner": "tml:user:u",
    "project_id": "p",
    "checkpoints_count": 2,
    "status": FAILED,
    "user_metadata": {"k": "v"},
}

ANSWERS: list[tuple[str, dict[str, Any]]] = [
    ("Checkpoint", CKPT),
    ("Checkpoint", {k: v for k, v in CKPT.items() if k not in ("size_bytes", "user_metadata")}),
    ("Cursor", CURSOR),
    ("CheckpointsListResponse", {"checkpoints": [CKPT, CKPT], "cursor": CURSOR}),
    ("CheckpointsListResponse", {"checkpoints": []}),
    ("TrainingRun", RUN),
    ("TrainingRunsResponse", {"training_runs": [RUN], "cursor": CURSOR}),
    ("GetSamplerResponse", {"sampler_id": "s", "base_model": "b"}),
    ("GetSessionResponse", {"training_run_ids": ["a", "b"], "sampler_ids": [], "user_metadata": {"k": "v"}}),
    ("ListSessionsResponse", {"sessions": ["s1", "s2"]}),
    ("SupportedModel", {"model_name": "m", "max_context_length": 4096}),
    ("GetServerCapabilitiesResponse", {"supported_models": [{"model_name": "m"}, {}]}),
    ("HealthResponse", {"status": "ok"}),
    ("ExternalWeightsUrlsResponse", {"urls": {"a": "https://x"}, "expires": "2025-06-01T12:00:00Z"}),
    ("AuditLogEntry", {"timestamp": "2025-06-01T12:00:00Z", "event": "checkpoint.delete"}),
    (
        "AuditLogResponse",
        {"entries": [{"timestamp": "2025-06-01T12:00:00Z", "event": "e", "event_details": {"n": 1}}]},
    ),
    ("CopyWeightsResponse", {"tinker_path": "tinker://a/weights/b"}),
    ("OptimStepResponse", {"metrics": {"loss:sum": 1.0, "grad_norm:mean": 0.5}}),
    ("OptimStepResponse", {}),
    ("CreateModelResponse", {"model_id": "m"}),
    ("ModelData", {"arch": "qwen3", "model_name": "Qwen/Qwen3-8B", "tokenizer_id": "t"}),
    ("LoadWeightsResponse", {"path": "tinker://a/weights/b"}),
    ("UnloadModelResponse", {"model_id": "m", "type": "unload_model"}),
    ("LoraConfig", {"rank": 8}),
    ("LoraConfig", {"rank": 32, "seed": 1, "train_mlp": False}),
    ("SaveWeightsResponse", {"path": "tinker://a/weights/b"}),
    ("CreateSessionResponse", {"session_id": "s", "warning_message": "w"}),
    ("SessionHeartbeatResponse", {}),
    ("CreateSamplingSessionResponse", {"sampling_session_id": "ss"}),
    ("JoinSamplingSessionResponse", {"client_counter": 3}),
    ("ClientDynamicConfigResponse", {"refresh_interval_sec": 60}),
    ("CreateCustomLossResponse", {"loss_id": "loss-1"}),
    ("SamplingParams", {}),  # int defaults (temperature=1, top_p=1), as 0.38
    ("SamplingParams", {"max_tokens": 5, "stop": ["\n"], "temperature": 0.7, "top_k": 20, "seed": 3}),
    ("SamplingParams", {"stop": [13, 14], "temperature": 1, "top_p": 0.9}),
    # billing (requests, typed events, answers)
    ("GetBillingUsageRequest", {"starting_on": WHEN, "ending_before": "2026-01-02T00:00:00+00:00"}),
    ("GetCurrentCheckpointStorageUsageRequest", {}),
    ("GetCurrentCheckpointStorageUsageRequest", {"project_id": "p"}),
    ("BillingUsageSession", {}),
    ("BillingUsageSession", {"user_metadata": {"k": "v"}}),
    ("TrainingBillingEvent", {"type": "training", "token_count": 3}),
    ("TrainingBillingEvent", {"token_count": 3}),
    ("SamplingPrefillBillingEvent", {"type": "sampling_prefill", "cached": False, "token_count": 3}),
    ("SamplingSampleBillingEvent", {"type": "sampling_sample", "token_count": 3}),
    ("CheckpointBillingEvent", {"type": "checkpoint", "count": 1}),
    ("StorageBillingEvent", {"type": "storage", "gigabyte_hours": 2}),
    ("StorageBillingEvent", {"type": "storage", "free": True, "gigabyte_hours": 0.5}),
    ("BillingUsageEvent", USAGE_EVENT),
    ("BillingUsageEvent", {**USAGE_EVENT, "event_info": {"type": "storage", "gigabyte_hours": 1}}),
    ("BillingUsageResponse", {"data": []}),
    (
        "BillingUsageResponse",
        {"data": [USAGE_EVENT], "sessions": {"s1": {"user_metadata": {"k": "v"}}}, "cost_data_through": WHEN},
    ),
    ("CurrentCheckpointStorageUsageItem", STORAGE_ROW),
    (
        "CurrentCheckpointStorageUsageResponse",
        {"data": [STORAGE_ROW], "effective_rate_usd_per_gigabyte_month": 0.5},
    ),
    ("CurrentCheckpointStorageUsageResponse", {"data": []}),
    # session search (request side)
    ("OwnSearchOwner", {}),
    ("AccessibleSearchOwner", {"type": "accessible"}),
    ("UserSearchOwner", {"owner_urns": ["tml:user:a", "tml:user:b"]}),
    ("ActiveSessionStatusQuery", {}),
    ("CancelledSessionStatusQuery", {}),
    ("FailedSessionStatusQuery", {"type": "failed"}),
    ("ClientFinishedSessionStatusQuery", {}),
    ("ClientFinishedSessionStatusQuery", {"reasons": ["errored", "interrupted"]}),
    ("SessionSearchCursor", SEARCH_CURSOR),
    ("SessionSearchRequest", {}),
    (
        "SessionSearchRequest",
        {
            "project_ids": ["p"],
            "user_metadata": {"k": "v"},
            "owner": {"type": "user", "owner_urns": ["tml:user:a"]},
            "statuses": [{"type": "active"}, {"type": "client_finished", "reasons": ["success"]}],
            "limit": 5,
            "cursor": SEARCH_CURSOR,
        },
    ),
    # session search (answer side)
    ("SessionFailedRequestReason", {"type": "request", "request_id": "r", "request_type": "Sample"}),
    ("SessionFailedTrainingRunReason", {"type": "training_run", "training_run_id": "t"}),
    ("SessionFailedSamplingSessionReason", {"type": "sampling_session", "sampling_session_id": "s"}),
    ("ClientSessionFinishSuccess", {"type": "success"}),
    ("ClientSessionFinishErrored", {}),
    ("ClientSessionFinishInterrupted", {"type": "interrupted"}),
    ("SessionActive", {"type": "active"}),
    ("SessionCancelled", {"type": "cancelled", "detail": "by user"}),
    ("SessionFailed", FAILED),
    ("ClientSessionFinished", {"type": "client_finished", "reason": {"type": "errored"}, "detail": "d"}),
    ("SessionSummary", SUMMARY),
    ("SessionSummary", {**SUMMARY, "status": None, "checkpoint_storage_bytes": 10}),
    ("SessionSearchResponse", {"sessions": [SUMMARY], "next_cursor": SEARCH_CURSOR}),
    ("SessionSearchResponse", {"sessions": []}),
    (
        "SampleRequest",
        {"prompt": {"chunks": [{"tokens": [1, 2], "type": "encoded_text"}]}, "sampling_params": {}},
    ),
    (
        "SampleRequest",
        {
            "prompt": {"chunks": [{"tokens": [3], "type": "encoded_text"}]},
            "sampling_params": {"max_tokens": 5, "stop": ["\n"]},
            "num_samples": 4,
            "sampling_session_id": "ss",
            "seq_id": 2,
            "prompt_logprobs": True,
            "topk_prompt_logprobs": 2,
            "topk_sample_logprobs": 1,
            "prompt_alt_tokens_k": 3,
            "prompt_logprobs_last_n": 1,
        },
    ),
    ("UntypedAPIFuture", {"request_id": "r1"}),
    ("UntypedAPIFuture", {"request_id": "r1", "model_id": "m", "sample_sequence_ids": ["a", "b"]}),
    ("FutureRetrieveRequest", {"request_id": "r1"}),
    ("FutureRetrieveRequest", {"request_id": "r1", "allow_metadata_only": True}),
    ("RequestFailedResponse", {"error": "bad input", "category": "user"}),
    ("RequestFailedResponse", {"error": "e", "category": "unknown"}),
    ("ClientConfigRequest", {"sdk_version": "0.38.0"}),
    ("JoinSamplingSessionRequest", {"sampling_session_id": "ss"}),
    ("SessionHeartbeatRequest", {"session_id": "s", "type": "session_heartbeat"}),
    ("CreateSamplingSessionRequest", {"session_id": "s", "sampling_session_seq_id": 0}),
    (
        "CreateSamplingSessionRequest",
        {"session_id": "s", "sampling_session_seq_id": 2, "base_model": "b", "model_path": "tinker://r/s/x"},
    ),
    ("GetInfoRequest", {"model_id": "m"}),
    ("UnloadModelRequest", {"model_id": "m", "type": "unload_model"}),
    ("SaveWeightsRequest", {"model_id": "m"}),
    (
        "SaveWeightsRequest",
        {
            "model_id": "m",
            "path": "ckpt",
            "seq_id": 3,
            "ttl_seconds": 7200,
            "overwrite": True,
            "user_metadata": {},
        },
    ),
    ("SaveWeightsForSamplerRequest", {"model_id": "m", "sampling_session_seq_id": 0}),
    (
        "SaveWeightsForSamplerRequest",
        {"model_id": "m", "path": "p", "kind": "inflight", "user_metadata": {"a": "b"}},
    ),
    ("SaveWeightsForSamplerResponseInternal", {}),
    (
        "SaveWeightsForSamplerResponseInternal",
        {"sampling_session_id": "ss", "type": "save_weights_for_sampler"},
    ),
    ("SaveWeightsForSamplerResponse", {"path": "tinker://r/sampler_weights/x"}),
    ("SaveWeightsExternalRequest", {"model_id": "m", "path": "p", "age_encryption_recipients": ["age1x"]}),
    ("SaveWeightsExternalResponseInternal", {"path": "tinker://r/external_weights/x", "size_bytes": 10}),
    ("AdamParams", {}),
    ("AdamParams", {"learning_rate": 1, "beta1": 0.5, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.01}),
    ("DimuonParams", {"learning_rate": 0.02}),
    ("DimuonParams", {"type": "dimuon", "learning_rate": 0.02, "grad_clip_norm": 1, "beta1": 0.8}),
    ("AdamOptimizerConfig", {}),
    ("DimuonOptimizerConfig", {"type": "dimuon", "version": 1}),
    # the open family (0.38: extra="allow"): fields it does not name are kept flat
    ("OptimizerConfigBase", {"type": "lion", "beta": 0.9, "schedule": [1, 2]}),
    ("OptimParamsBase", {"type": "lion", "learning_rate": 0.01}),
    ("OptimStepRequest", {"adam_params": {"learning_rate": 0.1}, "model_id": "m", "seq_id": 3}),
    ("OptimStepRequest", {"optimizer_params": {"type": "lion", "lr": 1}, "model_id": "m"}),
    ("CreateModelRequest", {"session_id": "s", "model_seq_id": 0, "base_model": "b"}),
    (
        "CreateModelRequest",
        {
            "session_id": "s",
            "model_seq_id": 1,
            "base_model": "b",
            "lora_config": {"rank": 8},
            "optimizer_config": {"type": "dimuon", "version": 1},
        },
    ),
    ("GetInfoResponse", {"model_data": {"model_name": "m"}, "model_id": "m"}),
    (
        "GetInfoResponse",
        {"type": "get_info", "model_data": {}, "model_id": "m", "optimizer_config": {"type": "adamw"}},
    ),
    ("LoadWeightsRequest", {"model_id": "m", "seq_id": 1, "path": "tinker://r/weights/a", "optimizer": True}),
    ("WeightsInfoResponse", {"base_model": "b", "is_lora": True, "lora_rank": 4}),
    (
        "WeightsInfoResponse",
        {"base_model": "b", "is_lora": False, "optimizer_config": {"type": "lion", "k": 1}},
    ),
    ("CustomLossInput", {"name": "weights", "rank": 1}),
    ("CustomLossNode", {"op": "placeholder", "name": "x", "target": "x"}),
    (
        "CustomLossNode",
        {"op": "call_function", "name": "y", "target": "torch.mul", "args": [1, "x"], "kwargs": {"k": 2}},
    ),
    ("CustomLossGraph", {"nodes": [{"op": "output", "name": "o", "target": "o", "args": [["x"]]}]}),
    (
        "CreateCustomLossRequest",
        {
            "session_id": "s",
            "custom_loss_seq_id": 0,
            "name": "loss",
            "inputs": [{"name": "logprobs", "rank": 1}],
            "graph": {"format": 1, "nodes": [{"op": "placeholder", "name": "x", "target": "x"}]},
        },
    ),
]
# tinker-ext only (0.38 has no such type); CheckpointStorageUsageItem: our older name of
# CurrentCheckpointStorageUsageItem (the same class)
OURS_ONLY = {"WhoamiResponse", "CheckpointArchiveUrlResponse", "CheckpointStorageUsageItem"}
IDS = [f"{name}-{i}" for i, (name, _) in enumerate(ANSWERS)]


def _stdlib_tz(text: str) -> str:
    """pydantic parses offsets into pydantic_core's TzInfo; ours are the stdlib's (no pydantic dependency).
    The only repr difference, mapped here: same instant, same offset."""
    text = text.replace("tzinfo=TzInfo(0)", "tzinfo=datetime.timezone.utc")
    return re.sub(r"TzInfo\((-?\d+)\)", r"datetime.timezone(datetime.timedelta(seconds=\1))", text)


def _official(name: str) -> Any:
    from tinker.types import optimizer  # the open family is not re-exported by tinker.types

    return getattr(official, name, None) or getattr(optimizer, name)


def _pair(name: str, body: dict[str, Any]) -> tuple[Any, Any]:
    return getattr(ours, name).model_validate(body), _official(name).model_validate(body)


def test_every_generated_model_is_covered() -> None:
    generated = {
        n
        for n in ours.__all__
        if isinstance(getattr(ours, n), type) and issubclass(getattr(ours, n), PublicModel)
    }
    # tinker-ext only (0.38 has no such type): compared on their own below
    covered_below = {
        "ModelInput",
        "EncodedTextChunk",
        "ImageChunk",
        "ImageAssetPointerChunk",
        "DmelChunk",
        "TryAgainResponse",
        "AuthTokenResponse",
        "ClientConfigResponse",
        "CreateSessionRequest",
        "SaveWeightsExternalResponse",
        "CopyWeightsRequest",
    }
    assert generated - OURS_ONLY - covered_below == {name for name, _ in ANSWERS}


@pytest.mark.parametrize(("name", "body"), ANSWERS, ids=IDS)
def test_dumps_match(name: str, body: dict[str, Any]) -> None:
    mine, theirs = _pair(name, body)
    for kwargs in (
        {},
        {"mode": "json"},
        {"exclude_none": True},
        {"mode": "json", "exclude_none": True},
        {"exclude_unset": True},
        {"mode": "json", "exclude_unset": True, "exclude_none": True},
    ):
        assert mine.model_dump(**kwargs) == theirs.model_dump(**kwargs), kwargs
    assert mine.model_dump_json() == theirs.model_dump_json()
    assert mine.model_dump_json(exclude_none=True) == theirs.model_dump_json(exclude_none=True)
    assert mine.model_dump_json(indent=2) == theirs.model_dump_json(indent=2)


@pytest.mark.parametrize(("name", "body"), ANSWERS, ids=IDS)
def test_fields_repr_and_copies_match(name: str, body: dict[str, Any]) -> None:
    mine, theirs = _pair(name, body)
    assert list(type(mine).model_fields) == list(type(theirs).model_fields)
    for field, info in type(theirs).model_fields.items():
        assert type(mine).model_fields[field].is_required() == info.is_required(), field
    assert mine.model_fields_set == theirs.model_fields_set
    assert repr(mine) == _stdlib_tz(repr(theirs))
    assert str(mine) == _stdlib_tz(str(theirs))
    assert pickle.loads(pickle.dumps(mine)) == mine
    assert copy.deepcopy(mine) == mine
    assert mine == type(mine).model_validate(body) and theirs == type(theirs).model_validate(body)
    field = next(iter(type(theirs).model_fields))
    update = {field: "changed"}
    mine_copy, theirs_copy = mine.model_copy(update=update), theirs.model_copy(update=update)
    assert mine_copy.model_dump() == theirs_copy.model_dump()
    assert mine_copy.model_fields_set == theirs_copy.model_fields_set
    assert (mine_copy == mine) == (theirs_copy == theirs)


@pytest.mark.parametrize(("name", "body"), ANSWERS, ids=IDS)
def test_hash_and_frozen_match(name: str, body: dict[str, Any]) -> None:
    mine, theirs = _pair(name, body)
    try:
        hash(theirs)
        hashable = True
    except TypeError:
        hashable = False
    if hashable:
        assert hash(mine) == hash(type(mine).model_validate(body))
    else:
        with pytest.raises(TypeError):
            hash(mine)
    field = next(iter(type(theirs).model_fields))
    with pytest.raises(ValueError):
        setattr(theirs, field, None)
    with pytest.raises(ValueError):
        setattr(mine, field, None)


def test_defaults_and_list_copying_match() -> None:
    for name in (
        "SupportedModel",
        "OptimStepResponse",
        "SamplingParams",
        "AdamParams",
        "AdamOptimizerConfig",
        "DimuonOptimizerConfig",
    ):
        assert getattr(ours, name)().model_dump() == getattr(official, name)().model_dump()
    required = {k: CKPT[k] for k in ("checkpoint_id", "checkpoint_type", "tinker_path")}
    when = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    assert (
        ours.Checkpoint(**required, time=when).model_dump()
        == official.Checkpoint(**required, time=when).model_dump()
    )
    sessions = ["a", "b"]
    mine, theirs = (
        ours.ListSessionsResponse(sessions=sessions),
        official.ListSessionsResponse(sessions=sessions),
    )
    sessions.clear()
    assert mine.sessions == theirs.sessions == ["a", "b"]


def test_datetimes_serialise_with_z_as_official() -> None:
    mine, theirs = _pair("ExternalWeightsUrlsResponse", {"urls": {}, "expires": "2025-06-01T12:00:00Z"})
    assert (
        mine.model_dump(mode="json")["expires"]
        == theirs.model_dump(mode="json")["expires"]
        == "2025-06-01T12:00:00Z"
    )
    assert mine.to_json()["expires"] == "2025-06-01T12:00:00Z"
    archive = ours.CheckpointArchiveUrlResponse.model_validate(
        {"url": "u", "expires": "2025-06-01T12:00:00Z"}
    )
    assert archive.model_dump_json() == '{"url":"u","expires":"2025-06-01T12:00:00Z"}'


# ----- the types that are frozen dataclasses in 0.38

DATACLASSES = [
    "Datum",
    "ForwardBackwardInput",
    "ForwardBackwardOutput",
    "ForwardBackwardRequest",
    "ForwardRequest",
    "PromptProvenanceSpan",
    "SampledProvenanceSpan",
    "PromptAltTokens",
    "TensorData",
]


@pytest.mark.parametrize("name", DATACLASSES)
def test_dataclass_shape_matches(name: str) -> None:
    import dataclasses

    mine, theirs = getattr(ours, name), getattr(official, name)
    assert dataclasses.is_dataclass(mine) and dataclasses.is_dataclass(theirs)
    mine_fields = [(f.name, f.kw_only, f.default, f.default_factory) for f in dataclasses.fields(mine)]
    public_theirs = [f for f in dataclasses.fields(theirs) if not f.name.startswith("_")]
    assert mine_fields == [(f.name, f.kw_only, f.default, f.default_factory) for f in public_theirs]
    assert mine.__dataclass_params__.frozen and theirs.__dataclass_params__.frozen  # type: ignore[attr-defined]


def _datum(module: Any) -> Any:
    return module.Datum(
        model_input=module.ModelInput.from_ints([1, 2, 3]),
        loss_fn_inputs={"target_tokens": [2, 3, 4], "weights": [1.0, 1.0, 0.0]},
    )


def test_datum_replace_asdict_and_provenance_match() -> None:
    import dataclasses

    for module in (ours, official):
        datum = _datum(module)
        edited = dataclasses.replace(datum, loss_fn_inputs={"target_tokens": [5, 6, 7], "weights": [0.0] * 3})
        assert edited.loss_fn_inputs["target_tokens"].tolist() == [5, 6, 7]
        assert edited.model_input is datum.model_input
        assert set(dataclasses.asdict(datum)) == {
            "model_input",
            "loss_fn_inputs",
            "model_input_spans",
            "loss_fn_input_spans",
        }
        spans = [module.SampledProvenanceSpan(sequence_id="s", length=3)]
        with_spans = datum.with_provenance(model_input=spans, loss_fn_inputs=spans)
        assert list(with_spans.model_input_spans) == spans
        with pytest.raises(ValueError):
            module.PromptProvenanceSpan(sequence_id="", length=1)
        with pytest.raises(dataclasses.FrozenInstanceError):
            datum.model_input = None  # type: ignore[misc]
        with pytest.raises(TypeError):
            hash(datum)  # a dict field: unhashable in both


def test_span_equality_hash_and_repr_match() -> None:
    mine = ours.PromptProvenanceSpan(sequence_id="s", offset=2, length=3)
    theirs = official.PromptProvenanceSpan(sequence_id="s", offset=2, length=3)
    assert repr(mine) == repr(theirs)
    assert hash(mine) == hash(ours.PromptProvenanceSpan(sequence_id="s", offset=2, length=3))
    assert mine != ours.SampledProvenanceSpan(sequence_id="s", offset=2, length=3)
    assert pickle.loads(pickle.dumps(mine)) == mine


def test_forward_backward_output_replace_and_defaults_match() -> None:
    import dataclasses

    for module in (ours, official):
        out = module.ForwardBackwardOutput(loss_fn_output_type="ArrayRecord", loss_fn_outputs=[])
        assert out.metrics == {}
        assert dataclasses.replace(out, metrics={"loss:sum": 1.0}).metrics == {"loss:sum": 1.0}


# ----- ModelInput and its chunks (pydantic models in 0.38)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8


def _model_inputs(module: Any) -> list[Any]:
    return [
        module.ModelInput.from_ints([1, 2, 3]),
        module.ModelInput(
            chunks=[
                module.EncodedTextChunk(tokens=[5, 6]),
                module.ImageChunk(data=PNG, format="png", expected_tokens=4),
                module.ImageAssetPointerChunk(format="jpeg", location="s3://b/k", expected_tokens=2),
            ]
        ),
        module.ModelInput.empty(),
    ]


def test_model_input_behaves_as_official() -> None:
    for mine, theirs in zip(_model_inputs(ours), _model_inputs(official), strict=True):
        assert mine.length == theirs.length
        assert mine.model_dump() == theirs.model_dump()
        assert mine.model_dump(mode="json") == theirs.model_dump(mode="json")
        assert mine.model_dump_json() == theirs.model_dump_json()
        assert mine.model_dump(exclude_unset=True) == theirs.model_dump(exclude_unset=True)
        assert type(mine).model_validate(theirs.model_dump()) == mine
        assert list(type(mine).model_fields) == list(type(theirs).model_fields)
        assert pickle.loads(pickle.dumps(mine)) == mine
        assert mine.append_int(9).to_ints() == theirs.append_int(9).to_ints() if mine.length == 3 else True


def test_encoded_text_chunk_copies_the_callers_list_as_official() -> None:
    for module in (ours, official):
        tokens = [1, 2, 3]
        chunk = module.EncodedTextChunk(tokens=tokens)
        datum_input = module.ModelInput.from_ints(tokens)
        tokens.clear()  # code that reuses its buffer must not empty what it built
        assert list(chunk.tokens) == [1, 2, 3]
        assert datum_input.to_ints() == [1, 2, 3]
    assert repr(ours.EncodedTextChunk(tokens=[1])) == repr(official.EncodedTextChunk(tokens=[1]))


def test_tensor_data_equality_and_hash_are_by_identity_as_official() -> None:
    for module in (ours, official):
        a = module.TensorData(data=[1, 2], dtype="int64", shape=[2])
        b = module.TensorData(data=[1, 2], dtype="int64", shape=[2])
        assert a == a and a != b
        assert hash(a) == hash(a) and len({a, b}) == 2


# ----- billing and session search: defaults, unions of typed variants, request bodies


def test_search_request_defaults_unions_and_body_match() -> None:
    for module in (ours, official):
        default = module.SessionSearchRequest()
        assert (
            default.owner == module.OwnSearchOwner() and default.user_metadata == {} and default.limit == 50
        )
    mine_default, theirs_default = ours.SessionSearchRequest(), official.SessionSearchRequest()
    assert mine_default.model_dump() == theirs_default.model_dump()
    assert mine_default.model_fields_set == theirs_default.model_fields_set == set()

    def build(module: Any) -> Any:
        return module.SessionSearchRequest(
            owner=module.UserSearchOwner(owner_urns=["tml:user:a"]),
            statuses=[
                module.FailedSessionStatusQuery(),
                module.ClientFinishedSessionStatusQuery(reasons=["errored"]),
            ],
            cursor=module.SessionSearchCursor(
                last_created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), last_session_id="s0"
            ),
            limit=3,
        )

    mine, theirs = build(ours), build(official)
    assert repr(mine) == _stdlib_tz(repr(theirs))
    # the wire body: 0.38 sends model_dump(exclude_none=True) (datetimes as RFC 3339 text)
    assert mine.to_json() == theirs.model_dump(mode="json", exclude_none=True)
    for module in (ours, official):
        with pytest.raises(ValueError):  # extra keys are refused by the request types (extra="forbid")
            module.SessionSearchRequest(bogus=1)
        with pytest.raises(ValueError):
            module.GetBillingUsageRequest(starting_on=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))  # ending_before


def test_typed_answers_hold_the_variant_classes_as_official() -> None:
    for module in (ours, official):
        usage = module.BillingUsageResponse.model_validate(
            {"data": [USAGE_EVENT], "sessions": {"s1": {"user_metadata": {"k": "v"}}}}
        )
        assert isinstance(usage.data[0].event_info, module.SamplingPrefillBillingEvent)
        assert isinstance(usage.sessions["s1"], module.BillingUsageSession)
        found = module.SessionSearchResponse.model_validate(
            {"sessions": [SUMMARY], "next_cursor": SEARCH_CURSOR}
        )
        status = found.sessions[0].status
        assert isinstance(status, module.SessionFailed)
        assert isinstance(status.reason, module.SessionFailedRequestReason)
        finished = module.ClientSessionFinished.model_validate({"reason": {"type": "interrupted"}})
        assert isinstance(finished.reason, module.ClientSessionFinishInterrupted)
        with pytest.raises(ValueError):  # an unknown tag is refused
            module.SessionSummary.model_validate({**SUMMARY, "status": {"type": "exploded"}})
        with pytest.raises(ValueError):  # 0.38: category is "user" | "internal"
            module.SessionFailed.model_validate({**FAILED, "category": "other"})
        owners = [module.OwnSearchOwner(), module.AccessibleSearchOwner()]
        assert module.SessionSearchRequest(project_ids=["p"], owner=owners[1]).owner is owners[1]
    assert ours.CheckpointStorageUsageItem is ours.CurrentCheckpointStorageUsageItem


def test_small_and_large_floats_dump_json_as_official() -> None:
    # pydantic writes 2e-6 / 0.000015 where the json module writes 2e-06 / 1.5e-05
    values = [1e-4, 1.5e-5, 1e-5, -9.99e-6, 1e-6, 2e-7, -3e-8, 5e-324, 0.1, 1e15, 1e16, -1.5e17, 1e300, 0.0]
    for value in values:
        row = {"checkpoint_count": 1, "size_bytes": 1, "size_gigabytes": value}
        mine, theirs = _pair("CurrentCheckpointStorageUsageItem", row)
        assert mine.model_dump_json() == theirs.model_dump_json(), value
        assert mine.model_dump_json(indent=2) == theirs.model_dump_json(indent=2), value


def test_search_cursor_needs_an_aware_time_as_official() -> None:
    naive = dt.datetime(2026, 1, 1)
    for module in (ours, official):
        with pytest.raises(ValueError):
            module.SessionSearchCursor(last_created_at=naive, last_session_id="s")
        with pytest.raises(ValueError):
            module.SessionSearchCursor.model_validate(
                {"last_created_at": "2026-01-01T00:00:00", "last_session_id": "s"}
            )
        aware = module.SessionSearchCursor(last_created_at=naive.replace(tzinfo=dt.UTC), last_session_id="s")
        assert aware.last_created_at.tzinfo is not None


# ----- the sample result (frozen dataclasses in 0.38)


def _sequence(module: Any) -> Any:
    return module.SampledSequence(  # 0.38's list construction path (numpy-backed fields otherwise)
        stop_reason="stop", sequence_id="s0", _tokens_list=[5, 6], _logprobs_list=[-0.5, -1.0]
    )


def test_sample_result_dataclass_calls_match() -> None:
    """The same field layout (0.38: numpy arrays in `tokens_np`, lists in `_tokens_list`, the list names
    cached properties): what user code reads and calls matches."""
    import dataclasses

    for module in (ours, official):
        sequence = _sequence(module)
        assert dataclasses.is_dataclass(sequence) and dataclasses.is_dataclass(module.SampleResponse)
        assert list(sequence.tokens) == [5, 6] and list(sequence.logprobs) == [-0.5, -1.0]
        assert sequence.sequence_id == "s0"
        assert dataclasses.replace(sequence, stop_reason="length").stop_reason == "length"
        assert dataclasses.replace(sequence, stop_reason="length").tokens == [5, 6]
        assert sequence == _sequence(module)
        with pytest.raises(dataclasses.FrozenInstanceError):
            sequence.stop_reason = "length"  # type: ignore[misc]
        with pytest.raises(TypeError):
            hash(sequence)  # a list field: unhashable in both
        response = module.SampleResponse(sequences=[sequence])
        assert response.prompt_cache_hit_tokens == 0 and response.prompt_logprobs is None
        assert response.target_prompt_logprobs is None and response.prompt_alt_tokens is None
        assert response.topk_prompt_logprobs is None and response.prompt_logprobs_np is None
        assert dataclasses.replace(response, prompt_cache_hit_tokens=3).prompt_cache_hit_tokens == 3
        assert pickle.loads(pickle.dumps(response)).sequences[0].tokens == [5, 6]
        assert module.SampleResponse(sequences=[_sequence(module)]) == response


def test_prompt_alt_tokens_match() -> None:
    import dataclasses

    from tinker.types.prompt_alt_tokens import PromptAltTokens as Theirs

    for cls, module in ((ours.PromptAltTokens, ours), (Theirs, official)):
        tokens = module.TensorData(data=[1, 2], dtype="int64", shape=[1, 2])
        logprobs = module.TensorData(data=[-0.1, -0.2], dtype="float32", shape=[1, 2])
        alt = cls(tokens=tokens, logprobs=logprobs)
        assert alt == cls(tokens=tokens, logprobs=logprobs)  # same tensors (TensorData: identity)
        assert alt != cls(tokens=tokens, logprobs=module.TensorData(data=[-0.1, -0.2], dtype="float32"))
        assert hash(alt) == hash(cls(tokens=tokens, logprobs=logprobs))
        assert dataclasses.replace(alt, tokens=logprobs).tokens is logprobs
        assert alt.tokens.tolist() == [[1, 2]]


def test_tensor_data_dataclass_calls_match() -> None:
    import dataclasses

    for module in (ours, official):
        tensor = module.TensorData(data=[1.0, 2.0, 3.0, 4.0], dtype="float32", shape=[2, 2])
        assert [f.name for f in dataclasses.fields(tensor) if not f.name.startswith("_")] == [
            "dtype",
            "shape",
            "sparse_crow_indices",
            "sparse_col_indices",
        ]
        assert tensor.data == [1.0, 2.0, 3.0, 4.0] and tensor.tolist() == [[1.0, 2.0], [3.0, 4.0]]
        assert not tensor.__dataclass_params__.eq and tensor.__dataclass_params__.frozen
        with pytest.raises(dataclasses.FrozenInstanceError):
            tensor.dtype = "int64"  # type: ignore[misc]
        back = pickle.loads(pickle.dumps(tensor))
        assert back.tolist() == tensor.tolist() and back.shape == [2, 2] and back != tensor
        assert copy.deepcopy(tensor).to_numpy().tolist() == tensor.to_numpy().tolist()
        flat = module.TensorData(data=[1, 2], dtype="int64")
        assert flat.shape is None and flat.tolist() == [1, 2]


# ----- the future-protocol answers tinker-ext reads more tolerantly than 0.38


def test_try_again_response_matches_official_where_0_38_accepts_the_answer() -> None:
    from tinker.types.try_again_response import TryAgainResponse as Official

    body = {"type": "try_again", "request_id": "r", "queue_state": "paused_capacity"}
    mine, theirs = ours.TryAgainResponse.model_validate(body), Official.model_validate(body)
    # queue_state_reason is a field of ours only (0.38 drops it); the rest dumps as 0.38's
    assert {k: v for k, v in mine.model_dump().items() if k != "queue_state_reason"} == theirs.model_dump()
    assert mine.model_dump_json(exclude_none=True) == theirs.model_dump_json()
    assert list(type(mine).model_fields)[:3] == list(Official.model_fields)
    assert mine == ours.TryAgainResponse(request_id="r", queue_state="paused_capacity")
    assert pickle.loads(pickle.dumps(mine)) == mine
    # deliberate: a missing or unknown state is QueueState.UNKNOWN (0.38 raises a validation error)
    lenient = ours.TryAgainResponse.model_validate({"request_id": "r", "queue_state": "brand_new"})
    assert lenient.queue_state is ours.QueueState.UNKNOWN
    with pytest.raises(ValueError):
        Official.model_validate({"request_id": "r", "queue_state": "brand_new"})


def test_request_failed_category_is_the_error_category_enum_as_official() -> None:
    mine, theirs = _pair("RequestFailedResponse", {"error": "e", "category": "server"})
    assert repr(mine.category) == repr(theirs.category) == "<RequestErrorCategory.Server: 'server'>"
    assert ours.RequestFailedResponse(error="e", category="server") == mine


# ----- session types where tinker-ext deliberately differs from 0.38 (each difference asserted)


def test_auth_token_response_redacts_the_token() -> None:
    mine, theirs = _pair("AuthTokenResponse", {"jwt": "h.c.s"})
    assert mine.model_dump() == theirs.model_dump() and mine.model_dump_json() == theirs.model_dump_json()
    assert list(type(mine).model_fields) == list(type(theirs).model_fields)
    assert "h.c.s" in repr(theirs) and "h.c.s" not in repr(mine)  # a credential never reaches logs


def test_client_config_response_has_0_38_fields_and_defaults() -> None:
    mine, theirs = _pair("ClientConfigResponse", {"fwdbwd_max_chunk_len": 64, "new_flag": True})
    fields = list(type(theirs).model_fields)
    # the spec also describes flags other servers publish (proto_write_fwdbwd, ...): extra fields of ours
    assert set(fields) <= set(type(mine).model_fields)
    assert {k: v for k, v in mine.model_dump().items() if k in fields} == theirs.model_dump()
    assert mine.model_fields_set == theirs.model_fields_set == {"fwdbwd_max_chunk_len"}
    assert {k: v for k, v in ours.ClientConfigResponse().model_dump().items() if k in fields} == (
        official.ClientConfigResponse().model_dump()
    )


def test_create_session_request_matches_0_38_but_user_metadata_may_be_left_out() -> None:
    body = {"tags": ["a"], "user_metadata": {"k": "v"}, "sdk_version": "0.38.0", "display_name": "run"}
    mine, theirs = _pair("CreateSessionRequest", body)
    assert mine.model_dump() == theirs.model_dump()
    assert mine.model_dump_json(exclude_none=True) == theirs.model_dump_json(exclude_none=True)
    assert mine.to_json() == theirs.model_dump(mode="json", exclude_none=True)
    assert list(type(mine).model_fields) == list(type(theirs).model_fields)
    assert repr(mine) == repr(theirs)
    tags = ["a"]
    made = ours.CreateSessionRequest(tags=tags, user_metadata=None, sdk_version="v")
    tags.clear()
    assert made.tags == ["a"]
    # the spec: servers must not require the key, so the public type does not either (0.38 requires it)
    assert ours.CreateSessionRequest(tags=[], sdk_version="v").user_metadata is None


def test_save_weights_external_response_keeps_size_bytes_beyond_0_38() -> None:
    body = {"path": "tinker://r/external_weights/x", "type": "save_weights_external", "size_bytes": 7}
    mine, theirs = _pair("SaveWeightsExternalResponse", body)
    assert list(type(mine).model_fields)[:2] == list(type(theirs).model_fields)
    assert {k: v for k, v in mine.model_dump().items() if k != "size_bytes"} == theirs.model_dump()
    assert mine.size_bytes == 7  # the answer's size, which 0.38 drops


def test_sampler_weights_links_and_list_copies_match() -> None:
    mine, theirs = _pair("SaveWeightsForSamplerResponse", {"path": "tinker://r/sampler_weights/x"})
    assert mine.get_console_url().startswith("https://") and mine.get_playground_url().startswith("https://")
    assert hasattr(theirs, "get_playground_url") and hasattr(theirs, "get_console_url")
    recipients = ["age1a"]
    made = [
        module.SaveWeightsExternalRequest(model_id="m", path="p", age_encryption_recipients=recipients)
        for module in (ours, official)
    ]
    recipients.clear()
    assert made[0].age_encryption_recipients == made[1].age_encryption_recipients == ["age1a"]
    assert (
        ours.SaveWeightsForSamplerRequest(model_id="m").kind
        == official.SaveWeightsForSamplerRequest(model_id="m").kind
        == "snapshot"
    )


def test_optimizer_params_refuse_what_0_38_refuses_with_a_typed_error() -> None:
    from tinker_ext import InvalidInputError

    with pytest.raises(ValueError):
        official.AdamParams(unknown=1)
    with pytest.raises(InvalidInputError):
        ours.AdamParams(unknown=1)
    for bad_dimuon in ({"learning_rate": -0.1}, {"learning_rate": 0.1, "beta1": 1.0}):
        with pytest.raises(ValueError):
            official.DimuonParams(**bad_dimuon)
        with pytest.raises(InvalidInputError):
            ours.DimuonParams(**bad_dimuon)
    # stricter than 0.38 (deliberate, as before): values a server would reject or turn into NaN weights
    official.AdamParams(learning_rate=float("nan"), eps=0.0, beta1=1.0, weight_decay=-1.0)
    for bad in ({"learning_rate": float("nan")}, {"eps": 0.0}, {"beta1": 1.0}, {"weight_decay": -1.0}):
        with pytest.raises(InvalidInputError):
            ours.AdamParams(**bad)


def test_copy_weights_request_matches_0_38_but_redacts_the_token() -> None:
    body = {"source_path": "tinker://r/weights/a", "ttl_seconds": 7200, "weights_access_token": "wat-secret"}
    mine, theirs = _pair("CopyWeightsRequest", body)
    assert mine.model_dump() == theirs.model_dump()
    assert mine.model_dump_json(exclude_none=True) == theirs.model_dump_json(exclude_none=True)
    assert list(type(mine).model_fields) == list(type(theirs).model_fields)
    assert mine.model_fields_set == theirs.model_fields_set
    assert "wat-secret" in repr(theirs) and "wat-secret" not in repr(mine) + str(mine)
    no_token = {"source_path": "tinker://r/weights/a"}
    assert repr(ours.CopyWeightsRequest(**no_token)) == repr(official.CopyWeightsRequest(**no_token))


def test_optimizer_config_defaults_as_official() -> None:
    """0.38: create_model's and the answers' optimizer_config default to AdamW; load_weights' to None."""
    create = {"session_id": "s", "model_seq_id": 0, "base_model": "b"}
    for name, body in (
        ("CreateModelRequest", create),
        ("GetInfoResponse", {"model_data": {}, "model_id": "m"}),
        ("WeightsInfoResponse", {"base_model": "b", "is_lora": False}),
        ("LoadWeightsRequest", {"path": "tinker://r/weights/a", "optimizer": False}),
    ):
        mine, theirs = _pair(name, body)
        assert repr(mine.optimizer_config) == repr(theirs.optimizer_config), name
        assert mine.model_dump(mode="json") == theirs.model_dump(mode="json"), name
        assert type(mine).model_fields["optimizer_config"].is_required() is False
    assert ours.CreateModelRequest(**create).optimizer_config == ours.AdamOptimizerConfig()
    # the clients leave the key out unless the user chose an optimizer (tuft 0.2.2 refuses it): None
    assert "optimizer_config" not in ours.CreateModelRequest(**create, optimizer_config=None).to_json()


def test_sampled_sequence_from_arrays_behaves_as_official() -> None:
    tokens, logprobs = np.array([3, 4, 5], np.int32), np.array([-0.5, -1.0, -2.0], np.float32)
    made = [
        module.SampledSequence(stop_reason="stop", sequence_id="s1", tokens_np=tokens, logprobs_np=logprobs)
        for module in (ours, official)
    ]
    mine, theirs = made
    assert [f.name for f in dataclasses.fields(mine)] == [f.name for f in dataclasses.fields(theirs)]
    assert repr(mine) == repr(theirs) == "SampledSequence(stop_reason='stop', sequence_id='s1')"
    for sequence in made:
        assert sequence.tokens == [3, 4, 5] and sequence.tokens_np is tokens
        assert sequence.logprobs == pytest.approx([-0.5, -1.0, -2.0]) and sequence.topk_logprobs is None
        assert sequence.tokens is sequence.tokens  # converted once, cached
        assert pickle.loads(pickle.dumps(sequence)).tokens == [3, 4, 5]
        # dataclass equality over the arrays: the same arrays are equal, equal copies ambiguous (0.38)
        same = type(sequence)(stop_reason="stop", sequence_id="s1", tokens_np=tokens, logprobs_np=logprobs)
        assert sequence == same
        with pytest.raises(ValueError, match="ambiguous"):
            _ = sequence == type(sequence)("stop", "s1", tokens.copy(), logprobs.copy())
        with pytest.raises(TypeError):
            type(sequence)(stop_reason="stop", tokens_np=tokens)  # sequence_id is required
    assert (
        dataclasses.replace(mine, stop_reason="length").tokens
        == dataclasses.replace(theirs, stop_reason="length").tokens
    )


def test_sample_response_from_prompt_arrays_behaves_as_official() -> None:
    prompt = np.array([np.nan, -0.25, -1.5], np.float32)
    mine, theirs = (
        module.SampleResponse(
            sequences=[module.SampledSequence("length", "s0", np.array([1], np.int32))],
            prompt_logprobs_np=prompt,
            prompt_cache_hit_tokens=2,
        )
        for module in (ours, official)
    )
    assert [f.name for f in dataclasses.fields(mine)] == [f.name for f in dataclasses.fields(theirs)]
    assert repr(mine).replace("tinker_ext_raw.public._types", "") == repr(theirs).replace("tinker.types", "")
    assert mine.prompt_logprobs == theirs.prompt_logprobs == [None, -0.25, -1.5]
    assert (
        mine.prompt_logprobs_np is prompt and mine.topk_prompt_logprobs is theirs.topk_prompt_logprobs is None
    )
    assert mine.sequences[0].tokens == theirs.sequences[0].tokens == [1]
    copy_mine = pickle.loads(pickle.dumps(mine))
    assert copy_mine.prompt_logprobs == [None, -0.25, -1.5] and copy_mine.prompt_cache_hit_tokens == 2
