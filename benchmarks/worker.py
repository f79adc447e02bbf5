"""One benchmark measurement through one SDK, in a process of its own: `python worker.py TASK --sdk S ...`.

It runs in whichever venv holds the SDK it measures: `--sdk ours` in the bench session's venv
(tinker_ext), `--sdk official` in `.bench/venv-tinker-0.38` (tinker==0.38.0 only; that venv has neither
tinker_ext nor this repo on its path). So it imports numpy, the standard library and the SDK under test,
nothing else, and prints one JSON line (the last line of stdout) for the orchestrator (`sdk038.py`).

Tasks (the rows they feed are described in benchmarks/README.md):
- `codec`: numpy arrays -> forward_backward request bytes (protobuf, 128 x 2048) and protobuf result bytes
  -> the SDK's `ForwardBackwardOutput`; median times and tracemalloc peaks; writes the request body to
  `--out` so the orchestrator can check both SDKs encode the same message.
- `fwdbwd`: `forward_backward(datums, "cross_entropy").result()` against the fake server; wall, peak RSS
  growth during the call (VmHWM, reset first), payload bytes (token/target/weight arrays).
- `samples`: N concurrent `sample()` calls from one asyncio task; wall, client CPU per request, latency
  percentiles (submit -> result; the fake server answers at once, so this is what the SDK adds).
- `thread-samples`: N threads released together, each one blocking `sample(...).result()`.
- `raw-samples`: the floor of the sampling rows: the same request pairs on a bare aiohttp session.
- `setup`: import time and the first client's setup (ServiceClient + create_lora_training_client).
Only public API is used for the end-to-end tasks; the codec task calls each SDK's own encoder/decoder
(the functions its TrainingClient calls), named below.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import statistics
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

BASE_MODEL = "bench/tiny-base"
MODEL_ID = "bench-model-0"


# ----------------------------------------------------------------------------------------- the SDKs


def _sdk(name: str) -> Any:
    if name == "official":
        import tinker

        return tinker
    import tinker_ext

    return tinker_ext


def _datums(
    sdk: Any, tokens: list[np.ndarray], targets: list[np.ndarray], weights: list[np.ndarray]
) -> list[Any]:
    """The user's way in both SDKs: token ids as a list, loss inputs as TensorData from numpy."""
    t = sdk.types
    return [
        t.Datum(
            model_input=t.ModelInput.from_ints(tok.tolist()),
            loss_fn_inputs={
                "target_tokens": t.TensorData.from_numpy(tgt),
                "weights": t.TensorData.from_numpy(w),
            },
        )
        for tok, tgt, w in zip(tokens, targets, weights, strict=True)
    ]


def batch(n: int, seq_len: int, seed: int) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    rng = np.random.default_rng(seed)
    tokens, targets, weights = [], [], []
    for _ in range(n):
        seq = rng.integers(0, 151_000, size=seq_len + 1, dtype=np.int64)
        w = np.ones(seq_len, dtype=np.float32)
        w[: seq_len // 4] = 0.0
        tokens.append(seq[:-1])
        targets.append(seq[1:].copy())
        weights.append(w)
    return tokens, targets, weights


def encoder(name: str) -> Any:
    """datums -> forward_backward request bytes, the way each SDK's TrainingClient builds one chunk."""
    if name == "official":
        from tinker import types as t
        from tinker.proto import request_conv

        def encode(datums: list[Any]) -> bytes:
            request = t.ForwardBackwardRequest(
                forward_backward_input=t.ForwardBackwardInput(data=datums, loss_fn="cross_entropy"),
                model_id=MODEL_ID,
                seq_id=1,
            )
            return bytes(request_conv.forward_backward_request_to_proto(request).SerializeToString())

        return encode
    from tinker_ext._training.fwdbwd import ChunkRequest

    def encode_ours(datums: list[Any]) -> bytes:
        chunk = ChunkRequest(MODEL_ID, datums, "cross_entropy", None, False, 0)
        content = chunk.build(1, "protobuf", False).content
        assert content is not None
        return content

    return encode_ours


def decoder(name: str) -> Any:
    if name == "official":
        from tinker.proto import response_conv

        return response_conv.deserialize_forward_backward_output
    from tinker_ext._wire.proto import decode_forward_backward_output

    return decode_forward_backward_output


# ---------------------------------------------------------------------------------------- measuring


def _timed(fn: Any, reps: int) -> tuple[float, list[float]]:
    gc.collect()
    start = time.perf_counter()
    result = fn()
    cold = time.perf_counter() - start
    times = []
    for _ in range(reps):
        del result
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    del result
    return cold, times


def _traced_peak(fn: Any) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        result = fn()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    del result
    return peak


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def _reset_peak_rss() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS


# -------------------------------------------------------------------------------------------- tasks


def task_codec(args: argparse.Namespace) -> dict[str, Any]:
    sdk = _sdk(args.sdk)
    arrays = batch(args.n, args.seq_len, seed=1)
    encode, decode = encoder(args.sdk), decoder(args.sdk)
    body = encode(_datums(sdk, *arrays))
    Path(args.out).write_bytes(body)
    result_body = Path(args.result).read_bytes()
    out = decode(result_body)
    first = np.asarray(out.loss_fn_outputs[0]["logprobs"].to_numpy())
    last = np.asarray(out.loss_fn_outputs[-1]["elementwise_loss"].to_numpy())
    datums = _datums(sdk, *arrays)
    rows = {
        "datums": lambda: _datums(sdk, *arrays),
        "encode": lambda: encode(datums),
        "total": lambda: encode(_datums(sdk, *arrays)),
        "decode": lambda: decode(result_body),
    }
    report: dict[str, Any] = {
        "n_outputs": len(out.loss_fn_outputs),
        "check": [float(first.sum()), float(last.sum()), len(first)],
        "metrics": dict(out.metrics),
        "body_bytes": len(body),
    }
    for key, fn in rows.items():
        cold, times = _timed(fn, args.reps)
        report[key] = {"cold": cold, "median": statistics.median(times), "peak": _traced_peak(fn)}
    return report


def _connect(sdk: Any, args: argparse.Namespace) -> Any:
    service = sdk.ServiceClient(base_url=args.url, api_key=args.api_key)
    client = service.create_lora_training_client(base_model=BASE_MODEL, rank=8)
    return client.result()  # 0.38: a future of the client; tinker_ext: the client, also its own future


def task_fwdbwd(args: argparse.Namespace) -> dict[str, Any]:
    sdk = _sdk(args.sdk)
    training = _connect(sdk, args)
    warm = _datums(sdk, *batch(2, 16, seed=4))
    training.forward_backward(warm, "cross_entropy").result()
    arrays = batch(args.n, args.seq_len, seed=3)
    payload = sum(a.nbytes for group in arrays for a in group)
    datums = _datums(sdk, *arrays)
    del arrays
    gc.collect()
    rss_before = _status("VmRSS")
    _reset_peak_rss()
    start = time.perf_counter()
    cpu = time.process_time()
    result = training.forward_backward(datums, "cross_entropy").result()
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu
    peak = _status("VmHWM")
    if len(result.loss_fn_outputs) != args.n:
        raise SystemExit(f"{args.sdk}: {len(result.loss_fn_outputs)} outputs for {args.n} datums")
    return {
        "wall": wall,
        "cpu": cpu,
        "payload": payload,
        "rss_before": rss_before,
        "peak_growth": peak - rss_before,
    }


def _observation_switch() -> tuple[Callable[[], None], Callable[[], None]]:
    """Bench-only: (turn off, turn back on) tinker_ext's observation (call records, metrics, spans, raw
    responses, watching waits), replaced by no-ops that allocate nothing, for the "metrics overhead" row;
    patched on the Observer class, between rounds (no call in flight). The poller's queue-state reporter,
    which also holds the fields of its wait report, is made in both modes: the poller needs it."""
    from tinker_ext._observe import observer as obs

    no_ops: dict[str, Any] = {
        "start_call": lambda self, capture, context: None,
        "attempt_span": lambda self, req, retries, call: None,
        "attempt_done": lambda self, req, started, response, error, sent, retries, span, call: None,
        "retry": lambda self, req, error: None,
        "poll": lambda self, rid, rtype, i: None,
        "watch": lambda self, wait: None,
    }
    shipped = {name: getattr(obs.Observer, name) for name in no_ops}

    def off() -> None:
        for name, no_op in no_ops.items():
            setattr(obs.Observer, name, no_op)

    def on() -> None:
        for name, hook in shipped.items():
            setattr(obs.Observer, name, hook)

    return off, on


def task_samples(args: argparse.Namespace) -> dict[str, Any]:
    sdk = _sdk(args.sdk)
    service = sdk.ServiceClient(base_url=args.url, api_key=args.api_key)
    sampling = service.create_sampling_client(base_model=BASE_MODEL).result()
    t = sdk.types
    prompt = t.ModelInput.from_ints(list(range(1, 33)))
    params = t.SamplingParams(max_tokens=16, temperature=1.0)

    async def one(latencies: list[float]) -> int:
        start = time.perf_counter()
        response = await sampling.sample(prompt=prompt, num_samples=1, sampling_params=params)
        latencies.append(time.perf_counter() - start)
        return len(response.sequences[0].tokens)

    async def run(n: int) -> tuple[float, float, list[float], list[int]]:
        latencies: list[float] = []
        cpu = time.process_time()
        start = time.perf_counter()
        got = await asyncio.gather(*(one(latencies) for _ in range(n)))
        return time.perf_counter() - start, time.process_time() - cpu, latencies, got

    asyncio.run(run(10))  # warm-up: first-use imports, the first connections
    rounds = []
    for _ in range(args.rounds):  # --rounds > 1: medians over rounds in this process (less noise)
        wall, cpu, latencies, got = asyncio.run(run(args.n))
        if len(got) != args.n or set(got) != {16}:
            raise SystemExit(f"{args.sdk}: wrong sample results {set(got)} ({len(got)} of {args.n})")
        latencies.sort()
        rounds.append(
            {
                "wall": wall,
                "cpu_per_request": cpu / args.n,
                "p50": latencies[len(latencies) // 2],
                "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
            }
        )
    return {
        **{key: statistics.median(r[key] for r in rounds) for key in rounds[0]},
        **_in_flight_peak(service),
    }


def task_samples_overhead(args: argparse.Namespace) -> dict[str, Any]:
    """The "metrics overhead" row: `--rounds` pairs of rounds of N concurrent samples in this process,
    one round observed (as shipped) and one with observation off (`_observation_switch`), the order
    alternating; one process, one client, the same connections, so a pair differs only in the hooks."""
    off, on = _observation_switch()
    sdk = _sdk("ours")
    service = sdk.ServiceClient(base_url=args.url, api_key=args.api_key)
    sampling = service.create_sampling_client(base_model=BASE_MODEL).result()
    t = sdk.types
    prompt = t.ModelInput.from_ints(list(range(1, 33)))
    params = t.SamplingParams(max_tokens=16, temperature=1.0)

    async def one() -> int:
        response = await sampling.sample(prompt=prompt, num_samples=1, sampling_params=params)
        return len(response.sequences[0].tokens)

    async def run(n: int) -> float:
        cpu = time.process_time()
        got = await asyncio.gather(*(one() for _ in range(n)))
        cpu = time.process_time() - cpu
        if len(got) != n or set(got) != {16}:
            raise SystemExit(f"wrong sample results {set(got)} ({len(got)} of {n})")
        return cpu / n

    for switch in (off, on):  # warm-up of both modes: first-use imports, connections, the wait timer
        switch()
        asyncio.run(run(args.n))
    observed: list[float] = []
    unobserved: list[float] = []
    for pair in range(args.rounds):
        for mode in ("observed", "unobserved") if pair % 2 == 0 else ("unobserved", "observed"):
            (on if mode == "observed" else off)()
            gc.collect()  # each round starts from the same GC state (a full collection lands in none)
            (observed if mode == "observed" else unobserved).append(asyncio.run(run(args.n)))
    on()
    return {"observed": observed, "unobserved": unobserved}


def _in_flight_peak(service: Any) -> dict[str, int]:
    """tinker_ext: the most HTTP attempts its connection gate let on the wire at once (the connections
    needed); nothing for the official SDK."""
    gate = getattr(getattr(getattr(service, "_ctx", None), "http", None), "gate", None)
    return {} if gate is None else {"in_flight_peak": gate.peak}


def task_thread_samples(args: argparse.Namespace) -> dict[str, Any]:
    """N threads, released together, each one `sample(...).result()` (the connections row of issue 20)."""
    import threading

    sdk = _sdk(args.sdk)
    service = sdk.ServiceClient(base_url=args.url, api_key=args.api_key)
    sampling = service.create_sampling_client(base_model=BASE_MODEL).result()
    t = sdk.types
    prompt = t.ModelInput.from_ints(list(range(1, 33)))
    params = t.SamplingParams(max_tokens=16, temperature=1.0)
    barrier = threading.Barrier(args.n)
    got: list[int] = []

    def one() -> None:
        barrier.wait()
        response = sampling.sample(prompt=prompt, num_samples=1, sampling_params=params).result()
        got.append(len(response.sequences[0].tokens))

    threads = [threading.Thread(target=one) for _ in range(args.n)]
    cpu = time.process_time()
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    if len(got) != args.n or set(got) != {16}:
        raise SystemExit(f"{args.sdk}: wrong sample results {set(got)} ({len(got)} of {args.n})")
    return {"wall": wall, "cpu_per_request": cpu / args.n, **_in_flight_peak(service)}


def task_raw_samples(args: argparse.Namespace) -> dict[str, Any]:
    """The floor of the sampling rows: the same asample + retrieve_future pairs (bodies pre-encoded, no
    SDK) on a bare aiohttp session, `--in-flight` pairs at once; client CPU per pair."""
    import aiohttp

    asample = json.dumps(
        {
            "sampling_session_id": "bench-sampler-0",
            "seq_id": 0,
            "num_samples": 1,
            "prompt": {"chunks": [{"type": "encoded_text", "tokens": list(range(1, 33))}]},
            "sampling_params": {"max_tokens": 16, "temperature": 1.0},
        }
    ).encode()
    headers = {"X-API-Key": args.api_key, "Content-Type": "application/json"}

    async def run(n: int) -> tuple[float, float]:
        limit = asyncio.Semaphore(args.in_flight)
        async with aiohttp.ClientSession() as session:

            async def one() -> None:
                async with limit:
                    async with session.post(f"{args.url}/api/v1/asample", data=asample, headers=headers) as r:
                        request_id = json.loads(await r.read())["request_id"]
                    body = json.dumps({"request_id": request_id}).encode()
                    async with session.post(
                        f"{args.url}/api/v1/retrieve_future", data=body, headers=headers
                    ) as r:
                        if len(await r.read()) == 0:
                            raise SystemExit("raw: empty sample result")

            cpu = time.process_time()
            start = time.perf_counter()
            await asyncio.gather(*(one() for _ in range(n)))
            return time.perf_counter() - start, time.process_time() - cpu

    asyncio.run(run(10))
    wall, cpu = asyncio.run(run(args.n))
    return {"wall": wall, "cpu_per_request": cpu / args.n}


def task_setup(args: argparse.Namespace) -> dict[str, Any]:
    start = time.perf_counter()
    sdk = _sdk(args.sdk)
    imported = time.perf_counter() - start
    start = time.perf_counter()
    _connect(sdk, args)
    return {"import": imported, "setup": time.perf_counter() - start}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "task",
        choices=["codec", "fwdbwd", "samples", "samples-overhead", "thread-samples", "raw-samples", "setup"],
    )
    parser.add_argument("--sdk", choices=["official", "ours"], required=True)
    parser.add_argument("--url", default="")
    parser.add_argument("--api-key", default="tml-bench")
    parser.add_argument("--n", type=int, default=128)
    parser.add_argument("--seq-len", type=int, default=2048)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--out", default="")
    parser.add_argument("--in-flight", type=int, default=8)
    parser.add_argument("--result", default="")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="samples: rounds of N in one process (median); samples-overhead: pairs",
    )
    args = parser.parse_args()
    task = {
        "codec": task_codec,
        "fwdbwd": task_fwdbwd,
        "samples": task_samples,
        "samples-overhead": task_samples_overhead,
        "thread-samples": task_thread_samples,
        "raw-samples": task_raw_samples,
        "setup": task_setup,
    }[args.task]
    print(json.dumps(task(args)), flush=True)


if __name__ == "__main__":
    main()
