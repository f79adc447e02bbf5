from __future__ import annotations

import base64
from typing import Any

import numpy as np
import pytest

import tinker_ext.types as t
from tinker_ext._core.exceptions import InvalidInputError
from tinker_ext._training.chunking import (
    DEFAULT_MAX_CHUNK_DATUMS,
    DEFAULT_MAX_CHUNK_NUMBERS,
    ChunkLimits,
    combine_forward_backward_outputs,
    datum_byte_estimate,
    datum_number_count,
    plan_chunk_bounds,
    plan_chunks,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x07" * 92  # 100 raw bytes -> 136 base64 characters


def text_datum(n_tokens: int, n_targets: int = 0) -> t.Datum:
    inputs = {"target_tokens": np.zeros(n_targets, dtype=np.int64)} if n_targets else {}
    return t.Datum(model_input=t.ModelInput.from_ints([1] * n_tokens), loss_fn_inputs=inputs)


def sizes(data: list[t.Datum], **kwargs: Any) -> list[int]:
    return [len(chunk) for chunk in plan_chunks(data, **kwargs)]


def test_defaults_are_the_mission_limits() -> None:
    assert (DEFAULT_MAX_CHUNK_DATUMS, DEFAULT_MAX_CHUNK_NUMBERS) == (128, 500_000)
    assert ChunkLimits() == ChunkLimits(max_datums=128, max_numbers=500_000, max_bytes=None)


def test_number_count_of_text_and_tensors() -> None:
    datum = t.Datum(
        model_input=t.ModelInput.from_ints([1, 2, 3, 4]),
        loss_fn_inputs={"target_tokens": [1, 2, 3, 4], "weights": np.ones((2, 2))},
    )
    assert datum_number_count(datum) == 4 + 4 + 4


def test_images_count_base64_length_and_pointers_their_location() -> None:
    image = t.ImageChunk(data=PNG, format="png", expected_tokens=3)
    pointer = t.ImageAssetPointerChunk(location="https://example.com/a.png", format="png")
    datum = t.Datum(model_input=t.ModelInput(chunks=[t.EncodedTextChunk(tokens=[1, 2]), image, pointer]))
    assert datum_number_count(datum) == 2 + len(base64.b64encode(PNG)) + len(pointer.location)
    assert len(base64.b64encode(PNG)) == 136


def test_sparse_tensors_count_stored_values() -> None:
    td = t.TensorData(
        data=[5, 6], dtype="int64", shape=[3, 4], sparse_crow_indices=[0, 1, 1, 2], sparse_col_indices=[0, 3]
    )
    datum = t.Datum(model_input=t.ModelInput.from_ints([1]), loss_fn_inputs={"target_tokens": td})
    assert datum_number_count(datum) == 1 + 2
    assert datum_byte_estimate(datum) == 4 + 2 * 8 + 8 * 4 + 8 * 2


def test_datum_limit_boundaries() -> None:
    assert sizes([text_datum(1)] * 128) == [128]
    assert sizes([text_datum(1)] * 129) == [128, 1]
    assert sizes([text_datum(1)] * 300) == [128, 128, 44]


def test_number_limit_boundaries() -> None:
    half = DEFAULT_MAX_CHUNK_NUMBERS // 2
    assert sizes([text_datum(half), text_datum(half)]) == [2]  # exactly at the limit fits
    assert sizes([text_datum(half), text_datum(half + 1)]) == [1, 1]  # one over closes the chunk
    assert sizes([text_datum(half - 10, 10), text_datum(half)]) == [2]  # tensors count too
    assert sizes([text_datum(half - 10, 11), text_datum(half)]) == [1, 1]


def test_oversized_datum_goes_alone() -> None:
    big = text_datum(DEFAULT_MAX_CHUNK_NUMBERS + 5)
    small = text_datum(3)
    assert sizes([small, big, small, small]) == [1, 1, 2]
    assert sizes([big]) == [1]
    assert sizes([big, big]) == [1, 1]


def test_chunks_keep_input_order() -> None:
    data = [text_datum(n) for n in range(1, 11)]
    chunks = plan_chunks(data, max_datums=3)
    assert [d for chunk in chunks for d in chunk] == data
    assert plan_chunk_bounds(data, ChunkLimits(max_datums=3)) == [(0, 3), (3, 6), (6, 9), (9, 10)]


def test_images_are_planned_by_base64_length() -> None:
    image_datum = t.Datum(
        model_input=t.ModelInput(chunks=[t.ImageChunk(data=PNG, format="png", expected_tokens=1)])
    )
    # 136 numbers each: two fit in 272, not in 271.
    assert sizes([image_datum, image_datum], max_numbers=272) == [2]
    assert sizes([image_datum, image_datum], max_numbers=271) == [1, 1]


def test_server_limits_from_client_config() -> None:
    config = t.ClientConfigResponse(fwdbwd_max_chunk_len=2, fwdbwd_max_chunk_bytes_count=40)
    limits = ChunkLimits.from_client_config(config)
    assert limits == ChunkLimits(max_datums=2, max_numbers=500_000, max_bytes=40)
    data = [text_datum(5)] * 5  # 20 bytes each (4 per token)
    assert [b - a for a, b in plan_chunk_bounds(data, limits)] == [2, 2, 1]
    assert [b - a for a, b in plan_chunk_bounds(data, ChunkLimits(max_datums=10, max_bytes=45))] == [2, 2, 1]
    assert ChunkLimits.from_client_config(t.ClientConfigResponse()) == ChunkLimits()
    assert ChunkLimits.from_client_config(None) == ChunkLimits()


def test_empty_input_and_bad_limits_are_errors() -> None:
    with pytest.raises(InvalidInputError, match="No data"):
        plan_chunks([])
    with pytest.raises(InvalidInputError):
        ChunkLimits(max_datums=0)


# ----- merging -----


def out(n: int, metrics: dict[str, float], tag: float = 0.0) -> t.ForwardBackwardOutput:
    outputs = [{"logprobs": t.TensorData(data=[tag + i], dtype="float32")} for i in range(n)]
    return t.ForwardBackwardOutput(
        loss_fn_output_type="ArrayRecord", loss_fn_outputs=outputs, metrics=metrics
    )


def test_wire_md_example() -> None:
    merged = combine_forward_backward_outputs(
        [out(3, {"loss:sum": 3, "tok:mean": 1.0}), out(1, {"loss:sum": 1, "tok:mean": 3.0})]
    )
    assert merged.metrics == {"loss:sum": 4, "tok:mean": 1.5}
    assert len(merged.loss_fn_outputs) == 4


def test_every_reduction() -> None:
    a = out(
        1,
        {
            "a:mean": 2.0,
            "b:sum": 1.0,
            "c:min": 5.0,
            "d:max": 5.0,
            "e:slack": 4.0,
            "f:hash2": -1.0,
            "g:unique": 7.0,
        },
    )
    b = out(
        3,
        {
            "a:mean": 6.0,
            "b:sum": 2.5,
            "c:min": -1.0,
            "d:max": 9.0,
            "e:slack": 0.0,
            "f:hash2": 3.0,
            "g:unique": 8.0,
        },
    )
    c = out(
        0,
        {
            "a:mean": 100.0,
            "b:sum": 0.5,
            "c:min": 0.0,
            "d:max": 0.0,
            "e:slack": 2.0,
            "f:hash2": 2.0**64,
            "g:unique": 9.0,
        },
    )
    merged = combine_forward_backward_outputs([a, b, c])
    assert merged.metrics["a:mean"] == pytest.approx((2.0 * 1 + 6.0 * 3) / 4)
    assert merged.metrics["b:sum"] == 4.0
    assert merged.metrics["c:min"] == -1.0
    assert merged.metrics["d:max"] == 9.0
    assert merged.metrics["e:slack"] == pytest.approx(4.0 - (4.0 * 1 + 0.0 * 3) / 4)
    assert merged.metrics["f:hash2"] == ((2**64 - 1) + 3 + 0) % 2**64
    assert {k: v for k, v in merged.metrics.items() if k.startswith("g:")} == {
        "g:unique": 7.0,
        "g:unique_1": 8.0,
        "g:unique_2": 9.0,
    }


def test_outputs_are_concatenated_in_chunk_order() -> None:
    merged = combine_forward_backward_outputs([out(2, {}, tag=0), out(1, {}, tag=10), out(2, {}, tag=20)])
    assert [o["logprobs"].data[0] for o in merged.loss_fn_outputs] == [0, 1, 10, 20, 21]
    assert merged.loss_fn_output_type == "ArrayRecord"


def test_keys_missing_somewhere_unknown_reductions_and_later_only_keys_are_dropped() -> None:
    merged = combine_forward_backward_outputs(
        [out(1, {"x:sum": 1.0, "y:sum": 1.0, "z:median": 1.0}), out(1, {"x:sum": 2.0, "w:sum": 5.0})]
    )
    assert merged.metrics == {"x:sum": 3.0}


@pytest.mark.parametrize("key", ["loss", "a:b:sum"])
def test_metric_keys_must_be_name_colon_reduction(key: str) -> None:
    with pytest.raises(ValueError, match="name:reduction"):
        combine_forward_backward_outputs([out(1, {key: 1.0})])


def test_single_chunk_still_applies_reductions() -> None:
    merged = combine_forward_backward_outputs([out(2, {"h:hash2": -1.0, "m:mean": 0.5, "q:odd": 1.0})])
    assert merged.metrics == {"h:hash2": 2**64 - 1, "m:mean": 0.5}


def test_mean_with_no_outputs_anywhere_is_unweighted() -> None:
    merged = combine_forward_backward_outputs([out(0, {"m:mean": 1.0}), out(0, {"m:mean": 3.0})])
    assert merged.metrics["m:mean"] == 2.0


def test_empty_list_gives_empty_output() -> None:
    merged = combine_forward_backward_outputs([])
    assert merged.loss_fn_outputs == [] and merged.metrics == {}


def test_matches_official_merge_for_shared_reductions() -> None:
    official = pytest.importorskip("tinker.lib.chunked_fwdbwd_helpers")
    from tinker.types import ForwardBackwardOutput as OfficialOutput

    rng = np.random.default_rng(0)
    keys = ["a:mean", "b:sum", "c:min", "d:max", "e:slack", "g:unique"]
    chunks = [(int(rng.integers(1, 9)), {k: float(rng.normal()) for k in keys}) for _ in range(5)]
    ours = combine_forward_backward_outputs([out(n, m) for n, m in chunks])
    theirs = official.combine_fwd_bwd_output_results(
        [
            OfficialOutput(loss_fn_output_type="ArrayRecord", loss_fn_outputs=[{}] * n, metrics=m)
            for n, m in chunks
        ]
    )
    assert ours.metrics.keys() == theirs.metrics.keys()
    for key, value in theirs.metrics.items():
        assert ours.metrics[key] == pytest.approx(value, rel=1e-12, abs=1e-12)
