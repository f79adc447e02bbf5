"""The protobuf wire: public types <-> `tinker_public` messages (generated from tinker_public.proto).

Request side: `encode_forward_backward_request` turns datums into a `ForwardBackwardRequest` body. Arrays
go as little-endian bytes (tokens int32, float tensors float32, int tensors and CSR indices int64), the way
every SDK generation since 0.25 writes them; `loss_fn_config` is dual-written (numbers to the legacy map
and to v2, strings to v2 only) and provenance spans are carried, as 0.38 does. 0.25-era servers ignore
the fields they do not know (proto3), so one encoding serves both; `generation="0.25"` writes exactly
the 0.25 body (no v2, no spans) for callers that must imitate that SDK (the contract tester).

Response side: `decode_forward_backward_output` and `decode_sample_response` turn result bodies into the
same public objects the JSON wire produces, with the official widening: int32 -> int64, bfloat16 ->
float32. Batched result tensors are decoded with one numpy buffer per field; each datum's TensorData is a
view into it (no copy per datum).

Malformed bodies raise `ResponseFormatError` (a ValueError); the HTTP layer reports it as
`APIResponseValidationError`. Inputs a protobuf body cannot carry raise `InvalidInputError` before
anything is sent, naming the datum.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, Protocol

import numpy as np
import numpy.typing as npt
from google.protobuf.message import DecodeError
from tinker_ext_raw.proto import tinker_public_pb2 as pb
from tinker_ext_raw.public import TensorData as _TensorData

from tinker_ext._core.exceptions import InvalidInputError
from tinker_ext._wire.http import PROTOBUF_CONTENT_TYPE
from tinker_ext._wire.proto_datums import datum_parts, upb_entry
from tinker_ext._wire.proto_reader import Batched, read_forward_backward_output
from tinker_ext._wire.validation import check_finite_values
from tinker_ext.types._wire import ResponseFormatError

if TYPE_CHECKING:
    from tinker_ext.types import Datum, ForwardBackwardOutput, SampledSequence, SampleResponse, TensorData
    from tinker_ext.types.topk_logprobs import TopkLogprobs


__all__ = [
    "PROTOBUF_CONTENT_TYPE",
    "ProtoGeneration",
    "decode_forward_backward_output",
    "decode_sample_response",
    "encode_forward_backward_request",
]


class MessageCheck(Protocol):
    """What a decoder is told about the request (`_wire.answer_checks`' expectations): it checks a parsed
    message's counts before anything is converted. A protocol, so the codec does not import the checks."""

    def check_protobuf(self, message: Any) -> None: ...


# Which SDK generation's body to write: "0.38" is a superset that 0.25-era servers read too.
ProtoGeneration = Literal["0.25", "0.38"]

_INT32_MAX = 2**31 - 1
_TO_WIRE_DTYPE = {"float32": (pb.DTYPE_FLOAT32, "<f4"), "int64": (pb.DTYPE_INT64, "<i8")}
# Wire dtype -> (numpy dtype of the bytes, the public dtype it widens to).
_FROM_WIRE_DTYPE: dict[int, tuple[str, str]] = {
    pb.DTYPE_FLOAT32: ("<f4", "float32"),
    pb.DTYPE_INT64: ("<i8", "int64"),
    pb.DTYPE_INT32: ("<i4", "int64"),
    pb.DTYPE_BFLOAT16: ("<u2", "float32"),
}
_STOP_REASONS: dict[int, Literal["length", "stop"]] = {
    pb.STOP_REASON_STOP: "stop",
    pb.STOP_REASON_LENGTH: "length",
}


# ---------------------------------------------------------------------------------------------- encode


def _tokens_bytes(tokens: Sequence[int] | npt.NDArray[Any], where: str) -> bytes:
    if isinstance(tokens, np.ndarray):  # `ModelInput.from_numpy`: one range check, one conversion
        if tokens.size and (int(tokens.min()) < 0 or int(tokens.max()) > _INT32_MAX):
            raise InvalidInputError(
                f"{where}: token ids must be integers in [0, {_INT32_MAX}] (the protobuf wire packs them as int32)"
            )
        return tokens.astype("<i4", copy=False).tobytes()
    try:
        array = np.fromiter(tokens, dtype=np.int32, count=len(tokens))
    except (OverflowError, ValueError, TypeError):
        raise InvalidInputError(
            f"{where}: token ids must be integers in [0, {_INT32_MAX}] (the protobuf wire packs them as int32)"
        ) from None
    return array.tobytes()


def _fill_tensor(message: pb.Tensor, tensor: TensorData, where: str, finite_where: str) -> None:
    """Write `tensor` into `message` in place (no intermediate message, no CopyFrom of its bytes)."""
    try:
        wire_dtype, np_dtype = _TO_WIRE_DTYPE[tensor.dtype]
    except KeyError:
        raise InvalidInputError(f"{where}: dtype {tensor.dtype!r} cannot be sent") from None
    message.dtype = wire_dtype
    values = np.ascontiguousarray(tensor._array, dtype=np_dtype)
    if wire_dtype == pb.DTYPE_FLOAT32:
        check_finite_values(values, finite_where)
    if tensor.sparse_crow_indices is not None and tensor.sparse_col_indices is not None:
        csr = message.sparse_csr
        csr.values = values.tobytes()
        csr.crow_indices = np.asarray(tensor.sparse_crow_indices, dtype="<i8").tobytes()
        csr.col_indices = np.asarray(tensor.sparse_col_indices, dtype="<i8").tobytes()
    else:
        message.dense = values.tobytes()
    if tensor.shape is not None:
        message.shape.extend(tensor.shape)


def _add_spans(target: Any, spans: Sequence[Any]) -> None:
    from tinker_ext.types import SampledProvenanceSpan

    for span in spans:
        entry = target.add()
        arm = entry.sampled_tokens if isinstance(span, SampledProvenanceSpan) else entry.prompt_tokens
        arm.sequence_id = span.sequence_id
        arm.offset = span.offset
        arm.length = span.length


def _add_datum(target: pb.Datum, datum: Datum, where: str, generation: ProtoGeneration) -> None:
    from tinker_ext.types import DmelChunk, EncodedTextChunk, ImageChunk

    for position, chunk in enumerate(datum.model_input.chunks):
        entry = target.model_input.add()
        if isinstance(chunk, EncodedTextChunk):
            entry.encoded_text.tokens = _tokens_bytes(chunk.tokens, f"{where}.model_input.chunks[{position}]")
        elif isinstance(chunk, ImageChunk):
            entry.image.data = chunk.data
            entry.image.format = chunk.format
            if chunk.expected_tokens is not None:
                entry.image.expected_tokens = chunk.expected_tokens
        elif isinstance(chunk, DmelChunk):
            entry.dmel.dmel = chunk.dmel
        else:
            raise InvalidInputError(
                f"{where}.model_input.chunks[{position}]: a {type(chunk).__name__} cannot be sent in a "
                "protobuf forward_backward body (it has no such chunk); send the image bytes as an ImageChunk"
            )
    for key, tensor in datum.loss_fn_inputs.items():
        _fill_tensor(
            target.loss_fn_inputs[key],
            tensor,
            f"{where}.loss_fn_inputs[{key!r}]",
            f"{where}.loss_fn_inputs.{key}",
        )
    if generation != "0.25":
        if datum.model_input_spans is not None:
            _add_spans(target.model_input_spans, datum.model_input_spans)
        if datum.loss_fn_input_spans is not None:
            _add_spans(target.loss_fn_input_spans, datum.loss_fn_input_spans)


def encode_forward_backward_request(
    *,
    model_id: str,
    seq_id: int | None,
    data: Sequence[Datum],
    loss_fn: str,
    loss_fn_config: Mapping[str, float | str] | None = None,
    forward_only: bool = False,
    generation: ProtoGeneration = "0.38",
    first_index: int = 0,
) -> bytes:
    """The serialized `ForwardBackwardRequest` for one chunk of datums.

    `first_index` is the index of `data[0]` in the caller's list, for error messages.
    """
    request = pb.ForwardBackwardRequest(model_id=model_id, loss_fn=loss_fn, forward_only=forward_only)
    if seq_id is not None:
        if not 0 <= seq_id <= _INT32_MAX:
            raise InvalidInputError(f"seq_id {seq_id} does not fit the protobuf wire (int32)")
        request.seq_id = seq_id
    for key, value in (loss_fn_config or {}).items():
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise InvalidInputError(f"loss_fn_config[{key!r}] must be a number or a string, got {value!r}")
        if isinstance(value, str):
            if generation == "0.25":
                raise InvalidInputError(
                    f"loss_fn_config[{key!r}] is a string: the 0.25 protobuf body carries numbers only"
                )
            request.loss_fn_config_v2[key].text = value
            continue
        if not math.isfinite(value):
            raise InvalidInputError(f"loss_fn_config[{key!r}] is {value!r}: NaN and inf cannot be sent")
        request.loss_fn_config[key] = float(value)
        if generation != "0.25":
            request.loss_fn_config_v2[key].number = float(value)
    # Fields in number order, as upb writes them: model_id and seq_id (1, 2), the datums (3), the rest.
    parts: list[Any] = [_head_fields(request)]
    for index, datum in enumerate(data, first_index):
        where = f"data[{index}]"
        if generation == "0.25":
            parts += upb_entry(_upb_datum(datum, where, generation))
        else:
            parts += datum_parts(datum, where, lambda: _upb_datum(datum, where, generation))  # noqa: B023
    request.ClearField("model_id")
    request.ClearField("seq_id")
    parts.append(request.SerializeToString())
    return b"".join(parts)


def _head_fields(request: pb.ForwardBackwardRequest) -> bytes:
    return pb.ForwardBackwardRequest(model_id=request.model_id, seq_id=request.seq_id).SerializeToString()


def _upb_datum(datum: Datum, where: str, generation: ProtoGeneration) -> bytes:
    message = pb.Datum()
    _add_datum(message, datum, where, generation)
    return message.SerializeToString()


# ---------------------------------------------------------------------------------------------- decode


def _parse(message: Any, content: bytes, what: str) -> None:
    try:
        message.ParseFromString(content)
    except (DecodeError, RuntimeError, ValueError) as exc:
        raise ResponseFormatError(f"{what}: not a valid protobuf message ({exc})") from None


def _array_of(raw: bytes, wire_dtype: int, what: str) -> npt.NDArray[Any]:
    """Bytes in a wire dtype -> a writable numpy array in the public dtype (int32/bf16 widened)."""
    try:
        source, _ = _FROM_WIRE_DTYPE[wire_dtype]
    except KeyError:
        raise ResponseFormatError(f"{what}: unknown dtype {wire_dtype}") from None
    itemsize = np.dtype(source).itemsize
    if len(raw) % itemsize:
        raise ResponseFormatError(f"{what}: {len(raw)} bytes is not a whole number of {source} values")
    values = np.frombuffer(raw, dtype=source)
    if wire_dtype == pb.DTYPE_BFLOAT16:
        return (values.astype(np.uint32) << 16).view(np.float32)
    if wire_dtype == pb.DTYPE_INT32:
        return values.astype(np.int64)
    return values.copy()  # frombuffer views are read-only; results are handed to users


def _tensor_data(array: npt.NDArray[Any], shape: Sequence[int]) -> TensorData:
    # one call per datum and output field: the class is a module global, not imported per call
    return _TensorData._decoded(array, "float32" if array.dtype.kind == "f" else "int64", list(shape))


def _decode_tensor(message: pb.Tensor, what: str) -> TensorData:
    from tinker_ext.types import TensorData

    shape = list(message.shape)
    if message.WhichOneof("encoding") == "sparse_csr":
        csr = message.sparse_csr
        values = _array_of(csr.values, message.dtype, what)
        return TensorData(
            data=values,
            dtype="float32" if values.dtype.kind == "f" else "int64",
            shape=shape or None,
            sparse_crow_indices=np.frombuffer(csr.crow_indices, dtype="<i8").tolist(),
            sparse_col_indices=np.frombuffer(csr.col_indices, dtype="<i8").tolist(),
        )
    values = _array_of(message.dense, message.dtype, what)
    return _tensor_data(values, shape or [values.size])


def _split_batched(field: Batched, num_datums: int, what: str) -> list[TensorData]:
    raw, raw_offsets, wire_dtype = field.data, field.offsets, field.dtype  # each access copies: once
    values = _array_of(raw, wire_dtype, what)
    source_itemsize = np.dtype(_FROM_WIRE_DTYPE[wire_dtype][0]).itemsize
    if len(raw_offsets) % 8:
        raise ResponseFormatError(f"{what}.offsets: not a whole number of int64 values")
    offsets = np.frombuffer(raw_offsets, dtype="<i8")
    if len(offsets) != num_datums + 1:
        raise ResponseFormatError(f"{what}.offsets: {len(offsets)} entries for {num_datums} datums")
    counts = np.diff(offsets)
    if (offsets[0] != 0 or offsets[-1] != len(raw) or bool((counts < 0).any())) or bool(
        (offsets % source_itemsize).any()
    ):
        raise ResponseFormatError(f"{what}.offsets: not increasing byte offsets within the data")
    counts //= source_itemsize
    trailing = list(field.trailing_shape)
    row = math.prod(trailing) if trailing else 1
    if num_datums and (row == 0 or bool((counts % row).any())):
        bad = int(counts[0]) if row == 0 else int(counts[(counts % row).nonzero()[0][0]])
        raise ResponseFormatError(f"{what}: {bad} values do not fill rows of shape {trailing}")
    if trailing:
        values = values.reshape(-1, *trailing)
    bounds = (offsets // (source_itemsize * max(row, 1))).tolist()
    return _TensorData._decoded_rows(values, "float32" if values.dtype.kind == "f" else "int64", bounds)


def decode_forward_backward_output(
    content: bytes, expect: MessageCheck | None = None
) -> ForwardBackwardOutput:
    """`tinker_public.ForwardBackwardOutput` bytes -> ForwardBackwardOutput (as the JSON wire gives it);
    `expect` checks the message's counts against the request before anything is decoded."""
    from tinker_ext.types import ForwardBackwardOutput

    what = "ForwardBackwardOutput"
    message = read_forward_backward_output(content)  # arrays stay slices of `content` until copied below
    if expect is not None:
        expect.check_protobuf(message)
    outputs: list[dict[str, TensorData]] = []
    names: list[str] | None = None
    for record_index, record in enumerate(message.loss_fn_outputs):
        where = f"{what}.loss_fn_outputs[{record_index}]"
        fields = sorted(record.fields)
        if names is not None and fields != names:
            raise ResponseFormatError(f"{where}: fields {fields} differ from the first record's {names}")
        names = fields
        num_datums = record.num_datums
        if num_datums == 0 and fields:  # older servers leave it unset: count the first field's datums
            num_datums = max(len(record.fields[fields[0]].offsets) // 8 - 1, 0)
        columns = {
            name: _split_batched(record.fields[name], num_datums, f"{where}.{name}") for name in fields
        }
        outputs.extend({name: columns[name][i] for name in fields} for i in range(num_datums))
    output_type = message.loss_fn_output_type or "ArrayRecord"
    return ForwardBackwardOutput._trusted(  # every tensor built above: no second walk over the outputs
        loss_fn_output_type=output_type.rsplit(":", 1)[-1],
        loss_fn_outputs=outputs,
        metrics=message.metrics,
    )


def _wire_array(raw: bytes, dtype: str, what: str) -> npt.NDArray[Any]:
    """Little-endian int32/float32 bytes as a read-only numpy view of the message's bytes (no copy, no
    Python object per value: the result types convert to lists only when a list name is read)."""
    if len(raw) % 4:
        raise ResponseFormatError(f"{what}: {len(raw)} bytes is not a whole number of {dtype} values")
    return np.frombuffer(raw, dtype=dtype)


def _topk(message: pb.TopkLogprobs, what: str) -> TopkLogprobs | None:
    """A row-major [length, k] table as 0.38's TopkLogprobs matrices (None when absent)."""
    from tinker_ext.types.topk_logprobs import TopkLogprobs

    if message.length == 0 or message.k == 0:
        return None
    length, k = message.length, message.k
    token_ids = _array_of(message.token_ids, pb.DTYPE_INT32, f"{what}.token_ids")
    logprobs = _array_of(message.logprobs, pb.DTYPE_FLOAT32, f"{what}.logprobs")
    if token_ids.size != length * k or logprobs.size != length * k:
        raise ResponseFormatError(f"{what}: expected {length}x{k} entries")
    return TopkLogprobs(token_ids=token_ids.reshape(length, k), logprobs=logprobs.reshape(length, k))


def _sequence(sequence: pb.SampledSequence, index: int, cls: type[SampledSequence]) -> SampledSequence:
    """One sequence; the common one (known stop reason, whole int32/float32 values, no top-k) is built
    without the dataclass __init__ (0.38 checks nothing there either): ~2x less per sequence."""
    tokens, logprobs = sequence.tokens, sequence.logprobs  # each access copies: once
    stop_reason = _STOP_REASONS.get(sequence.stop_reason)
    if (
        stop_reason is None
        or len(tokens) % 4
        or len(logprobs) % 4
        or sequence.HasField("topk_sampled_logprobs")
    ):
        return _checked_sequence(sequence, f"SampleResponse.sequences[{index}]", cls)
    item = cls.__new__(cls)
    object.__setattr__(
        item,
        "__dict__",
        {
            "stop_reason": stop_reason,
            "sequence_id": None,  # stamped from the promise's sample_sequence_ids
            "tokens_np": np.frombuffer(tokens, dtype="<i4"),
            "logprobs_np": np.frombuffer(logprobs, dtype="<f4") if logprobs else None,
            "topk_logprobs_np": None,
            "_tokens_list": None,
            "_logprobs_list": None,
            "_topk_logprobs_list": None,
        },
    )
    return item


def _checked_sequence(
    sequence: pb.SampledSequence, where: str, cls: type[SampledSequence]
) -> SampledSequence:
    try:
        stop_reason = _STOP_REASONS[sequence.stop_reason]
    except KeyError:
        raise ResponseFormatError(f"{where}.stop_reason: unknown value {sequence.stop_reason}") from None
    topk_sampled = None
    if sequence.HasField("topk_sampled_logprobs"):
        topk_sampled = _topk(sequence.topk_sampled_logprobs, f"{where}.topk_sampled_logprobs")
    return cls(
        stop_reason,
        None,  # stamped from the promise's sample_sequence_ids
        _wire_array(sequence.tokens, "<i4", f"{where}.tokens"),
        _wire_array(sequence.logprobs, "<f4", f"{where}.logprobs") if sequence.logprobs else None,
        topk_sampled,
    )


def decode_sample_response(content: bytes, expect: MessageCheck | None = None) -> SampleResponse:
    """`tinker_public.SampleResponse` bytes -> SampleResponse in 0.38's layout: token ids and logprobs
    stay numpy views of the message (prompt logprob NaN kept as NaN); `expect` checks the message's counts
    against the request before anything is decoded."""
    from tinker_ext.types import SampledSequence as sequence_class
    from tinker_ext.types import SampleResponse
    from tinker_ext.types.sampling import PromptAltTokens

    what = "SampleResponse"
    message = pb.SampleResponse()
    _parse(message, content, what)
    if expect is not None:
        expect.check_protobuf(message)
    sequences = [
        _sequence(sequence, index, sequence_class) for index, sequence in enumerate(message.sequences)
    ]
    prompt_logprobs = None
    if message.HasField("prompt_logprobs"):
        prompt_logprobs = _wire_array(message.prompt_logprobs, "<f4", f"{what}.prompt_logprobs")
    topk = None
    if message.HasField("topk_prompt_logprobs"):
        topk = _topk(message.topk_prompt_logprobs, f"{what}.topk_prompt_logprobs")
    target = None
    if message.HasField("target_prompt_logprobs"):
        target = _decode_tensor(message.target_prompt_logprobs, f"{what}.target_prompt_logprobs")
    alt = None
    if message.HasField("prompt_alt_tokens"):
        alt = PromptAltTokens._trusted(
            tokens=_decode_tensor(message.prompt_alt_tokens.tokens, f"{what}.prompt_alt_tokens.tokens"),
            logprobs=_decode_tensor(message.prompt_alt_tokens.logprobs, f"{what}.prompt_alt_tokens.logprobs"),
        )
    return SampleResponse(
        sequences,
        prompt_logprobs_np=prompt_logprobs,
        topk_prompt_logprobs_np=topk,
        target_prompt_logprobs=target,
        prompt_cache_hit_tokens=message.prompt_cache_hit_tokens,
        prompt_alt_tokens=alt,
    )
