"""A `tinker_public.ForwardBackwardOutput` read straight from its bytes, without upb.

upb would copy every array three times (into the parsed message, into a Python `bytes` on each field
access, then into the writable numpy array the user gets). Here the body is walked once with a memoryview:
the arrays are slices of the body (no copy) until the decoder copies each field once into its result
buffer. The objects have the attribute names of the generated messages (`loss_fn_outputs`, `fields`,
`num_datums`, `data`, `offsets`, `dtype`, `trailing_shape`, `metrics`), so the count checks of
`_wire.answer_checks` read them as they read upb messages.

Parsing follows protobuf's rules: unknown fields and fields of an unexpected wire type are skipped; the last
value of a scalar wins; a repeated int64 may come packed or not; map entries may omit key or value; the
last entry of a key wins. Truncated or malformed bodies, groups and invalid UTF-8 in strings raise
`ResponseFormatError`, as upb's parser refuses them.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import Any

import attrs

from tinker_ext.types._wire import ResponseFormatError

__all__ = ["read_forward_backward_output"]

_VARINT, _I64, _LEN, _START_GROUP, _END_GROUP, _I32 = 0, 1, 2, 3, 4, 5


@attrs.define(slots=True)
class Batched:
    data: Any = b""
    offsets: Any = b""
    dtype: int = 0
    trailing_shape: list[int] = attrs.field(factory=list)


@attrs.define(slots=True)
class Record:
    type_tag: str = ""
    fields: dict[str, Batched] = attrs.field(factory=dict)
    num_datums: int = 0


@attrs.define(slots=True)
class Output:
    loss_fn_output_type: str = ""
    loss_fn_outputs: list[Record] = attrs.field(factory=list)
    metrics: dict[str, float] = attrs.field(factory=dict)


class _Malformed(Exception):
    pass


def _varint(buf: memoryview, pos: int, end: int) -> tuple[int, int]:
    value = shift = 0
    while pos < end and shift < 70:
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value & 0xFFFFFFFFFFFFFFFF, pos
        shift += 7
    raise _Malformed("a truncated or overlong varint")


def _int64(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def _fields(buf: memoryview, pos: int, end: int) -> Iterator[tuple[int, int, Any]]:
    """(field number, wire type, value) of each field in buf[pos:end]: an int (varint), a memoryview
    (length-delimited) or the raw bytes of a fixed64/fixed32."""
    while pos < end:
        key, pos = _varint(buf, pos, end)
        number, wire_type = key >> 3, key & 7
        if number == 0:
            raise _Malformed("field number 0")
        if wire_type == _START_GROUP:  # a group (proto2): skipped whole, as an unknown field
            pos = _skip_group(buf, pos, end, number)
            continue
        value: Any
        if wire_type == _VARINT:
            value, pos = _varint(buf, pos, end)
        elif wire_type == _LEN:
            length, pos = _varint(buf, pos, end)
            if length > end - pos:
                raise _Malformed("a length past the end")
            value, pos = buf[pos : pos + length], pos + length
        elif wire_type in (_I64, _I32):
            size = 8 if wire_type == _I64 else 4
            if size > end - pos:
                raise _Malformed("a fixed-size value past the end")
            value, pos = buf[pos : pos + size], pos + size
        else:
            raise _Malformed(f"wire type {wire_type}")
        yield number, wire_type, value


def _skip_group(buf: memoryview, pos: int, end: int, number: int) -> int:
    """The position after the end-group of group `number` that starts at `pos`."""
    while pos < end:
        key, after = _varint(buf, pos, end)
        if key & 7 == _END_GROUP:
            if key >> 3 != number:
                raise _Malformed("an end-group that closes no group")
            return after
        pos = _next_field_end(buf, pos, end)
    raise _Malformed("a group without its end")


def _next_field_end(buf: memoryview, pos: int, end: int) -> int:
    """The end of the one field starting at `pos` (a nested group included)."""
    key, pos = _varint(buf, pos, end)
    wire_type = key & 7
    if wire_type == _START_GROUP:
        return _skip_group(buf, pos, end, key >> 3)
    if wire_type == _VARINT:
        return _varint(buf, pos, end)[1]
    if wire_type == _LEN:
        length, pos = _varint(buf, pos, end)
        if length > end - pos:
            raise _Malformed("a length past the end")
        return pos + length
    if wire_type in (_I64, _I32):
        size = 8 if wire_type == _I64 else 4
        if size > end - pos:
            raise _Malformed("a fixed-size value past the end")
        return pos + size
    raise _Malformed(f"wire type {wire_type}")


def _text(value: memoryview) -> str:
    try:
        return str(value, "utf-8")
    except UnicodeDecodeError:
        raise _Malformed("a string that is not UTF-8") from None


def _entry(value: memoryview, value_type: int) -> tuple[str, Any]:
    key, item = "", None
    for number, wire_type, field in _fields(value, 0, len(value)):
        if number == 1 and wire_type == _LEN:
            key = _text(field)
        elif number == 2 and wire_type == value_type:
            item = field
    return key, item


def _batched(value: memoryview) -> Batched:
    tensor = Batched()
    for number, wire_type, field in _fields(value, 0, len(value)):
        if number == 1 and wire_type == _LEN:
            tensor.data = field
        elif number == 2 and wire_type == _LEN:
            tensor.offsets = field
        elif number == 3 and wire_type == _VARINT:
            tensor.dtype = _int64(field)
        elif number == 4 and wire_type == _VARINT:
            tensor.trailing_shape.append(_int64(field))
        elif number == 4 and wire_type == _LEN:
            pos = 0
            while pos < len(field):
                dim, pos = _varint(field, pos, len(field))
                tensor.trailing_shape.append(_int64(dim))
    return tensor


def _record(value: memoryview) -> Record:
    record = Record()
    for number, wire_type, field in _fields(value, 0, len(value)):
        if number == 1 and wire_type == _LEN:
            record.type_tag = _text(field)
        elif number == 2 and wire_type == _LEN:
            key, item = _entry(field, _LEN)
            record.fields[key] = Batched() if item is None else _batched(item)
        elif number == 3 and wire_type == _VARINT:
            record.num_datums = _int64(field)
    return record


def read_forward_backward_output(content: bytes) -> Output:
    """The message in `content`; ResponseFormatError when it is not a valid protobuf message."""
    buf = memoryview(content)
    output = Output()
    try:
        for number, wire_type, field in _fields(buf, 0, len(buf)):
            if number == 1 and wire_type == _LEN:
                output.loss_fn_output_type = _text(field)
            elif number == 2 and wire_type == _LEN:
                output.loss_fn_outputs.append(_record(field))
            elif number == 3 and wire_type == _LEN:
                key, item = _entry(field, _I64)
                output.metrics[key] = 0.0 if item is None else struct.unpack("<d", item)[0]
    except _Malformed as exc:
        raise ResponseFormatError(f"ForwardBackwardOutput: not a valid protobuf message ({exc})") from None
    return output
