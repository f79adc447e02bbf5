from __future__ import annotations

from typing import Any, get_args

import numpy as np
import pytest

import tinker_ext.types as t
from tinker_ext._core.exceptions import InvalidInputError, TinkerError

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 4


def datum(n_input: int = 3, **inputs: Any) -> t.Datum:
    if not inputs:
        inputs = {"target_tokens": list(range(n_input)), "weights": [1.0] * n_input}
    return t.Datum(model_input=t.ModelInput.from_ints(list(range(n_input))), loss_fn_inputs=inputs)


def test_loss_fn_type_has_every_official_name() -> None:
    expected = {
        "cross_entropy",
        "importance_sampling",
        "ppo",
        "cispo",
        "dro",
        "gspo",
        "stable_reinforce",
        "custom",
    }
    assert set(get_args(t.LossFnType)) == expected
    assert set(t.LOSS_FN_TYPES) == expected
    assert t.is_loss_fn_type("ppo")
    assert not t.is_loss_fn_type("mse")
    assert t.check_loss_fn_type("dro") == "dro"
    with pytest.raises(InvalidInputError, match="unknown loss function"):
        t.check_loss_fn_type("mse")


def test_valid_input_passes() -> None:
    t.validate_forward_backward_input([datum(), datum(5)], "cross_entropy")
    t.validate_forward_backward_input(
        [datum(2, target_tokens=[1, 2], logprobs=[-1.0, -2.0], advantages=[0.5, 0.5])],
        "importance_sampling",
        {"clip": 0.2, "mode": "x"},
    )
    t.validate_forward_backward_input([datum(3, mask=np.ones(3))], "custom", {"loss_id": "L1"})


@pytest.mark.parametrize(
    ("data", "loss", "config", "message"),
    [
        ([], "cross_entropy", None, "No data"),
        ([datum()], "mse", None, "unknown loss function"),
        ([datum(3, weights=[1.0, 1.0, 1.0])], "cross_entropy", None, "target_tokens"),
        ([datum(3, target_tokens=[1, 2, 3], weights=[1.0, 1.0])], "cross_entropy", None, "weights"),
        ([datum(3, target_tokens=[1, 2], weights=[1.0, 1.0])], "cross_entropy", None, "model_input"),
        (
            [datum(2, target_tokens=[1, 2], logprobs=[-1.0, -1.0], advantages=[1.0])],
            "ppo",
            None,
            "advantages",
        ),
        ([datum(2, target_tokens=[1, 2], logprobs=[-1.0, -1.0])], "importance_sampling", None, "advantages"),
        ([datum(2, target_tokens=[1, 2], advantages=[1.0, 1.0])], "cispo", None, "logprobs"),
        ([datum(2, target_tokens=[1, 2], advantages=[1.0, 1.0])], "dro", None, "logprobs"),
        ([datum()], "cross_entropy", {"beta": float("nan")}, "finite"),
        ([datum()], "cross_entropy", {"beta": float("-inf")}, "finite"),
        ([datum(2, target_tokens=np.array([1.0, 2.0]))], "cross_entropy", None, "int64"),
        ([datum(2, target_tokens=[1, 2], weights=np.array([1, 1]))], "cross_entropy", None, "float32"),
        ([datum()], "custom", None, "loss_id"),
        ([datum()], "ppo", {"clip": [1, 2]}, "loss_fn_config"),
        ([datum()], "ppo", {"flag": True}, "loss_fn_config"),
        (["not a datum"], "cross_entropy", None, "Datum"),
    ],
)
def test_invalid_input_is_rejected_before_sending(data: Any, loss: str, config: Any, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        t.validate_forward_backward_input(data, loss, config)


def test_single_datum_instead_of_list_is_rejected() -> None:
    with pytest.raises(InvalidInputError):
        t.validate_forward_backward_input(datum(), "cross_entropy")  # type: ignore[arg-type]


def test_image_inputs_count_expected_tokens_and_unknown_lengths_are_not_checked() -> None:
    with_image = t.Datum(
        model_input=t.ModelInput(
            chunks=[t.EncodedTextChunk(tokens=[1]), t.ImageChunk(data=PNG, format="png", expected_tokens=2)]
        ),
        loss_fn_inputs={"target_tokens": [1, 2, 3], "weights": [0.0, 0.0, 1.0]},
    )
    t.validate_forward_backward_input([with_image], "cross_entropy")
    unknown = t.Datum(
        model_input=t.ModelInput(chunks=[t.ImageChunk(data=PNG, format="png")]),
        loss_fn_inputs={"target_tokens": [1, 2, 3]},
    )
    t.validate_forward_backward_input([unknown], "cross_entropy")


def test_adam_params_defaults_match_the_wire_defaults() -> None:
    assert t.AdamParams().to_json() == {
        "learning_rate": 1e-4,
        "beta1": 0.9,
        "beta2": 0.95,
        "eps": 1e-12,
        "weight_decay": 0.0,
        "grad_clip_norm": 0.0,
    }
    assert t.AdamParams(learning_rate=0).learning_rate == 0.0
    assert t.AdamParams.from_json({"learning_rate": 0.01, "x": 1}).learning_rate == 0.01


@pytest.mark.parametrize(
    "kwargs",
    [
        {"learning_rate": -1e-4},
        {"beta1": 1.0},
        {"beta1": -0.1},
        {"beta2": 1.5},
        {"eps": 0.0},
        {"weight_decay": -0.01},
        {"grad_clip_norm": -1.0},
        {"learning_rate": float("nan")},
        {"learning_rate": "fast"},
    ],
)
def test_adam_params_validation(kwargs: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError):
        t.AdamParams(**kwargs)
    assert issubclass(InvalidInputError, TinkerError) and issubclass(InvalidInputError, ValueError)


@pytest.mark.parametrize("stop", ["\n", ["a", "b"], [1, 2], [], None, ("x",)])
def test_sampling_params_accepts_official_stop_forms(stop: Any) -> None:
    params = t.SamplingParams(stop=stop)
    if stop is None:
        assert "stop" not in params.to_json()
    else:
        assert params.to_json()["stop"] == (list(stop) if isinstance(stop, tuple) else stop)


@pytest.mark.parametrize("stop", [["a", 1], [1.5], 3, [True]])
def test_sampling_params_rejects_bad_stop(stop: Any) -> None:
    with pytest.raises(InvalidInputError):
        t.SamplingParams(stop=stop)


def test_sampling_params_rejects_negative_values() -> None:
    with pytest.raises(InvalidInputError):
        t.SamplingParams(max_tokens=-1)
    with pytest.raises(InvalidInputError):
        t.SamplingParams(temperature=-0.5)


def test_lora_config_rank_must_be_positive() -> None:
    with pytest.raises(InvalidInputError):
        t.LoraConfig(rank=0)
    assert t.LoraConfig(rank=4).to_json() == {
        "rank": 4,
        "train_unembed": True,
        "train_mlp": True,
        "train_attn": True,
    }
