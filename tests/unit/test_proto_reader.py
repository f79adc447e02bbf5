"""The ForwardBackwardOutput reader (tinker_ext._wire.proto_reader) reads what upb reads: the same values for
messages upb wrote (plus unknown fields, unpacked repeats, entries without key or value), and a format error
exactly where upb's parser refuses the bytes (every truncation of a body, groups, bad UTF-8)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from google.protobuf.message import DecodeError
from tinker_ext_raw.proto import tinker_public_pb2 as pb

from tinker_ext._wire.proto_reader import read_forward_backward_output
from tinker_ext.types._wire import ResponseFormatError


def upb_view(message: pb.ForwardBackwardOutput) -> Any:
    return (
        message.loss_fn_output_type,
        [
            (
                r.type_tag,
                r.num_datums,
                {k: (f.data, f.offsets, f.dtype, list(f.trailing_shape)) for k, f in r.fields.items()},
            )
            for r in message.loss_fn_outputs
        ],
        dict(message.metrics),
    )


def our_view(content: bytes) -> Any:
    out = read_forward_backward_output(content)
    return (
        out.loss_fn_output_type,
        [
            (
                r.type_tag,
                r.num_datums,
                {
                    k: (bytes(f.data), bytes(f.offsets), f.dtype, f.trailing_shape)
                    for k, f in r.fields.items()
                },
            )
            for r in out.loss_fn_outputs
        ],
        out.metrics,
    )


def sample() -> pb.ForwardBackwardOutput:
    out = pb.ForwardBackwardOutput(loss_fn_output_type="tinker.types:ArrayRecord")
    for datums, shape in ((2, []), (3, [2, 300])):
        record = out.loss_fn_outputs.add(type_tag="ArrayRecord", num_datums=datums)
        field = record.fields["logprobs"]
        field.data = np.arange(datums * 4, dtype="<f4").tobytes()
        field.offsets = np.arange(datums + 1, dtype="<i8").tobytes()
        field.dtype = pb.DTYPE_FLOAT32
        field.trailing_shape.extend(shape)
        record.fields["ü"].dtype = pb.DTYPE_INT32
    out.metrics["loss:sum"] = -1.5
    out.metrics[""] = 2.0
    return out


def test_what_upb_wrote_reads_the_same() -> None:
    body = sample().SerializeToString()
    assert our_view(body) == upb_view(sample())


@pytest.mark.parametrize(
    "extra",
    [
        b"\x20\x05",  # field 4 (unknown), varint
        b"\x2a\x03abc",  # field 5 (unknown), bytes
        b"\x31" + b"\x00" * 8,  # field 6 (unknown), fixed64
        b"\x3d" + b"\x00" * 4,  # field 7 (unknown), fixed32
        b"\x08\x07",  # field 1 with the wrong wire type: skipped as unknown
        b"\x1a\x00",  # a metrics entry with neither key nor value
        b"\x12\x04\x12\x02\x0a\x00",  # a record whose map entry has a key and no value
        b"\x12\x08\x12\x06\x12\x04\x20\x02\x20\x03",  # trailing_shape unpacked, entry without key
        b"\x2b\x08\x01\x33\x34\x2c",  # a group (field 5) holding a nested group: skipped
        b"\x12\x0b\x18\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01",  # num_datums -1 (10-byte varint)
    ],
)
def test_unknown_and_unusual_fields_read_as_upb_reads_them(extra: bytes) -> None:
    body = sample().SerializeToString() + extra
    assert our_view(body) == upb_view(pb.ForwardBackwardOutput.FromString(body))


def test_every_truncation_fails_exactly_where_upb_fails() -> None:
    body = sample().SerializeToString()
    for end in range(len(body)):
        try:
            expected = upb_view(pb.ForwardBackwardOutput.FromString(body[:end]))
        except DecodeError:
            with pytest.raises(ResponseFormatError, match="not a valid protobuf message"):
                read_forward_backward_output(body[:end])
        else:
            assert our_view(body[:end]) == expected, end


@pytest.mark.parametrize(
    "body",
    [
        b"\x0a\x02\xff\xfe",  # loss_fn_output_type not UTF-8
        b"\x00\x01",  # field number 0
        b"\x0b\x08\x01",  # a group without its end
        b"\x0b\x14",  # a group closed by another number's end-group
        b"\x0c",  # an end-group that closes nothing
        b"\x12\x05\x0a",  # a length past the end
        b"\x10" + b"\xff" * 11,  # an overlong varint
    ],
)
def test_malformed_bodies_are_format_errors(body: bytes) -> None:
    with pytest.raises(DecodeError):
        pb.ForwardBackwardOutput.FromString(body)
    with pytest.raises(ResponseFormatError):
        read_forward_backward_output(body)
