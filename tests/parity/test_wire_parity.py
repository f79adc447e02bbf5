"""Wire parity of openapi.yaml (through the generated tinker_ext_raw models) with the official SDK 0.24.1.

For every official request/response type that the spec has a counterpart for, real instances are built with
the official SDK's own models and dumped to JSON the way the SDK puts them on the wire
(`model_dump(exclude_unset=False, exclude_none=True, mode="json")`, tinker/_utils/_transform.py and
tinker/resources/*.py in 0.24.1; dataclass types go through the SDK's pydantic mirrors first,
tinker/lib/_pydantic_conv.py). The JSON is parsed with the generated model's `from_dict` and dumped with
`to_dict`: the two JSON documents must be identical and no key may land in `additional_properties`, so a
field that the spec lacks, misnames or mistypes fails here. Response JSON is also dumped with the nulls kept
(what FastAPI servers send), and the generated output must validate back into the official model.

Covered official types (official name -> generated model in tinker_ext_raw.models), see COVERED below.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from ._parity_support import json_differences, round_trip, unknown_keys

tinker = pytest.importorskip("tinker")
if not tinker.__version__.startswith("0.24."):
    pytest.skip(f"oracle is tinker 0.24.x, found {tinker.__version__}", allow_module_level=True)

import tinker_ext_raw.models as gen  # noqa: E402
from tinker import types as T  # noqa: E402
from tinker._compat import model_dump  # noqa: E402
from tinker.lib import _pydantic_conv as conv  # noqa: E402
from tinker.types._pydantic_types.forward_backward_output import (  # noqa: E402
    ForwardBackwardOutput as PydForwardBackwardOutput,
)
from tinker.types._pydantic_types.sample_response import SampleResponse as PydSampleResponse  # noqa: E402
from tinker.types._pydantic_types.sampled_sequence import SampledSequence as PydSampledSequence  # noqa: E402
from tinker.types.generic_event import GenericEvent  # noqa: E402
from tinker.types.try_again_response import TryAgainResponse  # noqa: E402
from tinker_ext_raw.api.futures import retrieve_future  # noqa: E402
from tinker_ext_raw.client import Client  # noqa: E402

pytestmark = pytest.mark.parity

# official type name -> generated class. Every entry must have at least one case below.
COVERED: dict[str, type] = {
    # requests
    "ModelInput": gen.ModelInput,
    "EncodedTextChunk": gen.EncodedTextChunk,
    "ImageChunk": gen.ImageChunk,
    "ImageAssetPointerChunk": gen.ImageAssetPointerChunk,
    "DmelChunk": gen.DmelChunk,
    "TensorData": gen.TensorData,
    "Datum": gen.Datum,
    "ForwardBackwardInput": gen.ForwardBackwardInput,
    "ForwardBackwardRequest": gen.ForwardBackwardRequest,
    "ForwardRequest": gen.ForwardRequest,
    "AdamParams": gen.AdamParams,
    "OptimStepRequest": gen.OptimStepRequest,
    "LoraConfig": gen.LoraConfig,
    "CreateModelRequest": gen.CreateModelRequest,
    "GetInfoRequest": gen.GetInfoRequest,
    "UnloadModelRequest": gen.UnloadModelRequest,
    "LoadWeightsRequest": gen.LoadWeightsRequest,
    "SaveWeightsRequest": gen.SaveWeightsRequest,
    "SaveWeightsForSamplerRequest": gen.SaveWeightsForSamplerRequest,
    "SamplingParams": gen.SamplingParams,
    "SampleRequest": gen.SampleRequest,
    "FutureRetrieveRequest": gen.FutureRetrieveRequest,
    "CreateSessionRequest": gen.CreateSessionRequest,
    "SessionHeartbeatRequest": gen.SessionHeartbeatRequest,
    "CreateSamplingSessionRequest": gen.CreateSamplingSessionRequest,
    "ClientConfigRequest": gen.ClientConfigRequest,
    "TelemetrySendRequest": gen.TelemetrySendRequest,
    # responses
    "UntypedAPIFuture": gen.UntypedAPIFuture,
    "TryAgainResponse": gen.TryAgainResponse,
    "RequestFailedResponse": gen.RequestFailedResponse,
    "CreateModelResponse": gen.CreateModelResponse,
    "ForwardBackwardOutput": gen.ForwardBackwardOutput,
    "OptimStepResponse": gen.OptimStepResponse,
    "SaveWeightsResponse": gen.SaveWeightsResponse,
    "SaveWeightsForSamplerResponse": gen.SaveWeightsForSamplerResponse,
    "SaveWeightsForSamplerResponseInternal": gen.SaveWeightsForSamplerResponseInternal,
    "LoadWeightsResponse": gen.LoadWeightsResponse,
    "UnloadModelResponse": gen.UnloadModelResponse,
    "SampleResponse": gen.SampleResponse,
    "SampledSequence": gen.SampledSequence,
    "GetInfoResponse": gen.GetInfoResponse,
    "ModelData": gen.ModelData,
    "CreateSessionResponse": gen.CreateSessionResponse,
    "SessionHeartbeatResponse": gen.SessionHeartbeatResponse,
    "CreateSamplingSessionResponse": gen.CreateSamplingSessionResponse,
    "HealthResponse": gen.HealthResponse,
    "GetServerCapabilitiesResponse": gen.GetServerCapabilitiesResponse,
    "SupportedModel": gen.SupportedModel,
    "Checkpoint": gen.Checkpoint,
    "Cursor": gen.Cursor,
    "CheckpointsListResponse": gen.CheckpointsListResponse,
    "TrainingRun": gen.TrainingRun,
    "TrainingRunsResponse": gen.TrainingRunsResponse,
    "WeightsInfoResponse": gen.WeightsInfoResponse,
    "GetSamplerResponse": gen.GetSamplerResponse,
    "GetSessionResponse": gen.GetSessionResponse,
    "ListSessionsResponse": gen.ListSessionsResponse,
    "CheckpointArchiveUrlResponse": gen.CheckpointArchiveUrlResponse,
    "AuthTokenResponse": gen.AuthTokenResponse,
    "ClientConfigResponse": gen.ClientConfigResponse,
    "TelemetryResponse": gen.TelemetryResponse,
    "AuditLogResponse": gen.AuditLogResponse,
    "BillingUsageResponse": gen.BillingUsageResponse,
    "WhoamiResponse": gen.WhoamiResponse,
}

LOSS_FNS = ["cross_entropy", "importance_sampling", "ppo", "cispo", "dro"]  # LossFnType of 0.24.1
PNG = b"\x89PNG\r\n\x1a\nfake-image-bytes"
NOW = datetime(2025, 3, 4, 5, 6, 7, 123456, tzinfo=UTC)


def sdk_json(obj: Any) -> dict[str, Any]:
    """The JSON the official SDK puts on the wire for `obj`."""
    if isinstance(obj, T.ForwardBackwardRequest | T.ForwardRequest):
        obj = conv.to_pydantic_request(obj)
    elif isinstance(obj, T.ForwardBackwardInput):
        obj = conv.to_pydantic_input(obj)
    elif isinstance(obj, T.Datum):
        obj = conv._to_pydantic_datum(obj)
    elif isinstance(obj, T.TensorData):
        obj = conv._to_pydantic_tensor_data(obj)
    return model_dump(obj, exclude_unset=False, exclude_none=True, mode="json")


def text(*tokens: int) -> Any:
    return T.ModelInput(chunks=[T.EncodedTextChunk(tokens=list(tokens))])


def datum(n: int = 3) -> Any:
    return T.Datum(
        model_input=text(*range(1, n + 1)),
        loss_fn_inputs={
            "target_tokens": T.TensorData(data=list(range(2, n + 2)), dtype="int64"),
            "weights": T.TensorData(data=[0.5] * n, dtype="float32"),
        },
    )


def fb_input(loss_fn: str = "cross_entropy", config: dict[str, float] | None = None) -> Any:
    return T.ForwardBackwardInput(data=[datum(), datum(2)], loss_fn=loss_fn, loss_fn_config=config)  # type: ignore[arg-type]


def checkpoint(**kw: Any) -> Any:
    base: dict[str, Any] = {
        "checkpoint_id": "weights/0001",
        "checkpoint_type": "training",
        "time": NOW,
        "tinker_path": "tinker://run-1/weights/0001",
    }
    return T.Checkpoint(**(base | kw))


def training_run(**kw: Any) -> Any:
    base: dict[str, Any] = {
        "training_run_id": "run-1",
        "base_model": "Qwen/Qwen3-8B",
        "model_owner": "me",
        "is_lora": True,
        "last_request_time": NOW,
    }
    return T.TrainingRun(**(base | kw))


def event(kind: str) -> Any:
    common: dict[str, Any] = {
        "event_id": "e1",
        "event_session_index": 3,
        "severity": "INFO",
        "timestamp": NOW,
    }
    if kind == "start":
        return T.SessionStartEvent(event="SESSION_START", **common)
    if kind == "end":
        return T.SessionEndEvent(event="SESSION_END", duration="0:01:02.5", **common)
    if kind == "exception":
        return T.UnhandledExceptionEvent(
            event="UNHANDLED_EXCEPTION",
            error_type="ValueError",
            error_message="boom",
            traceback="tb",
            **common,
        )
    return GenericEvent(event="GENERIC_EVENT", event_name="x.y", event_data={"a": 1, "b": [1, "z"]}, **common)


# (official type name, case id, builder, direction) ----------------------------------------------------------
Case = tuple[str, str, Callable[[], Any], str]
CASES: list[Case] = []


def case(type_name: str, case_id: str, direction: str = "request") -> Callable[[Callable[[], Any]], Any]:
    def register(builder: Callable[[], Any]) -> Callable[[], Any]:
        CASES.append((type_name, case_id, builder, direction))
        return builder

    return register


def add(type_name: str, case_id: str, builder: Callable[[], Any], direction: str = "request") -> None:
    CASES.append((type_name, case_id, builder, direction))


# model input
add("EncodedTextChunk", "tokens", lambda: T.EncodedTextChunk(tokens=[1, 2, 3]))
add("EncodedTextChunk", "empty", lambda: T.EncodedTextChunk(tokens=[]))
add("ImageChunk", "png_no_expected_tokens", lambda: T.ImageChunk(data=PNG, format="png"))
add("ImageChunk", "jpeg_expected_tokens", lambda: T.ImageChunk(data=PNG, format="jpeg", expected_tokens=64))
add("ImageChunk", "from_base64_str", lambda: T.ImageChunk(data=base64.b64encode(PNG).decode(), format="png"))
add("ImageAssetPointerChunk", "png", lambda: T.ImageAssetPointerChunk(format="png", location="s3://b/k.png"))
add(
    "ImageAssetPointerChunk",
    "jpeg_expected_tokens",
    lambda: T.ImageAssetPointerChunk(format="jpeg", location="https://x/y.jpg", expected_tokens=12),
)
add("DmelChunk", "bytes", lambda: T.DmelChunk(dmel=bytes([1, 2, 3, 4, 200])))
add("ModelInput", "empty", lambda: T.ModelInput.empty())
add("ModelInput", "from_ints", lambda: T.ModelInput.from_ints([5, 6, 7]))
add(
    "ModelInput",
    "every_chunk_type",
    lambda: T.ModelInput(
        chunks=[
            T.EncodedTextChunk(tokens=[1]),
            T.ImageChunk(data=PNG, format="png", expected_tokens=4),
            T.ImageAssetPointerChunk(format="jpeg", location="file:///a.jpg"),
            T.DmelChunk(dmel=b"\x00\x01\x02"),
            T.EncodedTextChunk(tokens=[2, 3]),
        ]
    ),
)
# tensors
add("TensorData", "int64_no_shape", lambda: T.TensorData(data=[1, 2, 3], dtype="int64"))
add("TensorData", "int64_shape", lambda: T.TensorData(data=[1, 2, 3, 4], dtype="int64", shape=[2, 2]))
add("TensorData", "float32_no_shape", lambda: T.TensorData(data=[0.1, -2.5, 3.0], dtype="float32"))
add(
    "TensorData",
    "float32_shape",
    lambda: T.TensorData(data=[0.25, 0.5, 1.0, 2.0], dtype="float32", shape=[4]),
)
add("TensorData", "empty", lambda: T.TensorData(data=[], dtype="float32"))
add(
    "TensorData",
    "sparse_csr",
    lambda: T.TensorData(
        data=[1.0, 2.0],
        dtype="float32",
        shape=[2, 3],
        sparse_crow_indices=[0, 1, 2],
        sparse_col_indices=[2, 0],
    ),
)
add("Datum", "text_ce", datum)
add("Datum", "no_loss_inputs", lambda: T.Datum(model_input=text(1, 2)))
add(
    "Datum",
    "rl_inputs",
    lambda: T.Datum(
        model_input=text(1, 2, 3),
        loss_fn_inputs={
            "target_tokens": [2, 3, 4],
            "advantages": [0.5, -1.0, 0.0],
            "logprobs": [-1.0, -2.0, -0.5],
        },
    ),
)
for _fn in LOSS_FNS:
    add("ForwardBackwardInput", f"loss_{_fn}", lambda fn=_fn: fb_input(fn))
add(
    "ForwardBackwardInput",
    "loss_fn_config",
    lambda: fb_input("ppo", {"clip_low_threshold": 0.8, "beta": 1.0}),
)
add(
    "ForwardBackwardRequest",
    "seq_id_none",
    lambda: T.ForwardBackwardRequest(fb_input(), model_id="s:train:0"),
)
add(
    "ForwardBackwardRequest",
    "seq_id",
    lambda: T.ForwardBackwardRequest(fb_input("dro"), model_id="m", seq_id=7),
)
add("ForwardRequest", "seq_id", lambda: T.ForwardRequest(fb_input(), model_id="m", seq_id=1))
add("ForwardRequest", "seq_id_none", lambda: T.ForwardRequest(fb_input("cispo"), model_id="m"))
# optimizer and lifecycle
add("AdamParams", "defaults", lambda: T.AdamParams())
add(
    "AdamParams",
    "all_set",
    lambda: T.AdamParams(
        learning_rate=3e-5, beta1=0.8, beta2=0.99, eps=1e-8, weight_decay=0.01, grad_clip_norm=1.0
    ),
)
add("OptimStepRequest", "seq_id_none", lambda: T.OptimStepRequest(adam_params=T.AdamParams(), model_id="m"))
add(
    "OptimStepRequest",
    "seq_id",
    lambda: T.OptimStepRequest(adam_params=T.AdamParams(learning_rate=1e-3), model_id="m", seq_id=2),
)
add("LoraConfig", "rank_only", lambda: T.LoraConfig(rank=8))
add(
    "LoraConfig",
    "all_set",
    lambda: T.LoraConfig(rank=32, seed=7, train_unembed=False, train_mlp=False, train_attn=False),
)
add(
    "CreateModelRequest",
    "minimal",
    lambda: T.CreateModelRequest(session_id="s", model_seq_id=0, base_model="b"),
)
add(
    "CreateModelRequest",
    "lora_and_metadata",
    lambda: T.CreateModelRequest(
        session_id="s",
        model_seq_id=3,
        base_model="Qwen/Qwen3-8B",
        user_metadata={"k": "v", "n": 1, "nested": {"a": [1, None]}},
        lora_config=T.LoraConfig(rank=16, seed=1),
    ),
)
add("GetInfoRequest", "model_id", lambda: T.GetInfoRequest(model_id="s:train:0"))
add("UnloadModelRequest", "model_id", lambda: T.UnloadModelRequest(model_id="m"))
add(
    "LoadWeightsRequest",
    "legacy_addressing",
    lambda: T.LoadWeightsRequest(model_id="m", seq_id=1, path="tinker://r/weights/c", optimizer=True),
)
add(
    "LoadWeightsRequest",
    "create_via_load",
    lambda: T.LoadWeightsRequest(
        session_id="s",
        model_seq_id=2,
        base_model="b",
        user_metadata={"x": 1},
        path="tinker://r/weights/c",
        optimizer=False,
        weights_access_token="secret-token",
    ),
)
add("SaveWeightsRequest", "minimal", lambda: T.SaveWeightsRequest(model_id="m"))
add(
    "SaveWeightsRequest",
    "all_set",
    lambda: T.SaveWeightsRequest(model_id="m", path="ckpt-1", seq_id=4, ttl_seconds=7200, overwrite=True),
)
add(
    "SaveWeightsForSamplerRequest",
    "named",
    lambda: T.SaveWeightsForSamplerRequest(model_id="m", path="s1", seq_id=5),
)
add(
    "SaveWeightsForSamplerRequest",
    "ephemeral",
    lambda: T.SaveWeightsForSamplerRequest(
        model_id="m", sampling_session_seq_id=1, seq_id=6, ttl_seconds=3600
    ),
)
# sampling
add("SamplingParams", "defaults", lambda: T.SamplingParams())
add("SamplingParams", "stop_str", lambda: T.SamplingParams(max_tokens=5, stop="\n"))
add("SamplingParams", "stop_strs", lambda: T.SamplingParams(max_tokens=5, stop=["\n", "END"]))
add("SamplingParams", "stop_tokens", lambda: T.SamplingParams(max_tokens=5, stop=[1, 2]))
add("SamplingParams", "stop_empty", lambda: T.SamplingParams(stop=[]))
add(
    "SamplingParams",
    "all_set",
    lambda: T.SamplingParams(max_tokens=64, seed=3, stop=["x"], temperature=0.7, top_k=50, top_p=0.9),
)
add(
    "SampleRequest",
    "sampling_session",
    lambda: T.SampleRequest(
        prompt=text(1, 2),
        sampling_params=T.SamplingParams(max_tokens=4),
        sampling_session_id="s:sample:0",
        seq_id=0,
        prompt_logprobs=False,
    ),
)
add(
    "SampleRequest",
    "base_model_logprobs",
    lambda: T.SampleRequest(
        num_samples=4,
        prompt=T.ModelInput(chunks=[T.EncodedTextChunk(tokens=[1]), T.ImageChunk(data=PNG, format="png")]),
        sampling_params=T.SamplingParams(max_tokens=8, temperature=0.0),
        base_model="Qwen/Qwen3-8B",
        prompt_logprobs=True,
        topk_prompt_logprobs=5,
    ),
)
add(
    "SampleRequest",
    "model_path",
    lambda: T.SampleRequest(
        prompt=text(3), sampling_params=T.SamplingParams(), model_path="tinker://r/sampler_weights/x"
    ),
)
# futures and session
add("FutureRetrieveRequest", "default", lambda: T.FutureRetrieveRequest(request_id="42"))
add(
    "FutureRetrieveRequest",
    "metadata_only",
    lambda: T.FutureRetrieveRequest(request_id="42", allow_metadata_only=True),
)
add(
    "CreateSessionRequest",
    "empty_metadata",
    lambda: T.CreateSessionRequest(tags=[], user_metadata={}, sdk_version="0.24.1"),
)
# user_metadata=None is left out of the body by the SDK's exclude_none dump, and then the SDK's own model
# rejects that body (the key is required there): the SDK itself always sends {}. The spec makes it optional.
add(
    "CreateSessionRequest",
    "all_set",
    lambda: T.CreateSessionRequest(
        tags=["a", "b"], user_metadata={"k": 1}, sdk_version="0.24.1", project_id="p"
    ),
)
add("SessionHeartbeatRequest", "session", lambda: T.SessionHeartbeatRequest(session_id="s"))
add(
    "CreateSamplingSessionRequest",
    "base_model",
    lambda: T.CreateSamplingSessionRequest(session_id="s", sampling_session_seq_id=0, base_model="b"),
)
add(
    "CreateSamplingSessionRequest",
    "model_path",
    lambda: T.CreateSamplingSessionRequest(
        session_id="s", sampling_session_seq_id=1, model_path="tinker://r/sampler_weights/x"
    ),
)
add("ClientConfigRequest", "version", lambda: T.ClientConfigRequest(sdk_version="0.24.1"))
add(
    "TelemetrySendRequest",
    "every_event_type",
    lambda: T.TelemetrySendRequest(
        events=[event("start"), event("end"), event("exception"), event("generic")],
        platform="Linux",
        sdk_version="0.24.1",
        session_id="sessionless-1",
        process_uuid="u",
    ),
)

# responses ----------------------------------------------------------------------------------------------
R = "response"
add("UntypedAPIFuture", "request_id", lambda: T.shared.UntypedAPIFuture(request_id="1"), R)
add("UntypedAPIFuture", "model_id", lambda: T.shared.UntypedAPIFuture(request_id="1", model_id="m"), R)
for _qs in ["active", "paused_capacity", "paused_rate_limit"]:
    add("TryAgainResponse", _qs, lambda qs=_qs: TryAgainResponse(request_id="9", queue_state=qs), R)
for _cat in T.RequestErrorCategory:
    add(
        "RequestFailedResponse",
        _cat.value,
        lambda c=_cat: T.RequestFailedResponse(error="bad input", category=c),
        R,
    )
add("CreateModelResponse", "model_id", lambda: T.CreateModelResponse(model_id="s:train:0"), R)
add(
    "ForwardBackwardOutput",
    "cross_entropy",
    lambda: PydForwardBackwardOutput(
        loss_fn_output_type="ArrayRecord",
        loss_fn_outputs=[
            {
                "logprobs": T._pydantic_types.tensor_data.TensorData(
                    data=[-0.5, -1.25], dtype="float32", shape=[2]
                )
            },
            {"logprobs": T._pydantic_types.tensor_data.TensorData(data=[-2.0], dtype="float32")},
        ],
        metrics={"loss:sum": 3.75, "tokens:sum": 3.0},
    ),
    R,
)
add(
    "ForwardBackwardOutput",
    "empty",
    lambda: PydForwardBackwardOutput(loss_fn_output_type="scalar", loss_fn_outputs=[], metrics={}),
    R,
)
add("OptimStepResponse", "metrics_none", lambda: T.OptimStepResponse(), R)
add("OptimStepResponse", "metrics", lambda: T.OptimStepResponse(metrics={"grad_norm:mean": 0.5}), R)
add("SaveWeightsResponse", "path", lambda: T.SaveWeightsResponse(path="tinker://r/weights/c"), R)
add(
    "SaveWeightsResponse",
    "typed",
    lambda: T.SaveWeightsResponse(path="tinker://r/weights/c", type="save_weights"),
    R,
)
add(
    "SaveWeightsForSamplerResponse",
    "path",
    lambda: T.SaveWeightsForSamplerResponse(path="tinker://r/sampler_weights/c"),
    R,
)
add("SaveWeightsForSamplerResponseInternal", "empty", lambda: T.SaveWeightsForSamplerResponseInternal(), R)
add(
    "SaveWeightsForSamplerResponseInternal",
    "session",
    lambda: T.SaveWeightsForSamplerResponseInternal(
        sampling_session_id="s:sample:1", type="save_weights_for_sampler"
    ),
    R,
)
add("LoadWeightsResponse", "empty", lambda: T.LoadWeightsResponse(), R)
add(
    "LoadWeightsResponse",
    "all_set",
    lambda: T.LoadWeightsResponse(path="tinker://r/weights/c", model_id="m", type="load_weights"),
    R,
)
add("UnloadModelResponse", "model_id", lambda: T.UnloadModelResponse(model_id="m"), R)
add("UnloadModelResponse", "typed", lambda: T.UnloadModelResponse(model_id="m", type="unload_model"), R)
add(
    "SampledSequence",
    "stop",
    lambda: PydSampledSequence(stop_reason="stop", tokens=[1, 2], logprobs=[-0.1, -0.2]),
    R,
)
add("SampledSequence", "length_no_logprobs", lambda: PydSampledSequence(stop_reason="length", tokens=[3]), R)
add(
    "SampleResponse",
    "minimal",
    lambda: PydSampleResponse(sequences=[PydSampledSequence(stop_reason="stop", tokens=[1])]),
    R,
)
add(
    "SampleResponse",
    "prompt_logprobs",
    lambda: PydSampleResponse(
        sequences=[
            PydSampledSequence(stop_reason="length", tokens=[4, 5], logprobs=[-1.0, -2.0]),
            PydSampledSequence(stop_reason="stop", tokens=[], logprobs=[]),
        ],
        prompt_logprobs=[None, -0.5, -1.5],
        topk_prompt_logprobs=[None, [(7, -0.25), (8, -1.0)], [(9, -3.0)]],
        prompt_cache_hit_tokens=2,
    ),
    R,
)
add(
    "GetInfoResponse",
    "full",
    lambda: T.GetInfoResponse(
        type="get_info",
        model_data=T.ModelData(arch="qwen3", model_name="Qwen/Qwen3-8B", tokenizer_id="Qwen/Qwen3-8B:rev"),
        model_id="m",
        is_lora=True,
        lora_rank=32,
        model_name="Qwen/Qwen3-8B",
    ),
    R,
)
add("GetInfoResponse", "minimal", lambda: T.GetInfoResponse(model_data=T.ModelData(), model_id="m"), R)
add("ModelData", "empty", lambda: T.ModelData(), R)
add("ModelData", "full", lambda: T.ModelData(arch="a", model_name="n", tokenizer_id="t"), R)
add("CreateSessionResponse", "minimal", lambda: T.CreateSessionResponse(session_id="s"), R)
add(
    "CreateSessionResponse",
    "messages",
    lambda: T.CreateSessionResponse(session_id="s", info_message="i", warning_message="w", error_message="e"),
    R,
)
add("SessionHeartbeatResponse", "default", lambda: T.SessionHeartbeatResponse(), R)
add(
    "CreateSamplingSessionResponse",
    "id",
    lambda: T.CreateSamplingSessionResponse(sampling_session_id="s:sample:0"),
    R,
)
add("HealthResponse", "ok", lambda: T.HealthResponse(status="ok"), R)
add("SupportedModel", "empty", lambda: T.SupportedModel(), R)
add(
    "GetServerCapabilitiesResponse",
    "models",
    lambda: T.GetServerCapabilitiesResponse(
        supported_models=[
            T.SupportedModel(model_name="Qwen/Qwen3-8B", max_context_length=32768),
            T.SupportedModel(),
        ]
    ),
    R,
)
add("Checkpoint", "training_minimal", lambda: checkpoint(), R)
add(
    "Checkpoint",
    "sampler_all_set",
    lambda: checkpoint(
        checkpoint_id="sampler_weights/0002",
        checkpoint_type="sampler",
        tinker_path="tinker://run-1/sampler_weights/0002",
        size_bytes=123456789,
        public=True,
        expires_at=NOW + timedelta(days=7),
    ),
    R,
)
add(
    "Checkpoint",
    "naive_and_offset_times",
    lambda: checkpoint(
        time=datetime(2025, 1, 1, 12, 0, 0),
        expires_at=datetime(2025, 1, 2, tzinfo=timezone(timedelta(hours=2))),
    ),
    R,
)
add("Cursor", "page", lambda: T.Cursor(offset=20, limit=20, total_count=47), R)
add("CheckpointsListResponse", "no_cursor", lambda: T.CheckpointsListResponse(checkpoints=[checkpoint()]), R)
add(
    "CheckpointsListResponse",
    "cursor",
    lambda: T.CheckpointsListResponse(checkpoints=[], cursor=T.Cursor(offset=0, limit=100, total_count=0)),
    R,
)
add("TrainingRun", "minimal", lambda: training_run(), R)
add(
    "TrainingRun",
    "all_set",
    lambda: training_run(
        corrupted=True,
        lora_rank=32,
        last_checkpoint=checkpoint(),
        last_sampler_checkpoint=checkpoint(checkpoint_id="sampler_weights/s", checkpoint_type="sampler"),
        user_metadata={"k": "v"},
    ),
    R,
)
add(
    "TrainingRunsResponse",
    "page",
    lambda: T.TrainingRunsResponse(
        training_runs=[training_run()], cursor=T.Cursor(offset=0, limit=20, total_count=1)
    ),
    R,
)
add("WeightsInfoResponse", "minimal", lambda: T.WeightsInfoResponse(base_model="b", is_lora=False), R)
add(
    "WeightsInfoResponse",
    "lora",
    lambda: T.WeightsInfoResponse(
        base_model="b", is_lora=True, lora_rank=8, train_unembed=True, train_mlp=False, train_attn=True
    ),
    R,
)
add(
    "GetSamplerResponse",
    "base_model",
    lambda: T.GetSamplerResponse(sampler_id="s:sample:0", base_model="b"),
    R,
)
add(
    "GetSamplerResponse",
    "model_path",
    lambda: T.GetSamplerResponse(sampler_id="x", base_model="b", model_path="tinker://r/sampler_weights/c"),
    R,
)
add("GetSessionResponse", "ids", lambda: T.GetSessionResponse(training_run_ids=["r1"], sampler_ids=[]), R)
add("ListSessionsResponse", "ids", lambda: T.ListSessionsResponse(sessions=["s1", "s2"]), R)
add(
    "CheckpointArchiveUrlResponse",
    "url",
    lambda: T.CheckpointArchiveUrlResponse(url="https://x/y.tar", expires=NOW),
    R,
)
add("AuthTokenResponse", "jwt", lambda: T.AuthTokenResponse(jwt="eyJ.x.y"), R)
add("ClientConfigResponse", "defaults", lambda: T.ClientConfigResponse(), R)
add(
    "ClientConfigResponse",
    "flags_on",
    lambda: T.ClientConfigResponse(pjwt_auth_enabled=True, proto_write_fwdbwd=True, fwdbwd_max_chunk_len=256),
    R,
)
add("TelemetryResponse", "accepted", lambda: T.TelemetryResponse(status="accepted"), R)
add(
    "AuditLogResponse",
    "entries",
    lambda: T.AuditLogResponse(
        entries=[
            T.AuditLogEntry(timestamp=NOW, event="checkpoint.created"),
            T.AuditLogEntry(
                timestamp=NOW, event="e", model_id="m", tinker_path="tinker://r/weights/c", purpose="p"
            ),
        ]
    ),
    R,
)
add(
    "BillingUsageResponse",
    "every_event_info",
    lambda: T.BillingUsageResponse(
        data=[
            T.BillingUsageEvent(bucket_start=NOW, bucket_end=NOW, event_info=info)
            for info in [
                T.TrainingBillingEvent(token_count=10),
                T.SamplingPrefillBillingEvent(cached=True, token_count=3),
                T.SamplingSampleBillingEvent(token_count=4),
                T.CheckpointBillingEvent(count=1),
                T.StorageBillingEvent(gigabyte_hours=0.5),
            ]
        ]
        + [
            T.BillingUsageEvent(
                bucket_start=NOW,
                bucket_end=NOW + timedelta(hours=1),
                base_model="b",
                user_id="u",
                user_name="n",
                session_id="s",
                project_id="p",
                event_info=T.TrainingBillingEvent(token_count=1),
            )
        ],
        sessions={"s": T.BillingUsageSession(user_metadata={"k": "v"}), "t": T.BillingUsageSession()},
    ),
    R,
)
add("WhoamiResponse", "minimal", lambda: T.WhoamiResponse(user_urn="tml:user:1"), R)
add("WhoamiResponse", "email", lambda: T.WhoamiResponse(user_urn="tml:user:1", email="a@b.c"), R)


def _official_class(obj: Any) -> Any:
    """The pydantic class the SDK validates this wire type with."""
    if isinstance(obj, T.ForwardBackwardRequest | T.ForwardRequest):
        return type(conv.to_pydantic_request(obj))
    if isinstance(obj, T.ForwardBackwardInput):
        return type(conv.to_pydantic_input(obj))
    if isinstance(obj, T.Datum):
        return type(conv._to_pydantic_datum(obj))
    if isinstance(obj, T.TensorData):
        return type(conv._to_pydantic_tensor_data(obj))
    return type(obj)


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
    wire = sdk_json(obj)
    out = _check(generated_cls, wire)
    official_cls = _official_class(obj)
    # What the generated layer emits must be what the official model accepts and re-emits identically.
    reparsed = official_cls.model_validate(out)
    assert json_differences(wire, model_dump(reparsed, exclude_none=True, mode="json")) == []
    if direction == R:
        # Servers (FastAPI) send optional fields as explicit nulls: those must round-trip too.
        _check(generated_cls, model_dump(obj, exclude_none=False, mode="json"))


def test_every_covered_type_has_a_case() -> None:
    assert {t for t, *_ in CASES} == set(COVERED)


@pytest.mark.parametrize(
    ("chunk", "expected"),
    [
        pytest.param(T.EncodedTextChunk(tokens=[1]), gen.EncodedTextChunk, id="encoded_text"),
        pytest.param(T.ImageChunk(data=PNG, format="png"), gen.ImageChunk, id="image"),
        pytest.param(
            T.ImageAssetPointerChunk(format="png", location="l"), gen.ImageAssetPointerChunk, id="pointer"
        ),
        pytest.param(T.DmelChunk(dmel=b"\x01"), gen.DmelChunk, id="dmel"),
    ],
)
def test_model_input_chunk_parses_to_the_variant_named_by_its_tag(chunk: Any, expected: type) -> None:
    parsed = gen.ModelInput.from_dict(sdk_json(T.ModelInput(chunks=[chunk])))
    assert type(parsed.chunks[0]) is expected


def test_model_input_chunk_with_unknown_tag_is_rejected() -> None:
    # The generated parser tries each variant; every one rejects the body (const tag or missing field).
    with pytest.raises((ValueError, KeyError)):
        gen.ModelInput.from_dict({"chunks": [{"type": "video", "tokens": [1]}]})


def _classify(body: dict[str, Any]) -> Any:
    response = httpx.Response(200, json=body)
    return retrieve_future._parse_response(client=Client(base_url="http://test"), response=response)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            sdk_json(TryAgainResponse(request_id="1", queue_state="paused_rate_limit")),
            gen.TryAgainResponse,
            id="try_again",
        ),
        pytest.param(
            {
                "type": "try_again",
                "request_id": "1",
                "queue_state": "brand_new_state",
                "queue_state_reason": "r",
            },
            gen.TryAgainResponse,
            id="try_again_unknown_queue_state",
        ),
        pytest.param(
            {"status": "complete_metadata", "response_payload_size": 10},
            gen.FutureMetadataOnlyResponse,
            id="metadata",
        ),
        pytest.param(
            sdk_json(T.RequestFailedResponse(error="e", category=T.RequestErrorCategory.User)),
            gen.RequestFailedResponse,
            id="failed",
        ),
        pytest.param(
            {"error": "e", "category": "brand_new"}, gen.RequestFailedResponse, id="failed_unknown_category"
        ),
        pytest.param(
            sdk_json(T.OptimStepResponse(metrics={"a:mean": 1.0})),
            gen.FutureCompletedResult,
            id="optim_result",
        ),
        pytest.param(
            sdk_json(T.CreateModelResponse(model_id="m")), gen.FutureCompletedResult, id="create_model_result"
        ),
        pytest.param({}, gen.FutureCompletedResult, id="untyped_empty_result"),
    ],
)
def test_retrieve_future_body_classification(body: dict[str, Any], expected: type) -> None:
    parsed = _classify(body)
    assert type(parsed) is expected
    assert json_differences(body, parsed.to_dict()) == []
