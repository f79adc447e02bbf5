"""Concurrent-sampling rows of `nox -s bench` (issue 12): tinker_ext against tinker==0.38.0.

    python benchmarks/throughput.py --official-python .bench/venv-tinker-0.38/bin/python [--n 1000,10000]

For each N and each repetition, one fresh fake server (`fake_server.py`, its own process) and, one after
the other in alternating order, one worker process per SDK (`worker.py samples`, ours in this venv, the
official SDK in its own venv). A worker fires N concurrent `sample()` calls from one asyncio task and
reports wall time, client CPU per request and latency percentiles (submit -> result; the fake server
answers at once, so this is what the SDK adds, queueing in the SDK included). The fake server counts the
TCP connections each SDK opened (per API key). Then `--threads` N threads released together, each one
blocking `sample(...).result()` (`worker.py thread-samples`). Medians over the repetitions; ratio =
official / ours (> 1: tinker_ext better); floor = a bare aiohttp client sending the same request pairs
(`worker.py raw-samples`) for CPU, the most requests tinker_ext had on the wire at once for connections.
Rows (keys "0.38", "ours", "ratio", "floor") are merged into `.bench/results.json` under "throughput".

Also the "metrics overhead" row (issue 22: <= 2 % CPU): tinker_ext as shipped against tinker_ext with its
observation replaced by no-ops (`worker.py samples-overhead`, bench only): `--overhead-reps` worker
processes, each running `--overhead-rounds` pairs of `--overhead-n`-sample rounds, one round per mode
back to back; keys "observed", "unobserved" (medians), "ratio" and "overhead_pct" (median of the pairs'
ratios). `--n "" --threads ""` runs only that row.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SDKS = ("official", "ours")
OURS_PATH = os.pathsep.join((str(REPO), str(REPO / "generated")))


class FakeServer:
    """fake_server.py in a process of its own (stops when its stdin closes)."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE / "fake_server.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line.startswith("PORT "):
            raise SystemExit(f"fake server did not start: {line!r}")
        self.url = f"http://127.0.0.1:{int(line.split()[1])}"

    def stats(self) -> dict[str, int]:
        with urllib.request.urlopen(f"{self.url}/bench/stats", timeout=30) as answer:
            stats: dict[str, int] = json.loads(answer.read())
            return stats

    def stop(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def run_worker(
    python: str, sdk: str, url: str, n: int, task: str = "samples", extra: tuple[str, ...] = ()
) -> dict[str, Any]:
    key = f"tml-bench-{sdk}"
    done = subprocess.run(
        [
            python,
            str(HERE / "worker.py"),
            task,
            "--sdk",
            sdk,
            "--url",
            url,
            "--n",
            str(n),
            "--api-key",
            key,
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=1800,
        # ours: the tinker_ext next to this script (the bench venv may hold another checkout); official: none
        env={**os.environ, "PYTHONPATH": OURS_PATH if sdk == "ours" else ""},
    )
    if done.returncode != 0:
        raise SystemExit(f"{sdk} worker failed (N={n}):\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure(pythons: dict[str, str], n: int, reps: int, task: str = "samples") -> dict[str, dict[str, float]]:
    """Medians per SDK, and "floor": the same request pairs on a bare aiohttp session (`raw-samples`, 8 in
    flight: what any aiohttp client pays), for the asyncio task."""
    runs: dict[str, list[dict[str, Any]]] = {sdk: [] for sdk in SDKS}
    if task == "samples":
        runs["floor"] = []
    for rep in range(reps):
        server = FakeServer()
        try:
            for sdk in SDKS if rep % 2 == 0 else tuple(reversed(SDKS)):
                result = run_worker(pythons[sdk], sdk, server.url, n, task)
                result["connections"] = server.stats().get(f"conn tml-bench-{sdk}", 0)
                runs[sdk].append(result)
            if task == "samples":
                runs["floor"].append(run_worker(pythons["ours"], "ours", server.url, n, "raw-samples"))
        finally:
            server.stop()
    return {
        sdk: {key: statistics.median(run[key] for run in results) for key in results[0]}
        for sdk, results in runs.items()
    }


OVERHEAD_ROW = "metrics overhead: client CPU per sample, observed vs not"


def measure_overhead(n: int, reps: int, rounds: int) -> dict[str, Any]:
    """tinker_ext as shipped ("observed") against tinker_ext with its observation replaced by no-ops, in
    `reps` worker processes (`worker.py samples-overhead`) of `rounds` pairs of rounds each: a pair is one
    round of each mode back to back in one process on one client (the order alternating), so it differs
    only in the hooks; the row is the median of the pairs' ratios (process-to-process noise, which is
    larger than the effect, cancels within a pair)."""
    observed: list[float] = []
    unobserved: list[float] = []
    server = FakeServer()
    try:
        for _ in range(reps):
            result = run_worker(
                sys.executable, "ours", server.url, n, "samples-overhead", ("--rounds", str(rounds))
            )
            observed += result["observed"]
            unobserved += result["unobserved"]
    finally:
        server.stop()
    ratios = sorted(o / u for o, u in zip(observed, unobserved, strict=True))
    paired = statistics.median(ratios)
    low, high = ratios[len(ratios) // 4], ratios[(3 * len(ratios)) // 4]
    # the median's standard error, from the pairs' spread (IQR / 1.349 estimates sigma; 1.2533: the
    # median's efficiency): how far another run of this row may land, which is what a target is read with
    standard_error = 1.2533 * ((high - low) / 1.349) / len(ratios) ** 0.5
    return {
        "scenario": f"{n:,} concurrent sample() calls (asyncio), tinker_ext observed vs not",
        "row": OVERHEAD_ROW,
        "observed": statistics.median(observed),
        "unobserved": statistics.median(unobserved),
        "ratio": paired,
        "overhead_pct": (paired - 1.0) * 100.0,
        "pair_ratio_iqr": [low, high],
        "standard_error_pct": standard_error * 100.0,
        "pairs": len(ratios),
        "reps": reps,
        "rounds": rounds,
        "n": n,
    }


def print_overhead(row: dict[str, Any]) -> None:
    print(f"-- {row['scenario']}: {row['pairs']} pairs ({row['reps']} processes x {row['rounds']})")
    print(f"  {'':<42}{'observed':>14}{'no-op':>14}{'ratio':>9}{'overhead':>12}")
    low, high = row["pair_ratio_iqr"]
    print(
        f"  {'client CPU per sample (median of pairs)':<42}{row['observed'] * 1e3:>11.3f} ms"
        f"{row['unobserved'] * 1e3:>11.3f} ms{row['ratio']:>8.3f}x{row['overhead_pct']:>+11.1f}%"
        f" +- {row['standard_error_pct']:.1f}%"
    )
    print(f"  {'(middle half of the pairs)':<70}{(low - 1) * 100:>+9.1f}% .. {(high - 1) * 100:+.1f}%")


ROWS = (  # key, label, unit scale, unit
    ("wall", "wall", 1.0, "s"),
    ("cpu_per_request", "client CPU per sample", 1e3, "ms"),
    ("p50", "p50 latency added", 1e3, "ms"),
    ("p99", "p99 latency added", 1e3, "ms"),
    ("connections", "TCP connections opened", 1.0, ""),
)


def _floor(by_sdk: dict[str, dict[str, float]], key: str) -> float | None:
    """The floor of a row: CPU per sample of a bare aiohttp client; for connections, the most requests
    tinker_ext had on the wire at once (one connection each is the least that carries them)."""
    if key == "cpu_per_request" and "floor" in by_sdk:
        return by_sdk["floor"]["cpu_per_request"]
    if key == "connections":
        return by_sdk["ours"].get("in_flight_peak")
    return None


def table(results: dict[str, dict[str, dict[str, float]]]) -> list[dict[str, Any]]:
    rows = []
    print(f"{'concurrent samples':<44}{'tinker 0.38':>14}{'tinker_ext':>14}{'ratio':>9}{'floor':>12}")
    for scenario, by_sdk in results.items():
        print(f"-- {scenario}, medians")
        for key, label, scale, unit in ROWS:
            if key not in by_sdk["ours"]:
                continue
            official, ours = by_sdk["official"][key], by_sdk["ours"][key]
            ratio = official / ours if ours else float("inf")
            floor = _floor(by_sdk, key)
            fmt = "{:.0f}" if key == "connections" else "{:.2f}"
            shown_floor = "" if floor is None else fmt.format(floor * scale) + " " + unit
            print(
                f"  {label:<42}{fmt.format(official * scale) + ' ' + unit:>14}"
                f"{fmt.format(ours * scale) + ' ' + unit:>14}{ratio:>8.2f}x{shown_floor:>12}"
            )
            rows.append(
                {
                    "scenario": scenario,
                    "row": label,
                    "0.38": official,
                    "ours": ours,
                    "ratio": ratio,
                    "floor": floor,
                    # kept for readers of earlier results.json files
                    "official": official,
                }
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--official-python", required=True, help="python of the venv with tinker==0.38.0")
    parser.add_argument("--n", default="1000,5000", help="comma-separated numbers of concurrent samples")
    parser.add_argument("--threads", default="100", help="comma-separated numbers of sampling threads")
    parser.add_argument("--reps", type=int, default=3, help="repetitions per N (median)")
    parser.add_argument(
        "--overhead-reps", type=int, default=6, help="metrics overhead row: worker processes (0: skip it)"
    )
    parser.add_argument("--overhead-n", type=int, default=250, help="metrics overhead row: samples per round")
    parser.add_argument(
        "--overhead-rounds", type=int, default=40, help="metrics overhead row: pairs of rounds per worker"
    )
    parser.add_argument("--output", default=str(REPO / ".bench" / "results.json"))
    args = parser.parse_args()
    pythons = {"official": args.official_python, "ours": sys.executable}
    results = {
        f"{n:,} concurrent sample() calls (asyncio)": measure(pythons, n, args.reps)
        for n in (int(v) for v in args.n.split(",") if v)
    }
    for n in (int(v) for v in args.threads.split(",") if v):
        results[f"{n} threads, one sample().result() each"] = measure(pythons, n, args.reps, "thread-samples")
    rows = table(results) if results else []
    if args.overhead_reps > 0:
        overhead = measure_overhead(args.overhead_n, args.overhead_reps, args.overhead_rounds)
        print_overhead(overhead)
        rows.append(overhead)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    merged = json.loads(output.read_text()) if output.exists() else {}
    # rows of scenarios not measured by this run (e.g. `--n "" --threads ""`: only the overhead row) stay
    measured = {row["scenario"] for row in rows}
    kept = [
        row for row in merged.get("throughput", {}).get("rows", []) if row.get("scenario") not in measured
    ]
    merged["throughput"] = {"reps": args.reps, "loadavg": os.getloadavg(), "rows": kept + rows}
    output.write_text(json.dumps(merged, indent=2))


if __name__ == "__main__":
    main()
