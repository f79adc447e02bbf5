"""Import time and first-client setup, tinker_ext against tinker==0.38.0, each in fresh processes
(`python benchmarks/startup.py [--reps 5]`).

Worker (`startup.py worker --sdk ours|official --url URL`), a fresh interpreter that imports nothing but
the standard library before the SDK:
- *import*: `import tinker_ext` / `import tinker` (`time.perf_counter` around the statement);
- *first client*: `ServiceClient(base_url, api_key)` + `create_lora_training_client(base_model, rank=8)`
  until the client is usable (`.result()`), against `fake_server.py`: session creation, model creation
  and the first-use imports each SDK does on the way;
- *process*: interpreter start to the end of both (the orchestrator's clock around the subprocess).
The orchestrator (default mode) alternates the SDKs (official, ours, ours, official, ...), ours with
this interpreter (the nox bench venv), the official one with `.bench/venv-tinker-0.38/bin/python`; it
prints medians and ratios official / ours (> 1: ours faster) and merges a `startup` section into
`.bench/results.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

BASE_MODEL = "bench/tiny-base"


def worker(args: argparse.Namespace) -> dict[str, Any]:
    start = time.perf_counter()
    if args.sdk == "official":
        import tinker as sdk
    else:
        import tinker_ext as sdk
    imported = time.perf_counter() - start
    start = time.perf_counter()
    service = sdk.ServiceClient(base_url=args.url, api_key=f"tml-bench-startup-{args.sdk}")
    service.create_lora_training_client(base_model=BASE_MODEL, rank=8).result()
    return {"import": imported, "first_client": time.perf_counter() - start}


def orchestrate(args: argparse.Namespace) -> None:
    import statistics

    from big_batch import interleaved, merge_results, print_rows, pythons, run_worker
    from run import fake_server

    interpreters = pythons()
    runs: dict[str, list[dict[str, Any]]] = {"official": [], "ours": []}
    with fake_server() as url:
        for sdk in interleaved(args.reps):
            start = time.perf_counter()
            result = run_worker(Path(__file__), interpreters[sdk], ["--sdk", sdk, "--url", url])
            result["process"] = time.perf_counter() - start
            runs[sdk].append(result)
    summary: dict[str, Any] = {"reps": args.reps, "load_avg_1_5_15": os.getloadavg()}
    rows = []
    for key, label in [
        ("import", "import (s)"),
        ("first_client", "first client setup (s)"),
        ("process", "process start to client ready (s)"),
    ]:
        official = statistics.median(run[key] for run in runs["official"])
        ours = statistics.median(run[key] for run in runs["ours"])
        summary[key] = {
            "0.38": official,
            "ours": ours,
            "ratio": official / ours,
            "floor": None,  # no floor: what a first client must import and ask is the SDK's design
            "official": official,  # the keys of earlier results.json files
            "ratio_official_over_ours": official / ours,
        }
        rows.append((label, official, ours, official / ours, None))
    print(f"\nstartup, medians of {args.reps} fresh processes per SDK")
    print_rows(rows)
    merge_results("startup", summary)


def main() -> None:
    # Not shared with big_batch.py: the worker must import nothing but the standard library before the SDK.
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("mode", nargs="?", default="run", choices=["run", "worker"])
    parser.add_argument("--sdk", choices=["official", "ours"])
    parser.add_argument("--url", default="")
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    if args.mode == "worker":
        print(json.dumps(worker(args)), flush=True)
    else:
        orchestrate(args)


if __name__ == "__main__":
    main()
