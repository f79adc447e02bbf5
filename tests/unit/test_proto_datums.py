"""The forward_backward body written from the datums' arrays (tinker_ext._wire.proto_datums) is byte for byte
what upb serializes for the same message (built field by field here with the generated classes), for every
kind of datum; NaN/inf are refused before a body exists; one body never carries another's bytes."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from tinker_ext_raw.proto import tinker_public_pb2 as pb

import tinker_ext as tinker
from tinker_ext._core.exceptions import InvalidInputError
from tinker_ext._wire.proto import encode_forward_backward_request
from tinker_ext.types import PromptProvenanceSpan


def upb_body(data: list[tinker.Datum], **fields: Any) -> bytes:
    """The whole request as one upb message: the reference bytes."""
    request = pb.ForwardBackwardRequest(model_id="m", loss_fn="cross_entropy", seq_id=fields.get("seq_id", 0))
    for key, value in (fields.get("loss_fn_config") or {}).items():
        request.loss_fn_config[key] = value
        request.loss_fn_config_v2[key].number = value
    request.forward_only = fields.get("forward_only", False)
    for datum in data:
        message = request.data.add()
        for chunk in datum.model_input.chunks:
            tokens = np.asarray(chunk.tokens, dtype="<i4").tobytes()
            message.model_input.add().encoded_text.tokens = tokens
        for key, tensor in datum.loss_fn_inputs.items():
            target = message.loss_fn_inputs[key]
            target.dense = tensor.to_numpy().astype("<f4" if tensor.dtype == "float32" else "<i8").tobytes()
            target.dtype = pb.DTYPE_FLOAT32 if tensor.dtype == "float32" else pb.DTYPE_INT64
            if tensor.shape is not None:
                target.shape.extend(tensor.shape)
    return request.SerializeToString()


def ours(data: list[tinker.Datum], **fields: Any) -> bytes:
    return encode_forward_backward_request(
        model_id="m",
        seq_id=fields.get("seq_id"),
        data=data,
        loss_fn="cross_entropy",
        loss_fn_config=fields.get("loss_fn_config"),
        forward_only=fields.get("forward_only", False),
    )


def datum(tokens: Any, **inputs: Any) -> tinker.Datum:
    model_input = tinker.ModelInput.from_numpy(tokens) if isinstance(tokens, np.ndarray) else tokens
    return tinker.Datum(model_input=model_input, loss_fn_inputs=inputs)


RNG = np.random.default_rng(3)
CASES = {
    "numpy tokens, int64 targets, float32 weights": [
        datum(RNG.integers(0, 150_000, 300), target_tokens=RNG.integers(0, 9, 300), weights=RNG.random(300))
        for _ in range(5)
    ],
    "int32 and uint16 token arrays": [
        datum(np.arange(40, dtype=np.int32), weights=np.ones(40, np.float32)),
        datum(np.arange(40, dtype=np.uint16), weights=np.ones(40, np.float32)),
    ],
    "token lists, several chunks": [
        datum(
            tinker.ModelInput(
                chunks=[
                    tinker.EncodedTextChunk(tokens=[1, 2, 300]),
                    tinker.EncodedTextChunk(tokens=[2**31 - 1]),
                ]
            ),
            target_tokens=[5, 6, 7, 8],
        )
    ],
    "empty tokens and empty tensors": [
        datum(np.zeros(0, np.int64), weights=np.zeros(0, np.float32)),
        datum(tinker.ModelInput(chunks=[tinker.EncodedTextChunk(tokens=[])])),
    ],
    "2-D tensors and long varint shapes": [
        datum(np.arange(3), advantages=RNG.random((3, 200_000), dtype=np.float32)),
    ],
    "many keys in several insertion orders (upb's map order)": [
        datum(np.arange(4), **{k: np.full(4, i, np.float32) for i, k in enumerate(keys)})
        for keys in (
            ["weights", "target_tokens", "advantages", "logprobs", "ü-key", "x" * 200],
            ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"],
            ["k", "j", "i", "h", "g", "f", "e", "d", "c", "b", "a"],
        )
    ],
}


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("fields", [{}, {"seq_id": 7, "forward_only": True, "loss_fn_config": {"c": 0.5}}])
def test_the_body_is_what_upb_writes(name: str, fields: dict[str, Any]) -> None:
    assert ours(CASES[name], **fields) == upb_body(CASES[name], **fields)


def test_datums_upb_writes_itself_mix_with_the_others() -> None:
    """Sparse tensors, images and provenance spans go through upb; the body still parses to every datum."""
    sparse = tinker.TensorData(
        data=[1.0, 2.0],
        dtype="float32",
        shape=[2, 3],
        sparse_crow_indices=[0, 1, 2],
        sparse_col_indices=[0, 2],
    )
    image = tinker.ImageChunk(data=b"\x89PNG\r\n\x1a\n" + b"x" * 10, format="png", expected_tokens=4)
    spans = [PromptProvenanceSpan(sequence_id="s", offset=0, length=3)]
    data = [
        datum(np.arange(3), weights=np.ones(3, np.float32)),
        datum(np.arange(6), weights=sparse),
        datum(tinker.ModelInput(chunks=[image, tinker.EncodedTextChunk(tokens=[1])])),
        datum(np.arange(3), target_tokens=np.arange(3)).with_provenance(spans, spans),
        datum(np.arange(2), weights=np.ones(2, np.float32)),
    ]
    parsed = pb.ForwardBackwardRequest.FromString(ours(data))
    assert len(parsed.data) == 5
    assert (
        parsed.data[1].loss_fn_inputs["weights"].sparse_csr.col_indices == np.array([0, 2], "<i8").tobytes()
    )
    assert parsed.data[2].model_input[0].image.expected_tokens == 4
    assert parsed.data[3].model_input_spans[0].prompt_tokens.length == 3
    assert parsed.data[4].loss_fn_inputs["weights"].dense == np.ones(2, "<f4").tobytes()


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("sparse", [False, True])
def test_nan_and_inf_are_refused_before_any_body_exists(bad: float, sparse: bool) -> None:
    weights = np.ones(6, np.float32)
    if sparse:
        tensor = tinker.TensorData(
            data=[1.0, bad],
            dtype="float32",
            shape=[2, 3],
            sparse_crow_indices=[0, 1, 2],
            sparse_col_indices=[0, 2],
        )
    else:
        tensor = tinker.TensorData.from_numpy(weights)
        weights[4] = bad  # changed after the Datum was built: the encoder reads the array it sends
    data = [datum(np.arange(6), weights=np.ones(6, np.float32)), datum(np.arange(6), weights=tensor)]
    with pytest.raises(InvalidInputError, match=r"data\[1\]\.loss_fn_inputs\.weights.*NaN and inf"):
        ours(data)


def test_huge_finite_values_are_not_mistaken_for_inf() -> None:
    weights = np.full(1000, np.finfo(np.float32).max, np.float32)  # their float32 sum would overflow
    data = [datum(np.arange(1000), weights=weights)]
    assert ours(data) == upb_body(data)


def test_token_ids_out_of_int32_are_refused() -> None:
    for tokens in (np.array([1, -1]), np.array([2**31]), [1, 2**31]):
        model_input = tinker.ModelInput.from_numpy(tokens) if isinstance(tokens, np.ndarray) else None
        if model_input is None:
            model_input = tinker.ModelInput(chunks=[tinker.EncodedTextChunk(tokens=tokens)])
        with pytest.raises(InvalidInputError, match=r"data\[0\].model_input.chunks\[0\].*int32"):
            ours([tinker.Datum(model_input=model_input, loss_fn_inputs={})])


def test_bodies_never_share_bytes_with_each_other_or_the_caller() -> None:
    """A body is its own bytes: later changes to the arrays, or the next body, leave it as it was."""
    tokens, weights = np.arange(50), np.ones(50, np.float32)
    first = ours([datum(tokens, weights=weights)])
    kept = bytes(first)
    weights[:] = 0.25
    second = ours([datum(tokens, weights=weights)])
    assert first == kept and second != first
    assert pb.ForwardBackwardRequest.FromString(second).data[0].loss_fn_inputs["weights"].dense == (
        np.full(50, 0.25, "<f4").tobytes()
    )
