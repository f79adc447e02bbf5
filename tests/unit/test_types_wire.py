"""to_json() of every request type equals what the official SDK 0.24.1 sends for the same input."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import tinker_ext.types as t

official = pytest.importorskip("tinker")
conv = pytest.importorskip("tinker.lib._pydantic_conv")

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(40))
JPEG = b"\xff\xd8\xff\xe0" + b"jpegpayload"


def dump(model: Any) -> dict[str, Any]:
    """What the official SDK puts in a JSON body."""
    result: dict[str, Any] = model.model_dump(exclude_unset=False, exclude_none=True, mode="json")
    return result


def official_datum(tokens: list[int], inputs: dict[str, Any]) -> Any:
    return official.types.Datum(
        model_input=official.types.ModelInput.from_ints(tokens), loss_fn_inputs=inputs
    )


@pytest.mark.parametrize(
    "chunks",
    [
        [],
        [("text", [1, 2, 3])],
        [("text", [5]), ("image", PNG, "png", 7), ("text", [9, 10])],
        [("image", JPEG, "jpeg", None)],
        [("pointer", "https://x/y.png", "png", 3), ("pointer", "/a.jpeg", "jpeg", None)],
    ],
)
def test_model_input_json_matches_official(chunks: list[tuple[Any, ...]]) -> None:
    ours: list[t.ModelInputChunk] = []
    theirs: list[Any] = []
    for spec in chunks:
        if spec[0] == "text":
            ours.append(t.EncodedTextChunk(tokens=spec[1]))
            theirs.append(official.types.EncodedTextChunk(tokens=spec[1]))
        elif spec[0] == "image":
            ours.append(t.ImageChunk(data=spec[1], format=spec[2], expected_tokens=spec[3]))
            theirs.append(official.types.ImageChunk(data=spec[1], format=spec[2], expected_tokens=spec[3]))
        else:
            ours.append(t.ImageAssetPointerChunk(location=spec[1], format=spec[2], expected_tokens=spec[3]))
            theirs.append(
                official.types.ImageAssetPointerChunk(
                    location=spec[1], format=spec[2], expected_tokens=spec[3]
                )
            )
    assert t.ModelInput(chunks=ours).to_json() == dump(official.types.ModelInput(chunks=theirs))


@pytest.mark.parametrize(
    "inputs",
    [
        {"target_tokens": [2, 3, 4], "weights": [1.0, 0.5, 0.0]},
        {"target_tokens": np.array([2, 3, 4]), "weights": np.array([0.1, 0.2, 0.3], dtype=np.float64)},
        {"target_tokens": [7, 8, 9], "advantages": [0.25, -1.5, 3.0], "logprobs": [-0.1, -0.2, -0.3]},
        {"target_tokens": [1, 1, 1], "clip_low_threshold": [0.8, 0.8, 0.8], "clip_high_threshold": [1, 1, 1]},
        {"target_tokens": np.arange(6, dtype=np.int32).reshape(3, 2)},
        {},
    ],
)
def test_datum_json_matches_official(inputs: dict[str, Any]) -> None:
    ours = t.Datum(model_input=t.ModelInput.from_ints([1, 2, 3]), loss_fn_inputs=inputs)
    theirs = official_datum([1, 2, 3], inputs)
    assert ours.to_json() == dump(conv._to_pydantic_datum(theirs))


def test_datum_json_from_torch_matches_official() -> None:
    torch = pytest.importorskip("torch")
    inputs = {
        "target_tokens": torch.tensor([4, 5, 6]),
        "weights": torch.tensor([1.0, 0.0, 0.5], dtype=torch.bfloat16),
        "advantages": torch.tensor([0.1, 0.2, 0.3], dtype=torch.float64),
    }
    ours = t.Datum(model_input=t.ModelInput.from_ints([1, 2, 3]), loss_fn_inputs=inputs)
    theirs = official_datum([1, 2, 3], inputs)
    assert ours.to_json() == dump(conv._to_pydantic_datum(theirs))


def test_datum_sparse_2d_torch_weights_match_official() -> None:
    torch = pytest.importorskip("torch")
    weights = torch.zeros(6, 5)
    weights[1, 2] = 1.0
    weights[4, 0] = 0.5
    targets = torch.zeros(6, 5, dtype=torch.int64)
    targets[0, 0] = 3
    inputs = {"weights": weights, "target_tokens": targets}
    ours = t.Datum(model_input=t.ModelInput.from_ints([1] * 6), loss_fn_inputs=inputs)
    theirs = official_datum([1] * 6, inputs)
    expected = dump(conv._to_pydantic_datum(theirs))
    assert ours.to_json() == expected
    assert "sparse_crow_indices" in expected["loss_fn_inputs"]["weights"]


@pytest.mark.parametrize("seq_id", [None, 4])
@pytest.mark.parametrize("config", [None, {"clip_low_threshold": 0.8, "beta": 2.0}])
def test_forward_backward_request_matches_official(
    seq_id: int | None, config: dict[str, float] | None
) -> None:
    inputs = {"target_tokens": [2, 3], "weights": [1.0, 1.0]}
    ours = t.ForwardBackwardRequest(
        forward_backward_input=t.ForwardBackwardInput(
            data=[t.Datum(model_input=t.ModelInput.from_ints([1, 2]), loss_fn_inputs=inputs)],
            loss_fn="ppo",
            loss_fn_config=config,
        ),
        model_id="m:train:0",
        seq_id=seq_id,
    )
    fbi = official.types.ForwardBackwardInput(
        data=[official_datum([1, 2], inputs)], loss_fn="ppo", loss_fn_config=config
    )
    theirs = conv.to_pydantic_request(
        official.types.ForwardBackwardRequest(forward_backward_input=fbi, model_id="m:train:0", seq_id=seq_id)
    )
    assert ours.to_json() == dump(theirs)
    ours_fwd = t.ForwardRequest(forward_input=ours.forward_backward_input, model_id="m", seq_id=seq_id)
    theirs_fwd = conv.to_pydantic_request(
        official.types.ForwardRequest(forward_input=fbi, model_id="m", seq_id=seq_id)
    )
    assert ours_fwd.to_json() == dump(theirs_fwd)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"max_tokens": 5, "stop": ["\n"]},
        {"max_tokens": 20, "seed": 3, "stop": "###", "temperature": 0.7, "top_k": 40, "top_p": 0.9},
        {"stop": [13, 2]},
        {"stop": []},
    ],
)
def test_sampling_params_json_matches_official(kwargs: dict[str, Any]) -> None:
    assert t.SamplingParams(**kwargs).to_json() == dump(official.types.SamplingParams(**kwargs))


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"sampling_session_id": "s:sample:0", "seq_id": 3, "prompt_logprobs": False},
        {"base_model": "Qwen/Qwen3-8B", "num_samples": 4, "topk_prompt_logprobs": 2, "prompt_logprobs": True},
        {"model_path": "tinker://run/sampler_weights/x"},
    ],
)
def test_sample_request_matches_official(kwargs: dict[str, Any]) -> None:
    ours = t.SampleRequest(
        prompt=t.ModelInput.from_ints([1, 2]), sampling_params=t.SamplingParams(max_tokens=3), **kwargs
    )
    theirs = official.types.SampleRequest(
        prompt=official.types.ModelInput.from_ints([1, 2]),
        sampling_params=official.types.SamplingParams(max_tokens=3),
        **kwargs,
    )
    assert ours.to_json() == dump(theirs)


@pytest.mark.parametrize("kwargs", [{}, {"learning_rate": 3e-4, "weight_decay": 0.01, "grad_clip_norm": 1.0}])
@pytest.mark.parametrize("seq_id", [None, 7])
def test_optim_step_request_matches_official(kwargs: dict[str, Any], seq_id: int | None) -> None:
    ours = t.OptimStepRequest(adam_params=t.AdamParams(**kwargs), model_id="m", seq_id=seq_id)
    theirs = official.types.OptimStepRequest(
        adam_params=official.types.AdamParams(**kwargs), model_id="m", seq_id=seq_id
    )
    assert t.AdamParams(**kwargs).to_json() == dump(official.types.AdamParams(**kwargs))
    assert ours.to_json() == dump(theirs)


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (
            # optimizer_config=None: the key left out, the body 0.24 sends (0.38's default adds AdamW)
            lambda: t.CreateModelRequest(
                session_id="s",
                model_seq_id=0,
                base_model="Qwen/Qwen3-8B",
                lora_config=t.LoraConfig(rank=32),
                optimizer_config=None,
            ),
            lambda: official.types.CreateModelRequest(
                session_id="s",
                model_seq_id=0,
                base_model="Qwen/Qwen3-8B",
                lora_config=official.types.LoraConfig(rank=32),
            ),
        ),
        (
            lambda: t.CreateModelRequest(
                session_id="s",
                model_seq_id=2,
                base_model="b",
                user_metadata={"k": "v"},
                lora_config=t.LoraConfig(rank=8, seed=1, train_mlp=False),
                optimizer_config=None,
            ),
            lambda: official.types.CreateModelRequest(
                session_id="s",
                model_seq_id=2,
                base_model="b",
                user_metadata={"k": "v"},
                lora_config=official.types.LoraConfig(rank=8, seed=1, train_mlp=False),
            ),
        ),
        (
            lambda: t.CreateSessionRequest(tags=["a"], user_metadata=None, sdk_version="0.24.1"),
            lambda: official.types.CreateSessionRequest(tags=["a"], user_metadata=None, sdk_version="0.24.1"),
        ),
        (
            lambda: t.CreateSessionRequest(tags=[], user_metadata={}, sdk_version="1", project_id="p"),
            lambda: official.types.CreateSessionRequest(
                tags=[], user_metadata={}, sdk_version="1", project_id="p"
            ),
        ),
        (
            lambda: t.SessionHeartbeatRequest(session_id="s"),
            lambda: official.types.SessionHeartbeatRequest(session_id="s"),
        ),
        (
            lambda: t.CreateSamplingSessionRequest(
                session_id="s", sampling_session_seq_id=1, model_path="tinker://r/sampler_weights/n"
            ),
            lambda: official.types.CreateSamplingSessionRequest(
                session_id="s", sampling_session_seq_id=1, model_path="tinker://r/sampler_weights/n"
            ),
        ),
        (lambda: t.GetInfoRequest(model_id="m"), lambda: official.types.GetInfoRequest(model_id="m")),
        (
            lambda: t.LoadWeightsRequest(model_id="m", seq_id=1, path="tinker://r/weights/a", optimizer=True),
            lambda: official.types.LoadWeightsRequest(
                model_id="m", seq_id=1, path="tinker://r/weights/a", optimizer=True
            ),
        ),
        (
            lambda: t.LoadWeightsRequest(
                session_id="s", model_seq_id=0, path="p", optimizer=False, base_model="b"
            ),
            lambda: official.types.LoadWeightsRequest(
                session_id="s", model_seq_id=0, path="p", optimizer=False, base_model="b"
            ),
        ),
        (
            lambda: t.SaveWeightsRequest(model_id="m", path="ckpt", seq_id=2),
            lambda: official.types.SaveWeightsRequest(model_id="m", path="ckpt", seq_id=2),
        ),
        (
            lambda: t.SaveWeightsRequest(model_id="m", ttl_seconds=3600, overwrite=True),
            lambda: official.types.SaveWeightsRequest(model_id="m", ttl_seconds=3600, overwrite=True),
        ),
        (
            lambda: t.FutureRetrieveRequest(request_id="r", allow_metadata_only=True),
            lambda: official.types.FutureRetrieveRequest(request_id="r", allow_metadata_only=True),
        ),
        (
            lambda: t.FutureRetrieveRequest(request_id="r"),
            lambda: official.types.FutureRetrieveRequest(request_id="r"),
        ),
        (lambda: t.UnloadModelRequest(model_id="m"), lambda: official.types.UnloadModelRequest(model_id="m")),
        (
            lambda: t.ClientConfigRequest(sdk_version="0.1.0"),
            lambda: official.types.ClientConfigRequest(sdk_version="0.1.0"),
        ),
    ],
)
def test_request_json_matches_official(ours: Any, theirs: Any) -> None:
    assert ours().to_json() == dump(theirs())


def test_save_weights_for_sampler_request_always_sends_kind_as_0_38() -> None:
    # 0.24.1 has no `kind`; 0.38 always sends it, "snapshot" by default (docs/PROTOCOL.md, JSON bodies)
    ours = t.SaveWeightsForSamplerRequest(model_id="m", sampling_session_seq_id=3, seq_id=9).to_json()
    theirs = dump(
        official.types.SaveWeightsForSamplerRequest(model_id="m", sampling_session_seq_id=3, seq_id=9)
    )
    assert ours == {**theirs, "kind": "snapshot"}
    assert t.SaveWeightsForSamplerRequest(model_id="m", kind="inflight").to_json()["kind"] == "inflight"


def test_tensor_data_json_matches_official_for_float32_values() -> None:
    values = np.array([0.1, 1 / 3, -2.5], dtype=np.float32)
    ours = t.TensorData.from_numpy(values).to_json()
    theirs = dump(conv._to_pydantic_tensor_data(official.types.TensorData.from_numpy(values)))
    assert ours == theirs
    assert ours["data"][0] == float(np.float32(0.1))  # float32 rounding survives into the JSON


def test_tensor_data_without_shape_omits_shape_like_official() -> None:
    ours = t.TensorData(data=[1, 2, 3], dtype="int64").to_json()
    theirs = dump(conv._to_pydantic_tensor_data(official.types.TensorData(data=[1, 2, 3], dtype="int64")))
    assert ours == theirs
    assert "shape" not in ours
