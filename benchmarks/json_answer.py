"""A ~200 MB JSON sample answer: peak RSS growth of one sample call over the body, tinker_ext against the
official SDK, each in a fresh process (`python benchmarks/json_answer.py [--tokens 1550000] [--reps 3]`).

Orchestrator (default): builds the body once (a JSON `SampleResponse` as a legacy server writes it: 8
sequences of `--tokens` token ids and float64 logprobs each, rounded to 6 decimals) and serves it from a
loopback HTTP server in a thread of this process (the workers' memory is what is measured, not this one's).
The server answers `client/config` with every flag off (as a 0.18-0.24-era server: the official SDKs
abort without it), `asample` with a promise, and that promise's `retrieve_future` with the JSON body.

Each SDK runs in `--reps` fresh processes (default 3, interleaved: official, ours, ours, ...; medians),
0.38 in one.

Worker (`json_answer.py worker --sdk ours|0.24.1|0.38 --url URL --tokens N`): sets up a sampling client,
resets the peak mark (`/proc/self/clear_refs` 5: VmHWM := VmRSS), runs ONE `sample(...).result()` and
reads VmHWM - VmRSS before: the body, its parse and the response the call returns. Then a digest of the
token ids (as int32) and logprobs (as float64) read: both SDKs must give the digest of the values sent.

Which official SDK: tinker 0.38 cannot read a JSON sample answer at all (it sends `Accept:
application/x-protobuf` and raises ValueError "The server predates proto response serialization" on a
JSON result, after parsing all of it: measured 9.0x the body at its peak, as 0.24.1). It is run once anyway
and its outcome (the error, and its peak growth until then) is recorded in the section's
`sdk_038` note; the rows compare with tinker 0.24.1 (this venv), the last release that reads JSON sample
answers (as Python lists, via pydantic).

Floor: the body (read whole off the socket) plus the arrays of the values (int32 + float64 per token): the
least any client that returns arrays holds at once. Issue 20's target is <= 2.0x the body.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

SAMPLES = 8
BASE_MODEL = "bench/tiny-base"
SEED = 20
OFFICIAL_PYTHON = Path(__file__).resolve().parents[1] / ".bench" / "venv-tinker-0.38" / "bin" / "python"


# ------------------------------------------------------------------------------------------- worker


def worker(args: argparse.Namespace) -> dict[str, Any]:
    official = args.sdk != "ours"
    if official:
        import tinker as sdk

        service = sdk.ServiceClient(base_url=args.url, api_key=f"tml-bench-json-{args.sdk}")
    else:
        import tinker_ext as sdk

        limits = sdk.Limits(max_sample_tokens=args.tokens)
        service = sdk.ServiceClient(base_url=args.url, api_key="tml-bench-json-ours", limits=limits)
    import numpy as np
    from big_batch import _status  # this directory is sys.path[0]: the worker sees no other repo module

    sampler = service.create_sampling_client(base_model=BASE_MODEL)
    prompt = sdk.types.ModelInput.from_ints([1, 2])
    params = sdk.types.SamplingParams(max_tokens=args.tokens)
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")  # the high-water mark := the current RSS
    before = _status("VmRSS")
    start = time.perf_counter()
    try:
        response = sampler.sample(prompt=prompt, num_samples=SAMPLES, sampling_params=params).result()
    except Exception as exc:  # 0.38 on a JSON answer: what it does is the measurement
        peak = _status("VmHWM") - before
        return {
            "error": f"{type(exc).__name__}: {str(exc)[:300]}",
            "peak": peak,
            "wall": time.perf_counter() - start,
        }
    wall = time.perf_counter() - start
    peak = _status("VmHWM") - before
    digest = hashlib.sha256()
    for sequence in response.sequences:
        tokens = sequence.tokens if official else sequence.tokens_np
        logprobs = sequence.logprobs if official else sequence.logprobs_np
        digest.update(np.asarray(tokens, dtype="<i4").tobytes())
        digest.update(np.asarray(logprobs, dtype="<f8").tobytes())
    return {"error": None, "peak": peak, "wall": wall, "digest": digest.hexdigest()}


# ------------------------------------------------------------------------------------------- server


def sample_answer(tokens: Any, logprobs: Any) -> bytes:
    """The JSON sample answer and nothing else: per sequence its token ids and logprobs."""
    parts = [b'{"sequences":[']
    for index, (ids, lps) in enumerate(zip(tokens, logprobs, strict=True)):
        parts.append(b"," if index else b"")
        parts.append(b'{"tokens":[' + ",".join(map(str, ids.tolist())).encode() + b"],")
        parts.append(b'"logprobs":[' + ",".join(map(repr, lps.tolist())).encode() + b"],")
        parts.append(b'"stop_reason":"length"}')
    parts.append(b'],"prompt_logprobs":null,"type":"sample"}')
    return b"".join(parts)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path.startswith("/api/v1/get_server_capabilities"):
            self._send(200, json.dumps({"supported_models": [{"model_name": BASE_MODEL}]}).encode())
        else:
            self._send(404, b'{"detail":"Not Found"}')

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        route = self.path.split("?", 1)[0].removeprefix("/api/v1/")
        canned = {
            "client/config": b'{"pjwt_auth_enabled":false}',
            "create_session": b'{"type":"create_session","session_id":"bench-json-session"}',
            "session_heartbeat": b'{"type":"session_heartbeat"}',
            "telemetry": b'{"status":"accepted"}',
            "create_sampling_session": b'{"type":"create_sampling_session","sampling_session_id":"bench-json-0"}',
            "asample": json.dumps(
                {
                    "request_id": "json-sample",
                    "sample_sequence_ids": [f"json-sample-{i}" for i in range(SAMPLES)],
                }
            ).encode(),
        }
        if route in canned:
            self._send(200, canned[route])
        elif route == "retrieve_future" and json.loads(body).get("request_id") == "json-sample":
            self._send(200, self.server.answer)
        else:
            self._send(404, b'{"detail":"Not Found"}')


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, answer: bytes) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answer = answer


@contextmanager
def serving(answer: bytes) -> Iterator[str]:
    server = _Server(answer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# ------------------------------------------------------------------------------------- orchestrator


def orchestrate(args: argparse.Namespace) -> None:
    import statistics

    import numpy as np
    from big_batch import interleaved, merge_results, run_worker

    rng = np.random.default_rng(SEED)
    tokens = rng.integers(0, 150_000, size=(SAMPLES, args.tokens))
    logprobs = -np.round(rng.random((SAMPLES, args.tokens)) * 10, 6)
    body = sample_answer(tokens, logprobs)
    expected = hashlib.sha256()
    for ids, lps in zip(tokens, logprobs, strict=True):
        expected.update(ids.astype("<i4").tobytes())
        expected.update(lps.astype("<f8").tobytes())
    arrays = SAMPLES * args.tokens * (4 + 8)
    del tokens, logprobs
    script = Path(__file__)
    extra = ["--tokens", str(args.tokens)]
    every: dict[str, list[dict[str, Any]]] = {"0.24.1": [], "ours": []}
    runs: dict[str, dict[str, Any]] = {}
    with serving(body) as url:
        for sdk in interleaved(args.reps):  # official, ours, ours, official, ...: load hits both alike
            sdk = "0.24.1" if sdk == "official" else sdk
            every[sdk].append(run_worker(script, sys.executable, ["--sdk", sdk, "--url", url, *extra]))
            print(f"  {sdk}: {json.dumps(every[sdk][-1])}", flush=True)
            if every[sdk][-1]["error"] is not None or every[sdk][-1]["digest"] != expected.hexdigest():
                raise SystemExit(f"{sdk} did not read the values sent: {every[sdk][-1]}")
        if Path(args.python_038).exists():
            runs["0.38"] = run_worker(script, args.python_038, ["--sdk", "0.38", "--url", url, *extra])
            print(f"  0.38: {json.dumps(runs['0.38'])}", flush=True)
        else:
            runs["0.38"] = {"error": f"{args.python_038} is missing: `nox -s bench` creates it"}
    for sdk, group in every.items():
        runs[sdk] = {key: statistics.median(run[key] for run in group) for key in ("peak", "wall")}
    size = len(body)
    official, ours = runs["0.24.1"]["peak"] / size, runs["ours"]["peak"] / size
    floor = (size + arrays) / size
    label = f"{size / 1e6:.0f} MB JSON answer: peak RSS growth / body"
    note_038 = runs["0.38"].get("error") or "0.38 read the JSON answer (unexpected: see the run)"
    note_038 = f"peak {runs['0.38'].get('peak', 0) / size:.2f}x the body, then {note_038}"
    rows = [
        {
            "row": label,
            "official": official,
            "ours": ours,
            "ratio": official / ours,
            "floor": floor,
            "unit": "",
        },
        {
            "row": f"{size / 1e6:.0f} MB JSON answer: sample call wall",
            "official": runs["0.24.1"]["wall"],
            "ours": runs["ours"]["wall"],
            "ratio": runs["0.24.1"]["wall"] / runs["ours"]["wall"],
            "floor": None,
            "unit": "s",
        },
    ]
    summary: dict[str, Any] = {
        "official_sdk": "tinker 0.24.1",
        "body_bytes": size,
        "arrays_bytes": arrays,
        "samples": SAMPLES,
        "tokens_per_sample": args.tokens,
        "target": 2.0,
        "reps": args.reps,
        "load_avg_1_5_15": os.getloadavg(),
        "sdk_038": {"peak_growth_over_body": runs["0.38"].get("peak", 0) / size, "note": note_038},
        "rows": rows,
        # the keys the other sections carry
        "0.38": None,
        "ours": ours,
        "ratio": official / ours,
        "floor": floor,
    }
    print(
        f"\nJSON sample answer of {size / 1e6:.0f} MB ({SAMPLES} x {args.tokens} tokens + logprobs), one call"
        f" per process, medians of {args.reps}"
    )
    print("official = tinker 0.24.1 (0.38 cannot read a JSON sample answer: " + note_038[:120] + ")")
    print("load average (1/5/15 min) at the end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"{'row':45} {'tinker 0.24.1':>13} {'tinker_ext':>12} {'0.24/ext':>9} {'floor':>7}")
    for r in rows:
        floor_text = "—" if r["floor"] is None else f"{r['floor']:.3f}"
        print(f"{r['row']:45} {r['official']:13.3f} {r['ours']:12.3f} {r['ratio']:9.2f} {floor_text:>7}")
    merge_results("json_answer", summary)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("mode", nargs="?", default="run", choices=["run", "worker"])
    parser.add_argument("--sdk", choices=["ours", "0.24.1", "0.38"])
    parser.add_argument("--url", default="")
    parser.add_argument("--tokens", type=int, default=1_550_000, help="tokens per sequence (8 sequences)")
    parser.add_argument("--reps", type=int, default=3, help="processes per SDK (0.38: one)")
    parser.add_argument("--python-038", default=str(OFFICIAL_PYTHON), help="a python with tinker==0.38.0")
    args = parser.parse_args()
    if args.mode == "worker":
        print(json.dumps(worker(args)), flush=True)
    else:
        orchestrate(args)


if __name__ == "__main__":
    main()
