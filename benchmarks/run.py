"""`nox -s bench`: speed and memory of tinker_ext against the official `tinker` SDK (0.24.1, JSON wire).

Same workload through both SDKs in the same run; prints medians and ratios (official / ours, so > 1
means tinker_ext is faster or smaller) and writes `.bench/results.json` (git-ignored). What each row
means is in benchmarks/README.md. Correctness comes before speed: every workload first checks that
both SDKs produce the same JSON / the same values, and the run fails if they do not.

    python benchmarks/run.py              # everything (~1 minute on 2 cores)
    python benchmarks/run.py --reps 3     # fewer repetitions
    python benchmarks/run.py --only build,chunk,e2e,import

Internally the end-to-end and import measurements run in fresh subprocesses (one per SDK) so that
peak RSS, imports and caches of one SDK do not leak into the other's numbers.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from fake_server import BASE_MODEL, SEQ_LEN, CannedResults  # noqa: E402
from sdks import SDKS, Batch, Official, Ours  # noqa: E402

BATCH = 128  # datums per forward_backward call
PLAN_DATUMS = 1024
MERGE_OUTPUTS = 8
MERGE_DATUMS_PER_OUTPUT = 128
MODEL_ID = "bench-model-0"
API_KEYS = {"official": "tml-bench-official", "ours": "tml-bench-ours"}
MB = 1024 * 1024


# ------------------------------------------------------------------------------------------ measuring


def timed(fn: Callable[[], Any], reps: int) -> tuple[float, list[float], Any]:
    """(cold first call, warm call times, last result). GC runs between calls, never inside one."""
    settle()
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
    return cold, times, result


def compare(fns: dict[str, Callable[[], Any]], reps: int) -> dict[str, tuple[float, list[float]]]:
    """Time the SDKs' versions of one workload interleaved (official, ours, ours, official, ...), so
    that load from other processes on the machine hits both alike. Returns (cold, warm times)."""
    settle()
    keys = list(fns)
    cold: dict[str, float] = {}
    times: dict[str, list[float]] = {key: [] for key in keys}
    for rep in range(reps + 1):
        for key in keys if rep % 2 == 0 else reversed(keys):
            gc.collect()
            start = time.perf_counter()
            result = fns[key]()
            elapsed = time.perf_counter() - start
            del result
            if rep == 0:
                cold[key] = elapsed
            else:
                times[key].append(elapsed)
    return {key: (cold[key], times[key]) for key in keys}


def settle() -> None:
    """Collect, then freeze what survives (torch, the input data) so that the collections between
    calls only look at what the workload itself allocates."""
    gc.collect()
    gc.freeze()


def traced_peak(fn: Callable[[], Any]) -> int:
    """Peak bytes allocated by Python while `fn` runs (its result included), tracemalloc."""
    gc.collect()
    tracemalloc.start()
    try:
        result = fn()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    del result
    return peak


def _proc_status_bytes(field: str) -> int | None:
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024  # kB
    return None


def reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark (VmHWM) to the current RSS; False where that is not possible.

    ru_maxrss cannot be used here: Linux keeps it across fork+exec, so a worker would start with
    its parent's peak."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return _proc_status_bytes("VmHWM") is not None


def rss_bytes() -> int:
    return _proc_status_bytes("VmRSS") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def peak_rss_bytes() -> int:
    return _proc_status_bytes("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class Table:
    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(
        self, section: str, name: str, official: float | None, ours: float, unit: str, note: str = ""
    ) -> None:
        ratio = official / ours if official is not None and ours > 0 else None
        self.rows.append(
            {
                "section": section,
                "name": name,
                "official": official,
                "ours": ours,
                "unit": unit,
                "ratio": ratio,
                "note": note,
            }
        )

    def print(self) -> None:
        def fmt(value: float | None, unit: str) -> str:
            if value is None:
                return "-"
            if unit == "s":
                if value < 1e-3:
                    return f"{value * 1e6:9.1f} us"
                return f"{value * 1000:9.1f} ms" if value < 10 else f"{value:9.2f} s "
            if unit == "B":
                return f"{value / MB:9.1f} MB"
            return f"{value:9.0f} {unit}"

        print()
        print(f"{'':52} {'tinker 0.24.1':>13} {'tinker_ext':>13} {'ratio':>7}")
        section = None
        for row in self.rows:
            if row["section"] != section:
                section = row["section"]
                print(f"-- {section}")
            ratio = f"{row['ratio']:6.2f}x" if row["ratio"] is not None else "     - "
            note = f"  {row['note']}" if row["note"] else ""
            print(
                f"  {row['name']:50} {fmt(row['official'], row['unit']):>13} "
                f"{fmt(row['ours'], row['unit']):>13} {ratio}{note}"
            )
        print("\nratio = official / tinker_ext: > 1 means tinker_ext is faster (time) or smaller (memory).")


def median(values: list[float]) -> float:
    return statistics.median(values)


# --------------------------------------------------------------------- 1. request body and result decode


def bench_build(table: Table, reps: int) -> None:
    section = f"1. forward_backward request {BATCH}x{SEQ_LEN} (target_tokens int64, weights float32)"
    official, ours = Official(), Ours()
    batch = Batch([SEQ_LEN] * BATCH, seed=1)

    # Correctness first: identical JSON value on the wire.
    body_official = official.request_bytes(official.datums(batch), MODEL_ID, 1)
    body_ours = ours.request_bytes(ours.datums(batch), MODEL_ID, 1)
    if json.loads(body_official) != json.loads(body_ours):
        raise SystemExit("FAIL: the two SDKs put different JSON on the wire for the same batch")
    same_bytes = body_official == body_ours
    print(
        f"[build] request JSON: same value on the wire ({len(body_ours) / MB:.1f} MB; "
        f"byte-identical: {same_bytes})"
    )

    result_body = CannedResults(SEQ_LEN).forward_backward(BATCH)
    out_official, out_ours = official.decode_result(result_body), ours.decode_result(result_body)
    if not (
        len(out_official.loss_fn_outputs) == len(out_ours.loss_fn_outputs) == BATCH
        and out_official.metrics == out_ours.metrics
        and all(
            (official.logprobs(out_official, i) == ours.logprobs(out_ours, i)).all() for i in (0, BATCH - 1)
        )
    ):
        raise SystemExit("FAIL: the two SDKs decode the same forward_backward result differently")
    print(f"[build] result decode: same values ({len(result_body) / MB:.1f} MB of JSON)")

    for label, make in (
        ("datums from numpy", lambda sdk: lambda: sdk.datums(batch)),
        ("datums -> request JSON bytes", lambda sdk: _request_fn(sdk, batch)),
        (
            "numpy -> request JSON bytes (total)",
            lambda sdk: lambda: sdk.request_bytes(sdk.datums(batch), MODEL_ID, 1),
        ),
        (
            f"decode result JSON ({len(result_body) // MB} MB)",
            lambda sdk: lambda: sdk.decode_result(result_body),
        ),
    ):
        fns = {"official": make(official), "ours": make(ours)}
        results = compare(fns, reps)
        peaks = {key: traced_peak(fn) for key, fn in fns.items()}
        table.add(
            section, f"{label}: median", median(results["official"][1]), median(results["ours"][1]), "s"
        )
        table.add(section, f"{label}: first call", results["official"][0], results["ours"][0], "s")
        table.add(section, f"{label}: peak alloc", peaks["official"], peaks["ours"], "B")


def _request_fn(sdk: Official | Ours, batch: Batch) -> Callable[[], bytes]:
    datums = sdk.datums(batch)
    return lambda: sdk.request_bytes(datums, MODEL_ID, 1)


# ----------------------------------------------------------------------------- 2. chunking and merging


def bench_chunk(table: Table, reps: int) -> None:
    section = f"2. chunk planning ({PLAN_DATUMS} datums, 64..4096 tokens) and merging"
    official, ours = Official(), Ours()
    import numpy as np

    lengths = np.random.default_rng(7).integers(64, 4097, size=PLAN_DATUMS).tolist()
    batch = Batch(lengths, seed=2)
    datums = {"official": official.datums(batch), "ours": ours.datums(batch)}
    n_chunks = {}
    for key, sdk in (("official", official), ("ours", ours)):
        chunks = sdk.plan(datums[key])
        flat = [d for c in chunks for d in c]
        if len(flat) != PLAN_DATUMS or any(x is not y for x, y in zip(flat, datums[key], strict=True)):
            raise SystemExit(f"FAIL: {sdk.name} chunk plan loses, reorders or duplicates datums")
        n_chunks[key] = len(chunks)
    plans = compare(
        {"official": lambda: official.plan(datums["official"]), "ours": lambda: ours.plan(datums["ours"])},
        reps,
    )
    note = (
        f"chunks: official {n_chunks['official']} (1024 datums / 5 MB est.), "
        f"ours {n_chunks['ours']} (128 datums / 500k numbers)"
    )
    table.add(
        section, "plan chunks: median", median(plans["official"][1]), median(plans["ours"][1]), "s", note
    )

    metrics_per_chunk = [
        {
            "loss:sum": 100.0 + i,
            "loss:mean": 1.0 + i / 10,
            "grad_norm:max": 3.0 - i / 7,
            "lr:min": 1e-4 * (i + 1),
            "tokens:sum": 2048.0 * MERGE_DATUMS_PER_OUTPUT,
            "util:slack": 0.5 + i / 20,
        }
        for i in range(MERGE_OUTPUTS)
    ]
    outputs = {
        key: [sdk.output(MERGE_DATUMS_PER_OUTPUT, SEQ_LEN, m) for m in metrics_per_chunk]
        for key, sdk in (("official", official), ("ours", ours))
    }
    a, b = official.combine(outputs["official"]), ours.combine(outputs["ours"])
    if (
        len(a.loss_fn_outputs) != len(b.loss_fn_outputs)
        or a.metrics.keys() != b.metrics.keys()
        or any(abs(a.metrics[k] - b.metrics[k]) > 1e-9 * max(1.0, abs(a.metrics[k])) for k in a.metrics)
    ):
        raise SystemExit(f"FAIL: merged results differ: {a.metrics} vs {b.metrics}")
    merged = compare(
        {
            "official": lambda: official.combine(outputs["official"]),
            "ours": lambda: ours.combine(outputs["ours"]),
        },
        reps * 5,
    )
    table.add(
        section,
        f"merge {MERGE_OUTPUTS} outputs x {MERGE_DATUMS_PER_OUTPUT} datums: median",
        median(merged["official"][1]),
        median(merged["ours"][1]),
        "s",
    )


# ------------------------------------------------------------------------- 3. end to end over loopback


@contextlib.contextmanager
def fake_server() -> Iterator[str]:
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "fake_server.py")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.startswith("PORT "):
            raise SystemExit(f"fake server did not start: {line!r}")
        yield f"http://127.0.0.1:{int(line.split()[1])}"
    finally:
        assert proc.stdin is not None
        proc.stdin.close()  # the server stops when its stdin closes
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _post(url: str, payload: dict[str, Any]) -> Any:
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), method="POST", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def _connect(sdk: Official | Ours, key: str, base_url: str) -> Any:
    service = sdk.service_client(base_url, API_KEYS[key])
    return service.create_lora_training_client(base_model=BASE_MODEL, rank=8)


def e2e_time_worker(base_url: str, reps: int) -> dict[str, Any]:
    """Both SDKs in one process, calls interleaved (official, ours, ours, official, ...): the ratio
    survives load from other processes on a shared machine."""
    sdks = {key: SDKS[key]() for key in ("official", "ours")}
    calls = {}
    for key, sdk in sdks.items():
        datums = sdk.datums(Batch([SEQ_LEN] * BATCH, seed=3))
        training = _connect(sdk, key, base_url)
        calls[key] = lambda training=training, datums=datums: training.forward_backward(
            datums, "cross_entropy"
        ).result()
        if len(calls[key]().loss_fn_outputs) != BATCH:  # warm-up, and a sanity check
            raise SystemExit(f"{sdk.name}: wrong number of outputs")
    return {key: times for key, (_, times) in compare(calls, reps).items()}


def e2e_memory_worker(sdk_key: str, base_url: str) -> dict[str, Any]:
    """One SDK in a fresh process: client setup, the cold first call, peak RSS and tracemalloc peak."""
    sdk = SDKS[sdk_key]()
    datums = sdk.datums(Batch([SEQ_LEN] * BATCH, seed=3))
    start = time.perf_counter()
    training = _connect(sdk, sdk_key, base_url)
    setup_s = time.perf_counter() - start
    # A second client in the same process: setup without first-use imports.
    start = time.perf_counter()
    _connect(sdk, sdk_key, base_url)
    setup_warm_s = time.perf_counter() - start

    def call() -> Any:
        return training.forward_backward(datums, "cross_entropy").result()

    settle()
    exact_peak = reset_peak_rss()
    rss_before = rss_bytes()
    start = time.perf_counter()
    result = call()
    cold_s = time.perf_counter() - start
    if len(result.loss_fn_outputs) != BATCH:
        raise SystemExit(f"{sdk.name}: got {len(result.loss_fn_outputs)} outputs for {BATCH} datums")
    del result
    for _ in range(2):
        gc.collect()
        call()
    rss_peak = peak_rss_bytes()
    peak = traced_peak(call)
    return {
        "setup_s": setup_s,
        "setup_warm_s": setup_warm_s,
        "cold_s": cold_s,
        "tracemalloc_peak": peak,
        "rss_before": rss_before,
        "rss_delta": rss_peak - rss_before,
        "rss_peak_exact": exact_peak,
    }


def _worker(args: list[str], env_key: str = "ours") -> Any:
    proc = subprocess.run(
        [sys.executable, __file__, *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "TINKER_API_KEY": API_KEYS[env_key]},
    )
    if proc.returncode != 0:
        raise SystemExit(f"worker {args} failed:\n{proc.stdout}\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def bench_e2e(table: Table, reps: int) -> None:
    section = f"3. end to end: forward_backward({BATCH}x{SEQ_LEN}).result() over loopback"
    with fake_server() as url:
        memory = {
            key: _worker(["--worker", "e2e-memory", "--sdk", key, "--url", url], key)
            for key in ("official", "ours")
        }
        times = _worker(["--worker", "e2e-time", "--url", url, "--reps", str(reps)])
        # The last chunk bodies each SDK sent, in seq_id order (arrival order differs: the official SDK
        # sends the first chunk last).
        bodies = {
            key: sorted(_post(f"{url}/bench/bodies", {"api_key": API_KEYS[key]}), key=lambda b: b["seq_id"])
            for key in ("official", "ours")
        }
        stats = json.loads(urllib.request.urlopen(f"{url}/bench/stats", timeout=10).read())
    if not bodies["official"] or bodies["official"] != bodies["ours"]:
        raise SystemExit("FAIL: the forward_backward bodies received from the two SDKs differ")
    print(
        f"[e2e] server saw identical forward_backward JSON from both SDKs "
        f"({len(bodies['ours'])} chunk bodies compared); requests: {stats}"
    )
    o, u = memory["official"], memory["ours"]
    calls_per_sdk = (1 + 2 + 1) + (
        1 + reps
    )  # memory worker: cold, 2 more, traced; time worker: warm-up + reps
    n_chunks = stats.get("POST /api/v1/forward_backward", 0) // (2 * calls_per_sdk)
    table.add(
        section,
        "per call: median",
        median(times["official"]),
        median(times["ours"]),
        "s",
        f"{n_chunks} chunk requests + {n_chunks} retrieve_future per call",
    )
    table.add(section, "per call: min", min(times["official"]), min(times["ours"]), "s")
    table.add(section, "first call in a fresh process", o["cold_s"], u["cold_s"], "s", "single sample")
    table.add(
        section,
        "client setup, first (ServiceClient+create_lora)",
        o["setup_s"],
        u["setup_s"],
        "s",
        "single sample, incl. first-use imports",
    )
    table.add(
        section, "client setup, second client", o["setup_warm_s"], u["setup_warm_s"], "s", "single sample"
    )
    table.add(
        section, "peak alloc during one call (tracemalloc)", o["tracemalloc_peak"], u["tracemalloc_peak"], "B"
    )
    how = "VmHWM" if o["rss_peak_exact"] and u["rss_peak_exact"] else "ru_maxrss (inexact)"
    table.add(
        section,
        "peak RSS growth over 3 calls",
        o["rss_delta"],
        u["rss_delta"],
        "B",
        f"{how} - RSS after client setup",
    )
    table.add(
        section, "RSS after client setup", o["rss_before"], u["rss_before"], "B", "incl. imports (torch)"
    )


# ---------------------------------------------------------------------------------------- 4. import time


def bench_import(table: Table, reps: int) -> None:
    section = f"4. import time (fresh interpreter, median of {reps})"
    hide_torch = "import sys; sys.modules['torch'] = None; "
    snippets = {
        "baseline": "pass",
        "official": "import tinker",
        "ours": "import tinker_ext",
        "official_no_torch": hide_torch + "import tinker",
        "ours_no_torch": hide_torch + "import tinker_ext",
    }
    times: dict[str, list[float]] = {key: [] for key in snippets}
    for _ in range(reps):  # interleaved, so drift hits every variant alike
        for key, code in snippets.items():
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            times[key].append(time.perf_counter() - start)
    base = median(times["baseline"])
    table.add(
        section,
        "import (torch installed)",
        median(times["official"]) - base,
        median(times["ours"]) - base,
        "s",
        f"interpreter start ({base * 1000:.0f} ms) subtracted",
    )
    table.add(
        section,
        "import (torch not importable)",
        median(times["official_no_torch"]) - base,
        median(times["ours_no_torch"]) - base,
        "s",
    )


# ------------------------------------------------------------------------------------------------- main


def machine() -> dict[str, Any]:
    cpu = platform.processor()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    from importlib.metadata import version

    versions = {}
    for package in ("tinker", "tinker-ext", "pydantic", "httpx", "orjson", "numpy", "attrs"):
        with contextlib.suppress(Exception):
            versions[package] = version(package)
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reps", type=int, default=7, help="timed repetitions per measurement (median)")
    parser.add_argument("--only", default="build,chunk,e2e,import", help="comma-separated sections")
    parser.add_argument("--output", default=str(REPO / ".bench" / "results.json"))
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--sdk", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker == "e2e-time":
        print(json.dumps(e2e_time_worker(args.url, args.reps)))
        return
    if args.worker == "e2e-memory":
        print(json.dumps(e2e_memory_worker(args.sdk, args.url)))
        return

    sections = {"build": bench_build, "chunk": bench_chunk, "e2e": bench_e2e, "import": bench_import}
    wanted = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(wanted) - sections.keys()
    if unknown:
        parser.error(f"unknown sections: {sorted(unknown)}")
    table = Table()
    started = time.perf_counter()
    for name in wanted:
        sections[name](table, min(args.reps, 5) if name == "import" else args.reps)
    table.print()
    elapsed = time.perf_counter() - started
    print(f"(bench took {elapsed:.0f} s)")

    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(
        json.dumps(
            {
                "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "machine": machine(),
                "reps": args.reps,
                "elapsed_s": elapsed,
                "rows": table.rows,
            },
            indent=2,
        )
    )
    print(f"results written to {output}")


if __name__ == "__main__":
    main()
