"""Protobuf parity with the official SDK 0.38 (run by `nox -s parity_038`, which installs tinker==0.38.0).

- Requests: the same datums built with 0.38's types and with ours; 0.38 encodes its request
  (`tinker.proto.request_conv`), we encode ours (`tinker_ext._wire.proto`); both bodies are read back with 0.38's
  own generated `tinker_public_pb2` and must be equal messages (and equal bytes after a canonical
  re-serialisation). `forward_only` is set on the message by 0.38's resource layer, so it is set here too.
- Results: `ForwardBackwardOutput` / `SampleResponse` bodies built with 0.38's pb2 (several records,
  bfloat16 and int32 fields, trailing shapes, top-k tables, NaN prompt logprobs) are decoded by 0.38
  (`tinker.proto.response_conv`) and by us: values, dtypes and shapes must agree.
Our messages live in a descriptor pool of their own, so both generated modules load in one process.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

tinker = pytest.importorskip("tinker")
if not tinker.__version__.startswith("0.38"):
    pytest.skip(f"oracle is tinker 0.38.x, found {tinker.__version__}", allow_module_level=True)

from tinker import types as T  # noqa: E402
from tinker.proto import request_conv, response_conv  # noqa: E402
from tinker.proto import tinker_public_pb2 as official_pb  # noqa: E402

import tinker_ext as ours  # noqa: E402
from tinker_ext._wire.proto import (  # noqa: E402
    decode_forward_backward_output,
    decode_sample_response,
    encode_forward_backward_request,
)

pytestmark = pytest.mark.parity

RNG = np.random.default_rng(38)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(40))


def raw_datums() -> list[dict]:  # type: ignore[type-arg]
    """Plain data both SDKs' datums are built from."""
    out = []
    for i, n in enumerate([5, 17, 3]):
        tokens = RNG.integers(0, 150_000, n + 1).tolist()
        out.append(
            {
                "tokens": tokens[:-1],
                "targets": np.asarray(tokens[1:], dtype=np.int64),
                "weights": RNG.random(n, dtype=np.float32),
                "advantages": RNG.standard_normal(n).astype(np.float32),
                "image": i == 1,
                "spans": i == 2,
            }
        )
    return out


def official_datum(raw: dict) -> object:  # type: ignore[type-arg]
    chunks: list[object] = [T.EncodedTextChunk(tokens=raw["tokens"])]
    if raw["image"]:
        chunks.append(T.ImageChunk(data=PNG, format="png", expected_tokens=3))
    datum = T.Datum(
        model_input=T.ModelInput(chunks=chunks),
        loss_fn_inputs={
            "target_tokens": T.TensorData.from_numpy(raw["targets"]),
            "weights": T.TensorData.from_numpy(raw["weights"]),
            "advantages": T.TensorData.from_numpy(raw["advantages"]),
        },
    )
    if raw["spans"]:
        n = len(raw["tokens"])
        datum = datum.with_provenance(
            model_input=[
                T.PromptProvenanceSpan(sequence_id="p0", offset=0, length=1),
                T.SampledProvenanceSpan(sequence_id="s0", offset=0, length=n - 1),
            ],
            loss_fn_inputs=[T.SampledProvenanceSpan(sequence_id="s0", offset=0, length=n)],
        )
    return datum


def our_datum(raw: dict) -> ours.Datum:  # type: ignore[type-arg]
    chunks: list[ours.ModelInputChunk] = [ours.EncodedTextChunk(tokens=raw["tokens"])]
    if raw["image"]:
        chunks.append(ours.types.ImageChunk(data=PNG, format="png", expected_tokens=3))
    datum = ours.Datum(
        model_input=ours.ModelInput(chunks=chunks),
        loss_fn_inputs={
            "target_tokens": raw["targets"],
            "weights": raw["weights"],
            "advantages": raw["advantages"],
        },
    )
    if raw["spans"]:
        n = len(raw["tokens"])
        datum = datum.with_provenance(
            [
                ours.types.PromptProvenanceSpan(sequence_id="p0", offset=0, length=1),
                ours.types.SampledProvenanceSpan(sequence_id="s0", offset=0, length=n - 1),
            ],
            [ours.types.SampledProvenanceSpan(sequence_id="s0", offset=0, length=n)],
        )
    return datum


@pytest.mark.parametrize("forward_only", [False, True])
@pytest.mark.parametrize(
    ("loss_fn", "config"),
    [
        ("cross_entropy", None),
        ("ppo", {"clip_low_threshold": 0.8, "clip_high_threshold": 1.2}),
        ("cispo", {"mode": "token", "eps": 0.2}),
    ],
)
def test_our_request_reads_back_equal_with_the_official_decoder(
    loss_fn: str, config: dict | None, forward_only: bool
) -> None:  # type: ignore[type-arg]
    raws = raw_datums()
    official = request_conv.forward_backward_request_to_proto(
        T.ForwardBackwardRequest(
            forward_backward_input=T.ForwardBackwardInput(
                data=[official_datum(r) for r in raws], loss_fn=loss_fn, loss_fn_config=config
            ),
            model_id="sess:train:0",
            seq_id=3,
        )
    )
    official.forward_only = forward_only
    body = encode_forward_backward_request(
        model_id="sess:train:0",
        seq_id=3,
        data=[our_datum(r) for r in raws],
        loss_fn=loss_fn,
        loss_fn_config=config,
        forward_only=forward_only,
    )
    decoded = official_pb.ForwardBackwardRequest.FromString(body)
    assert decoded == official
    assert decoded.SerializeToString(deterministic=True) == official.SerializeToString(deterministic=True)


def _batched(values: np.ndarray, sizes: list[int], dtype: int, trailing: list[int] | None = None) -> object:
    row = int(np.prod(trailing)) if trailing else 1
    offsets = np.concatenate([[0], np.cumsum(sizes)]) * row * values.dtype.itemsize
    msg = official_pb.BatchedTensor(
        data=values.tobytes(), offsets=offsets.astype("<i8").tobytes(), dtype=dtype
    )
    if trailing:
        msg.trailing_shape.extend(trailing)
    return msg


def official_forward_backward_output() -> bytes:
    out = official_pb.ForwardBackwardOutput(loss_fn_output_type="tinker.types:ArrayRecord")
    sizes1 = [4, 9, 1]
    rec1 = out.loss_fn_outputs.add(type_tag="ArrayRecord", num_datums=3)
    rec1.fields["logprobs"].CopyFrom(
        _batched(-RNG.random(sum(sizes1)).astype("<f4"), sizes1, official_pb.DTYPE_FLOAT32)
    )
    bf16 = (RNG.random(sum(sizes1)).astype("<f4").view("<u4") >> 16).astype("<u2")
    rec1.fields["elementwise_loss"].CopyFrom(_batched(bf16, sizes1, official_pb.DTYPE_BFLOAT16))
    sizes2 = [2, 3]
    rec2 = out.loss_fn_outputs.add(type_tag="ArrayRecord", num_datums=2)
    rec2.fields["logprobs"].CopyFrom(
        _batched(-RNG.random(sum(sizes2) * 2).astype("<f4"), sizes2, official_pb.DTYPE_FLOAT32, [2])
    )
    rec2.fields["elementwise_loss"].CopyFrom(
        _batched(RNG.integers(-5, 5, sum(sizes2)).astype("<i4"), sizes2, official_pb.DTYPE_INT32)
    )
    out.metrics["loss:sum"] = 12.5
    out.metrics["clip_frac:mean"] = 0.25
    return out.SerializeToString()


def test_forward_backward_output_decodes_like_the_official_sdk() -> None:
    body = official_forward_backward_output()
    theirs = response_conv.deserialize_forward_backward_output(body)
    mine = decode_forward_backward_output(body)
    assert mine.loss_fn_output_type == theirs.loss_fn_output_type
    assert mine.metrics == dict(theirs.metrics)
    assert len(mine.loss_fn_outputs) == len(theirs.loss_fn_outputs) == 5
    for our_out, their_out in zip(mine.loss_fn_outputs, theirs.loss_fn_outputs, strict=True):
        assert sorted(our_out) == sorted(their_out)
        for name, tensor in our_out.items():
            other = their_out[name]
            assert tensor.dtype == other.dtype
            assert list(tensor.shape or []) == list(other.shape or [])
            assert tensor.tolist() == other.tolist()


def test_sample_response_decodes_like_the_official_sdk() -> None:
    msg = official_pb.SampleResponse(prompt_cache_hit_tokens=3)
    for n, reason in ((5, official_pb.STOP_REASON_STOP), (2, official_pb.STOP_REASON_LENGTH)):
        seq = msg.sequences.add(stop_reason=reason)
        seq.tokens = RNG.integers(0, 150_000, n).astype("<i4").tobytes()
        seq.logprobs = (-RNG.random(n)).astype("<f4").tobytes()
    msg.sequences.add(stop_reason=official_pb.STOP_REASON_LENGTH, tokens=np.array([1], "<i4").tobytes())
    prompt = (-RNG.random(6)).astype("<f4")
    prompt[0] = np.nan
    msg.prompt_logprobs = prompt.tobytes()
    topk = msg.topk_prompt_logprobs
    topk.k, topk.length = 2, 6
    topk.token_ids = RNG.integers(0, 100, 12).astype("<i4").tobytes()
    topk.logprobs = (-RNG.random(12)).astype("<f4").tobytes()
    body = msg.SerializeToString()
    theirs = response_conv.deserialize_sample_response(body)
    mine = decode_sample_response(body)
    assert [(s.stop_reason, s.tokens, s.logprobs) for s in mine.sequences] == [
        (s.stop_reason, list(s.tokens), None if s.logprobs is None else list(s.logprobs))
        for s in theirs.sequences
    ]
    assert mine.prompt_cache_hit_tokens == theirs.prompt_cache_hit_tokens
    assert mine.prompt_logprobs is not None and theirs.prompt_logprobs is not None
    for a, b in zip(mine.prompt_logprobs, theirs.prompt_logprobs, strict=True):
        assert (a is None or math.isnan(a)) == (b is None or math.isnan(b))
        if a is not None and not math.isnan(a):
            assert a == b
    assert mine.topk_prompt_logprobs is not None and theirs.topk_prompt_logprobs is not None
    assert [[(t, lp) for t, lp in row] for row in mine.topk_prompt_logprobs if row is not None] == [
        [(t, lp) for t, lp in row] for row in theirs.topk_prompt_logprobs if row is not None
    ]
