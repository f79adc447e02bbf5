"""Which generations of Tinker client SDKs can use a server, derived from the steps of a check.

Generations (WIRE.md §1.4, §3.1, §9):
* JSON clients without client/config: tinker-ext, tinkex, official SDK <= 0.17. They need every
  required step.
* Official SDK 0.18-0.24: the same JSON wire, but it fetches `POST /api/v1/client/config` when it builds
  a client and fails on a 404 (unless given the private `_client_config={}`).
* Official SDK 0.25-0.38: client/config, protobuf `ForwardBackwardOutput`/`SampleResponse` results
  (a JSON result raises), `sample_sequence_ids` in the asample promise; forward_backward requests are
  sent as protobuf (not probed by this check).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ._report import GenerationVerdict, Outcome, StepResult

__all__ = ["GENERATIONS", "generation_verdicts"]

JSON_CLIENTS = "JSON clients (tinker-ext, tinkex, SDK <= 0.17)"
SDK_0_24 = "official SDK 0.18-0.24 (JSON wire)"
SDK_0_38 = "official SDK 0.25-0.38 (protobuf results)"
GENERATIONS = (JSON_CLIENTS, SDK_0_24, SDK_0_38)


def _state(steps: Sequence[StepResult], name: str) -> Outcome | None:
    return next((s.outcome for s in steps if s.name == name), None)


def _why(steps: Sequence[StepResult], name: str, what: str) -> str:
    outcome = _state(steps, name)
    return f"{what}: {name} {'not run' if outcome is None else outcome.value}"


def _caveats(steps: Sequence[StepResult]) -> list[str]:
    """Features of the official SDKs that this server breaks although the core workflow works."""
    notes = []
    if _state(steps, "cross_entropy loss:sum") is not Outcome.PASS:
        notes.append("forward_backward_custom (official SDK) needs `loss:sum` in the cross_entropy metrics")
    if _state(steps, "sampler path format") is Outcome.FAIL:
        notes.append(
            "sampler tinker:// paths are not `tinker://RUN/sampler_weights/NAME` (official path parser rejects them)"
        )
    if _state(steps, "delete_checkpoint") is not Outcome.PASS:
        notes.append("delete_checkpoint does not work")
    if _state(steps, "archive URL (kind/name id)") is not Outcome.PASS:
        flat = _state(steps, "archive URL (flat id)") is Outcome.PASS
        notes.append(
            "checkpoint archive URL only for flat ids (skyrl-tx form)"
            if flat
            else "no checkpoint archive URL"
        )
    return notes


def generation_verdicts(
    steps: Sequence[StepResult], values: Mapping[str, Any]
) -> tuple[GenerationVerdict, ...]:
    broken = [s.name for s in steps if s.required and s.outcome is not Outcome.PASS]
    caveats = _caveats(steps)
    core = [f"required step {name} {_state(steps, name).value}" for name in broken]  # type: ignore[union-attr]

    json_clients = GenerationVerdict(JSON_CLIENTS, not core, (*core, *caveats))

    config = _state(steps, "client_config")
    sdk_024_reasons = list(core)
    if config is not Outcome.PASS:
        sdk_024_reasons.append(
            _why(
                steps,
                "client_config",
                "client/config missing (the SDK fails building a client unless "
                "ServiceClient(_client_config={}))",
            )
        )
    sdk_024 = GenerationVerdict(SDK_0_24, not sdk_024_reasons, (*sdk_024_reasons, *caveats))

    sdk_038_reasons = list(core)
    if config is not Outcome.PASS:
        sdk_038_reasons.append(_why(steps, "client_config", "client/config missing (the SDK cannot start)"))
    if values.get("protobuf_results") is not True:
        sdk_038_reasons.append(
            "no protobuf results (JSON ForwardBackwardOutput/SampleResponse raise in SDK >= 0.25)"
        )
    if values.get("sample_sequence_ids") is not True:
        sdk_038_reasons.append("asample promise lacks `sample_sequence_ids`")
    supported = not sdk_038_reasons
    sdk_038 = GenerationVerdict(
        SDK_0_38,
        supported,
        tuple(sdk_038_reasons)
        if not supported
        else ("protobuf forward_backward requests not probed", *caveats),
    )
    return (json_clients, sdk_024, sdk_038)
