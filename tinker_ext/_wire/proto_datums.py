"""The `data` of a protobuf ForwardBackwardRequest written straight from the datums' numpy arrays.

Building upb messages for a 4 MB body costs three copies of every array (numpy -> bytes -> message ->
serialized body) plus Python attribute traffic per field. Here each common datum (EncodedTextChunks and
dense int64/float32 tensors) becomes a list of small headers (tags and lengths, protobuf wire format) and
the arrays themselves; `b"".join` copies every array once, into the body. Anything else (images, dmel,
sparse tensors, provenance spans) is one upb `Datum` serialized as it always was; the parts are the same
bytes either way, since a repeated message field is just its entries one after another.

The bytes are those upb writes for the same message (fields in number order; a oneof member written even
when empty; proto3 defaults left out), so a body is byte-identical to one serialized by upb in the same
process. Map entries follow upb's own order for the same keys inserted in the same order: its hash
table's order, read once per set of keys from a message upb serialized (`_map_order`).

Float tensors are checked for NaN/inf here, on the arrays the body is written from (one vectorised pass).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from tinker_ext_raw.proto import tinker_public_pb2 as pb

from tinker_ext._core.exceptions import InvalidInputError
from tinker_ext._wire.validation import check_finite_values

if TYPE_CHECKING:
    from tinker_ext.types import Datum, TensorData

__all__ = ["datum_parts", "upb_entry", "varint"]

_INT32_MAX = 2**31 - 1
DATA_TAG = b"\x1a"  # ForwardBackwardRequest.data (3, length-delimited)
_FIELD1 = b"\x0a"  # field 1, length-delimited: Datum.model_input, Chunk.encoded_text, tokens, dense, map key
_FIELD2 = b"\x12"  # field 2, length-delimited: Datum.loss_fn_inputs entry, map value
_DTYPE_TAG = b"\x18"  # Tensor.dtype (3, varint)
_SHAPE_TAG = b"\x22"  # Tensor.shape (4, packed)
_WIRE_DTYPES: dict[str, tuple[int, np.dtype[Any]]] = {
    "float32": (pb.DTYPE_FLOAT32, np.dtype("<f4")),
    "int64": (pb.DTYPE_INT64, np.dtype("<i8")),
}
_map_orders: dict[tuple[str, ...], tuple[int, ...]] = {}
_MAX_MAP_ORDERS = 256  # distinct key sets remembered


@functools.lru_cache(maxsize=4096)  # lengths and dims repeat from datum to datum
def varint(value: int) -> bytes:
    """A non-negative int as a protobuf varint."""
    out = bytearray()
    while value >= 128:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def length_prefix(tag: bytes, length: int) -> bytes:
    return tag + varint(length)


def _sized(tag: bytes, length: int) -> int:
    """Bytes of a length-delimited field whose payload has `length` bytes."""
    return len(tag) + len(varint(length)) + length


def _token_array(tokens: Sequence[int] | npt.NDArray[Any], where: str) -> npt.NDArray[Any]:
    message = (
        f"{where}: token ids must be integers in [0, {_INT32_MAX}] (the protobuf wire packs them as int32)"
    )
    if isinstance(tokens, np.ndarray):  # `ModelInput.from_numpy`: one range check, one conversion (if any)
        if tokens.size and (int(tokens.min()) < 0 or int(tokens.max()) > _INT32_MAX):
            raise InvalidInputError(message)
        return np.ascontiguousarray(tokens, dtype="<i4")
    try:
        return np.fromiter(tokens, dtype="<i4", count=len(tokens))
    except (OverflowError, ValueError, TypeError):
        raise InvalidInputError(message) from None


def _tensor_parts(tensor: TensorData, where: str, key: str) -> tuple[list[Any], int] | None:
    """A dense tensor's `Tensor` message as parts and its length; None when upb must write it."""
    if tensor.sparse_crow_indices is not None:
        return None
    try:
        wire_dtype, np_dtype = _WIRE_DTYPES[tensor.dtype]
    except KeyError:
        raise InvalidInputError(
            f"{where}.loss_fn_inputs[{key!r}]: dtype {tensor.dtype!r} cannot be sent"
        ) from None
    values = np.ascontiguousarray(tensor._array, dtype=np_dtype)
    if wire_dtype == pb.DTYPE_FLOAT32:
        check_finite_values(values, f"{where}.loss_fn_inputs.{key}")  # as the call's own check names it
    head = length_prefix(_FIELD1, values.nbytes)
    tail = _DTYPE_TAG + varint(wire_dtype)
    if tensor.shape:
        dims = b"".join(varint(d) for d in tensor.shape)
        tail += length_prefix(_SHAPE_TAG, len(dims)) + dims
    return [head, values, tail], len(head) + values.nbytes + len(tail)


def _map_order(keys: tuple[str, ...]) -> tuple[int, ...]:
    """The order in which upb writes a map<string, Tensor> whose keys were inserted in `keys`' order."""
    order = _map_orders.get(keys)
    if order is None:
        probe = pb.Datum()
        for index, key in enumerate(keys):
            probe.loss_fn_inputs[key].shape.append(index)
        order = tuple(_entry_indices(probe.SerializeToString()))  # parsing keeps no order: walk the bytes
        if len(_map_orders) >= _MAX_MAP_ORDERS:
            _map_orders.clear()
        _map_orders[keys] = order
    return order


def _read_varint(buf: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 128:
            return value, pos


def _entry_indices(body: bytes) -> list[int]:
    """The probe's map entries in written order, each as the index its shape carries."""
    out, pos = [], 0
    while pos < len(body):
        length, start = _read_varint(body, pos + 1)  # entry tag, length
        entry = pb.Datum.FromString(body[pos : start + length])
        ((_, tensor),) = entry.loss_fn_inputs.items()
        out.append(tensor.shape[0])
        pos = start + length
    return out


def datum_parts(datum: Datum, where: str, upb_datum: Callable[[], bytes]) -> list[Any]:
    """One `data` entry of the request (its tag, length and payload) as parts for `b"".join`;
    `upb_datum()` serializes the datum with upb, for datums this module does not write itself."""
    from tinker_ext.types import EncodedTextChunk

    if datum.model_input_spans is not None or datum.loss_fn_input_spans is not None:
        return upb_entry(upb_datum())
    parts: list[Any] = []
    size = 0
    for position, chunk in enumerate(datum.model_input.chunks):
        if not isinstance(chunk, EncodedTextChunk):
            return upb_entry(upb_datum())
        tokens = _token_array(chunk.tokens, f"{where}.model_input.chunks[{position}]")
        text = (
            _sized(_FIELD1, tokens.nbytes) if tokens.nbytes else 0
        )  # EncodedTextChunk (proto3: no empty bytes)
        head = length_prefix(_FIELD1, _sized(_FIELD1, text)) + length_prefix(_FIELD1, text)
        if tokens.nbytes:
            head += length_prefix(_FIELD1, tokens.nbytes)
        parts += (head, tokens)
        size += len(head) + tokens.nbytes
    inputs = datum.loss_fn_inputs
    entries = []
    for key, tensor in inputs.items():
        built = _tensor_parts(tensor, where, key)
        if built is None:
            return upb_entry(upb_datum())
        tensor_parts, tensor_size = built
        name = key.encode()
        payload = _sized(_FIELD1, len(name)) + _sized(_FIELD2, tensor_size)
        head = length_prefix(_FIELD2, payload) + length_prefix(_FIELD1, len(name)) + name
        entries.append(
            ([head + length_prefix(_FIELD2, tensor_size), *tensor_parts], _sized(_FIELD2, payload))
        )
    if len(entries) > 1:
        entries = [entries[i] for i in _map_order(tuple(inputs))]
    for entry_parts, entry_size in entries:
        parts += entry_parts
        size += entry_size
    return [length_prefix(DATA_TAG, size), *parts]


def upb_entry(serialized: bytes) -> list[Any]:
    return [length_prefix(DATA_TAG, len(serialized)), serialized]
