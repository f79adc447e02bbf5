"""The server side of both wires: datums in (legacy JSON of SDK <= 0.24, protobuf of SDK >= 0.25,
optionally zstd), forward(_backward) and sample results out (JSON, or protobuf when the poll asks for
`application/x-protobuf`). Written from the wire facts, independent of the client's codec it tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from tinker_ext_raw.proto import tinker_public_pb2 as pb

from ._sampler import PromptScores, SampledSeq

__all__ = ["BadBody", "FwdInput", "Output", "fwd_from_json", "fwd_from_proto", "output_json", "output_proto"]

PROTOBUF = "application/x-protobuf"
_PB_DTYPES = {pb.DTYPE_FLOAT32: "<f4", pb.DTYPE_INT64: "<i8", pb.DTYPE_INT32: "<i4"}


class BadBody(ValueError):
    """A request body the server cannot use (answered 400 with the reason)."""


@dataclass
class FwdInput:
    model_id: str
    seq_id: int | None
    data: list[tuple[list[int], dict[str, np.ndarray]]]
    loss_fn: str
    config: dict[str, float | str]
    forward_only: bool


@dataclass
class Output:
    """A forward / forward_backward result."""

    records: list[dict[str, np.ndarray]]
    metrics: dict[str, float]


def _tensor_json(value: Any, where: str) -> np.ndarray:
    if not isinstance(value, Mapping) or "data" not in value:
        raise BadBody(f"{where} must be a TensorData object")
    dtype = np.int64 if value.get("dtype") == "int64" else np.float32
    data = np.asarray(value["data"], dtype=dtype)
    shape = value.get("shape")
    if value.get("sparse_crow_indices") is not None:
        crow = np.asarray(value["sparse_crow_indices"], dtype=np.int64)
        cols = np.asarray(value.get("sparse_col_indices") or [], dtype=np.int64)
        return _dense_from_csr(data, crow, cols, shape, where)
    return data.reshape(shape) if shape else data


def _dense_from_csr(
    values: np.ndarray, crow: np.ndarray, cols: np.ndarray, shape: Any, where: str
) -> np.ndarray:
    if not shape or len(shape) != 2:
        raise BadBody(f"{where}: a sparse tensor needs a 2-D shape")
    dense = np.zeros(tuple(shape), dtype=values.dtype)
    rows = np.repeat(np.arange(len(crow) - 1), np.diff(crow))
    dense[rows, cols] = values
    return dense


def _tokens_json(model_input: Any) -> list[int]:
    chunks = model_input.get("chunks") if isinstance(model_input, Mapping) else None
    if not isinstance(chunks, list):
        raise BadBody("model_input.chunks must be a list")
    tokens: list[int] = []
    for chunk in chunks:
        if not isinstance(chunk, Mapping) or chunk.get("type", "encoded_text") != "encoded_text":
            raise BadBody("the test server's model reads encoded_text chunks only")
        tokens.extend(int(t) for t in chunk.get("tokens", []))
    return tokens


def tokens_json(model_input: Any) -> list[int]:
    return _tokens_json(model_input)


def fwd_from_json(body: Mapping[str, Any], key: str, forward_only: bool) -> FwdInput:
    inner = body.get(key)
    if not isinstance(inner, Mapping) or not isinstance(inner.get("data"), list):
        raise BadBody(f"{key}.data is required")
    data = []
    for i, datum in enumerate(inner["data"]):
        if not isinstance(datum, Mapping):
            raise BadBody(f"{key}.data[{i}] must be an object")
        inputs = {
            name: _tensor_json(value, f"data[{i}].loss_fn_inputs.{name}")
            for name, value in (datum.get("loss_fn_inputs") or {}).items()
        }
        data.append((_tokens_json(datum.get("model_input")), inputs))
    config = dict(inner.get("loss_fn_config") or {})
    return FwdInput(
        str(body.get("model_id")), body.get("seq_id"), data, str(inner.get("loss_fn")), config, forward_only
    )


def _tensor_proto(tensor: Any, where: str) -> np.ndarray:
    dtype = _PB_DTYPES.get(tensor.dtype)
    if dtype is None:
        raise BadBody(f"{where}: unsupported dtype {tensor.dtype}")
    shape = list(tensor.shape)
    if tensor.WhichOneof("encoding") == "sparse_csr":
        csr = tensor.sparse_csr
        values = np.frombuffer(csr.values, dtype)
        crow, cols = np.frombuffer(csr.crow_indices, "<i8"), np.frombuffer(csr.col_indices, "<i8")
        return _dense_from_csr(values, crow, cols, shape, where)
    data = np.frombuffer(tensor.dense, dtype)
    return data.reshape(shape) if shape else data


def fwd_from_proto(raw: bytes) -> FwdInput:
    try:
        message = pb.ForwardBackwardRequest.FromString(raw)
    except Exception as exc:
        raise BadBody(f"not a tinker_public.ForwardBackwardRequest: {exc}") from None
    data = []
    for i, datum in enumerate(message.data):
        tokens: list[int] = []
        for chunk in datum.model_input:
            if chunk.WhichOneof("chunk") != "encoded_text":
                raise BadBody("the test server's model reads encoded_text chunks only")
            tokens.extend(np.frombuffer(chunk.encoded_text.tokens, "<i4").tolist())
        inputs = {
            name: _tensor_proto(t, f"data[{i}].loss_fn_inputs.{name}")
            for name, t in datum.loss_fn_inputs.items()
        }
        data.append((tokens, inputs))
    config: dict[str, float | str] = dict(message.loss_fn_config)
    for name, value in message.loss_fn_config_v2.items():
        config[name] = value.text if value.WhichOneof("value") == "text" else value.number
    seq = message.seq_id or None
    return FwdInput(message.model_id, seq, data, message.loss_fn, config, message.forward_only)


def _tensor_data(array: np.ndarray) -> dict[str, Any]:
    dtype = "int64" if array.dtype.kind in "iu" else "float32"
    return {"data": array.ravel().tolist(), "dtype": dtype, "shape": list(array.shape)}


def output_json(output: Output) -> dict[str, Any]:
    return {
        "loss_fn_output_type": "ArrayRecord",
        "loss_fn_outputs": [{k: _tensor_data(v) for k, v in r.items()} for r in output.records],
        "metrics": output.metrics,
    }


def output_proto(output: Output) -> bytes:
    message = pb.ForwardBackwardOutput(loss_fn_output_type="ArrayRecord")
    message.metrics.update(output.metrics)
    # one record per run of datums whose fields have the same trailing shape
    start = 0
    records = output.records
    while start < len(records):
        shape = {k: v.shape[1:] for k, v in records[start].items()}
        end = start + 1
        while end < len(records) and {k: v.shape[1:] for k, v in records[end].items()} == shape:
            end += 1
        record = message.loss_fn_outputs.add(type_tag="ArrayRecord", num_datums=end - start)
        for name in records[start]:
            arrays = [np.ascontiguousarray(r[name], dtype="<f4") for r in records[start:end]]
            offsets = np.cumsum([0] + [a.nbytes for a in arrays]).astype("<i8")
            field = record.fields[name]
            field.data = b"".join(a.tobytes() for a in arrays)
            field.offsets = offsets.tobytes()
            field.dtype = pb.DTYPE_FLOAT32
            field.trailing_shape.extend(shape[name])
        start = end
    return message.SerializeToString()


def _rows(rows: Sequence[Sequence[tuple[int, float]] | None]) -> list[Any]:
    return [None if row is None else [[t, v] for t, v in row] for row in rows]


def sample_json(sequences: list[SampledSeq], scores: PromptScores) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "sample",
        "sequences": [
            {"stop_reason": s.stop_reason, "tokens": s.tokens, "logprobs": s.logprobs} for s in sequences
        ],
        "prompt_logprobs": scores.logprobs,
        "topk_prompt_logprobs": None if scores.topk is None else _rows(scores.topk),
    }
    if scores.target is not None:
        body["target_prompt_logprobs"] = _tensor_data(scores.target)
    if scores.alt_tokens is not None and scores.alt_logprobs is not None:
        body["prompt_alt_tokens"] = {
            "tokens": _tensor_data(scores.alt_tokens),
            "logprobs": _tensor_data(scores.alt_logprobs),
        }
    return body


def _topk_proto(target: Any, rows: Sequence[Sequence[tuple[int, float]] | None]) -> None:
    k = max((len(r) for r in rows if r), default=0)
    ids = np.zeros((len(rows), k), dtype="<i4")
    values = np.full((len(rows), k), np.nan, dtype="<f4")
    for i, row in enumerate(rows):
        for j, (token, value) in enumerate(row or ()):
            ids[i, j], values[i, j] = token, value
    target.token_ids, target.logprobs, target.k, target.length = ids.tobytes(), values.tobytes(), k, len(rows)


def _dense(target: Any, array: np.ndarray) -> None:
    if array.dtype.kind in "iu":
        target.dense, target.dtype = np.ascontiguousarray(array, "<i8").tobytes(), pb.DTYPE_INT64
    else:
        target.dense, target.dtype = np.ascontiguousarray(array, "<f4").tobytes(), pb.DTYPE_FLOAT32
    target.shape.extend(array.shape)


def sample_proto(sequences: list[SampledSeq], scores: PromptScores) -> bytes:
    message = pb.SampleResponse()
    for s in sequences:
        reason = pb.STOP_REASON_STOP if s.stop_reason == "stop" else pb.STOP_REASON_LENGTH
        entry = message.sequences.add(stop_reason=reason)
        entry.tokens = np.asarray(s.tokens, dtype="<i4").tobytes()
        entry.logprobs = np.asarray(s.logprobs, dtype="<f4").tobytes()
        if s.topk:
            _topk_proto(entry.topk_sampled_logprobs, s.topk)
    if scores.logprobs is not None:
        values = [np.nan if v is None else v for v in scores.logprobs]
        message.prompt_logprobs = np.asarray(values, dtype="<f4").tobytes()
    if scores.topk is not None:
        _topk_proto(message.topk_prompt_logprobs, scores.topk)
    if scores.target is not None:
        _dense(message.target_prompt_logprobs, scores.target)
    if scores.alt_tokens is not None and scores.alt_logprobs is not None:
        _dense(message.prompt_alt_tokens.tokens, scores.alt_tokens)
        _dense(message.prompt_alt_tokens.logprobs, scores.alt_logprobs)
    return message.SerializeToString()
