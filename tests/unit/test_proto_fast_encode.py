"""The hand-written datum bytes of `encode_forward_backward_request` parse to exactly the message the
generated protobuf classes build, for every kind of datum (those it does not write itself included)."""

from __future__ import annotations

import numpy as np
import pytest
from tinker_ext_raw.proto import tinker_public_pb2 as pb

import tinker_ext as tinker
from tinker_ext._proto import _add_datum, encode_forward_backward_request

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def reference(data: list[tinker.Datum], **kwargs: object) -> pb.ForwardBackwardRequest:
    """Every datum through the generated message (what the encoder did before the fast path)."""
    request = pb.ForwardBackwardRequest.FromString(encode_forward_backward_request(data=[], **kwargs))  # type: ignore[arg-type]
    for index, datum in enumerate(data):
        _add_datum(request.data.add(), datum, f"data[{index}]", "0.38")
    return request


def tensors(n: int) -> dict[str, tinker.TensorData]:
    return {
        "target_tokens": tinker.TensorData.from_numpy(np.arange(100, 100 + n, dtype=np.int64)),
        "weights": tinker.TensorData.from_numpy(np.linspace(0, 1, n, dtype=np.float32)),
    }


DATUMS = {
    "list tokens": tinker.Datum(
        model_input=tinker.ModelInput.from_ints([5, 6, 7]), loss_fn_inputs=tensors(3)
    ),
    "numpy tokens": tinker.Datum(
        model_input=tinker.ModelInput.from_numpy(np.array([1, 2**31 - 1, 0, 300], dtype=np.int64)),
        loss_fn_inputs=tensors(4),
    ),
    "two text chunks": tinker.Datum(
        model_input=tinker.ModelInput(
            chunks=[tinker.EncodedTextChunk(tokens=[1, 2]), tinker.EncodedTextChunk.from_numpy(np.array([3]))]
        ),
        loss_fn_inputs=tensors(3),
    ),
    "2-D and empty tensors": tinker.Datum(
        model_input=tinker.ModelInput.from_ints(list(range(1, 200))),
        loss_fn_inputs={
            "advantages": tinker.TensorData.from_numpy(np.ones((3, 4), dtype=np.float32)),
            "mask": tinker.TensorData(data=[], dtype="int64", shape=[0]),
            "no_shape": tinker.TensorData(data=[1.5, 2.5], dtype="float32"),
        },
    ),
    "image chunk": tinker.Datum(
        model_input=tinker.ModelInput(
            chunks=[
                tinker.EncodedTextChunk(tokens=[1]),
                tinker.ImageChunk(data=PNG, format="png", expected_tokens=4),
            ]
        ),
        loss_fn_inputs=tensors(5),
    ),
    "sparse tensor": tinker.Datum(
        model_input=tinker.ModelInput.from_ints([1, 2]),
        loss_fn_inputs={
            "weights": tinker.TensorData(
                data=[0.5],
                dtype="float32",
                shape=[2, 2],
                sparse_crow_indices=[0, 1, 1],
                sparse_col_indices=[1],
            )
        },
    ),
}


@pytest.mark.parametrize("name", list(DATUMS))
def test_each_datum_kind_parses_to_the_generated_message(name: str) -> None:
    datum = DATUMS[name]
    kwargs = {"model_id": "m", "seq_id": 4, "loss_fn": "cross_entropy", "loss_fn_config": {"clip": 0.2}}
    body = encode_forward_backward_request(data=[datum, datum], **kwargs)  # type: ignore[arg-type]
    assert pb.ForwardBackwardRequest.FromString(body) == reference([datum, datum], **kwargs)


def test_a_mixed_batch_keeps_datum_order() -> None:
    data = list(DATUMS.values())
    kwargs = {"model_id": "m", "seq_id": None, "loss_fn": "ppo", "forward_only": True}
    body = encode_forward_backward_request(data=data, **kwargs)  # type: ignore[arg-type]
    parsed = pb.ForwardBackwardRequest.FromString(body)
    assert parsed == reference(data, **kwargs)
    assert [len(d.loss_fn_inputs) for d in parsed.data] == [len(d.loss_fn_inputs) for d in data]
