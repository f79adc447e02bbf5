"""The generations of Tinker clients, what each sends (docs/PROTOCOL.md, Content types and wire
generations), and the verdicts.

A check runs as one generation: every request is the one that generation's SDK makes, so "generation X can
use this server" is computed from the requests X sends, and each "no" names the request that blocked it.

* `json`: the legacy JSON wire as clients that tolerate a missing `client/config` speak it: official SDK
  <= 0.17, tinkex, tinker-ext with `wire="json"`. JSON `/forward_backward` and `/forward`, JSON results.
* `0.24`: the same wire as the official SDK 0.18-0.24 speak it: `client/config` first (its failure aborts
  the client: 0.24.1 stops at once on skyrl-tx 0.3.0's 404).
* `0.25`: `client/config` first (failure aborts the client), protobuf `ForwardBackwardRequest` (forward
  = `forward_only`), protobuf results required, no 0.38-only request fields, `create_training_client_from_state`
  = `weights_info` + `create_model` + `load_weights` into the fresh model.
* `0.38`: as 0.25 plus the 0.38 fields (`create_model.optimizer_config`, `asample.topk_sample_logprobs`,
  `prompt_alt_tokens_k`, `record_stability_info`, `save_weights_for_sampler.kind`), `sample_sequence_ids`
  asserted in the asample promise, and create-via-load (`load_weights{session_id, model_seq_id}`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import attrs

from ._report import GenerationVerdict, Outcome, Severity, StepResult

__all__ = ["GENERATIONS", "Generation", "GenerationName", "generation", "verdict"]

GenerationName = Literal["json", "0.24", "0.25", "0.38"]


@attrs.frozen
class Generation:
    name: GenerationName
    label: str
    sdk_version: str  # announced in client/config and create_session
    protobuf: bool  # protobuf forward_backward bodies and results; JSON otherwise
    needs_client_config: bool
    fields_038: bool  # sends the request fields added in 0.38
    needs_sample_sequence_ids: bool
    create_via_load: bool  # create_training_client_from_state is one load_weights{session_id, model_seq_id}

    def create_model(self, session_id: str, base_model: str, rank: int, model_seq_id: int) -> dict[str, Any]:
        body: dict[str, Any] = {
            "session_id": session_id,
            "model_seq_id": model_seq_id,
            "base_model": base_model,
            "lora_config": {
                "rank": rank,
                "seed": 0,
                "train_unembed": True,
                "train_mlp": True,
                "train_attn": True,
            },
            "type": "create_model",
        }
        if self.fields_038:
            body["optimizer_config"] = {"type": "adamw"}
        return body

    def sample(
        self, sampling_session_id: str, seq_id: int, prompt: Sequence[int], num_samples: int, max_tokens: int
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "num_samples": num_samples,
            "prompt": {"chunks": [{"tokens": list(prompt), "type": "encoded_text"}]},
            "sampling_params": {
                "max_tokens": max_tokens,
                "seed": 7,
                "temperature": 1.0,
                "top_k": -1,
                "top_p": 1.0,
            },
            "sampling_session_id": sampling_session_id,
            "seq_id": seq_id,
            "prompt_logprobs": False,
            "topk_prompt_logprobs": 0,
            "type": "sample",
        }
        if self.fields_038:
            body |= {"topk_sample_logprobs": 0, "prompt_alt_tokens_k": 0, "record_stability_info": False}
        return body

    def save_for_sampler(self, model_id: str, name: str, seq_id: int) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model_id": model_id,
            "path": name,
            "seq_id": seq_id,
            "type": "save_weights_for_sampler",
        }
        if self.fields_038:
            body["kind"] = "snapshot"
        return body


GENERATIONS: tuple[Generation, ...] = (
    Generation(
        "json",
        "JSON wire, no client/config (SDK <= 0.17, tinkex, tinker-ext wire=json)",
        sdk_version="0.17.0",
        protobuf=False,
        needs_client_config=False,
        fields_038=False,
        needs_sample_sequence_ids=False,
        create_via_load=False,
    ),
    Generation(
        "0.24",
        "SDK 0.18-0.24 (JSON wire, needs client/config)",
        sdk_version="0.24.1",
        protobuf=False,
        needs_client_config=True,
        fields_038=False,
        needs_sample_sequence_ids=False,
        create_via_load=False,
    ),
    Generation(
        "0.25",
        "SDK 0.25 (protobuf)",
        sdk_version="0.25.0",
        protobuf=True,
        needs_client_config=True,
        fields_038=False,
        needs_sample_sequence_ids=False,
        create_via_load=False,
    ),
    Generation(
        "0.38",
        "SDK 0.38 (protobuf, 0.38 fields)",
        sdk_version="0.38.0",
        protobuf=True,
        needs_client_config=True,
        fields_038=True,
        needs_sample_sequence_ids=True,
        create_via_load=True,
    ),
)


def generation(name: str) -> Generation:
    for candidate in GENERATIONS:
        if candidate.name == name:
            return candidate
    raise ValueError(f"unknown generation {name!r}; one of {', '.join(g.name for g in GENERATIONS)}")


def _blocker(step: StepResult) -> str:
    """`step` names the request and what in it blocked the client (the first error, or the outcome)."""
    errors = step.errors
    if step.outcome is Outcome.SKIPPED:
        return f"{step.name}: skipped ({step.detail})"
    if not errors:
        return (
            f"{step.name}: {step.outcome.value} ({step.detail})"
            if step.detail
            else f"{step.name}: {step.outcome.value}"
        )
    first = errors[0]
    return f"{step.name}: {first.where} {first.pointer or ''} expected {first.expected}, got {first.got}".replace(
        "  ", " "
    )


def verdict(gen: Generation, steps: Sequence[StepResult], values: Mapping[str, Any]) -> GenerationVerdict:
    """Supported iff every step this generation's SDK needs passed. Blockers first (the earliest is the
    one a user meets), then caveats: optional features that fail and differences the SDK tolerates."""
    failed = [s for s in steps if s.required and s.outcome is not Outcome.PASS]
    # Steps skipped for want of an earlier result say nothing new: name them only if nothing else failed.
    blockers = [_blocker(s) for s in failed if s.outcome is not Outcome.SKIPPED] or [
        _blocker(s) for s in failed
    ]
    # Semantic checks judge workloads (ContractReport.workloads), not whether a client can talk to it.
    caveats = [
        _blocker(s)
        for s in steps
        if not s.required and s.outcome is Outcome.FAIL and not s.name.startswith("semantics: ")
    ]
    if not gen.needs_client_config and values.get("client_config_missing"):
        caveats.append("client_config: missing (the official SDK 0.18-0.24 need it: generation 0.24)")
    tolerated = sorted(
        {
            f"{s.name}: {v.rule}"
            for s in steps
            for v in s.violations
            if v.severity is Severity.WARNING and s.outcome is not Outcome.FAIL
        }
    )
    return GenerationVerdict(
        generation=gen.name,
        label=gen.label,
        supported=not blockers,
        blockers=tuple(blockers),
        caveats=(*caveats, *(f"tolerated: {t}" for t in tolerated)),
    )
