"""A forward_backward of ~1 GB of token/target/weight arrays through each SDK: wall time and peak RSS over
the payload, tinker_ext against tinker==0.38.0 (`python benchmarks/big_batch.py [--gb 1.0] [--reps 3]`).

Orchestrator (default): starts `fake_server.py` in its own process, then runs one worker process per
measurement, alternating the SDKs (official, ours, ours, official, ...): ours with this interpreter (the
nox bench venv), the official one with `.bench/venv-tinker-0.38/bin/python`. Prints a table of medians
and ratios official / ours (> 1: ours faster or smaller) and merges a `big_batch` section into
`.bench/results.json`.

Worker (`big_batch.py worker --sdk ours|official --url URL`): imports only numpy, the standard library
and the SDK under test. It sets up a training client and warms it up (one small forward_backward), then
takes the baseline (VmRSS), resets the peak mark (`/proc/self/clear_refs` 5: VmHWM := VmRSS), builds the
payload, calls `forward_backward(datums, "cross_entropy").result()` and reads VmHWM. Peak RSS = VmHWM -
baseline: it covers the datums (the payload itself), the encoded bodies, the results and every transient
copy. `ru_maxrss` is not used: it cannot be reset within a process.

What each SDK is given, per datum (L tokens): the same numpy arrays, never copied by the caller -
tokens int64 (L), target_tokens int64 (L), weights float32 (L): 20 bytes per token.
- ours: `ModelInput.from_numpy(tokens)` (a read-only view), `TensorData.from_numpy(...)` for both inputs.
- official: `ModelInput(chunks=[EncodedTextChunk.model_construct(tokens=tokens)])`: its validated
  constructors take only lists/tuples of ints for tokens (pydantic `Sequence[int]` refuses ndarrays),
  and a list would cost ~36 bytes per token in Python ints; `model_construct` skips validation and its
  encoder reads the ndarray as it is (`np.asarray(tokens, dtype=int32)`). `TensorData.from_numpy` for
  both inputs (no copy).
The fake server answers each chunk with float32 `logprobs` and `elementwise_loss` per token (8 bytes per
token, 0.4x the payload): a floor under the peak that neither SDK can avoid, reported as `result/payload`.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OFFICIAL_PYTHON = ROOT / ".bench" / "venv-tinker-0.38" / "bin" / "python"
RESULTS = ROOT / ".bench" / "results.json"
BASE_MODEL = "bench/tiny-base"
BYTES_PER_TOKEN = 8 + 8 + 4  # tokens int64, target_tokens int64, weights float32
WORKER_TIMEOUT_S = 900


# ------------------------------------------------------------------------------------------- worker


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"/proc/self/status has no {field}")


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _datum(sdk: Any, official: bool, tokens: np.ndarray, targets: np.ndarray, weights: np.ndarray) -> Any:
    t = sdk.types
    if official:
        model_input = t.ModelInput(chunks=[t.EncodedTextChunk.model_construct(tokens=tokens)])
    else:
        model_input = t.ModelInput.from_numpy(tokens)
    inputs = {"target_tokens": t.TensorData.from_numpy(targets), "weights": t.TensorData.from_numpy(weights)}
    return t.Datum(model_input=model_input, loss_fn_inputs=inputs)


def build(sdk: Any, official: bool, n: int, seq_len: int, seed: int) -> tuple[list[Any], int]:
    rng = np.random.default_rng(seed)
    datums, payload = [], 0
    for _ in range(n):
        seq = rng.integers(0, 151_000, size=seq_len + 1, dtype=np.int64)
        tokens, targets = seq[:-1], seq[1:].copy()
        weights = np.ones(seq_len, dtype=np.float32)
        weights[: seq_len // 4] = 0.0
        payload += tokens.nbytes + targets.nbytes + weights.nbytes
        datums.append(_datum(sdk, official, tokens, targets, weights))
    return datums, payload


def worker(args: argparse.Namespace) -> dict[str, Any]:
    official = args.sdk == "official"
    if official:
        import tinker as sdk
    else:
        import tinker_ext as sdk
    service = sdk.ServiceClient(base_url=args.url, api_key=f"tml-bench-big-{args.sdk}")
    training = service.create_lora_training_client(base_model=BASE_MODEL, rank=8).result()
    warm, _ = build(sdk, official, 4, 64, seed=1)
    training.forward_backward(warm, "cross_entropy").result()
    del warm
    gc.collect()
    baseline = _status("VmRSS")
    if not _reset_peak():
        raise SystemExit("cannot reset the peak RSS mark (/proc/self/clear_refs)")
    start = time.perf_counter()
    datums, payload = build(sdk, official, args.n, args.seq_len, seed=3)
    built = time.perf_counter() - start
    after_build = _status("VmRSS")
    start, cpu = time.perf_counter(), time.process_time()
    result = training.forward_backward(datums, "cross_entropy").result()
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = _status("VmHWM")
    outputs = result.loss_fn_outputs
    if len(outputs) != args.n:
        raise SystemExit(f"{args.sdk}: {len(outputs)} outputs for {args.n} datums")
    result_bytes = sum(np.asarray(tensor.to_numpy()).nbytes for out in outputs for tensor in out.values())
    # The fake server's values depend on the chunk sizes, which differ by SDK: compare the shapes.
    check = [len(outputs), sum(int(np.asarray(out["logprobs"].to_numpy()).size) for out in outputs)]
    return {
        "wall": wall,
        "cpu": cpu,
        "build": built,
        "payload": payload,
        "datums_rss": after_build - baseline,
        "peak": peak - baseline,
        "result_bytes": result_bytes,
        "check": check,
    }


# ------------------------------------------------------------------------------------- orchestrator


def run_worker(script: Path, python: Path | str, extra: list[str]) -> dict[str, Any]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [str(python), str(script), "worker", *extra],
        capture_output=True,
        text=True,
        timeout=WORKER_TIMEOUT_S,
        env=env,
        cwd="/",  # the official worker must not import this repo's packages by accident
    )
    if done.returncode != 0:
        raise RuntimeError(f"{script.name} worker {extra} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def interleaved(reps: int) -> list[str]:
    order: list[str] = []
    for rep in range(reps):
        order += ["official", "ours"] if rep % 2 == 0 else ["ours", "official"]
    return order


def pythons() -> dict[str, Path | str]:
    if not OFFICIAL_PYTHON.exists():
        raise SystemExit(f"{OFFICIAL_PYTHON} is missing: `nox -s bench` creates it")
    return {"ours": sys.executable, "official": OFFICIAL_PYTHON}


def merge_results(section: str, value: dict[str, Any]) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    try:
        results = json.loads(RESULTS.read_text())
    except (OSError, ValueError):
        results = {}
    if not isinstance(results, dict):
        results = {}
    results[section] = value
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True))


def print_rows(rows: list[tuple[str, float, float, float, float | None]]) -> None:
    print("load average (1/5/15 min) at the end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"{'row':45} {'tinker 0.38':>12} {'tinker_ext':>12} {'0.38/ext':>9} {'floor':>7}")
    for label, official, ours, ratio, floor in rows:
        floor_text = "—" if floor is None else f"{floor:.3f}"
        print(f"{label:45} {official:12.3f} {ours:12.3f} {ratio:9.2f} {floor_text:>7}")


def median_of(runs: list[dict[str, Any]], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def orchestrate(args: argparse.Namespace) -> None:
    n = max(1, round(args.gb * 1e9 / (BYTES_PER_TOKEN * args.seq_len)))
    from run import fake_server  # the bench venv's orchestrator (run.py imports both SDKs' helpers)

    interpreters = pythons()
    runs: dict[str, list[dict[str, Any]]] = {"official": [], "ours": []}
    with fake_server() as url:
        for sdk in interleaved(args.reps):
            extra = ["--sdk", sdk, "--url", url, "--n", str(n), "--seq-len", str(args.seq_len)]
            runs[sdk].append(run_worker(Path(__file__), interpreters[sdk], extra))
            print(f"  {sdk}: {json.dumps(runs[sdk][-1])}", flush=True)
    checks = {tuple(run["check"]) for group in runs.values() for run in group}
    if len(checks) != 1:
        raise SystemExit(f"the SDKs decoded different results: {checks}")
    payload = runs["ours"][0]["payload"]
    rows = []
    summary: dict[str, Any] = {
        "n_datums": n,
        "seq_len": args.seq_len,
        "payload_bytes": payload,
        "reps": args.reps,
        "load_avg_1_5_15": os.getloadavg(),
    }
    result_share = median_of(runs["ours"], "result_bytes") / payload
    # Floor of the peak: the datums as built (the smaller of the two SDKs' objects over the payload) plus
    # the result arrays, which any SDK holds together at the end of the call.
    datums_share = min(median_of(runs[sdk], "datums_rss") for sdk in runs) / payload
    table_rows = []
    for key, label, scale, floor, unit in [
        ("wall", "1 GB forward_backward: wall", 1.0, None, "s"),
        ("cpu", "1 GB forward_backward: client CPU", 1.0, None, "s"),
        ("peak", "1 GB forward_backward: peak RSS / payload", 1 / payload, datums_share + result_share, ""),
        ("datums_rss", "1 GB: datums RSS / payload (after build)", 1 / payload, 1.0, ""),
        ("result_bytes", "1 GB: result arrays / payload", 1 / payload, result_share, ""),
    ]:
        official, ours = median_of(runs["official"], key) * scale, median_of(runs["ours"], key) * scale
        ratio = official / ours if ours else float("nan")
        rows.append((label, official, ours, ratio, floor))
        summary[key] = {"official": official, "ours": ours, "ratio_official_over_ours": ratio}
        table_rows.append(
            {"row": label, "official": official, "ours": ours, "ratio": ratio, "floor": floor, "unit": unit}
        )
    summary["rows"] = table_rows
    print(
        f"\nforward_backward of {payload / 1e9:.2f} GB ({n} datums x {args.seq_len} tokens), medians of {args.reps}"
    )
    print_rows(rows)
    merge_results("big_batch", summary)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("mode", nargs="?", default="run", choices=["run", "worker"])
    parser.add_argument("--sdk", choices=["official", "ours"])
    parser.add_argument("--url", default="")
    parser.add_argument("--gb", type=float, default=1.0, help="payload size in GB (1e9 bytes)")
    parser.add_argument("--n", type=int, default=0)
    parser.add_argument("--seq-len", type=int, default=2048)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    if args.mode == "worker":
        print(json.dumps(worker(args)), flush=True)
    else:
        orchestrate(args)


if __name__ == "__main__":
    main()
