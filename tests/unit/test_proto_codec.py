"""The protobuf codec (tinker_ext._wire.proto).

Decoding is tested on bodies written here byte by byte from the wire facts (field numbers and wire types in
docs/PROTOCOL.md, Protobuf messages), not with our encoder or the generated classes, so a wrong field number
in tinker_public.proto or a wrong widening rule in the decoder fails here. Encoding is checked field by field
on the generated messages here, and against the official SDK 0.38's own decoder in tests/parity_038.
"""

from __future__ import annotations

import math
import struct

import numpy as np
import pytest
from tinker_ext_raw.proto import tinker_public_pb2 as pb

import tinker_ext as tinker
from tinker_ext._wire.proto import (
    decode_forward_backward_output,
    decode_sample_response,
    encode_forward_backward_request,
)
from tinker_ext.types import PromptProvenanceSpan, SampledProvenanceSpan

# ------------------------------------------------------------------- a minimal protobuf writer (the facts)

VARINT, I64, LEN = 0, 1, 2


def varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def key(field: int, wire_type: int) -> bytes:
    return varint(field << 3 | wire_type)


def f_varint(field: int, value: int) -> bytes:
    return key(field, VARINT) + varint(value)


def f_bytes(field: int, value: bytes) -> bytes:
    return key(field, LEN) + varint(len(value)) + value


def f_str(field: int, value: str) -> bytes:
    return f_bytes(field, value.encode())


def f_double(field: int, value: float) -> bytes:
    return key(field, I64) + struct.pack("<d", value)


def f_packed_int64(field: int, values: list[int]) -> bytes:
    return f_bytes(field, b"".join(varint(v) for v in values))


def map_entry(field: int, name: str, value: bytes) -> bytes:
    return f_bytes(field, f_str(1, name) + value)


DTYPE_FLOAT32, DTYPE_INT64, DTYPE_INT32, DTYPE_BFLOAT16 = 1, 2, 3, 4


def batched(data: bytes, offsets: list[int], dtype: int, trailing: list[int] | None = None) -> bytes:
    body = f_bytes(1, data) + f_bytes(2, struct.pack(f"<{len(offsets)}q", *offsets)) + f_varint(3, dtype)
    return body + (f_packed_int64(4, trailing) if trailing else b"")


def bf16(values: list[float]) -> bytes:
    """bfloat16 = the upper 16 bits of a float32 (exact for these values)."""
    return b"".join(struct.pack("<I", struct.unpack("<I", struct.pack("<f", v))[0])[2:] for v in values)


# --------------------------------------------------------------------------------------------- decoding


def test_forward_backward_output_written_from_the_facts() -> None:
    # record 1: two datums, logprobs float32 (3 + 1 values), elementwise_loss bfloat16
    logprobs = struct.pack("<4f", -1.0, -2.0, -0.5, -4.0)
    loss = bf16([1.0, 2.0, 0.5, 4.0])
    record1 = (
        f_str(1, "ArrayRecord")
        + map_entry(2, "logprobs", f_bytes(2, batched(logprobs, [0, 12, 16], DTYPE_FLOAT32)))
        + map_entry(2, "elementwise_loss", f_bytes(2, batched(loss, [0, 6, 8], DTYPE_BFLOAT16)))
        + f_varint(3, 2)
    )
    # record 2: one datum, logprobs 2x2 (trailing shape [2]), elementwise_loss as int32 (widened to int64)
    record2 = (
        f_str(1, "ArrayRecord")
        + map_entry(
            2,
            "logprobs",
            f_bytes(2, batched(struct.pack("<4f", -1, -1, -3, -3), [0, 16], DTYPE_FLOAT32, [2])),
        )
        + map_entry(
            2, "elementwise_loss", f_bytes(2, batched(struct.pack("<2i", 7, -9), [0, 8], DTYPE_INT32))
        )
        + f_varint(3, 1)
    )
    body = (
        f_str(1, "tinker.types.loss:ArrayRecord")
        + f_bytes(2, record1)
        + f_bytes(2, record2)
        + map_entry(3, "loss:sum", f_double(2, 7.5))
        + map_entry(3, "tokens:mean", f_double(2, 1.25))
    )
    out = decode_forward_backward_output(body)
    assert out.loss_fn_output_type == "ArrayRecord"
    assert out.metrics == {"loss:sum": 7.5, "tokens:mean": 1.25}
    assert len(out.loss_fn_outputs) == 3
    first, second, third = out.loss_fn_outputs
    assert first["logprobs"].tolist() == [-1.0, -2.0, -0.5] and first["logprobs"].dtype == "float32"
    assert second["logprobs"].tolist() == [-4.0]
    assert (
        first["elementwise_loss"].tolist() == [1.0, 2.0, 0.5] and first["elementwise_loss"].dtype == "float32"
    )
    assert third["logprobs"].shape == [2, 2] and third["logprobs"].tolist() == [[-1, -1], [-3, -3]]
    assert third["elementwise_loss"].dtype == "int64" and third["elementwise_loss"].tolist() == [7, -9]


def test_a_datum_count_of_zero_is_taken_from_the_first_field() -> None:
    record = f_str(1, "ArrayRecord") + map_entry(
        2, "logprobs", f_bytes(2, batched(struct.pack("<3f", 1, 2, 3), [0, 4, 12], DTYPE_FLOAT32))
    )
    out = decode_forward_backward_output(f_str(1, "ArrayRecord") + f_bytes(2, record))
    assert [o["logprobs"].tolist() for o in out.loss_fn_outputs] == [[1.0], [2.0, 3.0]]


def test_an_empty_output_decodes_to_no_datums() -> None:
    out = decode_forward_backward_output(b"")
    assert (out.loss_fn_output_type, out.loss_fn_outputs, out.metrics) == ("ArrayRecord", [], {})


def test_sample_response_written_from_the_facts() -> None:
    topk = f_bytes(1, struct.pack("<4i", 5, 6, 7, 8)) + f_bytes(2, struct.pack("<4f", -0.1, -0.2, -0.3, -0.4))
    topk += f_varint(3, 2) + f_varint(4, 2)
    seq1 = (
        f_varint(1, 0)
        + f_bytes(2, struct.pack("<3i", 11, 12, 13))
        + f_bytes(3, struct.pack("<3f", -1, -2, -3))
    )
    seq2 = f_varint(1, 1) + f_bytes(2, struct.pack("<1i", 99))  # length stop, no logprobs
    body = (
        f_bytes(1, seq1)
        + f_bytes(1, seq2)
        + f_bytes(2, struct.pack("<3f", math.nan, -0.75, -1.5))
        + f_bytes(3, topk)
        + f_varint(4, 17)
    )
    response = decode_sample_response(body)
    assert [(s.stop_reason, s.tokens, s.logprobs) for s in response.sequences] == [
        ("stop", [11, 12, 13], [-1.0, -2.0, -3.0]),
        ("length", [99], None),
    ]
    assert response.prompt_logprobs is not None and response.prompt_logprobs[0] is None  # NaN: none (0.38)
    assert math.isnan(response.prompt_logprobs_np[0])
    assert response.prompt_logprobs[1:] == [-0.75, -1.5]
    assert response.topk_prompt_logprobs == [
        [(5, pytest.approx(-0.1)), (6, pytest.approx(-0.2))],
        [(7, pytest.approx(-0.3)), (8, pytest.approx(-0.4))],
    ]
    assert response.prompt_cache_hit_tokens == 17


def test_topk_with_zero_length_is_absent() -> None:
    body = f_bytes(1, f_bytes(2, struct.pack("<i", 1))) + f_bytes(3, f_varint(3, 0) + f_varint(4, 0))
    assert decode_sample_response(body).topk_prompt_logprobs is None


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (b"\xff\xff\xff", "not a valid protobuf"),
        # offsets that do not end at the data's end
        (
            f_bytes(
                2, map_entry(2, "x", f_bytes(2, batched(b"\0" * 8, [0, 4], DTYPE_FLOAT32))) + f_varint(3, 1)
            ),
            "offsets",
        ),
        # offsets for 2 datums, num_datums says 1
        (
            f_bytes(
                2,
                map_entry(2, "x", f_bytes(2, batched(b"\0" * 8, [0, 4, 8], DTYPE_FLOAT32))) + f_varint(3, 1),
            ),
            "offsets",
        ),
        # 6 bytes of float32
        (
            f_bytes(
                2, map_entry(2, "x", f_bytes(2, batched(b"\0" * 6, [0, 6], DTYPE_FLOAT32))) + f_varint(3, 1)
            ),
            "whole number",
        ),
        # an unknown dtype
        (
            f_bytes(2, map_entry(2, "x", f_bytes(2, batched(b"\0" * 8, [0, 8], 9))) + f_varint(3, 1)),
            "unknown dtype",
        ),
    ],
)
def test_malformed_forward_backward_outputs_are_format_errors(body: bytes, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        decode_forward_backward_output(body)


def test_an_unknown_stop_reason_is_a_format_error() -> None:
    with pytest.raises(ValueError, match="stop_reason"):
        decode_sample_response(f_bytes(1, f_varint(1, 5)))


# --------------------------------------------------------------------------------------------- encoding


def sample_datum() -> tinker.Datum:
    return tinker.Datum(
        model_input=tinker.ModelInput(
            chunks=[
                tinker.EncodedTextChunk(tokens=[1, 2, 70000]),
                tinker.types.ImageChunk(data=b"\x89PNG\r\n\x1a\nrest", format="png", expected_tokens=4),
            ]
        ),
        loss_fn_inputs={
            "target_tokens": np.array([2, 3, 4, 5, 6, 7, 8], dtype=np.int64),
            "weights": np.array([0, 0, 1, 1, 0.5, 0.25, 1], dtype=np.float32),
        },
    ).with_provenance(
        [PromptProvenanceSpan(sequence_id="p", length=3), SampledProvenanceSpan(sequence_id="s", length=4)],
        [SampledProvenanceSpan(sequence_id="s", offset=1, length=7)],
    )


def test_request_fields_follow_the_facts() -> None:
    body = encode_forward_backward_request(
        model_id="m:train:0",
        seq_id=5,
        data=[sample_datum()],
        loss_fn="ppo",
        loss_fn_config={"clip_low_threshold": 0.8, "mode": "token"},
        forward_only=True,
    )
    message = pb.ForwardBackwardRequest.FromString(body)
    assert (message.model_id, message.seq_id, message.loss_fn, message.forward_only) == (
        "m:train:0",
        5,
        "ppo",
        True,
    )
    # numbers go to both maps, strings only to v2
    assert dict(message.loss_fn_config) == {"clip_low_threshold": pytest.approx(0.8)}
    assert message.loss_fn_config_v2["clip_low_threshold"].number == pytest.approx(0.8)
    assert message.loss_fn_config_v2["mode"].text == "token"
    [datum] = message.data
    text, image = datum.model_input
    assert text.encoded_text.tokens == struct.pack("<3i", 1, 2, 70000)
    assert (image.image.data, image.image.format, image.image.expected_tokens) == (
        b"\x89PNG\r\n\x1a\nrest",
        "png",
        4,
    )
    targets, weights = datum.loss_fn_inputs["target_tokens"], datum.loss_fn_inputs["weights"]
    assert (targets.dtype, list(targets.shape), targets.dense) == (
        pb.DTYPE_INT64,
        [7],
        struct.pack("<7q", *range(2, 9)),
    )
    assert weights.dtype == pb.DTYPE_FLOAT32 and np.frombuffer(weights.dense, "<f4").tolist() == [
        0,
        0,
        1,
        1,
        0.5,
        0.25,
        1,
    ]
    assert [s.WhichOneof("span") for s in datum.model_input_spans] == ["prompt_tokens", "sampled_tokens"]
    assert (
        datum.loss_fn_input_spans[0].sampled_tokens.offset,
        datum.loss_fn_input_spans[0].sampled_tokens.length,
    ) == (1, 7)


def test_the_0_25_body_has_no_0_38_fields() -> None:
    body = encode_forward_backward_request(
        model_id="m",
        seq_id=1,
        data=[sample_datum()],
        loss_fn="ppo",
        loss_fn_config={"x": 1.0},
        generation="0.25",
    )
    message = pb.ForwardBackwardRequest.FromString(body)
    assert dict(message.loss_fn_config) == {"x": 1.0} and len(message.loss_fn_config_v2) == 0
    assert len(message.data[0].model_input_spans) == 0 and len(message.data[0].loss_fn_input_spans) == 0
    with pytest.raises(tinker.InvalidInputError, match="numbers only"):
        encode_forward_backward_request(
            model_id="m",
            seq_id=1,
            data=[sample_datum()],
            loss_fn="ppo",
            loss_fn_config={"m": "x"},
            generation="0.25",
        )


def test_sparse_tensors_keep_csr() -> None:
    weights = tinker.TensorData(
        data=[0.5, 2.0],
        dtype="float32",
        shape=[2, 3],
        sparse_crow_indices=[0, 1, 2],
        sparse_col_indices=[2, 0],
    )
    datum = tinker.Datum(
        model_input=tinker.ModelInput.from_ints([1, 2]),
        loss_fn_inputs={"target_tokens": [[1, 2, 3], [4, 5, 6]], "weights": weights},
    )
    message = pb.ForwardBackwardRequest.FromString(
        encode_forward_backward_request(model_id="m", seq_id=1, data=[datum], loss_fn="cross_entropy")
    )
    csr = message.data[0].loss_fn_inputs["weights"].sparse_csr
    assert np.frombuffer(csr.values, "<f4").tolist() == [0.5, 2.0]
    assert np.frombuffer(csr.crow_indices, "<i8").tolist() == [0, 1, 2]
    assert np.frombuffer(csr.col_indices, "<i8").tolist() == [2, 0]


@pytest.mark.parametrize(
    ("tokens", "config", "match"),
    [
        ([1, 2**31], None, r"data\[3\]\.model_input\.chunks\[0\]: token ids must be integers"),
        ([1, 2], {"x": math.inf}, "NaN and inf"),
        ([1, 2], {"x": True}, "number or a string"),
    ],
)
def test_what_the_protobuf_body_cannot_carry_is_refused(
    tokens: list[int], config: dict | None, match: str
) -> None:  # type: ignore[type-arg]
    datum = tinker.Datum(
        model_input=tinker.ModelInput.from_ints(tokens),
        loss_fn_inputs={"target_tokens": [1, 2], "weights": [1.0, 1.0]},
    )
    with pytest.raises(tinker.InvalidInputError, match=match):
        encode_forward_backward_request(
            model_id="m",
            seq_id=1,
            data=[datum],
            loss_fn="cross_entropy",
            loss_fn_config=config,
            first_index=3,
        )


def test_decoded_results_are_writable_views_of_one_buffer_per_field() -> None:
    out = pb.ForwardBackwardOutput()
    record = out.loss_fn_outputs.add(num_datums=2)
    record.fields["logprobs"].data = struct.pack("<3f", 1, 2, 3)
    record.fields["logprobs"].offsets = struct.pack("<3q", 0, 4, 12)
    record.fields["logprobs"].dtype = pb.DTYPE_FLOAT32
    decoded = decode_forward_backward_output(out.SerializeToString())
    first, second = (o["logprobs"].to_numpy() for o in decoded.loss_fn_outputs)
    assert first.flags.writeable and second.flags.writeable
    assert first.base is not None and first.base is second.base  # no copy per datum


def test_0_38_sample_fields_written_from_the_facts() -> None:
    """topk_sampled_logprobs (SampledSequence 4), target_prompt_logprobs (SampleResponse 5, a Tensor) and
    prompt_alt_tokens (SampleResponse 6: Tensor tokens = 1, Tensor logprobs = 2)."""
    topk = f_bytes(1, struct.pack("<2i", 21, 22)) + f_bytes(2, struct.pack("<2f", -0.5, -1.5))
    topk += f_varint(3, 1) + f_varint(4, 2)
    seq = f_varint(1, 0) + f_bytes(2, struct.pack("<2i", 21, 22)) + f_bytes(4, topk)

    def tensor(data: bytes, dtype: int, shape: list[int]) -> bytes:
        return f_bytes(1, data) + f_varint(3, dtype) + f_packed_int64(4, shape)

    target = tensor(struct.pack("<4f", -0.1, -0.2, -0.3, -0.4), DTYPE_FLOAT32, [2, 2])
    alt = f_bytes(1, tensor(struct.pack("<2q", 7, 8), DTYPE_INT64, [2, 1])) + f_bytes(
        2, tensor(struct.pack("<2f", -2.0, -3.0), DTYPE_FLOAT32, [2, 1])
    )
    response = decode_sample_response(f_bytes(1, seq) + f_bytes(5, target) + f_bytes(6, alt))
    (sequence,) = response.sequences
    assert sequence.topk_logprobs == [[(21, -0.5)], [(22, -1.5)]]
    topk = sequence.topk_logprobs_np  # 0.38's TopkLogprobs matrices
    assert topk.token_ids.tolist() == [[21], [22]] and topk.logprobs.tolist() == [[-0.5], [-1.5]]
    assert sequence.tokens_np.dtype == np.int32 and sequence.logprobs_np is None  # 0.38: int32
    assert response.target_prompt_logprobs is not None
    assert response.target_prompt_logprobs.shape == [2, 2]
    assert np.allclose(response.target_prompt_logprobs.to_numpy(), [[-0.1, -0.2], [-0.3, -0.4]])
    assert response.prompt_alt_tokens is not None
    assert response.prompt_alt_tokens.tokens.tolist() == [[7], [8]]
    assert response.prompt_alt_tokens.logprobs.tolist() == [[-2.0], [-3.0]]


def test_a_0_25_sample_response_has_none_of_the_0_38_fields() -> None:
    seq = f_varint(1, 1) + f_bytes(2, struct.pack("<1i", 5))
    response = decode_sample_response(f_bytes(1, seq) + f_bytes(2, struct.pack("<1f", math.nan)))
    assert response.sequences[0].topk_logprobs is None and response.sequences[0].topk_logprobs_np is None
    assert response.target_prompt_logprobs is None and response.prompt_alt_tokens is None
    assert np.isnan(response.prompt_logprobs_np[0])
