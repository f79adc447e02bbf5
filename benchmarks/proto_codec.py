"""Protobuf codec speed: tinker_ext against the official tinker 0.38 in the same process, with floors.

    python benchmarks/proto_codec.py [--reps 9]       # needs tinker==0.38.0 and tinker_ext installed

`nox -s bench` runs it in its own venv (.bench/venv-tinker-0.38). Both SDKs' generated protobuf modules
load side by side (ours lives in a descriptor pool of its own). Each row is the median of --reps runs, the
two SDKs interleaved (official, ours, ours, official, ...); ratio = 0.38 / ours (> 1: tinker_ext faster).
The floor is the cost no SDK can avoid for that row, measured in the same run:

- numpy -> forward_backward request bytes (128 datums x 2048 tokens: tokens, int64 targets, float32
  weights): each SDK's public path from the user's arrays to the body it sends. 0.38:
  `ModelInput.from_ints(tokens.tolist())` (it has no numpy constructor), `TensorData.from_numpy`,
  `request_conv` + `SerializeToString`; ours: `ModelInput.from_numpy`, arrays as loss_fn_inputs, the NaN
  check and `encode_forward_backward_request`, as `TrainingClient` does. Floor: the tokens cast to int32
  and every array copied once into one body (`b"".join`). The row "(ours from token lists)" gives ours the
  0.38 input (`from_ints(tokens.tolist())`).
- the same, zstd on: plus each SDK's compression (0.38: a fresh `ZstdCompressor()`, level 3; ours: a
  reused level-1 compressor, `_training.fwdbwd`). Floor: the floor above plus our level's compression of the
  body alone; the row "zstd level 3 of the body alone" shows what 0.38's level costs, and the note gives
  both compressed sizes.
- ForwardBackwardOutput bytes -> object, arrays read (128 x 2048 float32 logprobs and elementwise_loss;
  every datum's arrays read with `to_numpy()`). Floor: each result array copied once out of the body.
- SampleResponse 64 x 256 decode, tokens never read / then tokens and logprobs read as lists. Floors: the
  upb parse of the body / plus the lists made from the arrays (`tolist`).

Correctness first: the two request bodies must be byte-identical, the zstd bodies must decompress to them,
and the decoded values must be equal, before anything is timed. Rows are merged into
`.bench/results.json` under "proto_codec" (read by `benchmarks/summary.py`).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import zstandard
from big_batch import merge_results
from tinker import types as T
from tinker.proto import request_conv, response_conv
from tinker.proto import tinker_public_pb2 as official_pb

import tinker_ext as ours
from tinker_ext._training.fwdbwd import _compressor, check_finite_datums
from tinker_ext._wire.proto import (
    decode_forward_backward_output,
    decode_sample_response,
    encode_forward_backward_request,
)

DATUMS, SEQ = 128, 2048
SAMPLES, SAMPLE_TOKENS = 64, 256
Batch = list[tuple[np.ndarray, np.ndarray, np.ndarray]]


def arrays(seed: int = 0) -> Batch:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(DATUMS):
        tokens = rng.integers(0, 150_000, SEQ + 1)
        weights = np.ones(SEQ, dtype=np.float32)
        weights[: rng.integers(0, SEQ // 2)] = 0  # a prompt prefix, as in SFT
        out.append((tokens[:-1], tokens[1:].astype(np.int64), weights))
    return out


def official_encode(batch: Batch) -> bytes:
    data = [
        T.Datum(
            model_input=T.ModelInput.from_ints(tokens.tolist()),
            loss_fn_inputs={
                "target_tokens": T.TensorData.from_numpy(t),
                "weights": T.TensorData.from_numpy(w),
            },
        )
        for tokens, t, w in batch
    ]
    request = T.ForwardBackwardRequest(
        forward_backward_input=T.ForwardBackwardInput(data=data, loss_fn="cross_entropy"),
        model_id="m",
        seq_id=1,
    )
    return bytes(request_conv.forward_backward_request_to_proto(request).SerializeToString())


def official_encode_zstd(batch: Batch) -> bytes:
    return bytes(zstandard.ZstdCompressor().compress(official_encode(batch)))  # resources/training.py


def our_encode(batch: Batch, from_lists: bool = False) -> bytes:
    data = [
        ours.Datum(
            model_input=ours.ModelInput.from_ints(tokens.tolist())
            if from_lists
            else ours.ModelInput.from_numpy(tokens),
            loss_fn_inputs={"target_tokens": t, "weights": w},
        )
        for tokens, t, w in batch
    ]
    check_finite_datums(data)  # TrainingClient's check at the call
    return encode_forward_backward_request(model_id="m", seq_id=1, data=data, loss_fn="cross_entropy")


def our_encode_zstd(batch: Batch) -> bytes:
    return bytes(_compressor().compress(our_encode(batch)))


def floor_encode(batch: Batch) -> bytes:
    parts: list[Any] = []
    for tokens, t, w in batch:
        parts += (tokens.astype("<i4"), t, w)
    return b"".join(parts)


def result_bytes() -> bytes:
    rng = np.random.default_rng(1)
    out = official_pb.ForwardBackwardOutput(loss_fn_output_type="ArrayRecord")
    record = out.loss_fn_outputs.add(type_tag="ArrayRecord", num_datums=DATUMS)
    offsets = (np.arange(DATUMS + 1, dtype=np.int64) * SEQ * 4).astype("<i8").tobytes()
    for name in ("logprobs", "elementwise_loss"):
        field = record.fields[name]
        field.data = (-rng.random(DATUMS * SEQ)).astype("<f4").tobytes()
        field.offsets = offsets
        field.dtype = official_pb.DTYPE_FLOAT32
    out.metrics["loss:sum"] = 1.0
    return bytes(out.SerializeToString())


def sample_bytes() -> bytes:
    rng = np.random.default_rng(2)
    message = official_pb.SampleResponse()
    for _ in range(SAMPLES):
        sequence = message.sequences.add(stop_reason=official_pb.STOP_REASON_LENGTH)
        sequence.tokens = rng.integers(0, 150_000, SAMPLE_TOKENS).astype("<i4").tobytes()
        sequence.logprobs = (-rng.random(SAMPLE_TOKENS)).astype("<f4").tobytes()
    return bytes(message.SerializeToString())


def read_outputs(output: Any) -> list[Any]:
    # by name: 0.38's dicts follow upb's map order, which changes from process to process
    return [record[name].to_numpy() for record in output.loss_fn_outputs for name in sorted(record)]


def read_samples(response: Any) -> list[Any]:
    return [(sequence.tokens, sequence.logprobs) for sequence in response.sequences]


def floor_decode(body: bytes) -> list[Any]:
    # the two result arrays, each copied once out of the body (where they sit, found by length)
    size = DATUMS * SEQ * 4
    first = body.index(b"\x0a\x80\x80\x40") + 4  # BatchedTensor.data, 1 MiB
    second = body.index(b"\x0a\x80\x80\x40", first + size) + 4
    return [np.frombuffer(body, "<f4", DATUMS * SEQ, start).copy() for start in (first, second)]


def floor_samples(body: bytes, read: bool) -> Any:
    message = official_pb.SampleResponse.FromString(body)
    if not read:
        return message
    return [
        (np.frombuffer(s.tokens, "<i4").tolist(), np.frombuffer(s.logprobs, "<f4").tolist())
        for s in message.sequences
    ]


def timed(fn: Callable[[], Any]) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def interleaved(official: Callable[[], Any], mine: Callable[[], Any], reps: int) -> tuple[float, float]:
    official(), mine()  # warm
    a: list[float] = []
    b: list[float] = []
    for rep in range(reps):
        pair = [(a, official), (b, mine)] if rep % 2 == 0 else [(b, mine), (a, official)]
        for times, fn in pair:
            times.append(timed(fn))
    return statistics.median(a), statistics.median(b)


def median_time(fn: Callable[[], Any], reps: int) -> float:
    fn()
    return statistics.median(timed(fn) for _ in range(reps))


def check_correctness(batch: Batch, result: bytes, samples: bytes) -> dict[str, int]:
    theirs, mine = official_encode(batch), our_encode(batch)
    assert mine == theirs, "the two SDKs wrote different request bodies"
    assert our_encode(batch, from_lists=True) == theirs, "the token-list path wrote a different body"
    unpacked = zstandard.ZstdDecompressor()
    assert unpacked.decompress(our_encode_zstd(batch)) == theirs, "our zstd body does not decompress to it"
    assert unpacked.decompress(official_encode_zstd(batch)) == theirs
    a, b = (
        read_outputs(response_conv.deserialize_forward_backward_output(result)),
        read_outputs(decode_forward_backward_output(result)),
    )
    assert len(a) == len(b) == 2 * DATUMS and all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    decoded = decode_forward_backward_output(result).loss_fn_outputs
    columns = [np.concatenate([record[name].to_numpy() for record in decoded]) for name in decoded[0]]
    floors = floor_decode(result)
    assert all(any(np.array_equal(c, f) for f in floors) for c in columns), "the floor reads other bytes"
    official_samples = response_conv.deserialize_sample_response(samples)
    our_samples = decode_sample_response(samples)
    assert read_samples(official_samples) == read_samples(our_samples) == floor_samples(samples, True)
    return {
        "body": len(theirs),
        "zstd_official": len(official_encode_zstd(batch)),
        "zstd_ours": len(our_encode_zstd(batch)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=9)
    args = parser.parse_args()
    batch, result, samples = arrays(), result_bytes(), sample_bytes()
    sizes = check_correctness(batch, result, samples)
    body = official_encode(batch)
    level3 = zstandard.ZstdCompressor()
    reps = args.reps
    encode_floor = median_time(lambda: floor_encode(batch), reps)
    compress = median_time(lambda: _compressor().compress(body), reps)
    rows: list[tuple[str, tuple[float, float], float | None, str]] = [
        (
            "numpy -> forward_backward request bytes",
            interleaved(lambda: official_encode(batch), lambda: our_encode(batch), reps),
            encode_floor,
            f"{sizes['body'] / 1e6:.2f} MB, byte-identical",
        ),
        (
            "  (ours from token lists, as 0.38)",
            interleaved(lambda: official_encode(batch), lambda: our_encode(batch, from_lists=True), reps),
            encode_floor,
            "from_ints(tokens.tolist())",
        ),
        (
            "same, zstd on",
            interleaved(lambda: official_encode_zstd(batch), lambda: our_encode_zstd(batch), reps),
            encode_floor + compress,
            f"{sizes['zstd_official'] / 1e6:.2f} MB (level 3) / {sizes['zstd_ours'] / 1e6:.2f} MB (level 1)",
        ),
        (
            "  zstd of the body alone: level 3 / ours",
            (median_time(lambda: level3.compress(body), reps), compress),
            None,
            "0.38 makes a new compressor per request",
        ),
        (
            "ForwardBackwardOutput bytes -> object, arrays read",
            interleaved(
                lambda: read_outputs(response_conv.deserialize_forward_backward_output(result)),
                lambda: read_outputs(decode_forward_backward_output(result)),
                reps * 3,
            ),
            median_time(lambda: floor_decode(result), reps * 3),
            f"{len(result) / 1e6:.2f} MB",
        ),
        (
            "SampleResponse 64x256 decode, tokens never read",
            interleaved(
                lambda: response_conv.deserialize_sample_response(samples),
                lambda: decode_sample_response(samples),
                reps * 3,
            ),
            median_time(lambda: floor_samples(samples, False), reps * 3),
            "floor: upb parse",
        ),
        (
            "SampleResponse 64x256 decode, tokens and logprobs read",
            interleaved(
                lambda: read_samples(response_conv.deserialize_sample_response(samples)),
                lambda: read_samples(decode_sample_response(samples)),
                reps * 3,
            ),
            median_time(lambda: floor_samples(samples, True), reps * 3),
            "floor: parse + tolist",
        ),
    ]
    print(f"\nprotobuf codec, medians of {reps}+ runs (ratio = 0.38 / ours, floor = what no SDK can avoid)")
    print(f"{'row':56} {'0.38':>9} {'ours':>9} {'ratio':>7} {'floor':>9}  note")
    out = []
    for name, (official, mine), floor, note in rows:
        floor_text = f"{floor * 1e3:7.2f}ms" if floor is not None else "       —"
        print(
            f"{name:56} {official * 1e3:7.2f}ms {mine * 1e3:7.2f}ms {official / mine:6.2f}x {floor_text}  {note}"
        )
        out.append(
            {
                "row": name.strip(),
                "official": official,
                "ours": mine,
                "ratio": official / mine,
                "floor": floor,
            }
            | {"unit": "s", "note": note}
        )
    merge_results("proto_codec", {"rows": out, "reps": reps, "sizes": sizes})


if __name__ == "__main__":
    main()
