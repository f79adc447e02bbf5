"""The generated public types behave like tinker==0.38.0's for the calls user code makes (issue 8, item 2).

For each type generated as a pydantic-like model, the same JSON answer is validated by both SDKs and the
results are compared call by call: model_dump (python/json, exclude_none, exclude_unset), model_dump_json,
model_fields, model_fields_set, model_copy(update=...), ==, hash, pickle, repr/str, defaults, list copying
and frozenness. Runs in `nox -s parity_038` (tinker 0.38.0 installed).
"""

from __future__ import annotations

import copy
import datetime as dt
import pickle
import re
from typing import Any

import pytest

tinker = pytest.importorskip("tinker")
if not tinker.__version__.startswith("0.38"):
    pytest.skip(f"oracle is tinker 0.38.x, found {tinker.__version__}", allow_module_level=True)

from tinker import types as official  # noqa: E402

from tinker_ext import types as ours  # noqa: E402
from tinker_ext._behaviour._base import PublicModel  # noqa: E402

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
OURS_ONLY = {"WhoamiResponse", "CheckpointArchiveUrlResponse"}
IDS = [f"{name}-{i}" for i, (name, _) in enumerate(ANSWERS)]


def _stdlib_tz(text: str) -> str:
    """pydantic parses offsets into pydantic_core's TzInfo; ours are the stdlib's (no pydantic dependency).
    The only repr difference, mapped here: same instant, same offset."""
    text = text.replace("tzinfo=TzInfo(0)", "tzinfo=datetime.timezone.utc")
    return re.sub(r"TzInfo\((-?\d+)\)", r"datetime.timezone(datetime.timedelta(seconds=\1))", text)


def _pair(name: str, body: dict[str, Any]) -> tuple[Any, Any]:
    return getattr(ours, name).model_validate(body), getattr(official, name).model_validate(body)


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
