"""Wire parity of openapi.yaml (through the generated tinker_ext_raw models) with the official SDK 0.38.

Run by `nox -s parity_038` (its own venv: 0.38 and the 0.24.1 oracle of tests/parity cannot share one);
anywhere else the module skips. Same check as tests/parity/test_wire_parity.py: real instances are built
with the official 0.38 models and dumped the way 0.38 puts JSON bodies on the wire
(`model_dump(request, exclude_unset=False, exclude_none=True, mode="json")` in tinker/resources/*.py of
0.38; OptimStepRequest's own wrap serializer writes `optim_params` as `adam_params` or `optimizer_params`).
The JSON is parsed with the generated model's `from_dict` and dumped with `to_dict`: both documents must be
identical and no key may land in `additional_properties`. The generated output must also validate back into
the official model, and response JSON is checked again with nulls kept (what FastAPI servers send).

Out of scope, because 0.38 does not send them as JSON:
- the forward_backward request (ForwardBackwardRequest / ForwardBackwardInput / Datum / TensorData with
  provenance spans): protobuf, `application/x-protobuf`, optionally zstd (tinker/proto/request_conv.py);
  forward is the same request with `forward_only`;
- ForwardBackwardOutput and SampleResponse / SampledSequence / PromptAltTokens results: decoded from
  protobuf (tinker/proto/response_conv.py).

Covered 0.38 types (official name -> generated model): see COVERED below.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from parity._parity_support import json_differences, round_trip, unknown_keys

tinker = pytest.importorskip("tinker")
if not tinker.__version__.startswith("0.38"):
    pytest.skip(f"oracle is tinker 0.38.x, found {tinker.__version__}", allow_module_level=True)

import tinker_ext_raw.models as gen  # noqa: E402
from tinker import types as T  # noqa: E402
from tinker._compat import model_dump  # noqa: E402

pytestmark = pytest.mark.parity

# official type name -> generated class. Every entry must have at least one case below.
COVERED: dict[str, type] = {
    # requests
    "CreateModelRequest": gen.CreateModelRequest,
    "OptimStepRequest": gen.OptimStepRequest,
    "SaveWeightsRequest": gen.SaveWeightsRequest,
    "SaveWeightsForSamplerRequest": gen.SaveWeightsForSamplerRequest,
    "SaveWeightsExternalRequest": gen.SaveWeightsExternalRequest,
    "LoadWeightsRequest": gen.LoadWeightsRequest,
    "CopyWeightsRequest": gen.CopyWeightsRequest,
    "GetInfoRequest": gen.GetInfoRequest,
    "UnloadModelRequest": gen.UnloadModelRequest,
    "SamplingParams": gen.SamplingParams,
    "SampleRequest": gen.SampleRequest,
    "FutureRetrieveRequest": gen.FutureRetrieveRequest,
    "FuturesRetrieveRequest": gen.FuturesRetrieveRequest,
    "CreateSessionRequest": gen.CreateSessionRequest,
    "SessionHeartbeatRequest": gen.SessionHeartbeatRequest,
    "CreateSamplingSessionRequest": gen.CreateSamplingSessionRequest,
    "JoinSamplingSessionRequest": gen.JoinSamplingSessionRequest,
    "ClientConfigRequest": gen.ClientConfigRequest,
    # responses
    "CreateModelResponse": gen.CreateModelResponse,
    "OptimStepResponse": gen.OptimStepResponse,
    "SaveWeightsResponse": gen.SaveWeightsResponse,
    "SaveWeightsForSamplerResponseInternal": gen.SaveWeightsForSamplerResponseInternal,
    "SaveWeightsExternalResponseInternal": gen.SaveWeightsExternalResponseInternal,
    "LoadWeightsResponse": gen.LoadWeightsResponse,
    "CopyWeightsResponse": gen.CopyWeightsResponse,
    "GetInfoResponse": gen.GetInfoResponse,
    "JoinSamplingSessionResponse": gen.JoinSamplingSessionResponse,
    "GetServerCapabilitiesResponse": gen.GetServerCapabilitiesResponse,
    "Checkpoint": gen.Checkpoint,
    "CheckpointsListResponse": gen.CheckpointsListResponse,
    "TrainingRun": gen.TrainingRun,
    "WeightsInfoResponse": gen.WeightsInfoResponse,
    "ExternalWeightsUrlsResponse": gen.ExternalWeightsUrlsResponse,
    "ClientConfigResponse": gen.ClientConfigResponse,
    "ClientDynamicConfigResponse": gen.ClientDynamicConfigResponse,
}

NOW = datetime(2026, 3, 4, 5, 6, 7, 123456, tzinfo=UTC)
LATER = datetime(2026, 4, 4, 5, 6, 7, tzinfo=UTC)
R = "response"

Case = tuple[str, str, Callable[[], Any], str]
CASES: list[Case] = []


def add(type_name: str, case_id: str, builder: Callable[[], Any], direction: str = "request") -> None:
    CASES.append((type_name, case_id, builder, direction))


def text(*tokens: int) -> Any:
    return T.ModelInput(chunks=[T.EncodedTextChunk(tokens=list(tokens))])


def dimuon_params(**kw: Any) -> Any:
    return T.DimuonParams(**({"learning_rate": 2e-4} | kw))


def checkpoint(**kw: Any) -> Any:
    base: dict[str, Any] = {
        "checkpoint_id": "weights/0001",
        "checkpoint_type": "training",
        "time": NOW,
        "tinker_path": "tinker://run-1/weights/0001",
    }
    return T.Checkpoint(**(base | kw))


# model creation and optimizers ------------------------------------------------------------------------------
add(
    "CreateModelRequest",
    "default_adamw",
    lambda: T.CreateModelRequest(session_id="s", model_seq_id=0, base_model="b"),
)
add(
    "CreateModelRequest",
    "dimuon_lora_metadata",
    lambda: T.CreateModelRequest(
        session_id="s",
        model_seq_id=2,
        base_model="Qwen/Qwen3-8B",
        user_metadata={"k": "v", "n": [1, None]},
        lora_config=T.LoraConfig(rank=16, seed=3, train_unembed=False),
        optimizer_config=T.DimuonOptimizerConfig(),
    ),
)
add(
    "OptimStepRequest",
    "adam",
    lambda: T.OptimStepRequest(
        optim_params=T.AdamParams(learning_rate=1e-3, weight_decay=0.01, grad_clip_norm=1.0), model_id="m"
    ),
)
add(
    "OptimStepRequest",
    "adam_via_legacy_name",
    lambda: T.OptimStepRequest(adam_params=T.AdamParams(), model_id="m", seq_id=4),
)
add(
    "OptimStepRequest",
    "dimuon",
    lambda: T.OptimStepRequest(optim_params=dimuon_params(), model_id="m", seq_id=5),
)
add(
    "OptimStepRequest",
    "dimuon_all_set",
    lambda: T.OptimStepRequest(
        optim_params=dimuon_params(learning_rate=0.02, beta1=0.5, grad_clip_norm=2.0), model_id="m"
    ),
)
add("CreateModelResponse", "model_id", lambda: T.CreateModelResponse(model_id="s:train:0"), R)
add("OptimStepResponse", "no_metrics", lambda: T.OptimStepResponse(), R)
add("OptimStepResponse", "metrics", lambda: T.OptimStepResponse(metrics={"grad_norm:mean": 0.5}), R)
add("GetInfoRequest", "model_id", lambda: T.GetInfoRequest(model_id="m"))
add("UnloadModelRequest", "model_id", lambda: T.UnloadModelRequest(model_id="m"))
add(
    "GetInfoResponse",
    "dimuon_lora",
    lambda: T.GetInfoResponse(
        model_id="m",
        model_data=T.ModelData(arch="qwen3", model_name="Qwen/Qwen3-8B", tokenizer_id="tok"),
        optimizer_config=T.DimuonOptimizerConfig(),
        is_lora=True,
        lora_rank=8,
    ),
    R,
)
add(
    "GetInfoResponse",
    "default_adamw",
    lambda: T.GetInfoResponse(model_id="m", model_data=T.ModelData()),
    R,
)
# weights ----------------------------------------------------------------------------------------------------
add("SaveWeightsRequest", "minimal", lambda: T.SaveWeightsRequest(model_id="m"))
add(
    "SaveWeightsRequest",
    "all_set",
    lambda: T.SaveWeightsRequest(
        model_id="m", path="ckpt", seq_id=3, ttl_seconds=60, overwrite=True, user_metadata={"a": "b"}
    ),
)
add("SaveWeightsForSamplerRequest", "default_snapshot", lambda: T.SaveWeightsForSamplerRequest(model_id="m"))
add(
    "SaveWeightsForSamplerRequest",
    "inflight",
    lambda: T.SaveWeightsForSamplerRequest(
        model_id="m", sampling_session_seq_id=1, kind="inflight", seq_id=9
    ),
)
add(
    "SaveWeightsForSamplerRequest",
    "path_ttl_metadata",
    lambda: T.SaveWeightsForSamplerRequest(
        model_id="m", path="s1", ttl_seconds=3600, user_metadata={"step": "10"}
    ),
)
add(
    "SaveWeightsExternalRequest",
    "all_set",
    lambda: T.SaveWeightsExternalRequest(
        model_id="m", path="ext", seq_id=2, ttl_seconds=10, age_encryption_recipients=["age1xyz"]
    ),
)
add("SaveWeightsExternalRequest", "minimal", lambda: T.SaveWeightsExternalRequest(model_id="m", path="ext"))
add(
    "LoadWeightsRequest",
    "into_existing_model",
    lambda: T.LoadWeightsRequest(model_id="m", seq_id=1, path="tinker://r/weights/1", optimizer=True),
)
add(
    "LoadWeightsRequest",
    "create_via_load",
    lambda: T.LoadWeightsRequest(
        session_id="s",
        model_seq_id=0,
        base_model="Qwen/Qwen3-8B",
        user_metadata={"x": 1},
        path="tinker://r/weights/1",
        optimizer=False,
        optimizer_config=T.DimuonOptimizerConfig(),
        weights_access_token="tok-123",
    ),
)
add(
    "CopyWeightsRequest",
    "all_set",
    lambda: T.CopyWeightsRequest(
        session_id="s",
        model_seq_id=1,
        destination_project_id="p",
        source_path="tinker://r/weights/1",
        ttl_seconds=5,
        weights_access_token="tok",
    ),
)
add("CopyWeightsRequest", "minimal", lambda: T.CopyWeightsRequest(source_path="tinker://r/weights/1"))
add("CopyWeightsResponse", "path", lambda: T.CopyWeightsResponse(tinker_path="tinker://r2/weights/1"), R)
add("SaveWeightsResponse", "path", lambda: T.SaveWeightsResponse(path="tinker://r/weights/1"), R)
add(
    "SaveWeightsForSamplerResponseInternal",
    "session_only",
    lambda: T.SaveWeightsForSamplerResponseInternal(sampling_session_id="ss"),
    R,
)
add(
    "SaveWeightsExternalResponseInternal",
    "all_set",
    lambda: T.SaveWeightsExternalResponseInternal(path="tinker://r/external_weights/1", size_bytes=10),
    R,
)
add("LoadWeightsResponse", "path_model", lambda: T.LoadWeightsResponse(path="p", model_id="m"), R)
add("Checkpoint", "minimal", checkpoint, R)
add(
    "Checkpoint",
    "metadata_expiry",
    lambda: checkpoint(
        checkpoint_type="external",
        size_bytes=123,
        public=True,
        user_metadata={"k": "v"},
        expires_at=LATER,
    ),
    R,
)
add(
    "CheckpointsListResponse",
    "two",
    lambda: T.CheckpointsListResponse(
        checkpoints=[checkpoint(), checkpoint(checkpoint_type="sampler", expires_at=LATER)]
    ),
    R,
)
add(
    "TrainingRun",
    "last_checkpoints",
    lambda: T.TrainingRun(
        training_run_id="run-1",
        base_model="b",
        model_owner="me",
        is_lora=True,
        lora_rank=8,
        last_request_time=NOW,
        last_checkpoint=checkpoint(user_metadata={"a": "b"}),
    ),
    R,
)
add(
    "WeightsInfoResponse",
    "dimuon_lora",
    lambda: T.WeightsInfoResponse(
        base_model="b",
        optimizer_config=T.DimuonOptimizerConfig(),
        is_lora=True,
        lora_rank=4,
        train_unembed=True,
        train_mlp=False,
        train_attn=True,
    ),
    R,
)
add("WeightsInfoResponse", "default_adamw", lambda: T.WeightsInfoResponse(base_model="b", is_lora=False), R)
add(
    "ExternalWeightsUrlsResponse",
    "urls",
    lambda: T.ExternalWeightsUrlsResponse(urls={"model.safetensors": "https://x/y"}, expires=LATER),
    R,
)
# sampling ---------------------------------------------------------------------------------------------------
add("SamplingParams", "defaults", lambda: T.SamplingParams())
add(
    "SamplingParams",
    "all_set",
    lambda: T.SamplingParams(max_tokens=16, seed=1, stop=["\n", "END"], temperature=0.7, top_k=50, top_p=0.9),
)
add("SamplingParams", "stop_tokens", lambda: T.SamplingParams(stop=[1, 2]))
add("SamplingParams", "stop_str", lambda: T.SamplingParams(stop="###"))
add(
    "SampleRequest",
    "base_model",
    lambda: T.SampleRequest(prompt=text(1, 2, 3), sampling_params=T.SamplingParams(), base_model="b"),
)
add(
    "SampleRequest",
    "all_0_38_options",
    lambda: T.SampleRequest(
        num_samples=3,
        prompt=text(1, 2, 3, 4),
        sampling_params=T.SamplingParams(max_tokens=4),
        sampling_session_id="ss",
        seq_id=7,
        prompt_logprobs=True,
        topk_prompt_logprobs=2,
        topk_sample_logprobs=5,
        prompt_alt_tokens_k=3,
        prompt_logprobs_last_n=2,
        record_stability_info=True,
    ),
)
add(
    "SampleRequest",
    "target_prompt_logprobs",
    lambda: T.SampleRequest(
        prompt=text(1, 2, 3),
        sampling_params=T.SamplingParams(),
        model_path="tinker://r/sampler_weights/1",
        prompt_logprobs=True,
        target_prompt_logprobs={"data": [5, -1, 7, 8], "dtype": "int64", "shape": [2, 2]},
    ),
)
add("FutureRetrieveRequest", "request_id", lambda: T.FutureRetrieveRequest(request_id="req-1"))
add(
    "FuturesRetrieveRequest",
    "defaults",
    lambda: T.FuturesRetrieveRequest(target=T.SamplingSessionFuturesTarget(sampling_session_id="ss")),
)
add(
    "FuturesRetrieveRequest",
    "all_set",
    lambda: T.FuturesRetrieveRequest(
        target=T.SamplingSessionFuturesTarget(sampling_session_id="ss", cloned_sampler_id=2),
        prev_cursor=5,
        timeout=1.5,
        retrieved_request_ids=["a", "b"],
    ),
)
# sessions and client config ---------------------------------------------------------------------------------
add(
    "CreateSessionRequest",
    "all_set",
    lambda: T.CreateSessionRequest(
        tags=["t"], user_metadata={"a": 1}, sdk_version="0.38.0", project_id="p", display_name="run"
    ),
)
add(
    "CreateSessionRequest",
    "minimal",
    lambda: T.CreateSessionRequest(tags=[], user_metadata={}, sdk_version="0.38.0"),
)
add("SessionHeartbeatRequest", "session", lambda: T.SessionHeartbeatRequest(session_id="s"))
add(
    "CreateSamplingSessionRequest",
    "model_path",
    lambda: T.CreateSamplingSessionRequest(
        session_id="s", sampling_session_seq_id=1, model_path="tinker://r/x"
    ),
)
add("JoinSamplingSessionRequest", "id", lambda: T.JoinSamplingSessionRequest(sampling_session_id="ss"))
add("JoinSamplingSessionResponse", "counter", lambda: T.JoinSamplingSessionResponse(client_counter=3), R)
add("ClientConfigRequest", "version", lambda: T.ClientConfigRequest(sdk_version="0.38.0"))
add("ClientConfigResponse", "defaults", lambda: T.ClientConfigResponse(), R)
add(
    "ClientConfigResponse",
    "all_flags_flipped",
    lambda: T.ClientConfigResponse(
        pjwt_auth_enabled=True,
        credential_default_source="jwt",
        sample_dispatch_bytes_semaphore_size=1,
        inflight_response_bytes_semaphore_size=2,
        parallel_fwdbwd_chunks=False,
        proto_compress_fwdbwd=True,
        fwdbwd_max_chunk_len=3,
        fwdbwd_max_chunk_bytes_count=4,
        fwdbwd_dispatch_bytes_semaphore_size=5,
        billing_exception_max_pause_duration_sec=6,
        sample_no_retries=True,
        sample_enable_stuck_detection=False,
        sample_max_concurrent_requests=7,
        use_pyqwest_transport=False,
        sample_use_retrieve_futures=True,
        custom_loss_server_side=True,
        sample_join_sampling_session=True,
    ),
    R,
)
add("ClientDynamicConfigResponse", "defaults", lambda: T.ClientDynamicConfigResponse(), R)
add(
    "ClientDynamicConfigResponse",
    "all_set",
    lambda: T.ClientDynamicConfigResponse(
        refresh_interval_sec=5, sample_cancel_enabled=True, sample_cancel_max_batch_size=8
    ),
    R,
)
add(
    "GetServerCapabilitiesResponse",
    "trainable_sampleable",
    lambda: T.GetServerCapabilitiesResponse(
        supported_models=[
            T.SupportedModel(model_name="a", max_context_length=4096, trainable=True, sampleable=False),
            T.SupportedModel(model_name="b"),
        ]
    ),
    R,
)


def _check(generated_cls: type, wire: dict[str, Any]) -> Any:
    model, out = round_trip(generated_cls, wire)
    assert json_differences(wire, out) == []
    assert unknown_keys(model) == []
    return out


@pytest.mark.parametrize(
    ("type_name", "builder", "direction"),
    [pytest.param(t, b, d, id=f"{t}-{c}") for t, c, b, d in CASES],
)
def test_round_trip_matches_official_json(type_name: str, builder: Callable[[], Any], direction: str) -> None:
    obj = builder()
    generated_cls = COVERED[type_name]
    wire = model_dump(obj, exclude_unset=False, exclude_none=True, mode="json")
    out = _check(generated_cls, wire)
    # What the generated layer emits must be what the official model accepts and re-emits identically.
    reparsed = type(obj).model_validate(out)
    assert (
        json_differences(wire, model_dump(reparsed, exclude_unset=False, exclude_none=True, mode="json"))
        == []
    )
    if direction == R:
        # Servers (FastAPI) send optional fields as explicit nulls: those must round-trip too.
        _check(generated_cls, model_dump(obj, exclude_none=False, mode="json"))


def test_every_covered_type_has_a_case() -> None:
    assert {t for t, *_ in CASES} == set(COVERED)


def test_optim_step_names_the_params_key_by_family() -> None:
    """0.38 sends Adam as `adam_params` (0.24.1's key) and other families as `optimizer_params`."""
    adam = model_dump(
        T.OptimStepRequest(optim_params=T.AdamParams(), model_id="m"), exclude_none=True, mode="json"
    )
    dimuon = model_dump(
        T.OptimStepRequest(optim_params=dimuon_params(), model_id="m"), exclude_none=True, mode="json"
    )
    assert "adam_params" in adam and "optimizer_params" not in adam
    assert dimuon["optimizer_params"]["type"] == "dimuon" and "adam_params" not in dimuon
    parsed = gen.OptimStepRequest.from_dict(dimuon)
    assert parsed.to_dict()["optimizer_params"] == dimuon["optimizer_params"]
