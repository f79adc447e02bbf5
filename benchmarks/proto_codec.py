"""Protobuf codec speed and memory: tinker_ext against the official tinker 0.38 in the same process.

    python benchmarks/proto_codec.py [--reps 7]       # needs tinker==0.38.0 and tinker_ext installed

`nox -s bench` runs it in its own venv (.bench/venv-tinker-0.38). Both SDKs' generated protobuf modules
load side by side (ours lives in a descriptor pool of its own). Rows, each the median of --reps runs:

- encode: the user's numpy arrays (128 datums x 2048 tokens: tokens, int64 targets, float32 weights) ->
  the SDK's Datum objects -> forward_backward request bytes (0.38: request_conv + SerializeToString, what
  its TrainingClient sends; ours: `_wire.proto.encode_forward_backward_request`). Both bodies are parsed back
  with 0.38's pb2 and must be equal messages before anything is timed.
- decode: one ForwardBackwardOutput of 128 x 2048 float32 logprobs and elementwise_loss -> the SDK's
  ForwardBackwardOutput (0.38: response_conv; ours: `_wire.proto.decode_forward_backward_output`); values
  must agree.
- peak memory of one encode (tracemalloc, Python + numpy allocations).
Ratios are official / ours: > 1 means tinker_ext is faster or smaller.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np
from tinker import types as T
from tinker.proto import request_conv, response_conv
from tinker.proto import tinker_public_pb2 as official_pb

import tinker_ext as ours
from tinker_ext._wire.proto import decode_forward_backward_output, encode_forward_backward_request

DATUMS, SEQ = 128, 2048


def arrays(seed: int = 0) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(DATUMS):
        tokens = rng.integers(0, 150_000, SEQ + 1)
        out.append((tokens[:-1], tokens[1:].astype(np.int64), rng.random(SEQ, dtype=np.float32)))
    return out


def official_encode(batch: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> bytes:
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


def our_encode(batch: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> bytes:
    data = [
        ours.Datum(
            model_input=ours.ModelInput.from_ints(tokens.tolist()),
            loss_fn_inputs={"target_tokens": t, "weights": w},
        )
        for tokens, t, w in batch
    ]
    return encode_forward_backward_request(model_id="m", seq_id=1, data=data, loss_fn="cross_entropy")


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


def median_time(fn: Callable[[], Any], reps: int) -> float:
    fn()  # warm
    times = []
    for _ in range(reps):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak(fn: Callable[[], Any]) -> int:
    gc.collect()
    tracemalloc.start()
    fn()
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=7)
    args = parser.parse_args()
    batch = arrays()
    theirs_body, our_body = official_encode(batch), our_encode(batch)
    assert official_pb.ForwardBackwardRequest.FromString(
        our_body
    ) == official_pb.ForwardBackwardRequest.FromString(theirs_body), "the two SDKs encode different messages"
    body = result_bytes()
    a, b = response_conv.deserialize_forward_backward_output(body), decode_forward_backward_output(body)
    assert np.array_equal(
        np.asarray(a.loss_fn_outputs[5]["logprobs"].data), b.loss_fn_outputs[5]["logprobs"].to_numpy()
    )

    rows = {
        "encode 128x2048 (s)": (
            median_time(lambda: official_encode(batch), args.reps),
            median_time(lambda: our_encode(batch), args.reps),
        ),
        "decode 128x2048 result (s)": (
            median_time(lambda: response_conv.deserialize_forward_backward_output(body), args.reps),
            median_time(lambda: decode_forward_backward_output(body), args.reps),
        ),
        "peak memory of one encode (MB)": (
            peak(lambda: official_encode(batch)) / 2**20,
            peak(lambda: our_encode(batch)) / 2**20,
        ),
    }
    print(
        f"{'row':34} {'tinker 0.38':>12} {'tinker_ext':>12} {'ratio':>7}   (request {len(our_body) / 2**20:.2f} MB)"
    )
    for name, (official, mine) in rows.items():
        print(f"{name:34} {official:12.4f} {mine:12.4f} {official / mine:7.2f}x")
    print(json.dumps({name: {"official": o, "ours": m, "ratio": o / m} for name, (o, m) in rows.items()}))


if __name__ == "__main__":
    main()
