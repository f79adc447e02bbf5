"""Behavioural rules of the Tinker wire that a schema cannot express (docs/PROTOCOL.md, Behavioural
rules, and the spec's prose)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ._probe import StepRecorder
from ._spec import short_repr

__all__ = [
    "METRIC_KEY",
    "check_forward_output",
    "check_tinker_path",
    "logprobs_of",
]

# `name:reduction`; the SDK merges chunked results by the reduction suffix.
METRIC_KEY = re.compile(r"^[^:]+:(mean|sum|min|max|slack|hash2|unique)$")
_TINKER_PATH = re.compile(r"^tinker://(?P<run>[^/]+)/(?P<kind>weights|sampler_weights)/(?P<name>[^/]+)$")


def check_forward_output(
    step: StepRecorder, output: Mapping[str, Any], datums: int, tokens: int, where: str
) -> None:
    """ForwardBackwardOutput rules: metric keys `name:reduction`, one output per datum, each with
    `logprobs` holding one value per target token."""
    metrics = output.get("metrics")
    if isinstance(metrics, Mapping):
        for key in metrics:
            if not METRIC_KEY.match(str(key)):
                # A warning: the SDKs merge metrics by the suffix only when a batch is split in chunks.
                step.warn(
                    "metrics:key",
                    where,
                    f"/metrics/{key}",
                    "a key `name:reduction` (reduction = mean|sum|min|max|slack|hash2|unique; the SDKs "
                    "merge chunked results by it)",
                    short_repr(key),
                )
    outputs = output.get("loss_fn_outputs")
    if not isinstance(outputs, Sequence):
        return
    if len(outputs) != datums:
        step.add(
            "loss_fn_outputs:count",
            where,
            "/loss_fn_outputs",
            f"{datums} entries (one per datum)",
            str(len(outputs)),
        )
    for index, entry in enumerate(outputs):
        if not isinstance(entry, Mapping) or "logprobs" not in entry:
            step.add(
                "loss_fn_outputs:logprobs",
                where,
                f"/loss_fn_outputs/{index}",
                "a `logprobs` TensorData (the SDK's compute_logprobs and custom losses read it)",
                short_repr(sorted(entry) if isinstance(entry, Mapping) else entry),
            )
            continue
        values = logprobs_of(entry)
        if values is not None and len(values) != tokens:
            step.add(
                "loss_fn_outputs:length",
                where,
                f"/loss_fn_outputs/{index}/logprobs/data",
                f"{tokens} values (one per target token)",
                f"{len(values)} values",
            )


def logprobs_of(entry: Any) -> list[float] | None:
    tensor = entry.get("logprobs") if isinstance(entry, Mapping) else None
    data = tensor.get("data") if isinstance(tensor, Mapping) else None
    if not isinstance(data, list) or not all(isinstance(x, int | float) for x in data):
        return None
    return [float(x) for x in data]


def check_tinker_path(
    step: StepRecorder, path: Any, *, run: str, kind: str, name: str, where: str, pointer: str = "/path"
) -> None:
    """`tinker://RUN/KIND/NAME`, the only form the official SDK's path parser accepts. A warning: the SDKs
    hand a saved path back to the server verbatim; only their REST helpers (delete, publish, TTL) parse it."""
    expected = f"tinker://{run}/{kind}/{name}"
    match = _TINKER_PATH.match(path) if isinstance(path, str) else None
    if match is None or (match["run"], match["kind"], match["name"]) != (run, kind, name):
        step.warn("tinker-path", where, pointer, short_repr(expected), short_repr(path))
