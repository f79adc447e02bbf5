from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import tinker_ext.types as t
from tinker_ext._core.exceptions import InvalidInputError


def make(inputs: dict[str, Any], tokens: list[int] | None = None) -> t.Datum:
    return t.Datum(model_input=t.ModelInput.from_ints(tokens or [1, 2, 3]), loss_fn_inputs=inputs)


@pytest.mark.parametrize(
    ("key", "dtype"),
    [
        ("target_tokens", "int64"),
        ("weights", "float32"),
        ("advantages", "float32"),
        ("logprobs", "float32"),
        ("clip_low_threshold", "float32"),
        ("clip_high_threshold", "float32"),
        ("sequence_ratio_mask", "float32"),
    ],
)
def test_list_values_are_cast_by_key(key: str, dtype: str) -> None:
    datum = make({key: [1, 0, 1]})
    assert datum.loss_fn_inputs[key].dtype == dtype
    assert datum.loss_fn_inputs[key].shape == [3]
    float_datum = make({key: [1.0, 0.0, 2.0]})
    assert float_datum.loss_fn_inputs[key].dtype == dtype


def test_numpy_and_torch_keep_their_own_kind() -> None:
    datum = make({"mask": np.array([1.0, 0.0, 1.0]), "ids": np.array([1, 2, 3])})
    assert datum.loss_fn_inputs["mask"].dtype == "float32"
    assert datum.loss_fn_inputs["ids"].dtype == "int64"
    torch = pytest.importorskip("torch")
    datum = make({"target_tokens": torch.tensor([1, 2, 3]), "extra": torch.tensor([0.5, 0.5, 0.5])})
    assert datum.loss_fn_inputs["extra"].dtype == "float32"


def test_unknown_key_with_plain_list_is_an_error() -> None:
    with pytest.raises(InvalidInputError, match="not a known key"):
        make({"mystery": [1, 2, 3]})


def test_ragged_and_non_numeric_lists_are_errors() -> None:
    with pytest.raises(InvalidInputError):
        make({"target_tokens": [[1, 2], [3]]})
    with pytest.raises(InvalidInputError):
        make({"weights": ["a", "b", "c"]})
    with pytest.raises(InvalidInputError):
        make({"weights": {"a": 1}})


def test_tensor_data_is_kept_and_json_round_trips() -> None:
    td = t.TensorData(data=[4, 5, 6], dtype="int64")
    datum = make({"target_tokens": td, "weights": [1, 1, 1]})
    assert datum.loss_fn_inputs["target_tokens"] is td
    back = t.Datum.from_json(datum.to_json())
    assert back.model_input == datum.model_input
    assert {k: (v.dtype, v.tolist()) for k, v in back.loss_fn_inputs.items()} == {
        k: (v.dtype, v.tolist()) for k, v in datum.loss_fn_inputs.items()
    }


def test_model_input_must_be_a_model_input() -> None:
    with pytest.raises(InvalidInputError):
        t.Datum(model_input=[1, 2, 3], loss_fn_inputs={})  # type: ignore[arg-type]


def test_with_provenance_checks_tiling_and_stays_out_of_the_json() -> None:
    datum = make({"target_tokens": [1, 2, 3]})
    spans = [
        t.PromptProvenanceSpan(sequence_id="p", length=2),
        t.SampledProvenanceSpan(sequence_id="s", offset=1, length=1),
    ]
    annotated = datum.with_provenance(model_input=spans, loss_fn_inputs=spans)
    assert annotated.model_input_spans == spans
    assert annotated.to_json() == datum.to_json()
    with pytest.raises(InvalidInputError, match="cover 2 positions"):
        datum.with_provenance(model_input=spans[:1], loss_fn_inputs=spans)
    with pytest.raises(InvalidInputError):
        t.Datum(model_input=datum.model_input, model_input_spans=spans)
    with pytest.raises(InvalidInputError):
        t.PromptProvenanceSpan(sequence_id="", length=1)
    with pytest.raises(InvalidInputError):
        t.SampledProvenanceSpan(sequence_id="s", length=-1)
