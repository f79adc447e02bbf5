"""from_json of response types: same values as the official 0.24.1 models parse, tolerant of
unknown keys, strict about required keys."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import tinker_ext.types as t
from tinker_ext.types import RequestErrorCategory

official = pytest.importorskip("tinker")
pytest.importorskip("tinker.types.try_again_response")
conv = pytest.importorskip("tinker.lib._pydantic_conv")

CKPT = {
    "checkpoint_id": "weights/0001",
    "checkpoint_type": "training",
    "time": "2025-06-01T12:00:00Z",
    "tinker_path": "tinker://run-1/weights/0001",
    "size_bytes": 1234,
    "public": True,
    "expires_at": "2025-07-01T00:00:00+00:00",
}

RESPONSES: list[tuple[str, dict[str, Any]]] = [
    ("CreateModelResponse", {"model_id": "s:train:0", "type": "create_model", "extra": 1}),
    (
        "GetInfoResponse",
        {
            "model_data": {"arch": "qwen3", "model_name": "Qwen/Qwen3-8B", "tokenizer_id": "Qwen/Qwen3-8B"},
            "model_id": "m",
            "is_lora": True,
            "lora_rank": 16,
            "type": "get_info",
        },
    ),
    ("GetInfoResponse", {"model_data": {}, "model_id": "m"}),
    ("SaveWeightsResponse", {"path": "tinker://r/weights/x", "type": "save_weights"}),
    ("LoadWeightsResponse", {"path": "tinker://r/weights/x"}),
    ("SaveWeightsForSamplerResponseInternal", {"sampling_session_id": "s:sample:3"}),
    ("OptimStepResponse", {"metrics": {"grad_norm:mean": 0.5}}),
    ("OptimStepResponse", {}),
    ("CreateSessionResponse", {"session_id": "s", "warning_message": "careful"}),
    ("CreateSamplingSessionResponse", {"sampling_session_id": "s:sample:0"}),
    ("UntypedAPIFuture", {"request_id": "r1", "model_id": "m", "status": "pending"}),
    ("Checkpoint", CKPT),
    (
        "CheckpointsListResponse",
        {"checkpoints": [CKPT], "cursor": {"offset": 0, "limit": 10, "total_count": 1}},
    ),
    (
        "TrainingRun",
        {
            "training_run_id": "r",
            "base_model": "b",
            "model_owner": "o",
            "is_lora": True,
            "lora_rank": 8,
            "last_request_time": "2025-01-02T03:04:05Z",
            "last_checkpoint": CKPT,
            "user_metadata": {"a": "b"},
        },
    ),
    ("TrainingRunsResponse", {"training_runs": [], "cursor": {"offset": 0, "limit": 20, "total_count": 0}}),
    ("WeightsInfoResponse", {"base_model": "b", "is_lora": True, "lora_rank": 4, "train_mlp": False}),
    ("GetSamplerResponse", {"sampler_id": "s:sample:0", "base_model": "b"}),
    ("GetSessionResponse", {"training_run_ids": ["a"], "sampler_ids": []}),
    ("ListSessionsResponse", {"sessions": ["a", "b"]}),
    (
        "GetServerCapabilitiesResponse",
        {"supported_models": [{"model_name": "m", "max_context_length": 4096}, {}]},
    ),
    ("CheckpointArchiveUrlResponse", {"url": "https://x/a.tar", "expires": "2025-01-01T00:00:00Z"}),
    (
        "AuditLogResponse",
        {
            "entries": [
                {
                    "timestamp": "2025-01-01T00:00:00Z",
                    "event": "checkpoint.created",
                    "tinker_path": "tinker://r/weights/a",
                }
            ]
        },
    ),
    ("TryAgainResponse", {"type": "try_again", "request_id": "r", "queue_state": "paused_capacity"}),
]


def _normalise(value: Any) -> Any:
    if isinstance(value, dict):
        # None and empty-dict values are dropped: fields newer than 0.24.1 (e.g. event_details) default to {}.
        return {k: _normalise(v) for k, v in value.items() if v is not None and v != {}}
    if isinstance(value, list | tuple):
        return [_normalise(v) for v in value]
    if isinstance(value, dt.datetime):  # as pydantic's JSON mode writes it (UTC as `Z`)
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if hasattr(value, "value") and not isinstance(value, str | int | float):
        return value.value
    return value


@pytest.mark.parametrize(("name", "body"), RESPONSES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(RESPONSES)])
def test_from_json_matches_official_parse(name: str, body: dict[str, Any]) -> None:
    ours = getattr(t, name).from_json(body)
    module = official.types.try_again_response if name == "TryAgainResponse" else official.types
    theirs = getattr(module, name).model_validate(body)
    theirs_dict = _normalise(theirs.model_dump(mode="python", exclude_none=True))
    ours_dict = _normalise(ours.to_json())
    for key, value in theirs_dict.items():
        if key == "type":
            continue
        assert ours_dict.get(key) == value, key


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("CreateModelResponse", {"type": "create_model"}),
        ("GetInfoResponse", {"model_id": "m"}),
        ("SaveWeightsResponse", {}),
        ("Checkpoint", {k: v for k, v in CKPT.items() if k != "time"}),
        ("Checkpoint", {**CKPT, "time": "yesterday"}),
        ("TrainingRunsResponse", {"training_runs": []}),
        ("UntypedAPIFuture", {"model_id": "m"}),
        ("WeightsInfoResponse", {"base_model": "b", "is_lora": "yes"}),
        ("ForwardBackwardOutput", {"loss_fn_outputs": []}),
        ("SampleResponse", {"sequences": [{"stop_reason": "eos", "tokens": [1]}]}),
        ("CreateSessionResponse", []),
    ],
)
def test_from_json_rejects_missing_or_mistyped_required_keys(name: str, body: Any) -> None:
    with pytest.raises(t.ResponseFormatError):
        getattr(t, name).from_json(body)
    assert issubclass(t.ResponseFormatError, ValueError)


def test_forward_backward_output_from_json_matches_official() -> None:
    body = {
        "loss_fn_output_type": "ArrayRecord",
        "loss_fn_outputs": [
            {"logprobs": {"data": [-0.5, -1.0], "dtype": "float32", "shape": [2]}},
            {
                "logprobs": {"data": [-2.0], "dtype": "float32"},
                "elementwise_loss": {"data": [1.0], "dtype": "float32"},
            },
        ],
        "metrics": {"loss:sum": 3.5},
        "unknown": True,
    }
    ours = t.ForwardBackwardOutput.from_json(body)
    theirs = conv.deserialize_json_response(body, official.types.ForwardBackwardOutput)
    assert ours.metrics == theirs.metrics
    assert ours.loss_fn_output_type == theirs.loss_fn_output_type
    assert [{k: v.tolist() for k, v in o.items()} for o in ours.loss_fn_outputs] == [
        {k: v.tolist() for k, v in o.items()} for o in theirs.loss_fn_outputs
    ]
    qualified = t.ForwardBackwardOutput.from_json({**body, "loss_fn_output_type": "pkg.mod:TorchLossReturn"})
    assert qualified.loss_fn_output_type == "TorchLossReturn"


def test_sample_response_from_json_matches_official() -> None:
    body = {
        "sequences": [
            {"stop_reason": "stop", "tokens": [5, 6], "logprobs": [-0.1, -0.2]},
            {"stop_reason": "length", "tokens": []},
        ],
        "type": "sample",
        "prompt_logprobs": [None, -1.5],
        "topk_prompt_logprobs": [None, [[3, -0.5], [4, -1.0]]],
    }
    ours = t.SampleResponse.from_json(body)
    theirs = conv.deserialize_json_response(body, official.types.SampleResponse)
    assert [s.tokens for s in ours.sequences] == [s.tokens for s in theirs.sequences]
    assert [s.logprobs for s in ours.sequences] == [s.logprobs for s in theirs.sequences]
    assert [s.stop_reason for s in ours.sequences] == [s.stop_reason for s in theirs.sequences]
    assert ours.prompt_logprobs == theirs.prompt_logprobs
    assert ours.topk_prompt_logprobs == [
        tuple_row if tuple_row is None else [tuple(p) for p in tuple_row]
        for tuple_row in theirs.topk_prompt_logprobs
    ]
    assert ours.prompt_cache_hit_tokens == 0
    assert t.SampleResponse.from_json(ours.to_json()).to_json() == ours.to_json()


def test_try_again_tolerates_missing_queue_state_and_keeps_reason() -> None:
    parsed = t.TryAgainResponse.from_json(
        {"type": "try_again", "request_id": "r", "queue_state_reason": "busy"}
    )
    assert parsed.queue_state is t.QueueState.UNKNOWN
    assert parsed.queue_state_reason == "busy"
    assert t.TryAgainResponse.matches({"type": "try_again"})
    assert not t.TryAgainResponse.matches({"error": "x"})


def test_request_failed_category_parsing() -> None:
    failed = t.RequestFailedResponse.from_json({"error": "bad", "category": "User"})
    assert failed.category is RequestErrorCategory.USER
    assert (
        t.RequestFailedResponse.from_json({"error": "x", "category": "??"}).category
        is RequestErrorCategory.UNKNOWN
    )
    assert t.RequestFailedResponse.matches({"error": "x"})


def test_client_config_defaults_and_server_limits() -> None:
    from tinker_ext._training.chunking import DEFAULT_MAX_CHUNK_DATUMS, ChunkLimits

    default = t.ClientConfigResponse.from_json({})
    assert default.fwdbwd_max_chunk_len == 1024  # 0.38's default
    assert default.parallel_fwdbwd_chunks is True
    # a default is not a limit the server published: the client keeps its own chunking
    assert ChunkLimits.from_client_config(default) == ChunkLimits()
    cfg = t.ClientConfigResponse.from_json(
        {"fwdbwd_max_chunk_len": 64, "fwdbwd_max_chunk_bytes_count": 5_000_000, "new_flag": 1}
    )
    assert (cfg.fwdbwd_max_chunk_len, cfg.fwdbwd_max_chunk_bytes_count) == (64, 5_000_000)
    limits = ChunkLimits.from_client_config(cfg)
    assert (limits.max_datums, limits.max_bytes) == (64, 5_000_000)
    only_bytes = ChunkLimits.from_client_config(
        t.ClientConfigResponse.from_json({"fwdbwd_max_chunk_bytes_count": 9})
    )
    assert (only_bytes.max_datums, only_bytes.max_bytes) == (DEFAULT_MAX_CHUNK_DATUMS, 9)
    with pytest.raises(t.ResponseFormatError):
        t.ClientConfigResponse.from_json({"fwdbwd_max_chunk_len": "many"})


def test_auth_token_response_never_prints_the_token() -> None:
    token = t.AuthTokenResponse.from_json({"jwt": "header.claims.signature"})
    assert token.jwt == "header.claims.signature"
    assert "claims" not in repr(token) and "claims" not in str(token)
    assert token.model_dump() == {"jwt": "header.claims.signature"}


def test_checkpoint_accepts_unix_timestamps_and_z_suffix() -> None:
    parsed = t.Checkpoint.from_json({**CKPT, "time": 0})
    assert parsed.time == dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    assert t.Checkpoint.from_json(CKPT).time.tzinfo is not None


def test_external_weights_urls_response() -> None:
    parsed = t.ExternalWeightsUrlsResponse.from_json(
        {"urls": {"a.bin": "https://s/a"}, "expires": "2026-01-01T00:00:00Z"}
    )
    assert parsed.urls == {"a.bin": "https://s/a"}
    assert parsed.expires.year == 2026
    with pytest.raises(t.ResponseFormatError):
        t.ExternalWeightsUrlsResponse.from_json({"expires": "2026-01-01T00:00:00Z"})


def test_checkpoint_type_is_open_as_the_spec_says() -> None:
    # openapi.yaml: checkpoint_type is anyOf [CheckpointType, string], so a kind a newer server adds is kept
    # (the public type follows the spec it is generated from); a non-string is still refused.
    assert t.Checkpoint.from_json({**CKPT, "checkpoint_type": "archive"}).checkpoint_type == "archive"
    with pytest.raises(t.ResponseFormatError):
        t.Checkpoint.from_json({**CKPT, "checkpoint_type": 3})
